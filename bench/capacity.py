"""What one machine serves a class: 1 and 2 replicas behind HAProxy, measured with bench/load.py.

Run: python bench/capacity.py [--sessions 10,30,100] [--replicas 1,2] [--json bench/capacity.json]   (about 15 min)

Needs a cache folder warmed by ``python -m deploy warm`` (``--cache``, default the usual one) and HAProxy.
For each replica count: the replicas and the balancer are started with ``deploy.replicas``, each replica
gets one unmeasured session directly (its first UMAP), the machine is left to settle, then each load runs
through the balancer: 10 and 30 sessions opened at once, 100 over 60 s (``--ramp-over``), each opening
Explore's link and switching to UMAP. Reported per run: p50/p95/max seconds to the chart, errors,
tracebacks in the replicas' logs, memory per replica and per open session. Also, in the same run: a
replica's start to its first chart next to a hello app's (one Plotly chart), both over the protocol.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.browser import HELLO_APP  # noqa: E402
from bench.load import load, visit  # noqa: E402
from deploy.replicas import (  # noqa: E402
    REPLICA_SCRIPT,
    replica_env,
    running_replicas,
    stop_processes,
    tracebacks_in_logs,
    wait_until_healthy,
)
from deploy.warm import warm_record  # noqa: E402
from tests.e2e.app_server import free_port, free_ports  # noqa: E402

#: What caps numpy's, FAISS's and PyTorch's thread pools (``--threads``).
BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
#: Loads of this many sessions or more start over ``--ramp-over`` seconds; smaller ones all at once.
RAMPED_FROM = 100


def settle(pids: list[int], idle_percent: float = 10.0, timeout: float = 120.0) -> float:
    """Wait until these processes and their children use under ``idle_percent`` of a core for 2 s running
    (the UMAP worker's warm-up done); returns the seconds waited."""
    started = time.monotonic()
    processes = [psutil.Process(pid) for pid in pids]
    calm = 0
    while time.monotonic() - started < timeout and calm < 2:
        members = [member for process in processes for member in [process, *process.children(recursive=True)]]
        before = sum(member.cpu_times().user + member.cpu_times().system for member in members)
        time.sleep(1.0)
        after = sum(member.cpu_times().user + member.cpu_times().system for member in members)
        calm = calm + 1 if (after - before) * 100 < idle_percent else 0
    return round(time.monotonic() - started, 1)


def start_to_first_chart(command: list[str], cwd: Path, env: dict, port: int) -> dict:
    """Seconds from launching a server to it being healthy, and to its first session's chart (protocol)."""
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=quiet, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, process)
        healthy = time.perf_counter() - started
        runs = asyncio.run(visit(url, "explore", "none", 120))
        return {"healthy_s": round(healthy, 2), "first_chart_s": round(time.perf_counter() - started, 2),
                "error": runs[0].error}
    finally:
        # A server stopping while its UMAP worker still compiles may outlast SIGTERM's grace (seen in CI): killed then.
        stop_processes([process], grace=20)


def replica_start(cache: Path, repeats: int) -> dict:
    """A warm replica's start to first chart, ``streamlit run app.py``'s, and a hello app's, alternating."""
    hello_folder = Path(tempfile.mkdtemp(prefix="hello-app-"))
    (hello_folder / "hello.py").write_text(HELLO_APP, encoding="utf-8")
    streamlit = [sys.executable, "-m", "streamlit", "run"]
    flags = ["--server.headless", "true", "--server.address", "127.0.0.1"]
    runs: dict[str, list[dict]] = {"replica": [], "streamlit_run_app": [], "hello_app": []}
    for _ in range(repeats):
        port = free_port()
        runs["hello_app"].append(start_to_first_chart(
            [*streamlit, "hello.py", *flags, "--server.port", str(port)], hello_folder, dict(os.environ), port))
        port = free_port()
        runs["replica"].append(start_to_first_chart(
            [sys.executable, str(REPLICA_SCRIPT), "--port", str(port)], REPO, replica_env(cache), port))
        port = free_port()
        runs["streamlit_run_app"].append(start_to_first_chart(
            [*streamlit, "app.py", *flags, "--server.port", str(port)], REPO, replica_env(cache), port))
    medians = {name: statistics.median(run["first_chart_s"] for run in found) for name, found in runs.items()}
    return {"runs": runs, "median_first_chart_s": medians,
            "replica_over_hello": round(medians["replica"] / medians["hello_app"], 2),
            "streamlit_run_app_over_hello": round(medians["streamlit_run_app"] / medians["hello_app"], 2)}


def cpu_seconds(pids: list[int]) -> dict[str, float]:
    """CPU seconds used so far by these servers' own processes, and apart by their children (UMAP workers)."""
    own = children = 0.0
    for pid in pids:
        process = psutil.Process(pid)
        times = process.cpu_times()
        own += times.user + times.system
        for child in process.children(recursive=True):
            child_times = child.cpu_times()
            children += child_times.user + child_times.system
    return {"servers": own, "umap_workers": children}


def capacity(replicas: int, loads: list[int], ramp_over: float, cache: Path, threads: int | None) -> list[dict]:
    """Every load against ``replicas`` replicas behind HAProxy, on one deployment started for them.
    ``threads`` caps the replicas' BLAS and OpenMP threads (None: the libraries' defaults)."""
    figures = []
    logs = Path(tempfile.mkdtemp(prefix=f"capacity-{replicas}-"))
    extra_env = {name: str(threads) for name in BLAS_THREAD_VARIABLES} if threads else None
    with running_replicas(replicas, free_ports(replicas + 1), cache, logs, extra_env=extra_env) as deployment:
        for url in deployment.replica_urls:  # each replica's first session and first UMAP, not measured
            asyncio.run(visit(url))
        servers = [process.pid for process in deployment.processes[:-1]]
        settled = settle(servers)
        for sessions in loads:
            ramp = ramp_over if sessions >= RAMPED_FROM else 0.0
            print(f"  {replicas} replica(s), {sessions} sessions over {ramp:g} s…", flush=True)
            cpu_before = cpu_seconds(servers)
            result = asyncio.run(load(deployment.url, sessions, ramp=ramp, watch_ports=deployment.replica_ports))
            cpu = {name: round(used - cpu_before[name], 1) for name, used in cpu_seconds(servers).items()}
            # Cores busy on average while the load ran: at most 1 per server process under the GIL.
            cores = {name: round(used / result["wall_s"], 2) for name, used in cpu.items()}
            result.update(replicas=replicas, blas_threads=threads or "default", settled_before_s=settled,
                          cpu_s=cpu, cores_busy=cores, tracebacks_in_logs=tracebacks_in_logs(logs))
            figures.append(result)
            print(f"    p50 {result['p50_s']} s, p95 {result['p95_s']} s, UMAP p95 {result['switch_times']['p95_s']} s,"
                  f" errors {result['errors']}, {result['memory_per_session_mb']} MB per session, cores busy {cores}",
                  flush=True)
            settled = settle(servers)
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="10,30,100", help="the loads, comma-separated")
    parser.add_argument("--replicas", default="1,2", help="the replica counts, comma-separated")
    parser.add_argument("--ramp-over", type=float, default=60.0, help=f"seconds over which loads of {RAMPED_FROM} "
                                                                       "sessions or more start")
    parser.add_argument("--start-repeats", type=int, default=3, help="rounds of the start-to-first-chart comparison")
    parser.add_argument("--threads", type=int, help="cap the replicas' BLAS/OpenMP threads (default: libraries' own)")
    parser.add_argument("--start-comparison", action=argparse.BooleanOptionalAction, default=True,
                        help="also time a replica's start to first chart against a hello app's")
    parser.add_argument("--cache", type=Path, help="the warmed cache folder")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "capacity.json")
    args = parser.parse_args(argv)
    if args.cache:
        os.environ["EMBEDDING_EXPLORER_CACHE"] = str(args.cache)
    from settings import cache_dir

    cache = cache_dir()
    if warm_record(cache) is None:
        parser.error(f"{cache} is not warmed: run `python -m deploy warm` first")
    loads = [int(count) for count in args.sessions.split(",")]
    figures: dict = {"cores": os.cpu_count(), "cache": str(cache), "loads": []}
    if args.start_comparison:
        print("A replica's start to its first chart, next to a hello app's…", flush=True)
        figures["start"] = replica_start(cache, args.start_repeats)
        print(f"  medians {figures['start']['median_first_chart_s']}", flush=True)
    for replicas in [int(count) for count in args.replicas.split(",")]:
        figures["loads"].extend(capacity(replicas, loads, args.ramp_over, cache, args.threads))
    args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps({"start": figures.get("start", {}).get("median_first_chart_s"),
                      "loads": [{key: run[key] for key in ("replicas", "sessions", "errors", "p50_s", "p95_s",
                                                            "memory_per_session_mb", "cores_busy", "tracebacks_in_logs")}
                                for run in figures["loads"]]}, indent=2))
    return figures


if __name__ == "__main__":
    main()
