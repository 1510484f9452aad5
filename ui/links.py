"""The one place where the view state meets Streamlit: the URL's query parameters and the widgets.

A session's first run reads the link (``open_link``) and sets the widgets from it; every run
ends by reading the widgets back into a ``ViewState`` and writing it to the URL
(``write_link``). The table of which widget holds which part of the view lives here only.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

import embedders
from inputs import wordlists
from links.view import ProjectionSettings, ViewState, from_query_params, linkable_words
from ui import state as keys
from ui.state import HIGHLIGHT_KEYS, METHOD_KEYS, PROJECTION_PREFIXES, ListSource, list_source

_VIEW_KEY = "view_state"
_NOTES_KEY = "view_state_link_notes"


def open_link() -> str | None:
    """On a session's first run, set the widgets to the view its link asks for and return the page the
    link names (None without one, and on every later run: the address's own path decides then)."""
    if _VIEW_KEY in st.session_state:
        return None
    params = st.query_params.to_dict()
    view, notes = from_query_params(params, embedders.available(), wordlists.preset_names())
    _set_widgets(view, set(params))
    st.session_state[_VIEW_KEY], st.session_state[_NOTES_KEY] = view, notes
    return view.page if "page" in params else None


def current_view() -> ViewState:
    """The view as of the last finished run (the link's, before the first)."""
    return st.session_state.get(_VIEW_KEY) or ViewState()


def presentation_mode() -> bool:
    """Whether charts are drawn large, for a projector."""
    return bool(st.session_state.get(keys.PRESENTATION, current_view().presentation))


def link_notes() -> None:
    """Say once what the link asked for that could not be used (shown as plain text: links are untrusted)."""
    notes = st.session_state.pop(_NOTES_KEY, None)
    if notes:
        st.warning("This link holds settings the app cannot use; the defaults are used instead:")
        st.text("\n".join(notes))


#: Query parameter -> the projection field it sets.
_PROJECTION_PARAMS = {"projection": "method", "dims": "dims", "seed": "seed", "neighbors": "n_neighbors",
                      "min_dist": "min_dist", "metric": "metric", "perplexity": "perplexity"}


def _set_widgets(view: ViewState, asked: set[str]) -> None:
    """Set the widgets the link's parameters ``asked`` for (the others keep their own defaults)."""
    state = st.session_state
    if "method" in asked:
        for key in METHOD_KEYS.values():
            state[key] = view.method
    for param, field in _PROJECTION_PARAMS.items():
        if param in asked:
            for prefix in PROJECTION_PREFIXES.values():
                state[f"{prefix}_{field}"] = getattr(view.projection, field)
    if view.words:
        keys.choose_typed_list(view.words)
    elif "preset" in asked:
        keys.choose_preset(view.preset)
    if view.highlight:
        state[keys.FIND_WORD] = view.highlight
    if "present" in asked:
        state[keys.PRESENTATION] = view.presentation
    if "step" in asked:
        state[keys.STORY_STEP] = view.step
    if view.atlas:
        state[keys.ATLAS_CHOICE] = view.atlas


def _view_from_widgets(page: str, word_list: wordlists.WordList) -> ViewState:
    state, before = st.session_state, current_view()
    method = state.get(METHOD_KEYS[page], before.method) if page in METHOD_KEYS else before.method
    if method not in embedders.available():  # an uploaded set is one session's: a link cannot carry it
        method = before.method
    prefix = PROJECTION_PREFIXES.get(page)
    projection = before.projection
    if prefix and f"{prefix}_method" in state:
        projection = ProjectionSettings(**{field: state.get(f"{prefix}_{field}", getattr(projection, field))
                                           for field in _PROJECTION_PARAMS.values()})
    source = list_source()
    preset = state.get(keys.LIST_PRESET, before.preset) if source == ListSource.PRESET else before.preset
    words = tuple(word_list.items) if source == ListSource.TYPED and linkable_words(word_list.items) else ()
    return ViewState(page=page, method=method, projection=projection, preset=preset, words=words,
                     highlight=str(state.get(HIGHLIGHT_KEYS[page], "") or "") if page in HIGHLIGHT_KEYS else "",
                     step=int(state.get(keys.STORY_STEP, before.step)), presentation=presentation_mode(),
                     atlas=str(state.get(keys.ATLAS_CHOICE, "") or "") if page == "atlas" else "")


def write_link(page: str, word_list: wordlists.WordList) -> ViewState:
    """Read the widgets into the view, keep it for the next run and write it to the URL."""
    view = _view_from_widgets(page, word_list)
    st.session_state[_VIEW_KEY] = view
    params = view.to_query_params()
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return view


def link_to(view: ViewState) -> str:
    """A link (relative to the app's address) that opens ``view``."""
    query = urlencode(view.to_query_params())
    return f"./?{query}" if query else "./"


def share_box(view: ViewState, word_list_shareable: bool) -> None:
    """The sidebar's "Share this view" box: the full link, with Streamlit's copy button."""
    with st.sidebar.expander("Share this view"):
        base = (st.context.url or "").split("?")[0]
        query = urlencode(view.to_query_params())
        st.code(f"{base}?{query}" if query else base or "./", language=None, wrap_lines=True)
        st.caption("Copy the link with the button at its right: it opens this page with the same method, "
                   "projection, seed and list (the same seed gives the same layout).")
        if not word_list_shareable:
            st.caption("Your list comes from a file or is too long for a link, so the link holds the preset instead.")
