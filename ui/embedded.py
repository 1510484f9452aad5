"""A list's vectors for a page: loaded with progress, embedded once per session, and what followed, said."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from embedders import Embedder, EmbeddingResult
from embedders.stored import embeddable_items, preset_embedding
from inputs.wordlists import WordList
from ui.display import progress_bar, show_items
from ui.methods import embedder_for, load_embedder
from ui.session_cache import remembered
from ui.sidebar import current_corpus

EMPTY_LIST = "The list is empty: choose a preset, type some words or sentences, or upload a file in the sidebar."


@dataclass(frozen=True)
class EmbeddedList:
    """A list embedded by one method: the items that got a vector (in list order), their groups and vectors."""

    embedder: Embedder
    result: EmbeddingResult
    groups: list[str]

    @property
    def items(self) -> list[str]:
        return self.result.words

    @property
    def vectors(self) -> np.ndarray:
        return self.result.vectors


def embedded_list(name: str, word_list: WordList, brief: bool = False,
                  notes: st.delta_generator.DeltaGenerator | None = None) -> EmbeddedList | None:
    """The one way a page gets a list's vectors: load the method with progress, embed the list, and say what
    followed (an empty list, items left out, how sentences became vectors, unknown words). None when there is
    nothing to draw; the page has then said why. ``brief`` shows the messages as captions; ``notes`` is where
    they go (a frame's notes, under the picture; by default where the call is)."""
    notes = notes or st.container()
    if not word_list.items:
        notes.info(EMPTY_LIST)
        return None
    embedder = load_embedder(name)
    if embedder is None:
        return None
    result = _embed_list(name, word_list, notes)
    with notes:
        explain_embedding(embedder, result, len(word_list), brief)
    if not result.words:
        return None
    group_of = word_list.group_of()
    return EmbeddedList(embedder, result, [group_of.get(item, "") for item in result.words])


def _embed_list(name: str, word_list: WordList, notes) -> EmbeddingResult:
    """Embed a list's items with a method (loaded by ``load_embedder``), kept per method, corpus and list.

    Items that look like sentences (most have several words) are embedded as sentences, in the
    method's own way. A method with a size limit of its own embeds the first items up to it, and
    says so first. A bundled preset embedded by a shared method is stored on disk once per machine.
    """
    corpus = current_corpus()
    embedder = embedder_for(name)
    items, as_sentences = embeddable_items(embedder, word_list.items)
    if len(items) < len(word_list.items):
        notes.warning(f"{embedder.limit_note} {embedder.title} uses the first {len(items):,} of the "
                      f"{len(word_list.items):,} items; other methods use them all.")
    report, remove = progress_bar()

    def compute() -> EmbeddingResult:
        if word_list.preset:
            return preset_embedding(embedder, word_list, report)
        return (embedder.embed_sentences if as_sentences else embedder.embed)(list(items), report)

    with st.spinner(f"Embedding {len(items):,} {'sentences' if as_sentences else 'items'}…"):
        result = remembered("embedding", (name, corpus.fingerprint if corpus else None, items, as_sentences), compute)
    remove()
    return result


def explain_embedding(embedder: Embedder, result: EmbeddingResult, total: int, brief: bool = False) -> None:
    """The messages that follow from an embedding of ``total`` items: how sentences became vectors, what
    was left out, unknown or cut. ``brief`` shows them as captions (for side-by-side panels)."""
    kind = "caption" if brief else "warning"
    if result.sentences:
        st.caption(embedder.sentence_note)
    if result.missing:
        why = (f"none of their words has a {embedder.title} vector" if result.sentences
               else f"they are not in {embedder.title}'s vocabulary")
        show_items(f"{len(result.missing)} of {total} items are left out: {why}.", result.missing, kind=kind)
    if result.unknown_words:
        show_items(f"{len(result.unknown_words)} distinct words inside the sentences have no {embedder.title} vector "
                   "and are left out of the means:", result.unknown_words, kind="caption" if brief else "info")
    if result.cut:
        show_items(f"{len(result.cut)} items are longer than {embedder.title} reads: only their beginning counts.",
                   result.cut, kind="caption" if brief else "info")
    if result.generated:
        show_items(f"{embedder.title} never saw {len(result.generated)} of these words; it built their vectors "
                   "from character n-grams:", result.generated, kind="caption" if brief else "info")
    if not result.words:
        hint = " They look like sentences: try MiniLM." if any(" " in item for item in result.missing) else ""
        st.warning(f"Nothing to draw: none of the items has a {embedder.title} vector.{hint}")



