"""The UMAP worker process: its warm-up runs at low priority and leaves it ready for real fits."""

import multiprocessing
import os
import sys
import threading
import time

import numpy as np
import pytest

from projection.umap_worker import WARMUP_NICENESS, UmapWorker, _lower_this_thread_priority


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness is Linux's")
def test_lowering_a_threads_priority_leaves_the_rest_of_the_process_alone():
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen = {}

    def lowered():
        _lower_this_thread_priority(WARMUP_NICENESS)
        seen["thread"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=lowered)
    thread.start()
    thread.join()
    assert seen["thread"] == max(before, WARMUP_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before


@pytest.mark.slow
def test_the_worker_warms_up_then_projects_at_the_priority_it_started_with(glove):
    worker = UmapWorker()
    worker.start()
    assert worker.wait(timeout=600) and worker.state == "ready", worker.error
    vectors = np.asarray(glove.keyed_vectors.vectors[1000:1300])
    result = worker.submit(vectors, 2, 0).result()
    assert result.method == "umap" and result.coords.shape == (300, 2)
    niceness = worker._executor.submit(os.getpriority, os.PRIO_PROCESS, 0).result()
    assert niceness == os.getpriority(os.PRIO_PROCESS, 0)  # the worker's own thread was never lowered
    worker._executor.shutdown()


@pytest.mark.slow
def test_sessions_that_find_the_worker_dead_at_once_start_one_new_worker(glove):
    others = set(multiprocessing.active_children())  # e.g. the app's own worker, started by page tests
    worker = UmapWorker()
    worker.start()
    assert worker.wait(timeout=600), worker.error
    dead = worker._executor
    for process in list(dead._processes.values()):  # as the kernel's OOM killer would
        process.kill()
        process.join()
    while not dead._broken:  # the pool notices its process is gone
        time.sleep(0.05)
    vectors = np.asarray(glove.keyed_vectors.vectors[1000:1300])
    futures = []

    def ask() -> None:
        futures.append(worker.submit(vectors, 2, 0))

    sessions = [threading.Thread(target=ask) for _ in range(3)]
    with worker._lock:  # held, so that all three find the dead worker before any restart begins
        for session in sessions:
            session.start()
        time.sleep(1.0)
    for session in sessions:
        session.join()
    assert all(future.result(timeout=600).coords.shape == (300, 2) for future in futures)
    assert worker._executor is not dead and worker.wait(timeout=600) and worker.state == "ready"
    workers = [child for child in multiprocessing.active_children() if child.is_alive() and child not in others]
    assert len(workers) == 1, workers  # not one per session that found the worker dead
    worker._executor.shutdown()
