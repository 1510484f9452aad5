"""Charts for word arithmetic: the analogy parallelogram, semantic axes and the similarity heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from charts.labels import plain, short
from charts.palette import NEUTRAL, OKABE_ITO
from charts.scatter import scatter

#: a → b in the palette's blue, c → answer in its vermillion: a pair colour-blind readers tell apart.
ROLE_COLOURS = {"a": OKABE_ITO[0], "b": OKABE_ITO[0], "c": OKABE_ITO[3], "answer": OKABE_ITO[3], "neighbour": NEUTRAL}
#: Below this many items the heatmap also prints each value in its cell.
CELL_TEXT_MAX_ITEMS = 20


def analogy_chart(
    words: Sequence[str],
    roles: Sequence[str],
    coords: np.ndarray,
    target: np.ndarray,
    *,
    title: str | None = None,
    height: int = 560,
) -> go.Figure:
    """The analogy as a parallelogram: arrows a → b and c → answer, dashed sides to b − a + c.

    ``roles`` holds "a", "b", "c", "answer" or "neighbour" for each word;
    ``target`` is the 2-D position of b − a + c. Words are escaped for Plotly.
    """
    coords = np.asarray(coords, dtype=float)
    position = {role: coords[i] for i, role in enumerate(roles) if role != "neighbour"}
    if not {"a", "b", "c", "answer"} <= position.keys():
        raise ValueError("roles must contain a, b, c and answer.")
    figure = go.Figure()
    outline = [position["a"], position["b"], target, position["c"], position["a"]]
    figure.add_trace(go.Scatter(
        x=[p[0] for p in outline], y=[p[1] for p in outline], mode="lines",
        line=dict(color="#888888", dash="dash", width=1.5), name="parallelogram a, b, b − a + c, c", hoverinfo="skip",
    ))
    neighbours = [i for i, role in enumerate(roles) if role == "neighbour"]
    if neighbours:
        figure.add_trace(go.Scatter(
            x=coords[neighbours, 0], y=coords[neighbours, 1], mode="markers+text", name="neighbours",
            text=[short(words[i]) for i in neighbours], textposition="top center",
            textfont=dict(color="#9a9a9a", size=10), marker=dict(color=ROLE_COLOURS["neighbour"], size=6),
            customdata=[plain(words[i]) for i in neighbours], hovertemplate="%{customdata}<extra>neighbour</extra>",
        ))
    for role in ("a", "b", "c", "answer"):
        i = list(roles).index(role)
        figure.add_trace(go.Scatter(
            x=[coords[i, 0]], y=[coords[i, 1]], mode="markers+text", name=f"{role}: {short(words[i])}",
            text=[f"<b>{short(words[i])}</b>"], textposition="top center", textfont=dict(size=15),
            marker=dict(color=ROLE_COLOURS[role], size=14, symbol="diamond" if role == "answer" else "circle"),
            customdata=[plain(words[i])], hovertemplate=f"%{{customdata}}<extra>{role}</extra>",
        ))
    figure.add_trace(go.Scatter(
        x=[target[0]], y=[target[1]], mode="markers", name="b − a + c",
        marker=dict(color=ROLE_COLOURS["answer"], size=13, symbol="x-thin", line=dict(color=ROLE_COLOURS["answer"], width=3)),
        hovertemplate="b − a + c: the point the answer is nearest to<extra></extra>",
    ))
    for start, end in (("a", "b"), ("c", "answer")):
        figure.add_annotation(
            x=position[end][0], y=position[end][1], ax=position[start][0], ay=position[start][1],
            xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True,
            arrowhead=3, arrowsize=1.5, arrowwidth=2.5, arrowcolor=ROLE_COLOURS[start], standoff=8, startstandoff=8,
        )
    axis = dict(showticklabels=False, zeroline=False)
    figure.update_layout(
        title=plain(title) if title else None,
        height=height,
        xaxis=dict(title="PCA 1", **axis),
        yaxis=dict(title="PCA 2", scaleanchor="x", **axis),
        legend=dict(orientation="h", yanchor="top", y=-0.08, xanchor="left", x=0),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return figure


def axes_chart(
    words: Sequence[str],
    groups: Sequence[str],
    x: np.ndarray,
    y: np.ndarray,
    x_label: str,
    y_label: str,
    *,
    title: str | None = None,
    height: int = 600,
    width: int | None = None,
    font_scale: float = 1.0,
    colours: Mapping[str, str] | None = None,
) -> go.Figure:
    """Words placed by their projections on two semantic axes, with readable axis titles and zero lines.

    Labels are placed as ``charts.scatter.scatter_chart`` places them, with room kept for the axes' titles.
    """
    # Margins fixed (no automargin) so that the plot area is the one the labels were placed in.
    margin = dict(l=round(60 * font_scale), r=10, t=round(40 * font_scale) if title else 10, b=round(50 * font_scale))
    sizing = {} if width is None else {"width": width}
    figure = scatter(np.column_stack([x, y]), words, groups, title=title, height=height, font_scale=font_scale,
                     colours=colours, margin=margin, **sizing)
    figure.update_xaxes(title=plain(x_label), showticklabels=True, zeroline=True, zerolinecolor="#bbbbbb",
                        automargin=False)
    figure.update_yaxes(title=plain(y_label), showticklabels=True, zeroline=True, zerolinecolor="#bbbbbb",
                        automargin=False)
    return figure


def similarity_heatmap(
    words: Sequence[str],
    groups: Sequence[str],
    matrix: np.ndarray,
    *,
    group_lines: bool = True,
    title: str | None = None,
) -> go.Figure:
    """The cosine similarity matrix as a heatmap; hover shows both words, their groups and the exact value.

    ``group_lines`` draws thin lines where the group changes (useful when rows are ordered by group).
    """
    matrix = np.asarray(matrix, dtype=float)
    n = len(words)
    if matrix.shape != (n, n) or len(groups) != n:
        raise ValueError("matrix must be [n x n] for n words and n groups.")
    # Positions, not words, on the axes: shortened labels could collide and Plotly would merge their cells.
    names = [plain(word) + (f" ({plain(group)})" if group else "") for word, group in zip(words, groups)]
    hover = [[f"{names[row]} · {names[column]}" for column in range(n)] for row in range(n)]
    positions = list(range(n))
    heatmap = go.Heatmap(
        z=matrix, x=positions, y=positions, customdata=hover,
        hovertemplate="%{customdata}<br>cosine similarity %{z:.4f}<extra></extra>",
        colorscale="RdBu", reversescale=True, zmin=-1, zmax=1, zmid=0,
        colorbar=dict(title="cosine"),
    )
    if n <= CELL_TEXT_MAX_ITEMS:
        heatmap.update(texttemplate="%{z:.2f}", textfont=dict(size=10))
    figure = go.Figure(heatmap)
    ticks = dict(tickmode="array", tickvals=positions, ticktext=[short(word, 18) for word in words], showgrid=False)
    size = max(420, min(1100, 22 * n + 180))
    figure.update_layout(
        title=plain(title) if title else None,
        height=size,
        xaxis=dict(tickangle=-60, side="bottom", **ticks),
        yaxis=dict(autorange="reversed", scaleanchor="x", **ticks),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    # Thin lines between groups, so that blocks of a group are easy to find.
    boundaries = [i for i in range(1, n) if groups[i] != groups[i - 1]] if group_lines else []
    for boundary in boundaries:
        for line in (dict(x0=boundary - 0.5, x1=boundary - 0.5, y0=-0.5, y1=n - 0.5),
                     dict(x0=-0.5, x1=n - 0.5, y0=boundary - 0.5, y1=boundary - 0.5)):
            figure.add_shape(type="line", line=dict(color="black", width=1), **line)
    return figure
