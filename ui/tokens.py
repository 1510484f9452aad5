"""A text's tokens as a picture: the WordPiece chips with their ids, then the rows of the token table they pick;
GPT-4's cl100k chips beside them, and the words a BPE being learned cuts, merge by merge."""

from __future__ import annotations

import streamlit as st

from charts.token_table import token_table_heatmap
from charts.transformer import chips_html, token_chips_html
from tokenization.gpt import BpeTokenization, BytePiece
from tokenization.learned_bpe import UNKNOWN, LearnedBpe
from transformer_inside.tokens import Tokenization, input_vectors
from ui.display import show_chart

#: An empty caption line (a no-break space) under a chip.
BLANK = "\u00a0"
#: Rows of the token table drawn at most: a long text's later tokens follow the same idea.
MAX_TABLE_ROWS = 64


def token_chips(tokenization: Tokenization) -> None:
    """The WordPiece chips (HTML built by the chart module, which escapes every piece of text in them)."""
    st.html(token_chips_html(tokenization.pieces, tokenization.words))


def gpt_chip_kind(piece: BytePiece) -> str:
    """Purple: bytes of a character, not whole text; blue: starts a word; orange: glued to the piece before."""
    if not piece.whole:
        return "bytes"
    return "word" if piece.starts_word else "continuation"


def gpt_chips(tokenization: BpeTokenization) -> None:
    """GPT-4's cl100k pieces as chips with their ids; a piece that is no whole text shows its bytes in hex."""
    rows = []
    for piece in tokenization.pieces:
        text = piece.text
        tooltip = f"id {piece.id} · bytes {piece.data.hex(' ')}" + (
            f" · “{text}”" if text is not None else " · part of a character, not text on its own")
        rows.append((piece.label, gpt_chip_kind(piece), str(piece.id), tooltip))
    st.html(chips_html(rows))


def learned_chips(bpe: LearnedBpe, words: list[list[str]], current: int) -> None:
    """Words cut by the BPE after ``current`` merges, one row of chips each: grey single characters, blue
    pieces made by earlier merges (the merge's number under them), green the piece merge ``current`` made."""
    html = []
    for pieces in words:
        rows: list[tuple[str, str, str | None, str]] = []
        for piece in pieces:
            merge = bpe.merge_of(piece)
            # A blank caption under single characters keeps every chip of a row the same height.
            if piece == UNKNOWN:
                rows.append((piece, "unknown", BLANK, "a character the corpus never showed"))
            elif merge is None:
                rows.append((piece, "special", BLANK, "a character of the alphabet"))
            else:
                rows.append((piece, "merged" if merge.step == current else "word", str(merge.step),
                             f"made by merge {merge.step}: {merge.left} + {merge.right}"))
        html.append(chips_html(rows))
    # Words side by side, each kept whole on its line: a class sees more words without scrolling.
    st.html("".join(f"<div style='display:inline-block;vertical-align:top;margin-right:1.2em'>{word}</div>"
                    for word in html))


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
