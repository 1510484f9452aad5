"""New items on a drawn map: the box to type them in, their vectors, their place, and what was left out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from embedders import Embedder
from links.view import ProjectionSettings
from projection import ProjectionResult
from projection.placement import PlacementError
from ui.display import show_items
from ui.projections import placed_on_map

#: At most this many new items at once: each is a star with a bold label on the map.
MAX_PLACED = 20
#: The caption under a map with placed items.
HOW_PLACED = ("The map is fitted on your list alone; new items are placed by the projection's transform, so "
              "the existing points do not move.")


@dataclass(frozen=True)
class PlacedItems:
    """Items placed on a map: their labels, coordinates ``[m x dims]`` and how they were placed."""

    labels: list[str]
    coords: np.ndarray
    notes: list[str]


def placement_input(key: str) -> list[str]:
    """The "Place new items" box (controls column): one word or sentence per line, blanks and repeats dropped."""
    text = st.text_area("Place new items", key=key, height=68, max_chars=2000,
                        placeholder="One word or sentence per line",
                        help="Embedded with the same method, then placed on this map by the projection's transform "
                             "(PCA, UMAP and openTSNE each have one): the map stays as it is.")
    items = list(dict.fromkeys(" ".join(line.split()) for line in text.splitlines()))
    return [item for item in items if item]


def place_items(embedder: Embedder, items: list[str], list_items: list[str], vectors: np.ndarray,
                projection: ProjectionResult, settings: ProjectionSettings, sentences: bool) -> PlacedItems | None:
    """Embed ``items`` like the list's items (as sentences when the list holds sentences, or when an item has
    several words) and place them on the drawn map; says what could not be placed. None: nothing to draw."""
    if embedder.name == "onehot":  # its vectors exist only for the items embedded together
        st.info("One-hot gives each new item an axis of its own: it is equally far from every item on the map, "
                "so there is no place for it. Any other method can place it.")
        return None
    if len(items) > MAX_PLACED:
        st.caption(f"Only the first {MAX_PLACED} new items are placed.")
        items = items[:MAX_PLACED]
    on_map = set(list_items)
    already = [item for item in items if item in on_map or (embedder.lowercase and item.lower() in on_map)]
    if already:
        show_items("Already on the map (not placed again):", already, kind="caption")
    items = [item for item in items if item not in already]
    as_sentences = [item for item in items if sentences or " " in item]
    words = [item for item in items if item not in as_sentences]
    labels, parts, missing = [], [], []
    for chosen, embed in ((words, embedder.embed), (as_sentences, embedder.embed_sentences)):
        if chosen:
            result = embed(chosen)
            labels += result.words
            parts.append(result.vectors)
            missing += result.missing
    if missing:
        show_items(f"{embedder.title} has no vector for {len(missing)} of the new items (not placed):", missing,
                   kind="warning")
    if not labels:
        return None
    try:
        placement = placed_on_map(vectors, projection, np.vstack(parts), settings)
    except PlacementError as error:
        st.warning(f"The new items cannot be placed: {error}")
        return None
    return PlacedItems(labels, placement.coords, placement.notes)
