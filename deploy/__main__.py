"""Serving a class from one machine or a server:

    python -m deploy warm                         prepare the cache folder once (minutes the first time)
    python -m deploy start --replicas 2           that many replicas behind HAProxy on port 8500, until Ctrl-C
    python -m deploy haproxy-config app1:8501,app2:8501 [--bind *:8500]   print HAProxy's configuration

``start`` refuses a cache folder that ``warm`` has not prepared (with these package versions).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def console_progress():
    """A ``Progress`` that prints each new message once, with the step's percentage."""
    last = [""]

    def report(fraction: float, message: str = "") -> None:
        if message and message != last[0]:
            last[0] = message
            print(f"  {fraction:4.0%}  {message}", flush=True)

    return report


def warm(args: argparse.Namespace) -> int:
    os.environ.pop("EMBEDDING_EXPLORER_CACHE_READ_ONLY", None)  # warming is the one time the folder is written
    if args.cache:
        os.environ["EMBEDDING_EXPLORER_CACHE"] = str(args.cache)
    from deploy.warm import warm_cache
    from settings import cache_dir

    print(f"Warming {cache_dir()} for replicas…", flush=True)
    started = time.perf_counter()
    warm_cache(console_progress())
    print(f"Warm in {time.perf_counter() - started:.0f} s. Start replicas with: python -m deploy start --replicas 2")
    return 0


def _interrupt(_signal: int, _frame) -> None:
    """SIGTERM (`kill`, a service manager's stop) stops the replicas and the balancer too, as Ctrl-C does."""
    raise KeyboardInterrupt


def start(args: argparse.Namespace) -> int:
    if args.cache:
        os.environ["EMBEDDING_EXPLORER_CACHE"] = str(args.cache)
    from deploy.replicas import running_replicas
    from deploy.warm import warm_record
    from settings import cache_dir

    cache = cache_dir()
    if warm_record(cache) is None:
        print(f"{cache} is not warmed for these package versions: run `python -m deploy warm` first.",
              file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    logs = Path(args.logs)
    print(f"Starting {args.replicas} replica(s) on ports {args.port + 1}-{args.port + args.replicas}, "
          f"each warm before it serves (logs in {logs})…", flush=True)
    try:
        with running_replicas(args.replicas, args.port, cache, logs, args.host) as deployment:
            where = (f"port {args.port} of every address of this machine (students open http://THIS-MACHINE:"
                     f"{args.port})" if args.host == "0.0.0.0" else deployment.url)
            print(f"Serving the class at {where}  (Ctrl-C stops every replica and the balancer)", flush=True)
            while all(process.poll() is None for process in deployment.processes):
                time.sleep(1)
            print("A replica or the balancer stopped; stopping the rest (see the logs).", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except (OSError, RuntimeError, TimeoutError, ValueError) as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1


def haproxy_config_command(args: argparse.Namespace) -> int:
    from deploy.replicas import Backend, haproxy_config

    backends = []
    for number, address in enumerate(args.replicas.split(","), start=1):
        host, _, port = address.strip().rpartition(":")
        if not host or not port.isdigit():
            print(f"{address!r} is not HOST:PORT", file=sys.stderr)
            return 2
        backends.append(Backend(f"replica{number}", host, int(port)))
    sys.stdout.write(haproxy_config(backends, args.bind))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    warm_parser = commands.add_parser("warm", help="prepare the cache folder that every replica reads")
    warm_parser.add_argument("--cache", type=Path, help="the cache folder (default: EMBEDDING_EXPLORER_CACHE "
                                                         "or ~/.cache/embedding-explorer)")
    warm_parser.set_defaults(run=warm)
    start_parser = commands.add_parser("start", help="replicas behind HAProxy on this machine")
    start_parser.add_argument("--replicas", type=int, default=2, help="how many app processes (about one per core)")
    start_parser.add_argument("--port", type=int, default=8500, help="the class's port; replicas use the next ones")
    start_parser.add_argument("--host", default="127.0.0.1",
                              help="the balancer's address (0.0.0.0 for the class's network); replicas stay on 127.0.0.1")
    start_parser.add_argument("--cache", type=Path, help="the warmed cache folder")
    start_parser.add_argument("--logs", default="deploy-logs", help="folder for the replicas' and HAProxy's logs")
    start_parser.set_defaults(run=start)
    config_parser = commands.add_parser("haproxy-config", help="print HAProxy's configuration for replicas")
    config_parser.add_argument("replicas", help="the replicas' addresses, HOST:PORT,HOST:PORT…")
    config_parser.add_argument("--bind", default="*:8500", help="the balancer's address")
    config_parser.set_defaults(run=haproxy_config_command)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
