"""Progress reports from slow work: a callback taking a fraction in [0, 1] and a short message."""

from __future__ import annotations

from collections.abc import Callable

#: Called with a fraction in [0, 1] and a short message while something slow runs. What it returns is
#: ignored (``object``), so a lambda around e.g. ``st.progress(...).progress`` is one.
Progress = Callable[[float, str], object]


def no_progress(fraction: float, message: str) -> None:
    """A progress callback that ignores its reports."""


def fraction_done(done: float, total: float) -> float:
    """``done / total`` kept in [0, 1]: a last batch may overshoot, and an empty total counts as done."""
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, done / total))


def part_of(progress: Progress, start: float, end: float) -> Progress:
    """``progress`` for one part of a longer job: its fractions 0 to 1 reported as ``start`` to ``end``."""
    return lambda fraction, message: progress(start + (end - start) * fraction, message)
