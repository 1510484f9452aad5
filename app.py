"""Embedding explorer: the entry point of ``streamlit run app.py``."""

import streamlit as st

from projection.umap_worker import umap_worker
from ui.common import umap_status_caption
from ui.sidebar import corpus_sidebar, word_list_sidebar
from ui.uploads import vectors_sidebar

st.set_page_config(page_title="Embedding explorer", page_icon=":material/explore:", layout="wide")


pages = [
    st.Page("pages/explore.py", title="Explore", icon=":material/scatter_plot:", default=True),
    st.Page("pages/compare.py", title="Compare methods", icon=":material/view_module:"),
    st.Page("pages/arithmetic.py", title="Word arithmetic", icon=":material/calculate:"),
    st.Page("pages/inside_transformer.py", title="Inside the transformer", icon=":material/psychology:"),
    st.Page("pages/search.py", title="Similarity search", icon=":material/search:"),
    st.Page("pages/tradeoffs.py", title="What precision costs", icon=":material/compress:"),
    st.Page("pages/coordinates.py", title="Your coordinates", icon=":material/upload_file:"),
]
page = st.navigation(pages)
word_list_sidebar()
vectors_sidebar()
corpus_sidebar()
try:
    page.run()
finally:
    # Start UMAP's worker process and its compile once per server (later calls do nothing),
    # after the page so that the first chart never competes with it for the CPU; in
    # `finally` because pages end early with st.stop().
    umap_worker.start()
    with st.sidebar:
        umap_status_caption()
