"""Compare: the current word list under several methods side by side, and what each picture distorts."""

import numpy as np
import pandas as pd
import streamlit as st

from charts.compare import agreement_heatmap, group_colours, panel
from charts.scatter import colour_by_values
from inputs import wordlists
from projection import PROJECTION_METHODS, align_to_words, mean_overlap_matrix, neighbour_overlap
from projection.align import MIN_SHARED_POINTS
from projection.distortion import chance_overlap, why_not_computable
from ui.display import font_scale, show_chart
from ui.distortion import EXPLANATION, KEPT_TITLE, kept_on_map, neighbours_control, show_projection_quality
from ui.embedded import EMPTY_LIST, embedded_list
from ui.exports import export_buttons
from ui.frame import page_frame
from ui.links import presentation_mode
from ui.methods import embedder_for, method_title, method_titles
from ui.projections import projected, projection_controls
from ui.selection_panel import selectable_map
from ui.sidebar import current_word_list
from ui.transitions import draw_method_transition

DEFAULT_METHODS = ["onehot", "tfidf", "word2vec-skipgram", "glove", "fasttext", "minilm"]
VIEWS = {"panels": "Panels", "animation": "Animation"}
PREFERRED_REFERENCE = "glove"
PREFERRED_SECOND = "word2vec-skipgram"
#: Panels per row: three on a laptop, two (larger) on a projector.
PANELS_PER_ROW = 3
PANELS_PER_ROW_PRESENTING = 2
#: Panel heights: two rows of them fill a laptop screen; one row a projector's first screen.
PANEL_HEIGHT = 330
PANEL_HEIGHT_PRESENTING = 400
#: Panel widths as measured in the browser: three in the picture column at 1440 x 900, two on a projector.
PANEL_WIDTH = 260
PANEL_WIDTH_PRESENTING = 400
#: Several methods side by side, each with its own projection and neighbour tables: at most this many items.
COMPARE_LIMIT = 5000


@st.cache_data(max_entries=16, show_spinner="Comparing neighbours between every pair of methods…")
def cached_overlap_matrix(embeddings: dict, k: int) -> pd.DataFrame:
    """``mean_overlap_matrix``, cached: it compares neighbour sets for every pair of methods."""
    return mean_overlap_matrix(embeddings, k)


def panel_height() -> int:
    return PANEL_HEIGHT_PRESENTING if presentation_mode() else PANEL_HEIGHT


def panels_per_row() -> int:
    return PANELS_PER_ROW_PRESENTING if presentation_mode() else PANELS_PER_ROW


def panel_width() -> int:
    """A panel's width in px, for placing its labels: its share of the frame's picture column."""
    return PANEL_WIDTH_PRESENTING if presentation_mode() else PANEL_WIDTH


def fill_order(methods: list[str], reference: str | None) -> list[str]:
    """Reference first (the others align onto it), then ready methods, then slower loads, training last."""
    def cost(name: str) -> int:
        embedder = embedder_for(name)
        if name == reference:
            return 0
        if embedder.loaded:
            return 1
        if not embedder.slow_to_load:
            return 2
        return 4 if embedder.trains_on_first_use else 3
    return sorted(methods, key=cost)


def aligned_to(reference: tuple[str, list[str], np.ndarray], words: list[str], coords: np.ndarray) -> np.ndarray:
    """``coords`` rotated and scaled onto the reference layout ``(method, words, coords)``, saying how."""
    name, reference_words, reference_coords = reference
    moved, shared = align_to_words(reference_words, reference_coords, words, coords)
    if shared < MIN_SHARED_POINTS:
        st.caption(f"Not aligned: only {shared} word{'s' if shared != 1 else ''} in common with {method_title(name)}.")
    else:
        st.caption(f"Rotated and scaled onto {method_title(name)} using {shared} shared words.")
    return moved


frame = page_frame(
    "Compare methods",
    about="The words of your list (sidebar) under several methods at once, with the same projection and seed, "
    "from one-hot vectors to a transformer: a short history of embeddings in one screen. " + EXPLANATION)

word_list = current_word_list()
if len(word_list) > COMPARE_LIMIT:
    frame.notes.warning(f"Comparing several methods side by side takes at most {COMPARE_LIMIT:,} items: this page "
                        f"uses the first {COMPARE_LIMIT:,} of your {len(word_list):,}. Explore shows them all, one "
                        "method at a time.")
    word_list = wordlists.WordList(word_list.items[:COMPARE_LIMIT], word_list.groups[:COMPARE_LIMIT])
titles = method_titles()
with frame.controls:
    view = st.segmented_control("View", list(VIEWS), format_func=VIEWS.__getitem__, default="panels", required=True,
                                key="compare_view",
                                help="Panels side by side, or one map that moves from method to method (play it, "
                                     "or drag its slider).")
    animating = view == "animation"
    methods = st.multiselect("Methods", list(titles), default=DEFAULT_METHODS, format_func=titles.__getitem__,
                             key="compare_methods")
    settings = projection_controls(key="compare_projection")
    aligned = st.toggle(
        "Align the layouts", value=True, key="compare_align", disabled=animating,
        help="Rotate, reflect and scale every panel onto the reference panel (orthogonal Procrustes over the words "
        "they share), so that the same word sits in a comparable place. The shapes themselves do not change.",
    )
    reference_name = st.selectbox(
        "Reference panel", methods, format_func=titles.__getitem__, key="compare_reference",
        disabled=not aligned or animating,
        index=methods.index(PREFERRED_REFERENCE) if PREFERRED_REFERENCE in methods else 0,
    )
    highlight = st.selectbox("Highlight a word", word_list.items, index=None, placeholder="Choose a word",
                             key="compare_highlight")
    k = neighbours_control(len(word_list), key="compare_k")
    colour_kept = st.toggle("Colour by neighbourhood kept", value=False, key="compare_kept", disabled=animating,
                            help="Colour each point by the share of its k nearest neighbours in the original vectors "
                            "that are also its k nearest on the panel: where each picture lies.")

if not methods:
    frame.picture.info("Choose at least one method to compare.")
    st.stop()
if not word_list.items:
    frame.picture.info(EMPTY_LIST)
    st.stop()

colours = group_colours(word_list.groups)
if animating:
    frame.notes.caption(f"{PROJECTION_METHODS[settings.method]}, 2D, seed {settings.seed} for every frame.")
else:
    frame.notes.caption(f"{PROJECTION_METHODS[settings.method]}, {settings.dims}D, seed {settings.seed} for every "
                        "panel. Under each panel, how much it distorts (trustworthiness, kNN recall; see the help at "
                        "the title).")

# Draw the empty grid first, then fill the quickest panels first so that a method that
# trains or loads for the first time does not hold the others back. Each panel has its chart
# on top and its notes under it.
panels: dict[str, tuple] = {}
if not animating:
    with frame.picture:
        per_row = panels_per_row()
        for start in range(0, len(methods), per_row):
            for column, name in zip(st.columns(per_row), methods[start : start + per_row]):
                box = column.container(border=True)
                chart_slot, notes = box.empty(), box.container()
                chart_slot.caption(f"{method_title(name)}: waiting for the panels before it…")
                panels[name] = (chart_slot, notes)

reference_layout = None  # (method, words, coordinates) once the reference panel is drawn
embeddings: dict[str, tuple[list[str], np.ndarray]] = {}
drawn: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # method -> (vectors, projected coordinates), for the numbers
if animating:  # one map moving through the methods in the order they appeared, instead of the panels
    with frame.picture:
        embeddings = draw_method_transition(word_list, methods, key="compare_transition", settings=settings,
                                            notes=frame.notes, highlight=highlight)
for name in [] if animating else fill_order(methods, reference_name if aligned else None):
    chart_slot, notes = panels[name]
    with chart_slot.container():
        embedded = embedded_list(name, word_list, brief=True, notes=notes)
        if embedded is None:
            continue
        result = embedded.result
        projection = projected(result.vectors, notes=notes, **settings.arguments())
        if projection is None:
            continue
        coords = projection.coords
        with notes:
            for note in projection.notes:
                st.caption(note)
            if aligned and name == reference_name:
                st.caption("The reference panel: the others are rotated and scaled onto it.")
                reference_layout = (name, result.words, coords)
            elif reference_layout:
                coords = aligned_to(reference_layout, result.words, coords)
        groups = embedded.groups
        figure = panel(coords, result.words, groups, colours, highlight=[highlight] if highlight in result.words else [],
                       title=method_title(name), height=panel_height(), width=panel_width(), font_scale=font_scale())
        if name != methods[0]:  # every panel colours a group alike: the first panel's legend serves them all
            figure.update_layout(showlegend=False)
        if colour_kept and (kept := kept_on_map(result.vectors, projection.coords, k, notes=notes, explain=False)) is not None:
            colour_by_values(figure, result.words, kept.recall, KEPT_TITLE, colour_bar=name == methods[0])
        if settings.dims == 2:  # a box or lasso lists what a region holds, by this method's neighbours
            selectable_map(figure, f"compare_chart_{name}", result.words, groups, result.vectors, actions=False)
        else:
            show_chart(figure, key=f"compare_chart_{name}")
    with notes:
        export_buttons(f"compare_{name}", f"{method_title(name)}-{settings.method}", result.words, groups, coords,
                       figure, vectors=result.vectors)
    embeddings[name] = (result.words, result.vectors)
    drawn[name] = (result.vectors, projection.coords)
if aligned and reference_layout is None and not animating:
    frame.notes.info(f"{method_title(reference_name)} has nothing to draw, so the panels are not aligned.")
# After every panel is drawn: measured on the projection itself (alignment moves points rigidly and
# changes no neighbour).
for name, (vectors, coords) in drawn.items():
    with panels[name][1]:
        show_projection_quality(vectors, coords, key=f"compare_{name}", k=k, compact=True)

st.subheader("Neighbour agreement", anchor=False)
st.caption(
    f"For each word, its {k} nearest neighbours within your list (cosine, original vectors) under two methods, "
    "and their overlap: shared neighbours ÷ all neighbours named by either (Jaccard; 1 = the same neighbours, "
    "0 = none in common). One-hot neighbours are arbitrary, since every one-hot pair is equally far apart."
)
compared = [name for name in methods if name in embeddings]
if len(compared) < 2:
    st.info("Neighbour agreement needs at least two methods with vectors.")
    st.stop()
first_column, second_column = st.columns(2)
first = first_column.selectbox("First method", compared, format_func=titles.__getitem__, key="compare_first",
                               index=compared.index(PREFERRED_REFERENCE) if PREFERRED_REFERENCE in compared else 0)
others = [name for name in compared if name != first]
second = second_column.selectbox("Second method", others, format_func=titles.__getitem__, key="compare_second",
                                 index=others.index(PREFERRED_SECOND) if PREFERRED_SECOND in others else 0)
try:
    table = neighbour_overlap(*embeddings[first], *embeddings[second], k)
except ValueError as error:
    st.info(f"The neighbour table cannot be computed. {error}")
else:
    first_title, second_title = method_title(first), method_title(second)
    st.caption(
        f"{len(table)} words that both methods have; mean overlap {table['overlap'].mean():.2f} (unrelated "
        f"neighbourhoods would give about {chance_overlap(len(table), k):.2f}). The words whose neighbourhoods "
        "change most come first; click a column header to sort."
    )
    shown = table.assign(**{column: table[column].map(", ".join) for column in ("shared", "only_a", "only_b")})
    st.dataframe(
        shown.rename(columns={"only_a": f"only under {first_title}", "only_b": f"only under {second_title}",
                              "shared": "neighbours under both"}),
        hide_index=True,
        column_config={"overlap": st.column_config.ProgressColumn("overlap", min_value=0.0, max_value=1.0, format="%.2f")},
    )

st.markdown("**Mean overlap for every pair of methods**")
matrix = cached_overlap_matrix({name: embeddings[name] for name in compared}, k)  # in the order chosen
show_chart(agreement_heatmap(matrix, {name: method_title(name) for name in matrix.index}), key="compare_heatmap")
matrix_notes: list[str] = []  # not ``notes``: that name holds a panel's notes box above
if why_not_computable(len(word_list), k) is None:
    matrix_notes.append(f"Methods whose neighbours had nothing to do with each other would score about "
                        f"{chance_overlap(len(word_list), k):.2f} on these {len(word_list)} words.")
if matrix.isna().to_numpy().any():
    matrix_notes.append(f"Blank cells: fewer than k + 2 = {k + 2} words in common, too few to compare neighbours.")
st.caption(" ".join(matrix_notes))
