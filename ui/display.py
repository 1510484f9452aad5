"""How the pages show things: charts (enlarged for a projector), user items as plain text, progress."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import streamlit as st

from charts.presentation import SCALE, enlarged
from common.progress import Progress, fraction_done
from ui.frame import picture_height
from ui.links import presentation_mode

logger = logging.getLogger(__name__)


def show_chart(figure, key: str, picture: bool = False, **options):
    """``st.plotly_chart`` of ``figure``, enlarged in presentation mode; returns what ``st.plotly_chart`` returns
    (the selection, with ``on_select``). ``picture``: the page's main chart, as tall as the frame's picture."""
    if presentation_mode():
        figure = enlarged(figure)
    if picture:
        figure.update_layout(height=picture_height())
    return st.plotly_chart(figure, key=key, **options)


def font_scale() -> float:
    """How much larger a chart builder should draw text and markers (presentation mode enlarges them), so
    that it places labels for the size they will have."""
    return SCALE if presentation_mode() else 1.0


def show_items(message: str, items: Sequence[str], kind: str = "warning") -> None:
    """A message followed by user items shown as plain text (never as Markdown or HTML)."""
    getattr(st, kind)(message)
    st.text(", ".join(items))


def progress_bar() -> tuple[Progress, Callable[[], object]]:
    """A progress bar that appears on the first report; returns the callback and a function to remove it
    (``slot.empty``, whose result is of no use)."""
    slot = st.empty()
    return (lambda fraction, message: slot.progress(fraction_done(fraction, 1.0), text=message)), slot.empty


def load_with_progress(title: str, load: Callable[[Progress], None]) -> bool:
    """Run ``load`` under a status box with a progress bar, removed once done so that it never pushes the
    picture down; False after an error, which stays on the page."""
    slot = st.empty()
    with slot.status(f"Loading {title}…", expanded=True) as status:
        bar = st.progress(0.0)
        started = time.monotonic()
        try:
            load(lambda fraction, message: bar.progress(fraction_done(fraction, 1.0), text=message))
        except Exception as error:  # any failure becomes a message, never a traceback
            status.update(label=f"Could not load {title}", state="error")
            logger.exception("Loading %s failed", title)
            st.error(f"{title} could not be loaded: {error}")
            return False
        status.update(label=f"{title} loaded in {time.monotonic() - started:.1f} s", state="complete", expanded=False)
    slot.empty()
    return True
