"""Measurements kept on this machine: JSON files in the cache folder, with the date and the core count.

What precision costs measures on the machine it runs on, and the measurements take from a second to
minutes; a page that opened empty until asked showed nothing. So every measurement is stored, and the
page opens on the last one taken here. A stored measurement is found by its fingerprint: a digest of
what was measured (the kind, the method, the settings, the vectors' shape and content), so it is only
ever shown for the same input. Files are JSON, never pickles, written under a unique temporary name
and renamed into place (a crash or two servers at once leave a whole file or the old one). A file that
cannot be read back (damaged, edited, or from an older version of this code) is ignored with a note
and measured again.

Only measurements of shared models go to disk (``embedders.is_shared``): the caller decides, and keeps
those of a user's own vectors in the session.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from common.files import write_atomically
from common.fingerprints import fingerprint
from common.progress import Progress, no_progress
from inputs.wikipedia import WIKIPEDIA_SAMPLE_FILE
from retrieval import SWEEP_DEPTHS, IndexSettings, SweepPoint, VectorIndex, efsearch_sweep, exact_ms_per_query
from tradeoffs.compression import RECALL_K, RECALL_QUERIES, Compression, storage_forms
from tradeoffs.distillation import Distillation, DistilledRow, StudentSettings
from tradeoffs.methods import SAMPLE_SIZE, MethodCost, MethodQuality, cores
from tradeoffs.scores import WORD_PAIR_SETS, ClassificationScore, WordPairScore

T = TypeVar("T")
#: Bump when what a measurement holds or how it is taken changes: older files are then measured again.
FORMAT = 1
FOLDER = "measurements"
#: The kinds of measurement this page takes.
COMPRESSION, SWEEP, METHOD = "compression", "sweep", "method"
#: A student of MiniLM trained here and measured next to MiniLM (``tradeoffs.distillation``).
DISTILLATION = "distillation"
#: Queries of the efSearch sweep (``efsearch_sweep``'s default, timed one at a time).
SWEEP_QUERIES = 200

#: About what each measurement takes on the 2-core machines this page was written on (GloVe's 50 numbers per
#: vector), by number of vectors: only a first guess, for the buttons' "about N s" on a machine that never
#: measured; afterwards the page scales the time of this machine's own stored measurement of the nearest size.
#: Measured here with other work on the same cores (load average 4 to 13; FAISS's threads suffer most):
#: sweep 8 s, 17 s, 19 s, 184 s (the HNSW build of all 400,000) and compression 58 s, 137 s, 72 s, 589 s for
#: 10,000, 50,000, 100,000 and 400,000 vectors; on a quiet machine (load 1) the 10,000 took 0.4 s and 7 s.
FIRST_GUESS_SECONDS = {
    SWEEP: {10_000: 1.0, 50_000: 8.0, 100_000: 12.0, 400_000: 90.0},
    COMPRESSION: {10_000: 25.0, 50_000: 60.0, 100_000: 70.0, 400_000: 300.0},
}
#: Each method's cost and quality (``measure_method``) the first time on a machine: the methods trained here
#: train (about 80 s each) and MiniLM embeds the 1,465 passages (one to two minutes) during it. Measured here:
#: 16 min in all at load average 12 (other work on the same two cores), 2.7 min measured again at load 7.
#: Training and measuring the student of MiniLM the first time (``measure_distillation``): about a minute on a
#: quiet machine; 4 minutes measured here at load average 10 (MiniLM's passage vectors already stored).
FIRST_GUESS_DISTILLATION_SECONDS = 120.0
FIRST_GUESS_METHOD_SECONDS = {"onehot": 10.0, "count": 60.0, "tfidf": 60.0, "word2vec-cbow": 90.0,
                              "word2vec-skipgram": 90.0, "fasttext": 100.0, "glove": 10.0, "minilm": 150.0}


@dataclass(frozen=True)
class Stored(Generic[T]):
    """A measurement and when and where it was taken: ``taken`` is the local time with its offset,
    ``cores`` those this process could use, ``seconds`` how long measuring took, ``rows`` how many
    vectors it measured (0 when that does not apply)."""

    value: T
    taken: datetime
    cores: int
    seconds: float
    rows: int = 0
    #: The system's load average over the minute before (None where the system has none): other work on the
    #: same cores slows every time measured, several times over on a busy machine.
    load: float | None = None

    def describe(self) -> str:
        """"measured on 2 May 2025 at 14:03, 2 cores (load 1.2), in 4.1 s" (for a caption)."""
        load = "" if self.load is None else f" (load {self.load:.1f})"
        return (f"measured on {day(self.taken)} at {self.taken:%H:%M}, {self.cores} core{'s' if self.cores != 1 else ''}"
                f"{load}, in {duration(self.seconds)}")


@dataclass(frozen=True)
class Found(Generic[T]):
    """What reading a stored measurement found: the measurement (None when there is none to use) and, when a
    file was there but could not be used, a note saying so."""

    stored: Stored[T] | None
    note: str = ""


def compression_key(method: str, vectors: np.ndarray, words: Sequence[str] | None) -> str:
    """The fingerprint of ``compression_table(vectors, words=words)`` with this module's settings."""
    forms = tuple(form.name for form in storage_forms(*vectors.shape))
    return fingerprint(FORMAT, COMPRESSION, method, vectors, list(words or ()), RECALL_K, RECALL_QUERIES, forms)


def sweep_key(method: str, vectors: np.ndarray, settings: IndexSettings) -> str:
    """The fingerprint of ``efsearch_sweep(vectors, settings)`` and ``exact_ms_per_query(vectors)``."""
    return fingerprint(FORMAT, SWEEP, method, vectors, settings, SWEEP_DEPTHS, SWEEP_QUERIES, RECALL_K)


def method_key(method: str) -> str:
    """The fingerprint of ``measure_method`` of a registered method as every user starts with it (its
    vectors are the same on every machine: the bundled corpus, the bundled model)."""
    return fingerprint(FORMAT, METHOD, method, SAMPLE_SIZE, WIKIPEDIA_SAMPLE_FILE, tuple(WORD_PAIR_SETS.values()))


def distillation_key(teacher: str, settings: StudentSettings = StudentSettings()) -> str:
    """The fingerprint of ``measure_distillation`` of a registered teacher (the bundled passages and model, so
    the same on every machine) with ``settings``."""
    return fingerprint(FORMAT, DISTILLATION, teacher, settings, WIKIPEDIA_SAMPLE_FILE, tuple(WORD_PAIR_SETS.values()),
                       RECALL_K)


def expected_distillation_seconds(folder: Path, teacher: str, settings: StudentSettings = StudentSettings()) -> float:
    """About how long ``measure_distillation`` takes here: its last stored time, or the first guess."""
    found = load(folder, DISTILLATION, distillation_key(teacher, settings)).stored
    return found.seconds if found else FIRST_GUESS_DISTILLATION_SECONDS


def sweep(vectors: np.ndarray, settings: IndexSettings, index: VectorIndex | None = None,
          progress: Progress = no_progress) -> tuple[list[SweepPoint], float]:
    """What ``sweep_key`` describes: HNSW's recall and time at each efSearch, and exact search's time."""
    points = efsearch_sweep(vectors, settings, queries=SWEEP_QUERIES, k=RECALL_K, index=index, progress=progress)
    return points, exact_ms_per_query(vectors, queries=SWEEP_QUERIES, k=RECALL_K)


def measure(compute: Callable[[], T], rows: int = 0) -> Stored[T]:
    """``compute()``, timed and stamped with the date and this machine's cores."""
    started = time.perf_counter()
    value = compute()
    seconds = time.perf_counter() - started
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return Stored(value, datetime.now().astimezone(), cores(), seconds, rows, load)


def path_of(folder: Path, kind: str, key: str) -> Path:
    return Path(folder) / FOLDER / f"{kind}-{key}.json"


def save(folder: Path, kind: str, key: str, stored: Stored) -> Path:
    """Write ``stored`` as the measurement of ``kind`` keyed ``key`` (a ``fingerprint``), replacing any
    earlier one atomically."""
    document = {"format": FORMAT, "kind": kind, "fingerprint": key, "taken": stored.taken.isoformat(),
                "cores": stored.cores, "seconds": stored.seconds, "rows": stored.rows, "load": stored.load,
                "value": _ENCODERS[kind](stored.value)}
    text = json.dumps(_json_safe(document), indent=1, ensure_ascii=False, allow_nan=False)
    path = path_of(folder, kind, key)
    write_atomically(path, lambda file: file.write(text.encode("utf-8")))
    return path


def load(folder: Path, kind: str, key: str) -> Found:
    """The stored measurement of ``kind`` keyed ``key``, if there is a usable one (see the module's docstring)."""
    path = path_of(folder, kind, key)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Found(None)
    except (OSError, UnicodeDecodeError):
        return Found(None, _damaged(path))
    try:
        document = json.loads(text)
        if document["format"] != FORMAT:
            return Found(None, f"The stored measurement {path.name} was taken by an older version of this page, "
                               "so it is measured again.")
        if document["kind"] != kind or document["fingerprint"] != key:
            return Found(None, _damaged(path))
        taken = datetime.fromisoformat(document["taken"])
        load = document.get("load")
        stored = Stored(_DECODERS[kind](document["value"]), taken, int(document["cores"]), float(document["seconds"]),
                        int(document.get("rows", 0)), None if load is None else float(load))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):  # json.JSONDecodeError is a ValueError
        return Found(None, _damaged(path))
    return Found(stored)


def stored_seconds(folder: Path, kind: str) -> dict[int, float]:
    """How long this machine's stored measurements of ``kind`` took, by number of vectors (the latest of each)."""
    seconds: dict[int, tuple[str, float]] = {}
    for path in (Path(folder) / FOLDER).glob(f"{kind}-*.json"):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document["format"] == FORMAT:
                rows, taken = int(document["rows"]), str(document["taken"])
                if rows not in seconds or taken > seconds[rows][0]:
                    seconds[rows] = (taken, float(document["seconds"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a damaged file says nothing about time; load() reports it where it matters
    return {rows: value for rows, (_, value) in seconds.items()}


def expected_seconds(folder: Path, kind: str, rows: int) -> float:
    """About how long measuring ``kind`` on ``rows`` vectors takes here: the time of this machine's stored
    measurement of the nearest size, scaled by size, or the first guess (``FIRST_GUESS_SECONDS``)."""
    known = stored_seconds(folder, kind) if Path(folder).exists() else {}
    known = {size: seconds for size, seconds in known.items() if size > 0}
    if known:
        nearest = min(known, key=lambda size: abs(math.log(size / max(rows, 1))))
        return known[nearest] * _guess(kind, rows) / _guess(kind, nearest)
    return _guess(kind, rows)


def expected_method_seconds(folder: Path, method: str) -> float:
    """About how long ``measure_method`` of a registered method takes here: its last stored time, or the first
    guess (``FIRST_GUESS_METHOD_SECONDS``; a minute for a method added since)."""
    found = load(folder, METHOD, method_key(method)).stored
    return found.seconds if found else FIRST_GUESS_METHOD_SECONDS.get(method, 60.0)


def day(moment: datetime) -> str:
    """"2 May 2025"."""
    return f"{moment.day} {moment:%B %Y}"


def duration(seconds: float) -> str:
    """"0.4 s", "12 s", "3 min" for a person."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


def _guess(kind: str, rows: int) -> float:
    """``FIRST_GUESS_SECONDS`` interpolated linearly between the sizes measured (and beyond the last)."""
    table = sorted(FIRST_GUESS_SECONDS[kind].items())
    sizes, seconds = [size for size, _ in table], [value for _, value in table]
    if rows >= sizes[-1]:
        return seconds[-1] * rows / sizes[-1]
    return float(np.interp(rows, sizes, seconds))


def _damaged(path: Path) -> str:
    return f"The stored measurement {path.name} could not be read (damaged or edited), so it is measured again."


def _json_safe(value: Any) -> Any:
    """NaN and infinities as null (JSON has neither); tuples as lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def _number(value: Any) -> float:
    """A stored float: null stands for NaN (a correlation with nothing to correlate)."""
    return math.nan if value is None else float(value)


def _word_pairs(items: Sequence[dict]) -> tuple[WordPairScore, ...]:
    return tuple(WordPairScore(str(item["test_set"]), _number(item["spearman"]), _number(item["pearson"]),
                               int(item["pairs"]), float(item["skipped"])) for item in items)


def _compression(value: list[dict]) -> list[Compression]:
    return [Compression(str(row["name"]), float(row["bytes_per_vector"]), float(row["recall"]),
                        float(row["seconds"]), _word_pairs(row["word_pairs"])) for row in value]


def _sweep(value: dict) -> tuple[list[SweepPoint], float]:
    points = [SweepPoint(int(point["depth"]), float(point["recall"]), float(point["ms_per_query"]))
              for point in value["points"]]
    if not points:
        raise ValueError("A sweep without points.")
    return points, float(value["exact_ms_per_query"])


def _method(value: dict) -> tuple[MethodCost, MethodQuality]:
    cost, quality = dict(value["cost"]), dict(value["quality"])
    passages = dict(quality["passages"])
    return (MethodCost(**{**cost, "load_seconds": None if cost["load_seconds"] is None else float(cost["load_seconds"])}),
            MethodQuality(str(quality["method"]), str(quality["title"]), _word_pairs(quality["word_pairs"]),
                          None if quality["analogies"] is None else float(quality["analogies"]),
                          int(quality["analogy_questions"]),
                          ClassificationScore(**{**passages, "notes": tuple(passages["notes"])})))


def _distillation(value: dict) -> Distillation:
    fields = dict(value["settings"])
    settings = StudentSettings(**{**fields, "word_ngrams": tuple(fields["word_ngrams"]),
                                  "character_ngrams": tuple(fields["character_ngrams"])})
    rows = tuple(DistilledRow(str(row["name"]), str(row["kind"]), float(row["bytes_per_vector"]),
                              float(row["recall"]), float(row["passages"]), _number(row["wordsim"]),
                              float(row["ms_per_text"])) for row in value["rows"])
    if not rows:
        raise ValueError("A distillation without rows.")
    numbers = {name: float(value[name]) for name in ("train_seconds", "start_loss", "final_loss", "chance_recall",
                                                      "passages_chance")}
    return Distillation(rows, int(value["train_passages"]), int(value["held_out_passages"]),
                        epochs=int(value["epochs"]), settings=settings, **numbers)


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    COMPRESSION: lambda table: [asdict(row) for row in table],
    SWEEP: lambda value: {"points": [asdict(point) for point in value[0]], "exact_ms_per_query": value[1]},
    METHOD: lambda value: {"cost": asdict(value[0]), "quality": asdict(value[1])},
    DISTILLATION: asdict,
}
_DECODERS: dict[str, Callable[[Any], Any]] = {COMPRESSION: _compression, SWEEP: _sweep, METHOD: _method,
                                              DISTILLATION: _distillation}
