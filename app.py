"""Embedding explorer: the entry point of ``streamlit run app.py``."""

import logging

import streamlit as st

from links.pages import DEFAULT_PAGE
from links.pages import PAGES as PAGE_TABLE
from projection.umap_worker import umap_worker
from ui.frame import frame_style
from ui.links import link_notes, open_link, share_box, write_link
from ui.projections import umap_status_caption
from ui.sidebar import corpus_sidebar, current_word_list, word_list_shareable, word_list_sidebar
from ui.state import PRESENTATION
from ui.uploads import vectors_sidebar

# What the app catches and turns into a message (a failed projection, a dead UMAP worker) is also logged,
# with its traceback, on the server's console; warnings and errors only (gensim says much at INFO).
logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

# A presenter's link (present=1) opens with the sidebar folded away: the projector's width goes to the picture.
st.set_page_config(page_title="Embedding explorer", page_icon=":material/explore:", layout="wide",
                   initial_sidebar_state="collapsed" if st.query_params.get("present") == "1" else "auto")

#: Pages by their name in shared links (``?page=…``), in navigation order.
PAGES = {entry.name: st.Page(entry.script, title=entry.title, icon=entry.icon, default=entry.name == DEFAULT_PAGE)
         for entry in PAGE_TABLE}
linked_page = open_link()
page = st.navigation(list(PAGES.values()))
page_name = next(name for name, candidate in PAGES.items() if candidate.url_path == page.url_path)
if linked_page not in (None, page_name):
    st.switch_page(PAGES[linked_page])  # a shared link names its page in the query, not the path
link_notes()
word_list_sidebar()
vectors_sidebar()
corpus_sidebar()
st.sidebar.toggle("Presentation mode", key=PRESENTATION, help="Large text, markers and labels, for a projector.")
frame_style()
try:
    page.run()
finally:
    # Start UMAP's worker process and its compile once per server (later calls do nothing),
    # after the page so that the first chart never competes with it for the CPU; in
    # `finally` because pages end early with st.stop().
    umap_worker.start()
    share_box(write_link(page_name, current_word_list()), word_list_shareable())
    with st.sidebar:
        umap_status_caption()
