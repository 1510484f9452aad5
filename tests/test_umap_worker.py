"""The UMAP worker process: its warm-up runs at low priority and leaves it ready for real fits."""

import os
import sys
import threading

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


def test_the_worker_warms_up_then_projects_at_the_priority_it_started_with(glove):
    worker = UmapWorker()
    worker.start()
    assert worker.wait(timeout=600) and worker.ready, worker.error
    vectors = np.asarray(glove.keyed_vectors.vectors[1000:1300])
    result = worker.project(vectors, 2, 0)
    assert result.method == "umap" and result.coords.shape == (300, 2)
    niceness = worker._executor.submit(os.getpriority, os.PRIO_PROCESS, 0).result()
    assert niceness == os.getpriority(os.PRIO_PROCESS, 0)  # the worker's own thread was never lowered
    worker._executor.shutdown()
