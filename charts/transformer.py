"""Figures for the inside of the transformer: token chips, contextual vectors, attention."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.labels import plain, short
from charts.palette import NEUTRAL, OKABE_ITO, PALETTE, colour

#: Above this many tokens, heatmap and bar axes label every n-th token only, or they overlap.
MAX_TICK_LABELS = 60
#: Above this many tokens, heatmap cells hover with token positions instead of n² label pairs.
MAX_HOVER_LABELS = 150
HOVER_WRAP = 60

_CHIP_STYLE = {
    # kind -> (background, border)
    "word": ("#e3f0fc", "#8bb8e8"),
    "continuation": ("#fff1d6", "#e8b86b"),
    "special": ("#ececec", "#a0a0a0"),
    "unknown": ("#fde0e0", "#e07a7a"),
    "plain": ("#e6f4ea", "#86c49a"),
    "bytes": ("#efe4fb", "#a98bd8"),  # a byte-level BPE piece that is bytes of a character, not whole text
    "merged": ("#d7f5dc", "#2f9e44"),  # the piece a BPE merge has just made
}
#: The kinds ``chips_html`` draws.
CHIP_KINDS = tuple(_CHIP_STYLE)


def _chip(text: str, kind: str, caption: str | None, tooltip: str) -> str:
    background, border = _CHIP_STYLE[kind]
    # Every piece of user text goes through html.escape: the chips are HTML, the text never is.
    caption_html = (
        f"<span style='display:block;font-size:0.7em;color:#666'>{html.escape(caption)}</span>" if caption else ""
    )
    return (
        f"<span class='token-chip token-{kind}' title='{html.escape(tooltip, quote=True)}' "
        f"style='display:inline-block;margin:2px 3px;padding:2px 7px;border-radius:8px;"
        f"background:{background};border:1px solid {border};font-family:monospace;text-align:center'>"
        f"{html.escape(text)}{caption_html}</span>"
    )


def piece_kind(piece) -> str:
    """The chip style of a piece: special, unknown, continuation ("##…") or word start."""
    if piece.special:
        return "special"
    if piece.unknown:
        return "unknown"
    return "continuation" if piece.continuation else "word"


def token_chips_html(pieces: Sequence, words: Sequence[str]) -> str:
    """WordPiece tokens as chips with their ids below; hovering shows the word each came from.

    ``pieces`` are ``transformer_inside.tokens.Piece`` objects and ``words`` the
    words they point to. All text is escaped.
    """
    tips = {
        "special": "added by the tokenizer",
        "unknown": "the vocabulary cannot spell",
        "continuation": "continues",
        "word": "starts",
    }
    chips = []
    for piece in pieces:
        kind = piece_kind(piece)
        word = words[piece.word] if piece.word is not None else ""
        tooltip = f"id {piece.id}: {tips[kind]}" + (f" “{word}”" if word else "")
        chips.append(_chip(piece.text, kind, str(piece.id), tooltip))
    return _chip_row(chips)


def word_chips_html(words: Sequence[str], unknown: Sequence[bool] | None = None) -> str:
    """Words of a plain word tokenizer as chips; ``unknown`` words are drawn like [UNK]."""
    unknown = unknown or [False] * len(words)
    chips = [
        _chip(word, "unknown" if missing else "plain", None, "not in the vocabulary" if missing else "a whole word")
        for word, missing in zip(words, unknown)
    ]
    return _chip_row(chips)


def chips_html(chips: Sequence[tuple[str, str, str | None, str]]) -> str:
    """Chips from (text, kind, caption under it or None, tooltip) rows, ``kind`` one of ``CHIP_KINDS``.

    For tokenizers other than WordPiece (GPT's byte-level BPE, a BPE being learned); all text is escaped.
    """
    return _chip_row([_chip(text, kind, caption, tooltip) for text, kind, caption, tooltip in chips])


def _chip_row(chips: list[str]) -> str:
    body = "".join(chips) or "<span style='color:#666'>(nothing)</span>"
    # Long texts give hundreds of chips: scroll them instead of pushing the page down.
    return f"<div class='token-chips' style='line-height:2.2;max-height:24em;overflow-y:auto'>{body}</div>"


def _hover(text: str) -> str:
    """User text for a Plotly hover box: escaped, then wrapped with <br>."""
    return "<br>".join(plain(line) for line in textwrap.wrap(str(text), HOVER_WRAP)) or "(empty)"


def context_scatter(
    coords: np.ndarray,
    sentences: Sequence[str],
    groups: Sequence[str],
    numbers: Sequence[int],
    *,
    title: str | None = None,
    height: int = 480,
) -> go.Figure:
    """Occurrences of one word as points, one colour per group, the sentence number on the point and the sentence in the hover."""
    coords = np.asarray(coords, dtype=float)
    if not (len(coords) == len(sentences) == len(groups) == len(numbers)):
        raise ValueError("coords, sentences, groups and numbers must have the same length.")
    figure = go.Figure()
    for index, group in enumerate(dict.fromkeys(groups)):
        rows = [i for i, g in enumerate(groups) if g == group]
        figure.add_trace(
            go.Scatter(
                x=coords[rows, 0],
                y=coords[rows, 1] if coords.shape[1] > 1 else np.zeros(len(rows)),
                mode="markers+text",
                name=short(group),
                text=[str(numbers[i]) for i in rows],
                textposition="top center",
                customdata=[_hover(sentences[i]) for i in rows],
                hovertemplate="%{customdata}<extra>" + short(group) + "</extra>",
                marker=dict(size=12, color=colour(index)),
            )
        )
    axis = dict(showticklabels=False, title="", zeroline=False)
    figure.update_layout(
        title=plain(title) if title else None,
        height=height,
        xaxis=axis,
        yaxis={**axis, "scaleanchor": "x"},
        legend=dict(title="sense"),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return figure


def sense_similarity_chart(table: pd.DataFrame, current_layer: int | None = None, height: int = 320) -> go.Figure:
    """Mean cosine within and between senses per layer (columns of ``sense_similarity``)."""
    figure = go.Figure()
    for column, dash in (("within senses", "solid"), ("between senses", "dash")):
        figure.add_trace(
            go.Scatter(x=table["layer"], y=table[column], mode="lines+markers", name=column, line=dict(dash=dash))
        )
    if current_layer is not None:
        figure.add_vline(x=current_layer, line=dict(color=NEUTRAL, dash="dot"))
    figure.update_layout(
        colorway=list(PALETTE),
        height=height,
        xaxis=dict(title="layer (0 = input embeddings)", dtick=1),
        yaxis=dict(title="mean cosine similarity"),
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", y=1.1),
    )
    return figure


def _ticks(labels: Sequence[str]) -> dict:
    step = max(1, int(np.ceil(len(labels) / MAX_TICK_LABELS)))
    positions = list(range(0, len(labels), step))
    return dict(tickmode="array", tickvals=positions, ticktext=[short(labels[i], 16) for i in positions])


def attention_heatmap(weights: np.ndarray, labels: Sequence[str], *, title: str | None = None) -> go.Figure:
    """Attention weights as a heatmap: rows are the tokens that look (queries), columns what they look at (keys).

    Axes are token positions labelled with the tokens, so repeated tokens ("the", ",") keep their own rows.
    """
    weights = np.asarray(weights, dtype=float)
    n = len(labels)
    if weights.shape != (n, n):
        raise ValueError(f"weights must be [{n} x {n}] for {n} labels, got {weights.shape}.")
    if n <= MAX_HOVER_LABELS:
        names = [plain(label) for label in labels]
        hover = dict(customdata=[[f"{names[q]} → {names[k]}" for k in range(n)] for q in range(n)],
                     hovertemplate="%{customdata}: %{z:.3f}<extra></extra>")
    else:  # n² label strings would make the chart megabytes heavy: name the positions instead
        hover = dict(hovertemplate="token %{y} → token %{x}: %{z:.3f}<extra></extra>")
    figure = go.Figure(
        go.Heatmap(
            z=weights,
            x=list(range(n)),
            y=list(range(n)),
            **hover,
            colorscale="Blues",
            zmin=0,
            colorbar=dict(title="weight"),
        )
    )
    size = min(900, max(420, 26 * n + 160))
    figure.update_layout(
        title=plain(title) if title else None,
        height=size,
        xaxis=dict(title="looks at (key)", tickangle=-60, **_ticks(labels)),
        yaxis=dict(title="token looking (query)", autorange="reversed", **_ticks(labels)),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return figure


def attention_bars(row: np.ndarray, labels: Sequence[str], query: int, *, title: str | None = None) -> go.Figure:
    """What token ``query`` attends to: one bar per token in sentence order, its own bar highlighted."""
    row = np.asarray(row, dtype=float)
    if len(row) != len(labels):
        raise ValueError("row and labels must have the same length.")
    colours = [OKABE_ITO[3] if i == query else OKABE_ITO[0] for i in range(len(labels))]
    names = [plain(label) for label in labels]
    figure = go.Figure(
        go.Bar(
            x=list(range(len(labels))),
            y=row,
            marker_color=colours,
            customdata=names,
            hovertemplate="%{customdata}: %{y:.3f}<extra></extra>",
        )
    )
    figure.update_layout(
        title=plain(title) if title else None,
        height=340,
        xaxis=dict(tickangle=-60, **_ticks(labels)),
        yaxis=dict(title="attention weight", rangemode="tozero"),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return figure


def merge_counts_chart(
    steps: Sequence[int],
    pairs: Sequence[str],
    counts: Sequence[int],
    current: int | None = None,
    *,
    title: str | None = None,
    height: int = 320,
) -> go.Figure:
    """A learned BPE's merges in order: one bar per merge, as high as its pair's count when it was merged.

    ``pairs`` label the bars ("t + h"); the bar of merge ``current`` (a step number) is highlighted,
    merges after it (not learned yet at that step) are grey.
    """
    if not (len(steps) == len(pairs) == len(counts)):
        raise ValueError("steps, pairs and counts must have the same length.")
    current = current if current is not None else max(steps, default=0)
    colours = [OKABE_ITO[3] if step == current else OKABE_ITO[0] if step < current else NEUTRAL for step in steps]
    names = [plain(pair) for pair in pairs]
    figure = go.Figure(
        go.Bar(
            x=list(range(len(steps))),
            y=list(counts),
            marker_color=colours,
            customdata=[[step, name] for step, name in zip(steps, names)],
            hovertemplate="merge %{customdata[0]}: %{customdata[1]}<br>%{y:,} times<extra></extra>",
        )
    )
    figure.update_layout(
        title=plain(title) if title else None,
        height=height,
        xaxis=dict(tickangle=-60, **_ticks(list(pairs))),
        yaxis=dict(title="times the pair occurred", rangemode="tozero"),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return figure
