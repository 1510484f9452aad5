"""The frame every page shares: its picture fills the first screen, the controls that change it sit beside it.

A page asks for its frame first, then fills the parts in any order (Streamlit draws a container
where it was created, whenever it is written to)::

    frame = page_frame("Explore an embedding", about="What the page shows, in a paragraph.")
    with frame.controls:
        method = method_picker()
    with frame.picture:
        show_picture(figure, key="explore_chart")
    with frame.notes:
        st.caption("What the chart leaves out.")
    # explanations and secondary sections follow below the frame

``frame.picture`` is a wide column at the left (it holds the chart, the tokens, the map, and the
progress of anything that must run before it); ``frame.controls`` a narrow column at its right;
``frame.notes`` the space under the picture, for messages about what is drawn; ``frame.below`` the full
width under both columns (what a page writes after its frame lands there too, but code running inside
``with frame.picture`` needs the handle). On a narrow window Streamlit stacks the columns, picture first.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit import config
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.pages_manager import PagesManager

from ui.links import presentation_mode

#: Height in px of a page's main chart: it fills a 1280 x 720 projector below the heading in
#: presentation mode (whose larger controls sit beside it), and most of a 1440 x 900 laptop screen.
PICTURE_HEIGHT = 620
PICTURE_HEIGHT_PRESENTING = 540
#: Width of the picture column against the controls column.
PICTURE_SHARE = 2.8
CONTROLS_SHARE = 1.0

# Streamlit has no setting for its page padding or text size: style rules are the only way. The
# main block's padding shrinks from about 6 rem (top) and 5 rem (sides) to what clears the header bar.
_STYLE = """<style>
[data-testid='stMainBlockContainer'] { padding: 3.2rem 1.5rem 2rem 1.5rem; }
.st-key-page_heading h3 { padding-top: 0; padding-bottom: 0.25rem; }
</style>"""
_PRESENTATION_STYLE = """<style>
.stApp, .stApp p, .stApp li, .stApp label { font-size: 1.3rem; }
</style>"""


@dataclass(frozen=True)
class Frame:
    """The parts of a page's first screen (see the module's docstring)."""

    picture: DeltaGenerator
    controls: DeltaGenerator
    notes: DeltaGenerator
    below: DeltaGenerator


def frame_style() -> None:
    """The style rules of the frame (and of presentation mode); once per run, from ``app.py``."""
    st.html(_STYLE + (_PRESENTATION_STYLE if presentation_mode() else ""))


def page_frame(title: str, about: str) -> Frame:
    """A one-line heading (``about`` in its help tooltip), then the picture column and the controls column.

    Called first by every page: it makes sure the page runs inside ``app.py`` (``ensure_app_frame``).
    """
    ensure_app_frame()
    with st.container(key="page_heading"):
        st.subheader(title, help=about, anchor=False)
    picture_column, controls_column = st.columns([PICTURE_SHARE, CONTROLS_SHARE], gap="medium")
    picture = picture_column.container(key="picture")
    notes = picture_column.container()
    return Frame(picture, controls_column.container(), notes, st.container())


def picture_height() -> int:
    """The height of a page's main chart in the current mode."""
    return PICTURE_HEIGHT_PRESENTING if presentation_mode() else PICTURE_HEIGHT


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
