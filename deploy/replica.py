"""One replica of the app for a balancer: ``python deploy/replica.py --port PORT``.

The same app as ``streamlit run app.py``, started through Streamlit's ``st.App`` so that a lifespan hook
can warm this process (the scientific libraries imported, GloVe read) before the server accepts its
first connection: the balancer's health check on ``/_stcore/health`` passes only once the replica is
warm, so no student waits for a cold one.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the app's packages, as `streamlit run app.py` puts its folder first

import streamlit as st  # noqa: E402

from deploy.warm import warm_process  # noqa: E402


@asynccontextmanager
async def warmed(_app):
    started = time.perf_counter()
    await asyncio.to_thread(warm_process)
    print(f"Replica warm in {time.perf_counter() - started:.1f} s", flush=True)
    yield


app = st.App(REPO / "app.py", lifespan=warmed)

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="One replica of the app, warm before it serves.")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="127.0.0.1")
    args = parser.parse_args()
    app.run(config={"server.port": args.port, "server.address": args.address, "server.headless": True})
