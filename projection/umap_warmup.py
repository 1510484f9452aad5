"""Compile UMAP's numba code in the background when the server starts.

A fresh process spends 10 to 30 s importing umap and compiling it on its first
fit. Starting that at server start, in a thread, means the first user to pick
UMAP usually finds it ready, and the page can show how far it got meanwhile.
"""

from __future__ import annotations

import threading
import time


class UmapWarmup:
    """State of the one background UMAP warm-up of this process."""

    def __init__(self) -> None:
        self.state = "not started"  # -> "compiling" -> "ready" | "failed"
        self.error: str | None = None
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    def elapsed(self) -> float:
        """Seconds spent so far (or in total, once finished)."""
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.monotonic()) - self.started_at

    def start(self) -> None:
        """Begin compiling in a daemon thread; later calls do nothing."""
        with self._lock:
            if self.state != "not started":
                return
            self.state = "compiling"
            self.started_at = time.monotonic()
        threading.Thread(target=self._run, name="umap-warmup", daemon=True).start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the warm-up has finished; True when it did in time."""
        return self._done.wait(timeout)

    def _run(self) -> None:
        try:
            import numpy as np

            from projection.reducers import run_projection

            points = np.random.default_rng(0).normal(size=(40, 8))
            run_projection(points, "umap", dims=2, n_neighbors=5)
            self.state = "ready"
        except Exception as error:  # shown in the app; UMAP then fails with the same cause when used
            self.error = f"{type(error).__name__}: {error}"
            self.state = "failed"
        finally:
            self.finished_at = time.monotonic()
            self._done.set()


umap_warmup = UmapWarmup()
