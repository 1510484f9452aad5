"""The view on screen as one typed object, and its round trip through a link's query parameters.

A teacher's link holds the page, the method, the projection and its settings, the list
(a preset, or the typed words when short enough), the highlighted word, the story step
and presentation mode. Anything unknown or tampered with falls back to its default,
with a note saying so; parsing never raises.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from links.pages import PAGE_NAMES
from projection.reducers import PROJECTION_METHODS, UMAP_METRICS

#: A typed list goes into a link only up to these sizes (browsers and chat apps cut long links).
MAX_LINK_WORDS = 60
MAX_LINK_CHARACTERS = 1500
MAX_WORD_CHARACTERS = 100
MAX_SEED = 2**31 - 1
MAX_STEP = 100
#: An atlas is named in a link by its folder's name only: never a path (``atlas.folder.atlas_folder`` checks again).
ATLAS_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
#: Default list: the first preset (``wordlists.DEFAULT_PRESET``), repeated to keep this module free of file I/O.
DEFAULT_PRESET = "royalty_vs_buildings"


@dataclass(frozen=True)
class ProjectionSettings:
    """How items are projected: method, dimensions, seed, and UMAP's and t-SNE's settings."""

    method: str = "pca"
    dims: int = 2
    seed: int = 0
    n_neighbors: int = 15
    min_dist: float = 0.1
    metric: str = "cosine"
    perplexity: float = 30.0

    def arguments(self) -> dict:
        """Keyword arguments of ``projection.run_projection`` (and ``ui.common.projected``)."""
        return dict(method=self.method, dims=self.dims, seed=self.seed, n_neighbors=self.n_neighbors,
                    min_dist=self.min_dist, metric=self.metric, perplexity=self.perplexity)


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link reproduces. ``words`` empty means the list is ``preset``."""

    page: str = "explore"
    method: str = "glove"
    projection: ProjectionSettings = field(default_factory=ProjectionSettings)
    preset: str = DEFAULT_PRESET
    words: tuple[str, ...] = ()
    highlight: str = ""
    step: int = 1
    presentation: bool = False
    #: The atlas the Atlas page shows ("": the most recently built).
    atlas: str = ""

    def to_query_params(self) -> dict[str, str]:
        """The link's query parameters: only what differs from the defaults, so links stay short."""
        default, params = ViewState(), {}
        for name in ("page", "method", "preset", "highlight", "atlas"):
            if getattr(self, name) != getattr(default, name):
                params[name] = str(getattr(self, name))
        if self.words and linkable_words(self.words):
            params["words"] = ",".join(self.words)
            params.pop("preset", None)
        if self.step != default.step:
            params["step"] = str(self.step)
        if self.presentation:
            params["present"] = "1"
        for name, value in _projection_params(self.projection).items():
            if value != _projection_params(default.projection)[name]:
                params[name] = value
        return params


def linkable_words(words: Sequence[str]) -> bool:
    """Whether a typed list fits in a link: few, short items without commas (the separator)."""
    return (0 < len(words) <= MAX_LINK_WORDS and sum(len(w) + 1 for w in words) <= MAX_LINK_CHARACTERS
            and all(w.strip() and "," not in w and len(w) <= MAX_WORD_CHARACTERS for w in words))


def _projection_params(settings: ProjectionSettings) -> dict[str, str]:
    return {"projection": settings.method, "dims": str(settings.dims), "seed": str(settings.seed),
            "neighbors": str(settings.n_neighbors), "min_dist": _number(settings.min_dist), "metric": settings.metric,
            "perplexity": _number(settings.perplexity)}


def _number(value: float) -> str:
    return f"{value:g}"


def from_query_params(params: Mapping[str, str | Sequence[str]], methods: Sequence[str],
                      presets: Sequence[str]) -> tuple[ViewState, list[str]]:
    """The view a link asks for, and a note for every parameter that was unknown or out of range.

    ``methods`` and ``presets`` are the valid names. A story step past the last one is the story's to clamp.
    """
    notes: list[str] = []
    default = ViewState()
    values = {key: (value[-1] if isinstance(value, (list, tuple)) else value) for key, value in params.items()}
    known = {"page", "method", "preset", "words", "highlight", "step", "present", "projection", "dims", "seed",
             "neighbors", "min_dist", "metric", "perplexity", "atlas"}
    for key in sorted(set(values) - known):
        notes.append(f"The link's parameter “{key}” is not one this app knows; it was ignored.")

    def read(key: str, default_value, parse: Callable[[str], object]):
        if key not in values:
            return default_value
        try:
            return parse(str(values[key]))
        except (ValueError, OverflowError):
            notes.append(f"The link's {key} “{str(values[key])[:40]}” is not valid here, so the default "
                         f"({default_value if default_value != '' else 'none'}) is used.")
            return default_value

    projection = ProjectionSettings(
        method=read("projection", default.projection.method, _one_of(tuple(PROJECTION_METHODS))),
        dims=read("dims", default.projection.dims, lambda v: _one_of((2, 3))(int(v))),
        seed=read("seed", default.projection.seed, _integer(0, MAX_SEED)),
        n_neighbors=read("neighbors", default.projection.n_neighbors, _integer(2, 100)),
        min_dist=read("min_dist", default.projection.min_dist, _real(0.0, 0.99)),
        metric=read("metric", default.projection.metric, _one_of(UMAP_METRICS)),
        perplexity=read("perplexity", default.projection.perplexity, _real(2.0, 100.0)),
    )
    words = read("words", (), _words)
    view = ViewState(
        page=read("page", default.page, _one_of(PAGE_NAMES)),
        method=read("method", default.method, _one_of(tuple(methods))),
        projection=projection,
        preset=read("preset", default.preset, _one_of(tuple(presets))),
        words=words,
        highlight=read("highlight", default.highlight, _short_text),
        step=read("step", default.step, _integer(1, MAX_STEP)),
        presentation=read("present", default.presentation, _flag),
        atlas=read("atlas", default.atlas, _atlas_name),
    )
    return view, notes


def _one_of(choices: tuple) -> Callable:
    def parse(value):
        if value not in choices:
            raise ValueError(value)
        return value
    return parse


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise ValueError(value)
        return number
    return parse


def _real(low: float, high: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = float(value)
        if not math.isfinite(number) or not low <= number <= high:
            raise ValueError(value)
        return number
    return parse


def _words(value: str) -> tuple[str, ...]:
    words = tuple(dict.fromkeys(w.strip() for w in value.split(",") if w.strip()))
    if not linkable_words(words):
        raise ValueError(value)
    return words


def _short_text(value: str) -> str:
    if len(value) > MAX_WORD_CHARACTERS or any(ord(c) < 32 for c in value):
        raise ValueError(value)
    return value.strip()


def _atlas_name(value: str) -> str:
    if not ATLAS_NAME.fullmatch(value) or ".." in value:
        raise ValueError(value)
    return value


def _flag(value: str) -> bool:
    if value not in ("0", "1"):
        raise ValueError(value)
    return value == "1"
