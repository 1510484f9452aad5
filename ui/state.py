"""The session-state keys that more than one module reads or writes, and typed access to them.

Every other key belongs to the one module that uses it. Widgets take these keys as their ``key=``,
so a shared link (``ui.links``) can set a widget before it is drawn.
"""

from __future__ import annotations

from enum import StrEnum

import streamlit as st


class ListSource(StrEnum):
    """Where the sidebar's word list comes from (the value is the radio button's label)."""

    PRESET = "Preset"
    TYPED = "Type a list"
    FILE = "Upload a file"
    VECTORS = "My vectors"  # offered once the session holds an uploaded vectors file


# The sidebar's word list.
LIST_SOURCE = "word_list_source"
LIST_PRESET = "word_list_preset"
LIST_TEXT = "word_list_text"
# Explore's "Find a word", the story's step and presentation mode, all carried by links.
FIND_WORD = "find_word"
STORY_STEP = "story_step"
PRESENTATION = "presentation_mode"
# The Atlas page's chosen atlas, carried by links.
ATLAS_CHOICE = "atlas_choice"
#: Widget keys, by page, of the method picker and the projection controls' prefix.
METHOD_KEYS = {"explore": "method", "arithmetic": "arithmetic_method", "search": "search_method",
               "tradeoffs": "tradeoffs_method"}
PROJECTION_PREFIXES = {"explore": "projection", "compare": "compare_projection"}
HIGHLIGHT_KEYS = {"explore": FIND_WORD}


def list_source() -> ListSource:
    """The word list's source as chosen in the sidebar (a preset until then)."""
    value = st.session_state.get(LIST_SOURCE)
    return ListSource(value) if value is not None else ListSource.PRESET


def choose_preset(name: str) -> None:
    """Make the sidebar's list the preset ``name`` (before the sidebar is drawn)."""
    st.session_state[LIST_SOURCE], st.session_state[LIST_PRESET] = ListSource.PRESET, name


def choose_typed_list(items: list[str] | tuple[str, ...]) -> None:
    """Make the sidebar's list these typed items (before the sidebar is drawn)."""
    st.session_state[LIST_SOURCE], st.session_state[LIST_TEXT] = ListSource.TYPED, "\n".join(items)
