"""Embedding explorer: the entry point of ``streamlit run app.py``."""

import os

# Before anything imports the Hugging Face libraries: never reach for the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import streamlit as st  # noqa: E402

from projection.umap_warmup import umap_warmup, use_numba_disk_cache  # noqa: E402
from ui.common import umap_status_caption  # noqa: E402
from ui.sidebar import corpus_sidebar, word_list_sidebar  # noqa: E402

st.set_page_config(page_title="Embedding explorer", page_icon=":material/explore:", layout="wide")


@st.cache_resource(show_spinner=False)
def start_umap_warmup():
    """Start UMAP's compile once per server, so nobody waits for it on first use."""
    use_numba_disk_cache()
    umap_warmup.start()
    return umap_warmup


pages = [
    st.Page("pages/explore.py", title="Explore", icon=":material/scatter_plot:", default=True),
    st.Page("pages/compare.py", title="Compare methods", icon=":material/view_module:"),
    st.Page("pages/arithmetic.py", title="Word arithmetic", icon=":material/calculate:"),
    st.Page("pages/inside_transformer.py", title="Inside the transformer", icon=":material/psychology:"),
]
page = st.navigation(pages)
word_list_sidebar()
corpus_sidebar()
try:
    page.run()
finally:
    # After the page, so the first chart never competes with numba for the CPU;
    # in `finally` because pages end early with st.stop().
    start_umap_warmup()
    with st.sidebar:
        umap_status_caption()
