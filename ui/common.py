"""Streamlit helpers shared by the pages: loading with progress, cached work, safe text."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import streamlit as st

import embedders
from charts.presentation import enlarged
from embedders import Embedder, EmbeddingResult, Progress
from embedders.stored import stored_embedding
from embedders.uploaded import UPLOADED_PREFIX
from projection import (
    PROJECTION_METHODS,
    UMAP_METRICS,
    UMAP_MIN_POINTS,
    NeighbourGraph,
    ProjectionResult,
    graph_k,
    neighbour_graph,
    plan_projection,
    run_projection,
)
from projection.quality import original_metric
from projection.reducers import expected_umap_seconds
from projection.umap_worker import umap_worker
from ui.session_cache import remembered
from ui.sidebar import current_corpus
from ui.uploads import session_uploads, uploaded_methods
from ui.view_state import presentation_mode
from view_state import ProjectionSettings
from wordlists import WordList, looks_like_sentences

DEFAULT_METHOD = "glove"


def method_titles() -> dict[str, str]:
    """Every method this session can use, name -> title: the registered ones, then its own uploaded sets.

    Pass ``.get`` of it as a widget's ``format_func``: a plain lookup that needs no session.
    """
    return {name: method_title(name) for name in embedders.available() + list(uploaded_methods())}


def method_title(name: str) -> str:
    """The display title of a registered or uploaded method."""
    uploaded = uploaded_methods().get(name)
    if uploaded:
        return uploaded.title
    if name.startswith(UPLOADED_PREFIX):
        return "A vectors file you removed"  # still named by results kept from before
    return embedders.title(name)


def method_picker(label: str = "Embedding method", key: str = "method", default: str = DEFAULT_METHOD) -> str:
    """A select box over every method of this session; a vectors file just uploaded comes selected."""
    titles = method_titles()
    names = list(titles)
    uploads = session_uploads()
    if uploads.just_added in names:
        st.session_state[key], uploads.just_added = uploads.just_added, None
    elif st.session_state.get(key) not in names:
        st.session_state[key] = default  # first run, or an uploaded set the user has removed
    # The value comes through the session only, never an index argument: a widget whose arguments
    # change between runs is a new widget to Streamlit, and a new one would start empty.
    return st.selectbox(label, names, index=None, format_func=titles.get, key=key)


def vocabulary_method_picker(key: str, purpose: str) -> tuple[str, Embedder]:
    """A method picker for pages that work on a whole vocabulary; stops the page, saying why, for a
    method without one (``purpose`` says what for, e.g. "to search") or that failed to load."""
    method = method_picker(key=key)
    embedder = load_embedder(method)
    if embedder is None:
        st.stop()
    if not embedder.has_vocabulary:
        st.info(f"{embedder.title} has no vocabulary of its own {purpose}: choose GloVe, Word2Vec, FastText "
                "or your own vectors.")
        st.stop()
    return method, embedder


def projection_controls(key: str = "projection") -> ProjectionSettings:
    """Projection method, dimensions, seed and method options, as one typed value.

    Widget values start from the defaults through the session (not widget arguments), so that a
    shared link can set them first without Streamlit warning about two sources.
    """
    for name, value in asdict(ProjectionSettings()).items():
        if st.session_state.get(f"{key}_{name}") is None:
            st.session_state[f"{key}_{name}"] = value
    columns = st.columns([2, 1, 1])
    method = columns[0].segmented_control("Projection", list(PROJECTION_METHODS), format_func=PROJECTION_METHODS.get,
                                          required=True, key=f"{key}_method")
    dims = columns[1].segmented_control("Dimensions", [2, 3], format_func=lambda d: f"{d}D", required=True,
                                        key=f"{key}_dims")
    seed = columns[2].number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, key=f"{key}_seed")
    with st.expander("UMAP and t-SNE settings"):
        left, right = st.columns(2)
        n_neighbors = left.slider("UMAP n_neighbors", 2, 100, key=f"{key}_n_neighbors",
                                  help="How many neighbours shape each point's local picture.")
        min_dist = left.slider("UMAP min_dist", 0.0, 0.99, step=0.01, key=f"{key}_min_dist",
                               help="How tightly UMAP may pack points together.")
        metric = right.selectbox("UMAP metric", UMAP_METRICS, key=f"{key}_metric")
        perplexity = right.slider("t-SNE perplexity", 2.0, 100.0, step=1.0, key=f"{key}_perplexity",
                                  help="Roughly, how many neighbours t-SNE balances; must be below the number of points.")
    return ProjectionSettings(method, dims, int(seed), n_neighbors, min_dist, metric, perplexity)


def embedder_for(name: str) -> Embedder:
    """This session's uploaded set ``name``, or the shared embedder, trained on the sidebar's corpus if it learns from one."""
    uploaded = uploaded_methods().get(name)
    return uploaded if uploaded else embedders.get(name, corpus=current_corpus())


def load_with_progress(title: str, load: Callable[[Progress], None], expanded: bool = True) -> bool:
    """Run ``load`` under a status box with a progress bar; False after an error shown on the page."""
    with st.status(f"Loading {title}…", expanded=expanded) as status:
        bar = st.progress(0.0)
        started = time.monotonic()
        try:
            load(lambda fraction, message: bar.progress(min(max(fraction, 0.0), 1.0), text=message))
        except Exception as error:  # any failure becomes a message, never a traceback
            status.update(label=f"Could not load {title}", state="error")
            st.error(f"{title} could not be loaded: {error}")
            return False
        status.update(label=f"{title} loaded in {time.monotonic() - started:.1f} s", state="complete", expanded=False)
    return True


def load_embedder(name: str) -> Embedder | None:
    """The shared embedder, loaded (or trained) with visible progress; None after an error shown on the page."""
    embedder = embedder_for(name)
    if embedder.loaded or load_with_progress(embedder.title, embedder.load, expanded=embedder.slow_to_load):
        return embedder
    return None


def _embed_list(name: str, word_list: WordList) -> EmbeddingResult:
    """Embed a list's items with a method (loaded by ``load_embedder``), kept per method, corpus and list.

    Items that look like sentences (most have several words) are embedded as sentences, in the
    method's own way. A method with a size limit of its own embeds the first items up to it, and
    says so first. A bundled preset embedded by a shared method is stored on disk once per machine.
    """
    corpus = current_corpus()
    embedder = embedder_for(name)
    items = tuple(word_list.items)
    if embedder.max_items is not None and len(items) > embedder.max_items:
        st.warning(f"{embedder.limit_note} {embedder.title} uses the first {embedder.max_items:,} of the "
                   f"{len(items):,} items; other methods use them all.")
        items = items[: embedder.max_items]
    as_sentences = looks_like_sentences(items)
    embed = embedder.embed_sentences if as_sentences else embedder.embed
    report, remove = progress_bar()

    def compute() -> EmbeddingResult:
        if word_list.preset:
            return stored_embedding(embedder, word_list.preset, items, as_sentences, lambda: embed(list(items), report))
        return embed(list(items), report)

    with st.spinner(f"Embedding {len(items):,} {'sentences' if as_sentences else 'items'}…"):
        result = remembered("embedding", (name, corpus.fingerprint if corpus else None, items, as_sentences), compute)
    remove()
    return result


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


def embedded_list(name: str, word_list: WordList, brief: bool = False) -> EmbeddedList | None:
    """The one way a page gets a list's vectors: load the method with progress, embed the list, and say what
    followed (an empty list, items left out, how sentences became vectors, unknown words). None when there is
    nothing to draw; the page has then said why. ``brief`` shows the messages as captions."""
    if not word_list.items:
        st.info(EMPTY_LIST)
        return None
    embedder = load_embedder(name)
    if embedder is None:
        return None
    result = _embed_list(name, word_list)
    explain_embedding(embedder, result, len(word_list), brief)
    if not result.words:
        return None
    group_of = word_list.group_of()
    return EmbeddedList(embedder, result, [group_of.get(item, "") for item in result.words])


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


def progress_bar() -> tuple[Progress, Callable[[], None]]:
    """A progress bar that appears on the first report; returns the callback and a function to remove it."""
    slot = st.empty()
    return (lambda fraction, message: slot.progress(min(max(fraction, 0.0), 1.0), text=message)), slot.empty


def shared_graph(vectors: np.ndarray, k: int) -> NeighbourGraph:
    """The list's neighbour graph (cosine; euclidean when a vector is all zeros), computed once per list."""
    metric = original_metric(vectors)
    report, remove = progress_bar()
    graph = remembered("graph", (vectors, k, metric), lambda: neighbour_graph(vectors, k, metric, progress=report))
    remove()
    return graph


def _projection(vectors: np.ndarray, method: str, dims: int, seed: int, options: dict,
                graph: NeighbourGraph | None, progress: Progress) -> ProjectionResult:
    if method == "umap" and len(vectors) >= UMAP_MIN_POINTS:
        return _umap_in_worker(vectors, dims, seed, options, graph, progress)
    return run_projection(vectors, method, dims, seed, graph=graph, progress=progress, **options)


def _umap_in_worker(vectors, dims, seed, options, graph, progress) -> ProjectionResult:
    """UMAP in the worker process, with a progress bar estimated from this machine's measured speed."""
    if graph is not None and graph.k >= options.get("n_neighbors", 15):
        graph = graph.nearest(options.get("n_neighbors", 15))  # send only what UMAP uses
    future = umap_worker.submit(vectors, dims, seed, graph=graph, **options)
    expected = expected_umap_seconds(len(vectors))
    started = time.monotonic()
    while not future.done():
        elapsed = time.monotonic() - started
        progress(min(0.95, elapsed / expected), f"UMAP on {len(vectors):,} points: {elapsed:.0f} s of about {expected:.0f} s")
        time.sleep(0.25)
    return future.result()


def projected(vectors: np.ndarray, method: str, dims: int, seed: int, **options) -> ProjectionResult | None:
    """Cached projection over the list's shared neighbour graph, with progress and any sampling said first.

    None after an error shown on the page.
    """
    for note in plan_projection(len(vectors), method, dims):
        st.info(note)
    if method == "umap" and len(vectors) >= UMAP_MIN_POINTS:
        wait_for_umap()
    try:
        graph = None
        if method != "pca" and len(vectors) > 2:
            graph = shared_graph(vectors, graph_k(method, options.get("n_neighbors", 15), options.get("perplexity", 30.0)))
        report, remove = progress_bar()
        with st.spinner(f"Projecting {len(vectors):,} points with {PROJECTION_METHODS[method]}…"):
            result = remembered("projection", (vectors, method, dims, seed, sorted(options.items())),
                                lambda: _projection(vectors, method, dims, seed, options, graph, report))
        remove()
        return result
    except Exception as error:
        st.error(f"The {PROJECTION_METHODS[method]} projection failed: {error}")
        return None


def wait_for_umap() -> None:
    """Show the UMAP worker's warm-up until it is done (at most two minutes)."""
    umap_worker.start()
    if umap_worker.wait(0):
        return
    with st.status("UMAP is compiling its code, once per server start…", expanded=True) as status:
        line = st.empty()
        deadline = time.monotonic() + 120
        while not umap_worker.wait(0.5) and time.monotonic() < deadline:
            line.text(f"{umap_worker.elapsed():.0f} s so far; this usually takes 10 to 40 s.")
        status.update(label=f"UMAP compiled in {umap_worker.elapsed():.0f} s", state="complete", expanded=False)


def umap_status_caption() -> None:
    """One line about the background UMAP compile, for the sidebar; live while it compiles."""
    if umap_worker.state == "compiling":
        _live_umap_status()
    elif umap_worker.state == "ready":
        st.caption(f"UMAP is ready (compiled in {umap_worker.elapsed():.0f} s).")
    elif umap_worker.state == "failed":
        st.caption(f"UMAP could not start: {umap_worker.error}")


@st.fragment(run_every=2)
def _live_umap_status() -> None:
    if umap_worker.state != "compiling":
        st.rerun()  # once, to swap the live line for the final one
    st.caption(f"UMAP is compiling in the background ({umap_worker.elapsed():.0f} s); PCA and t-SNE work meanwhile.")


def show_chart(figure, key: str, **options):
    """``st.plotly_chart`` of ``figure``, enlarged in presentation mode; returns what ``st.plotly_chart`` returns
    (the selection, with ``on_select``)."""
    if presentation_mode():
        figure = enlarged(figure)
    return st.plotly_chart(figure, key=key, **options)


def show_items(message: str, items: Sequence[str], kind: str = "warning") -> None:
    """A message followed by user items shown as plain text (never as Markdown or HTML)."""
    getattr(st, kind)(message)
    st.text(", ".join(items))
