"""What precision costs: one method's vectors stored smaller, and the neighbours they keep."""

import pandas as pd
import plotly.express as px
import streamlit as st

from tradeoffs import compression_table
from tradeoffs.compression import RECALL_K, RECALL_QUERIES
from ui.common import progress_bar, vocabulary_method_picker
from ui.page_frame import ensure_app_frame
from ui.session_cache import remembered
from ui.sidebar import current_corpus

ensure_app_frame()

SIZES = [10_000, 50_000, 100_000, None]

st.title("What precision costs")
st.caption(
    "Every number of a vector takes 4 bytes at full precision. Stored with fewer bits, a vector store "
    "holds more and searches faster, but finds slightly different neighbours. Here: bytes per vector, "
    f"and recall@{RECALL_K}, the share of each word's {RECALL_K} nearest neighbours at full precision "
    f"(cosine) that the smaller vectors still find, over {RECALL_QUERIES} random words."
)
method, embedder = vocabulary_method_picker("tradeoffs_method", "to compress")
vectors = embedder.keyed_vectors.vectors
size = st.select_slider("Words", SIZES, value=SIZES[0], key="tradeoffs_size",
                        format_func=lambda n: f"all {len(vectors):,}" if n is None else f"the first {n:,}",
                        help="More words: a harder search, and slower to measure (all of GloVe: about a minute).")
subset = vectors if size is None else vectors[:size]
st.caption(f"{len(subset):,} vectors of {subset.shape[1]} numbers: {subset.nbytes / 2**20:,.1f} MB at full precision.")
if not st.toggle("Measure", key="tradeoffs_run"):
    st.info("Switch on Measure: each way of storing is built and searched, from a few seconds to a minute "
            "(once per method and size in your session).")
    st.stop()
report, remove = progress_bar()
corpus = current_corpus()  # a method trained on the user's own corpus has other vectors
table = remembered("compression", (method, corpus.fingerprint if corpus else None, len(subset)),
                   lambda: compression_table(subset, progress=report))
remove()
frame = pd.DataFrame([(c.name, c.bytes_per_vector, c.bytes_per_vector * len(subset) / 2**20, c.recall, c.seconds)
                      for c in table], columns=["stored as", "bytes per vector", "MB in all", f"recall@{RECALL_K}",
                                                "seconds to build and search"])
st.dataframe(frame, hide_index=True, width="stretch",
             column_config={f"recall@{RECALL_K}": st.column_config.ProgressColumn(format="percent", min_value=0,
                                                                                   max_value=1)})
figure = px.scatter(frame, x="bytes per vector", y=f"recall@{RECALL_K}", text="stored as", log_x=True,
                    range_y=[0, 1.05], height=420)
figure.update_traces(textposition="top center")
st.plotly_chart(figure, key="tradeoffs_chart")
st.caption("Up and to the left is better. Quantizers from FAISS, PCA from scikit-learn; the neighbours at full "
           f"precision are exact. Memory in all is for these {len(subset):,} vectors alone, without the words.")
