"""Explore: one method, one projection, the current word list on a chart."""

import numpy as np
import streamlit as st

from charts.bars import neighbours_chart, similarity_spread_chart
from charts.palette import group_colours
from charts.scatter import add_placed_items, scatter_chart
from common.vectors import neighbours_within, similarity_histogram
from projection import PROJECTION_METHODS, graph_k
from projection.reducers import sample_rows
from ui.display import font_scale, show_chart
from ui.distortion import (
    DEFAULT_K,
    KEPT_TITLE,
    draw_true_neighbours,
    found_word_neighbours,
    kept_on_map,
    neighbours_control,
    show_projection_quality,
    show_where_the_map_lies,
)
from ui.embedded import embedded_list
from ui.exports import export_buttons
from ui.frame import page_frame, picture_height
from ui.methods import embedder_for, method_picker
from ui.placement import HOW_PLACED, place_items, placement_input
from ui.projections import projected, projection_controls, shared_graph
from ui.selection_panel import KEPT, cluster_groups, colouring_controls, selectable_map
from ui.sidebar import add_items, current_corpus, current_word_list
from ui.state import FIND_WORD

#: Above this many items, the spread of similarities is taken over all pairs of a random sample this size
#: (2,000 items: about 2 million pairs, 0.15 s; 5,000 took 0.9 s on every first view of a large list).
SPREAD_SAMPLE = 2000
#: The list's shared neighbour graph helps the distortion numbers only when it is exact, which it is up to
#: about this many items (projection.neighbours.EXACT_WORK); above, the numbers search their own samples.
GRAPH_HELPS_UP_TO = 25_000


@st.cache_data(max_entries=16, show_spinner="Comparing every pair of items…")
def similarity_spread(vectors: np.ndarray) -> tuple[np.ndarray, float, float]:
    return similarity_histogram(vectors[sample_rows(len(vectors), SPREAD_SAMPLE)])


frame = page_frame("Explore an embedding",
                   about="Pick a method, and see where it puts the words of your list (sidebar) in 2-D or 3-D. "
                   "Positions come from the projection; distances on the chart only approximate those between "
                   "the original vectors. Neighbours and similarities below the chart use the original vectors "
                   "(cosine).")
word_list = current_word_list()
with frame.controls:
    method = method_picker()
    settings = projection_controls()
    found = st.text_input("Find a word", key=FIND_WORD, placeholder="A word of your list",
                          help="Highlights the word, centres a large chart on it and lists its neighbours below.").strip()
    colouring, cluster_count = colouring_controls("explore")
    # How many neighbours the colouring and the found word's lines compare (shown only when either is on).
    map_k = neighbours_control(len(word_list), key="explore_map_k", label="Neighbours k (map)") if (
        colouring == KEPT or found) else DEFAULT_K
    new_items = placement_input("explore_place")
embedder = embedder_for(method)

with frame.picture:
    embedded = embedded_list(method, word_list, notes=frame.notes)
    if embedded is None:
        st.stop()
    result = embedded.result
    count = len(result.words)
    if found and embedder.lowercase and found not in result.words:
        found = found.lower()
    if found and found not in result.words:
        frame.controls.warning("That word is not on the chart; the neighbours below are those of the first word.")
        found = ""
    projection = projected(result.vectors, notes=frame.notes, **settings.arguments())
    if projection is None:
        st.stop()
    # A sampled projection (3-D t-SNE of a large list) has coordinates for some rows only. The vectors of
    # a whole list are passed as they are: a copy would cost 20 MB per rerun at 100,000 words.
    rows = projection.rows if projection.rows is not None else np.arange(count)
    shown_vectors = result.vectors if projection.rows is None else result.vectors[rows]
    shown_words = [result.words[i] for i in rows]
    with frame.notes:
        groups = embedded.groups if colouring in ("groups", KEPT) else cluster_groups(
            result.words, result.vectors, colouring, cluster_count, settings.seed)
    shown_groups = [groups[i] for i in rows]
    # Where the map lies, only when asked for: each point's neighbourhood kept, the found word's true neighbours.
    kept = around = graph = None
    if colouring == KEPT:
        if projection.rows is None and 2 < count <= GRAPH_HELPS_UP_TO:  # the list's exact graph: no new search
            graph = shared_graph(result.vectors, graph_k(settings.method, settings.n_neighbors, settings.perplexity))
        kept = kept_on_map(shown_vectors, projection.coords, map_k, graph, notes=frame.notes)
    if found:
        around = found_word_neighbours(shown_words, shown_vectors, projection.coords, found, map_k, graph)
    chart = scatter_chart(
        projection.coords,
        shown_words,
        shown_groups if kept is None else None,
        values=None if kept is None else kept.recall,
        value_title=KEPT_TITLE,
        neighbours=[] if around is None else list(around["neighbour"]),
        highlight=[found] if found else [],
        centre_on=found or None,
        title=f"{embedder.title} · {PROJECTION_METHODS[projection.method]} · {settings.dims}D",
        height=picture_height(),
        font_scale=font_scale(),
        colours=group_colours(groups),  # every group of the list, even one a 3-D sample leaves out
    )
    if around is not None:
        draw_true_neighbours(chart.figure, shown_words, projection.coords, found, around, notes=frame.notes)
    if new_items:  # only when something is typed: otherwise nothing of the placement runs
        with frame.notes:
            placed = place_items(embedder, new_items, result.words, result.vectors, projection, settings,
                                 result.sentences)
        if placed is not None:
            add_placed_items(chart.figure, placed.coords, placed.labels, name="placed (new)",
                             font_scale=font_scale(), keep_in_view=not found)
            frame.notes.caption(" ".join([HOW_PLACED, *placed.notes]))
    if settings.dims == 2:
        selectable_map(chart.figure, "explore_chart", shown_words, shown_groups, shown_vectors, picture=True)
    else:
        show_chart(chart.figure, key="explore_chart", picture=True)

with frame.notes:
    if count < 3:
        st.warning(f"Only {count} item{'s' if count > 1 else ''} to show: add more words for a picture with any "
                   "structure.")
    for note in projection.notes:
        st.info(note)
    if chart.note():
        st.caption(chart.note())
    if embedder.lowercase and not result.sentences:
        st.caption(f"{embedder.title} looks words up in lower case.")
with frame.controls:
    export_buttons("explore", f"{embedder.title}-{projection.method}-{settings.dims}d", shown_words, shown_groups,
                   projection.coords, chart.figure, vectors=shown_vectors)

# Below the picture: what the method is, then what is optional, after the chart.
st.markdown(f"**{embedder.title}.** {embedder.description}")
own_corpus = current_corpus()
if embedder.uses_corpus and own_corpus is not None:
    st.caption("Trained on your own corpus (sidebar), not on the Wikipedia sample:")
    st.text(own_corpus.describe())

# After the chart, so the picture never waits for its distortion numbers (100,000 words: about 2 s, on
# stated samples).
st.subheader("How much the picture distorts", anchor=False)
graph = None
if projection.rows is None and 2 < count <= GRAPH_HELPS_UP_TO:  # computed once per list, shared with UMAP
    graph = shared_graph(result.vectors, graph_k(settings.method, settings.n_neighbors, settings.perplexity))
quality = show_projection_quality(shown_vectors, projection.coords, key="explore", graph=graph)
st.subheader("Where the map lies", anchor=False)
show_where_the_map_lies(shown_words, shown_vectors, projection.coords, map_k if kept is not None else quality.k,
                        kept, graph, around, key="explore_map_lies")

# How spread the original similarities are: for one-hot, every pair is the same.
if count > 1:
    with st.expander("Similarities in the original space", expanded=method == "onehot"):
        counts, lowest, highest = similarity_spread(result.vectors)
        if count > SPREAD_SAMPLE:
            st.caption(f"All pairs among a random sample of {SPREAD_SAMPLE:,} of the {count:,} items.")
        if highest - lowest < 1e-6:
            st.info(
                f"All {int(counts.sum()):,} pairs have the same cosine similarity ({lowest:.2f}): every item is "
                "exactly as far from every other. Any pattern in the chart comes from squeezing the "
                "vectors into fewer dimensions, not from meaning."
            )
        show_chart(similarity_spread_chart(counts), key="explore_spread")

st.subheader("Neighbours", anchor=False)
left, right = st.columns([1, 2])
word = found or result.words[0]
left.caption("Neighbours of the word found beside the chart (or of the list's first word):")
left.text(word)
k = left.slider("How many", 1, 50, 10, key="neighbours_k")
if embedder.has_vocabulary and not result.sentences:
    try:
        neighbours = embedder.neighbours(word, k)
        scope = f"the {embedder.vocabulary_size():,} words of {embedder.title}'s vocabulary"
    except KeyError as error:
        left.warning(error.args[0] if error.args else str(error))
        neighbours = []
        scope = ""
else:
    neighbours = neighbours_within(result.words, result.vectors, word, k)
    scope = ("your list" if result.sentences else
             f"your list ({embedder.title} has no vocabulary of its own to search)")
if neighbours:
    right.caption(f"Nearest to “{word}” among {scope}, by cosine similarity of the original vectors.")
    with right:
        show_chart(neighbours_chart(neighbours), key="explore_neighbours")
    new = [w for w, _ in neighbours if w not in result.words]
    if (embedder.has_vocabulary and not result.sentences and new
            and left.button(f"Add {len(new)} neighbours to the chart", key="add_neighbours")):
        add_items(new, f"neighbours of {word}")
        st.rerun()
