"""Make sure a page always runs inside app.py's frame (navigation, sidebar, layout)."""

import streamlit as st
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_frame() -> None:
    """Rerun through ``app.py`` when Streamlit ran this page file on its own.

    On a freshly started server whose first request is a page's own address
    (``/compare``), Streamlit still uses its legacy ``pages/`` folder mode and runs
    the page without ``app.py``: no sidebar word list, no page titles, no wide
    layout. ``st.navigation`` in ``app.py`` would switch that mode off, but it has not
    run yet, so switch it off here and start the run again.

    Not under AppTest, which resets that mode before every run: there the rerun
    would repeat on each run and swallow button clicks.
    """
    if PagesManager.uses_pages_directory and not config.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.rerun()
