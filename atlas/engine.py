"""The distributed engine an atlas build runs its batches on: Dask ``distributed``.

Locally (the default) a ``LocalCluster`` of one single-threaded worker process per core; with an address, a
running Dask scheduler of any size, with no change to the code (its workers need this repository on their
path and the same Python packages). Dask's workers are long-lived processes, so a method's model, loaded by
``embedders.get`` on a worker's first batch, stays loaded for every later batch of that worker. The workers
it starts have one OMP/MKL/OpenBLAS thread (Dask's default) and one numba thread (set here), so that workers
x threads never exceeds the cores.

Why Dask rather than Ray: see the README ("Atlases") and ``bench/atlas.py``, which measures both here.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from common.progress import Progress, fraction_done

#: Batches in flight per worker: enough to keep every worker busy, few enough that the client never holds
#: (or sends) the whole input at once.
BATCHES_IN_FLIGHT_PER_WORKER = 2


@dataclass
class Engine:
    """A connected Dask client and what it runs on (for the atlas's record)."""

    client: Any
    address: str
    workers: int

    def describe(self) -> dict[str, Any]:
        import dask
        import distributed

        return {"name": "dask", "version": dask.__version__, "distributed": distributed.__version__,
                "address": self.address, "workers": self.workers, "threads_per_worker": 1 if self.address == "local"
                else None}

    def share(self, value: Any) -> Any:
        """``value`` sent once to every worker (a fitted model, centroids); pass the result to ``run``'s function."""
        return self.client.scatter(value, broadcast=True)

    def run(self, function: Callable[..., Any], batches: Sequence[Any], progress: Progress, doing: str,
            *shared: Any) -> Iterator[tuple[int, Any]]:
        """``function(*shared, batch)`` for every batch on the workers, yielding ``(batch number, result)`` as each
        finishes (in any order), with at most ``BATCHES_IN_FLIGHT_PER_WORKER`` batches per worker submitted."""
        from distributed import as_completed

        total = len(batches)
        window = max(1, self.workers * BATCHES_IN_FLIGHT_PER_WORKER)
        numbers: dict[str, int] = {}
        submitted = 0

        def submit() -> Any:
            nonlocal submitted
            future = self.client.submit(function, *shared, batches[submitted], pure=False)
            numbers[future.key] = submitted
            submitted += 1
            return future

        pending = as_completed([submit() for _ in range(min(window, total))], with_results=True)
        progress(0.0, f"{doing}: 0 of {total:,} batches")
        for finished, (future, result) in enumerate(pending, start=1):
            progress(fraction_done(finished, total), f"{doing}: {finished:,} of {total:,} batches")
            if submitted < total:
                pending.add(submit())
            yield numbers.pop(future.key), result


@contextlib.contextmanager
def dask_engine(address: str | None = None, workers: int | None = None) -> Iterator[Engine]:
    """A Dask engine: a local cluster of ``workers`` processes (default: one per core), or the scheduler at
    ``address`` (``tcp://HOST:8786``). The local cluster stops when the block ends."""
    import dask
    from distributed import Client, LocalCluster

    if address:
        with Client(address) as client:
            yield Engine(client, address, len(client.scheduler_info()["workers"]))
        return
    count = workers or os.cpu_count() or 1
    before = dict(os.environ)
    # Workers get one numba thread (Dask gives them one OpenMP/MKL/OpenBLAS thread already): "environ" is set in
    # each worker process only. Dask's "pre-spawn-environ" (those thread limits) is written into this process's
    # own environment as it spawns workers, and stays there: it is undone once they have started, so that
    # nothing else in this process (its UMAP fit, FAISS, a test's next server) runs with one thread.
    one_numba_thread = dask.config.set({"distributed.nanny.environ.NUMBA_NUM_THREADS": 1})
    try:
        with one_numba_thread, LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR) as cluster:
            _restore_environment(before)
            with Client(cluster) as client:
                yield Engine(client, "local", count)
    finally:
        _restore_environment(before)


def _restore_environment(saved: dict[str, str]) -> None:
    for name in set(os.environ) - set(saved):
        del os.environ[name]
    for name, value in saved.items():
        if os.environ.get(name) != value:
            os.environ[name] = value
