"""Search: a query against a vector store, exact or through an HNSW index: the retrieval step of RAG."""

import numpy as np
import pandas as pd
import streamlit as st

import embedders
from charts.scatter import add_query_marker, scatter_chart
from common.fingerprints import fingerprint
from inputs.wordlists import looks_like_sentences
from projection import PROJECTION_METHODS
from projection.placement import PlacementError
from retrieval import INDEX_KINDS, IndexSettings, VectorIndex, recall_at_k, shared_index
from retrieval.rag import matches, rag_prompt
from ui.display import font_scale, progress_bar, show_chart
from ui.embedded import embedded_list
from ui.frame import page_frame, picture_height
from ui.methods import picked_embedder
from ui.projections import placed_on_map, projected, projection_controls
from ui.session_cache import remembered
from ui.sidebar import current_word_list

frame = page_frame(
    "Similarity search",
    about="The retrieval step of retrieval-augmented generation (RAG): the query becomes a vector, and the "
          "vectors most similar to it (cosine, original space) are looked up in a vector store. A real store "
          "uses an index such as HNSW, which walks a graph instead of comparing with every vector: far faster, "
          "at the price of missing a few neighbours. Choose HNSW to compare both.")
word_list = current_word_list()
method, embedder = picked_embedder(frame, "search_method")
scopes = {"list": f"Your list ({len(word_list):,} items, from the sidebar)"}
if embedder.has_vocabulary and not looks_like_sentences(word_list.items):
    scopes = {"vocabulary": f"All {embedder.vocabulary_size():,} words of {embedder.title}", **scopes}
with frame.controls:
    scope = st.radio("Search over", list(scopes), format_func=scopes.get, key="search_scope",
                     help="Choose the Wikipedia passages or the sentences preset in the sidebar, or type or upload "
                          "your own sentences there, to search them.")
    query = st.text_input("Query", value="king", key="search_query", max_chars=1000).strip()
    k = st.slider("Results (k)", 1, 50, 10, key="search_k")
    if st.session_state.get("search_kind") not in INDEX_KINDS:
        st.session_state["search_kind"] = "exact"  # through the session, so that a link may set it first
    kind = st.segmented_control("Search", list(INDEX_KINDS), format_func=lambda name: INDEX_KINDS[name].split(" (")[0],
                                required=True, key="search_kind",
                                help="Exact compares the query with every vector. HNSW walks a graph of the vectors "
                                     "instead: the page then compares what it finds with exact search.")
    settings, depth = IndexSettings("exact"), 64
    if kind == "hnsw":
        with st.popover("HNSW settings", width="stretch"):
            links = st.select_slider("M (links per node)", [8, 16, 32, 48], value=16, key="search_links",
                                     help="More links: better recall, a larger index, a slower build.")
            build_depth = st.select_slider("efConstruction", [20, 40, 80, 160], value=40, key="search_build_depth",
                                           help="Candidates kept while building: better graph, slower build.")
            depth = st.select_slider("efSearch", [8, 16, 32, 64, 128, 256, 512], value=64, key="search_depth",
                                     help="Candidates kept while searching: better recall, slower queries.")
        settings = IndexSettings("hnsw", links, build_depth)
        st.caption(f"M {links}, efConstruction {build_depth}, efSearch {depth}.")
    projection_settings = projection_controls(key="search_projection")
if not query:
    frame.picture.info("Type a query.")
    st.stop()

# What is searched: the method's vocabulary, or the list's items embedded by the method.
with frame.picture:
    if scope == "vocabulary":
        labels, groups = embedder.keyed_vectors.index_to_key, None
        vectors = embedder.keyed_vectors.vectors
        query_key = embedder.key(query)
        if query_key not in embedder.keyed_vectors.key_to_index:
            st.warning(f"{embedder.title} has no vector for “{query}”." +
                       (" Search your list for a sentence." if " " in query else ""))
            st.stop()
        query_vector = embedder.keyed_vectors.get_vector(query_key)
        skip_row = embedder.keyed_vectors.key_to_index[query_key]
    else:
        embedded = embedded_list(method, word_list, brief=True, notes=frame.notes)
        if embedded is None:
            st.stop()
        labels, groups, vectors = embedded.items, embedded.groups, embedded.vectors
        query_result = (embedder.embed_sentences if embedded.result.sentences else embedder.embed)([query])
        if not query_result.words:
            st.warning(f"None of the query's words has a {embedder.title} vector, so there is nothing to compare it "
                       "with. Try other words, or MiniLM, which reads any text.")
            st.stop()
        query_vector, skip_row = query_result.vectors[0], None
        if query_vector.shape[0] != vectors.shape[1]:
            st.info(f"{embedder.title} gives a new query an axis of its own: it is equally far from every item "
                    "(similarity 0), so there is nothing to search. That is why one-hot cannot retrieve anything.")
            st.stop()

# A shared model's vocabulary or a bundled preset may have its index saved for everyone; vectors from the
# user's own file, corpus or list are theirs: their index stays in the session, never on disk.
shared = embedders.is_shared(embedder) and (scope == "vocabulary" or word_list.preset is not None)
index_name = method if scope == "vocabulary" else f"{method}-{word_list.preset}-{fingerprint(vectors)[:12]}"


def index_for(index_settings: IndexSettings) -> VectorIndex:
    """The index, built once per server and saved for shared vectors, once per session for the user's own."""
    report, remove = progress_bar()
    with st.spinner(f"Building the {index_settings.kind} index of {len(vectors):,} vectors (once)…"):
        if shared:
            index = shared_index(index_name, vectors, index_settings, report)
        else:
            index = remembered("index", (index_name, vectors, index_settings),
                               lambda: VectorIndex.build(vectors, index_settings, report))
    remove()
    if index.note:
        frame.notes.info(index.note)
    return index


with frame.picture:
    exact_result = index_for(IndexSettings("exact")).search(query_vector, k + 1)
    chosen_result = exact_result if kind == "exact" else index_for(settings).search(query_vector, k + 1, depth)
found, truth = matches(chosen_result, k, skip_row), matches(exact_result, k, skip_row)
found_rows = {m.row for m in found}
missed = [m.row for m in truth if m.row not in found_rows]

# The picture: the query on the map, among what was found (and what the index missed). The map is fitted on
# the items alone, and the query placed on it by the projection's transform: a new query moves nothing.
if scope == "vocabulary":  # 400,000 words make no map: the results alone
    shown = [m.row for m in found] + missed
    map_vectors = np.asarray(vectors[shown], dtype=np.float32)
else:  # every item
    shown = list(range(len(vectors)))
    map_vectors = vectors
with frame.picture:
    projection = projected(map_vectors, notes=frame.notes, **projection_settings.arguments())
    if projection is None:
        st.stop()
    try:
        query_point = placed_on_map(map_vectors, projection, query_vector[None, :], projection_settings).coords[0]
    except PlacementError as error:
        st.warning(f"The query cannot be placed on this map: {error}")
        st.stop()
if projection.rows is not None:  # a sampled 3-D t-SNE of a long list: only the sample is drawn
    shown = [shown[row] for row in projection.rows]
status = {m.row: "found" for m in found} | {row: "missed by the index" for row in missed}
map_name = PROJECTION_METHODS[projection.method]
chart = scatter_chart(projection.coords, [labels[i] for i in shown], [status.get(i, "not found") for i in shown],
                      highlight=[labels[m.row] for m in found], title=f"“{query}” and its {k} nearest · {map_name}",
                      height=picture_height(), font_scale=font_scale())
with frame.picture:
    show_chart(add_query_marker(chart.figure, query_point, query), key="search_map", picture=True)


def table(rows) -> pd.DataFrame:
    shown = pd.DataFrame({"rank": [m.rank for m in rows], "item": [labels[m.row] for m in rows],
                          "cosine similarity": [m.similarity for m in rows]})
    return shown.assign(group=[groups[m.row] for m in rows]) if groups and any(groups) else shown


with frame.notes:
    st.caption(f"The star is the query, placed on the items' {map_name} map by its transform (the map is fitted on "
               "the items alone and does not move). The map only approximates: the search itself compares the "
               "original vectors.")
    for note in projection.notes:
        st.caption(note)
    if kind == "exact":  # exact search is its own reference: one table
        st.caption(f"Exact search: {exact_result.seconds_per_query * 1000:.2f} ms for this query over "
                   f"{len(vectors):,} vectors.")
        st.dataframe(table(found), hide_index=True, width="stretch", key="search_results")
    else:
        recall = recall_at_k(np.array([[m.row for m in found]]), np.array([[m.row for m in truth]]))
        left, right = st.columns(2)
        left.markdown("**HNSW**")
        left.caption(f"{chosen_result.seconds_per_query * 1000:.2f} ms for this query over {len(vectors):,} vectors.")
        left.dataframe(table(found), hide_index=True, width="stretch", key="search_results")
        right.markdown("**Exact, for comparison**")
        right.caption(f"{exact_result.seconds_per_query * 1000:.2f} ms. Recall@{k} of HNSW: {recall:.0%} (the share "
                      f"of the exact top {k} it found).")
        right.dataframe(table(truth).assign(missed=[m.row not in found_rows for m in truth]), hide_index=True,
                        width="stretch", key="search_exact_results")

with frame.below, st.expander("The prompt a language model would receive", expanded=scope == "list"):
    st.caption("No language model runs here. In RAG, the items found are pasted into the model's prompt as "
               "context, and the model answers from them: retrieval decides what it gets to read.")
    st.code(rag_prompt(query, [labels[m.row] for m in found]), language=None, wrap_lines=True)
