"""A text's tokens as a picture: the WordPiece chips with their ids, then the rows of the token table they pick."""

from __future__ import annotations

import streamlit as st

from charts.token_table import token_table_heatmap
from charts.transformer import token_chips_html
from transformer_inside.tokens import Tokenization, input_vectors
from ui.display import show_chart

#: Rows of the token table drawn at most: a long text's later tokens follow the same idea.
MAX_TABLE_ROWS = 64


def token_chips(tokenization: Tokenization) -> None:
    """The WordPiece chips (HTML built by the chart module, which escapes every piece of text in them)."""
    st.html(token_chips_html(tokenization.pieces, tokenization.words))


def token_table(tokenization: Tokenization, key: str) -> None:
    """The first rows of MiniLM's token table that the text's ids pick, as a heatmap."""
    pieces = tokenization.pieces[:MAX_TABLE_ROWS]
    ids = [piece.id for piece in pieces]
    figure = token_table_heatmap(input_vectors(ids), [piece.text for piece in pieces], ids,
                                 title="The token table: each id picks one row, the token's first vector",
                                 height=max(300, min(560, 22 * len(ids) + 140)))
    show_chart(figure, key=key)
    if len(tokenization.pieces) > MAX_TABLE_ROWS:
        st.caption(f"The first {MAX_TABLE_ROWS} of {len(tokenization.pieces)} tokens.")
