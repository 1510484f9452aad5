"""Story: the guided path through embeddings, one step per screen (being written)."""

import streamlit as st

from ui.page_frame import ensure_app_frame

ensure_app_frame()
st.title("The story of embeddings")
