"""Search: a query against a vector store, exact or through an HNSW index: the retrieval step of RAG."""

import numpy as np
import pandas as pd
import streamlit as st

from charts.scatter import scatter_chart
from projection import run_projection
from retrieval import INDEX_KINDS, IndexSettings, VectorIndex, recall_at_k, shared_index
from ui.common import progress_bar, vocabulary_method_picker
from ui.page_frame import ensure_app_frame
from ui.session_cache import remembered
from ui.sidebar import current_corpus
from ui.uploads import uploaded_methods

ensure_app_frame()

st.title("Similarity search")
st.caption(
    "The retrieval step of retrieval-augmented generation (RAG): the query becomes a vector, and the "
    "vectors most similar to it (cosine, original space) are looked up in a vector store. A real store "
    "uses an index such as HNSW, which walks a graph instead of comparing with every vector: far faster, "
    "at the price of missing a few neighbours. Compare both here."
)
method, embedder = vocabulary_method_picker("search_method", "to search")
vectors = embedder.keyed_vectors.vectors
words = embedder.keyed_vectors.index_to_key

query_column, k_column = st.columns([3, 1])
query = query_column.text_input("Query word", value="king", key="search_query").strip()
k = k_column.slider("Results (k)", 1, 50, 10, key="search_k")
kind = st.radio("Search", list(INDEX_KINDS), format_func=INDEX_KINDS.get, horizontal=True, key="search_kind")
settings = IndexSettings(kind)
depth = 64
if kind == "hnsw":
    left, middle, right = st.columns(3)
    links = left.select_slider("M (links per node)", [8, 16, 32, 48], value=16, key="search_links",
                               help="More links: better recall, a larger index, a slower build.")
    build_depth = middle.select_slider("efConstruction", [20, 40, 80, 160], value=40, key="search_build_depth",
                                       help="Candidates kept while building: better graph, slower build.")
    depth = right.select_slider("efSearch", [8, 16, 32, 64, 128, 256, 512], value=64, key="search_depth",
                                help="Candidates kept while searching: better recall, slower queries.")
    settings = IndexSettings("hnsw", links, build_depth)
if not query:
    st.info("Type a query word.")
    st.stop()
key = embedder.key(query)
if key not in embedder.keyed_vectors.key_to_index:
    st.warning(f"{embedder.title} has no vector for this word.")
    st.stop()
query_vector = embedder.keyed_vectors.get_vector(key)


# Vectors from the user's own file or corpus are theirs: their index stays in the session, never on disk.
private = method in uploaded_methods() or (embedder.uses_corpus and current_corpus() is not None)


def index_for(index_settings: IndexSettings) -> VectorIndex:
    """The shared model's index (built once per server and saved), or this session's for the user's own vectors."""
    report, remove = progress_bar()
    with st.spinner(f"Building the {index_settings.kind} index of {len(words):,} vectors (once)…"):
        if private:
            index = remembered("index", (method, index_settings), lambda: VectorIndex.build(vectors, index_settings, report))
        else:
            index = shared_index(method, vectors, index_settings, report)
    remove()
    return index


exact = index_for(IndexSettings("exact")).search(query_vector, k + 1)
chosen = exact if kind == "exact" else index_for(settings).search(query_vector, k + 1, depth)


def table(result) -> pd.DataFrame:
    rows = [(words[i], float(s)) for i, s in zip(result.indices[0], result.similarities[0]) if i >= 0 and words[i] != key]
    return pd.DataFrame(rows[:k], columns=["word", "cosine similarity"])


found, truth = table(chosen), table(exact)
recall = recall_at_k(found["word"].to_numpy()[None, :], truth["word"].to_numpy()[None, :])
left, right = st.columns(2)
left.subheader(INDEX_KINDS[kind].split(" (")[0])
left.caption(f"{chosen.seconds_per_query * 1000:.2f} ms for this query over {len(words):,} vectors.")
left.dataframe(found, hide_index=True, width="stretch")
right.subheader("Exact, for comparison")
right.caption(f"{exact.seconds_per_query * 1000:.2f} ms. Recall@{k} of the search on the left: {recall:.0%} "
              f"(the share of the exact top {k} it found).")
right.dataframe(truth.assign(missed=~truth["word"].isin(found["word"])), hide_index=True, width="stretch")

# The query among what was found, on a PCA map of their original vectors.
missed = [w for w in truth["word"] if w not in set(found["word"])]
shown = [key, *found["word"], *missed]
groups = ["query", *["found"] * len(found), *["missed by the index"] * len(missed)]
coords = run_projection(np.stack([embedder.keyed_vectors.get_vector(w) for w in shown]), "pca", 2).coords
st.plotly_chart(scatter_chart(coords, shown, groups, highlight=[key], title=f"“{query}” and its {k} nearest · PCA").figure,
                key="search_map")
st.caption("No language model runs here: in RAG, the items found would be pasted into the model's prompt as context.")
