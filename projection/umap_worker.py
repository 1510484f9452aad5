"""UMAP runs in a worker process of its own, warmed up when the server starts.

numba compiles UMAP's code for tens of seconds on first use and holds the
interpreter while it does; in the server process that stalled every other
session (their first chart went from 4.4 s to 8-9 s). In a separate process the
compile costs the server nothing but a share of the CPU, and the worker stays
warm: a user's first UMAP runs at steady-state speed. The warm-up fits a small
UMAP through the same code path, types and precomputed neighbours as a real one,
and places a few points on it (``projection.placement``), so no later fit or
placement compiles anything, whatever its size. The warm-up runs at the lowest
priority, so that sessions opened meanwhile hardly notice it. The worker also keeps
the models placements refitted, so a map's next placement costs only the transform.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import threading
import time
import types
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from projection.placement import place_with_umap
from projection.reducers import run_projection, use_numba_disk_cache

logger = logging.getLogger(__name__)

#: Points in the warm-up fit: more than UMAP's small-graph cases (spectral start needs > 10).
WARMUP_POINTS = 300
#: Points the warm-up places on its map, so that a user's first placement compiles nothing either.
WARMUP_PLACED = 5
#: The warm-up's niceness (Linux: 0 normal, 19 the lowest priority). It runs in a thread of its own at
#: this priority, so that the server's sessions and their browsers go first on a busy machine and the
#: compile takes only the CPU they leave; the worker's later fits run at normal priority.
WARMUP_NICENESS = 19


def warm_up() -> None:
    """Fit a small UMAP on random data in 2-D and 3-D: compiles (or loads) every numba function a fit uses.

    Runs in a thread at ``WARMUP_NICENESS`` (imports and compiling happen there); the calling thread's
    own priority stays as it was (an unprivileged process could not raise it back).
    """
    use_numba_disk_cache()  # before numba's import
    import numba

    # numba's thread pool (parallel steps of real fits) starts here, not in the warm-up's low-priority thread.
    numba.get_num_threads()
    failure: list[BaseException] = []

    def fit() -> None:
        try:
            _lower_this_thread_priority(WARMUP_NICENESS)
            points = np.random.default_rng(0).normal(size=(WARMUP_POINTS, 16)).astype(np.float32)
            for dims in (2, 3):
                drawn = run_projection(points, "umap", dims)
            # A placement's transform compiles functions of its own: once here, on the 3-D map just drawn.
            place_with_umap(points, drawn.coords, points[:WARMUP_PLACED] + 0.5, 3, 0)
        except BaseException as error:  # handed to the caller: the warm-up's future fails with it
            failure.append(error)

    thread = threading.Thread(target=fit, name="umap-warm-up")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def _lower_this_thread_priority(niceness: int) -> None:
    """Make the calling thread (only it, and threads it starts) ``niceness`` nicer, where the OS allows."""
    if not sys.platform.startswith("linux"):  # elsewhere the niceness belongs to the whole process
        return
    with contextlib.suppress(OSError):
        thread_id = threading.get_native_id()  # on Linux, PRIO_PROCESS of a thread id is that thread's
        os.setpriority(os.PRIO_PROCESS, thread_id, max(os.getpriority(os.PRIO_PROCESS, thread_id), niceness))


#: How often the worker checks that the server that started it is still running.
PARENT_CHECK_SECONDS = 2.0


def _exit_with_parent(parent_pid: int) -> None:
    """In the worker: exit as soon as the server process is gone.

    A pool's worker holds both ends of its task queue, so it never sees the server
    die; when the server is killed rather than shut down (Ctrl-C twice, SIGTERM) it
    would wait forever, holding half a gigabyte (seen after benchmark runs).
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="exit-with-server").start()


@contextlib.contextmanager
def _bare_main():
    """While a worker starts, ``__main__`` is an empty module.

    A spawned process first re-runs the parent's ``__main__``; under Streamlit that
    is the app script itself, which would then draw the whole app in the worker.
    """
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved


def _started_executor() -> tuple[ProcessPoolExecutor, Future]:
    """A one-process pool whose process has started on the warm-up; the warm-up's future."""
    # spawn, not fork: the server has threads and may hold torch, which must not be forked.
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_exit_with_parent, initargs=(os.getpid(),))
    with _bare_main():
        warmed = executor.submit(warm_up)  # the pool starts its process on the first submit
    return executor, warmed


class UmapWorker:
    """The one UMAP worker process of this server, and the state of its warm-up."""

    def __init__(self) -> None:
        self.state = "not started"  # -> "compiling" -> "ready" | "failed"
        self.error: str | None = None
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self._executor: ProcessPoolExecutor | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()

    def elapsed(self) -> float:
        """Seconds the warm-up has taken so far (or in total, once finished)."""
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.monotonic()) - self.started_at

    def start(self) -> None:
        """Start the worker process and its warm-up; later calls do nothing."""
        with self._lock:
            if self.state != "not started":
                return
            self.state = "compiling"
            self.started_at = time.monotonic()
            self._executor, warmed = _started_executor()
        warmed.add_done_callback(self._warmed)

    def _warmed(self, future: Future) -> None:
        error = future.exception()
        if error is None:
            self.state = "ready"
        else:  # shown in the app; UMAP then fails with the same cause when used
            logger.error("The UMAP worker's warm-up failed", exc_info=error)
            self.error = f"{type(error).__name__}: {error}"
            self.state = "failed"
        self.finished_at = time.monotonic()
        self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the warm-up has finished; True when it did in time."""
        return self._done.wait(timeout)

    def submit(self, vectors: np.ndarray, dims: int, seed: int, **options) -> Future:
        """Run ``run_projection(vectors, "umap", dims, seed, **options)`` in the worker; a future of its result."""
        return self._submit(run_projection, vectors, "umap", dims, seed, **options)

    def submit_placement(self, vectors: np.ndarray, coords: np.ndarray, new_vectors: np.ndarray, dims: int,
                         seed: int, **options) -> Future:
        """Place ``new_vectors`` on the UMAP map ``coords`` of ``vectors`` in the worker, by the model that drew
        it (``projection.placement.place_with_umap``: kept there per vectors and settings); a future of the
        new coordinates."""
        return self._submit(place_with_umap, vectors, coords, new_vectors, dims, seed, **options)

    def _submit(self, function, *args, **options) -> Future:
        self.start()
        executor = self._executor
        if executor is None:  # an earlier start() failed to create the pool (its error went to that caller)
            raise RuntimeError("The UMAP worker process could not be started.")
        try:
            return executor.submit(function, *args, **options)
        except BrokenProcessPool:  # the worker died (e.g. killed for memory): start a new one, once
            return self._restarted(executor).submit(function, *args, **options)

    def _restarted(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """A new worker in place of ``broken``, warmed up like the first (its state and error reported the
        same way). Sessions that find the same dead worker at once share the one that the first starts."""
        with self._lock:
            if self._executor is broken:
                logger.warning("The UMAP worker process died; starting a new one.")
                broken.shutdown(wait=False)
                self.state, self.error = "compiling", None
                self.started_at, self.finished_at = time.monotonic(), None
                self._done.clear()
                self._executor, warmed = _started_executor()
                warmed.add_done_callback(self._warmed)
            executor = self._executor
        assert executor is not None  # set by start() before any submit reaches here, and never unset
        return executor


umap_worker = UmapWorker()
