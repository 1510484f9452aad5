"""Many sessions at once without browsers: each speaks Streamlit's own websocket protocol.

Run: python bench/load.py --sessions N --url URL [--page NAME] [--ramp SECONDS] [--switch umap|none]

Every session does what a student's browser does on opening a shared link: fetches the page (and so
the balancer's sticky cookie), opens ``/_stcore/stream``, asks for a run of the app with the link's
query (``page=NAME``), then, on Explore, switches the projection to UMAP the way the Projection
control does. A run counts from the request until the script has finished and a picture element (a
chart, image or token view) has arrived; an exception element, a run that never finishes (``--timeout``)
or a refused connection is an error. Sessions start evenly over ``--ramp`` seconds and stay open until
the last one is done, so the servers' memory is read with all of them open. One JSON object is printed:
``sessions``, ``errors``, ``p50_s``/``p95_s``/``max_s`` (opening the link), the same for the switch, this
client's own CPU seconds, and the memory of the Streamlit servers listening on ``--watch-ports`` (default: the URL's port), each with
its children (the UMAP worker), before and after the sessions.

Bounded: at most MAX_SESSIONS sessions and MAX_RAMP_SECONDS of ramp, and it only ever connects to the
URL it is given.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection
from websockets.typing import Subprotocol

MAX_SESSIONS = 500
MAX_RAMP_SECONDS = 600
#: Elements that are a page's picture: Plotly charts, images, and the token views (HTML).
PICTURE_ELEMENTS = {"plotly_chart", "imgs", "html"}
#: Large enough for any chart the app sends (a 100,000-point figure is tens of MB).
MAX_MESSAGE_BYTES = 256 * 2**20


@dataclass
class Run:
    """One script run as the session saw it."""

    seconds: float
    picture: bool
    error: str | None = None
    #: The titles of the Plotly charts it drew, in order.
    chart_titles: list[str] = field(default_factory=list)


@dataclass
class Widget:
    """A widget the last run drew: its id and, for choice widgets, its options' labels."""

    id: str
    kind: str
    options: list[str] = field(default_factory=list)


class ProtocolSession:
    """One user's session over ``/_stcore/stream``, speaking ``BackMsg``/``ForwardMsg`` like the browser's frontend."""

    def __init__(self, url: str, query: str, timeout: float) -> None:
        self.url = url.rstrip("/")
        self.query = query
        self.timeout = timeout
        self.page_script_hash = ""
        self.widgets: dict[str, Widget] = {}
        #: The cookies the page set (a balancer's sticky cookie names the replica), sent with the stream.
        self.cookies = ""
        self.socket: ClientConnection | None = None

    async def open(self) -> None:
        """Fetch the page as a browser does first (a balancer's sticky cookie comes with it), then open the stream."""
        self.cookies = await asyncio.to_thread(self._page_cookies)
        parts = urllib.parse.urlsplit(self.url)
        stream = urllib.parse.urlunsplit(("wss" if parts.scheme == "https" else "ws", parts.netloc,
                                          parts.path + "/_stcore/stream", "", ""))
        headers = {"Origin": f"{parts.scheme}://{parts.netloc}"}
        if self.cookies:
            headers["Cookie"] = self.cookies
        self.socket = await websockets.connect(stream, subprotocols=[Subprotocol("streamlit")], additional_headers=headers,
                                               max_size=MAX_MESSAGE_BYTES, open_timeout=self.timeout)

    def _page_cookies(self) -> str:
        with urllib.request.urlopen(f"{self.url}/?{self.query}", timeout=self.timeout) as response:
            response.read()
            return "; ".join(value.split(";")[0] for value in response.headers.get_all("Set-Cookie") or [])

    async def run(self, widget_states: Sequence[WidgetState] = ()) -> Run:
        """Ask for a run (with these widget values) and read until the script has finished."""
        if self.socket is None:
            raise RuntimeError("open() the session first")
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        state.widget_states.widgets.extend(widget_states)
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.url}/"
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        picture, error, titles = False, None, []
        self.widgets = {}
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    forward = ForwardMsg()
                    forward.ParseFromString(await self.socket.recv())
                    kind = forward.WhichOneof("type")
                    if kind == "new_session":
                        self.page_script_hash = forward.new_session.page_script_hash
                    elif kind == "page_info_changed":
                        self.query = forward.page_info_changed.query_string
                    elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                        element = forward.delta.new_element
                        name = element.WhichOneof("type") or ""
                        picture = picture or name in PICTURE_ELEMENTS
                        if name == "exception" and not element.exception.is_warning and error is None:
                            error = f"{element.exception.type}: {element.exception.message}"[:300]
                        if name == "plotly_chart":
                            titles.append(chart_title(element.plotly_chart.spec))
                        if name:
                            self._remember_widget(name, getattr(element, name))
                    elif kind == "script_finished" and forward.script_finished in (
                            ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                        break  # FINISHED_EARLY_FOR_RERUN (a switch_page, st.rerun) is followed by another run
        except TimeoutError:
            error = f"the run did not finish within {self.timeout:g} s"
        if error is None and not picture:
            error = "the run finished without a picture"
        return Run(time.perf_counter() - started, picture, error, titles)

    def _remember_widget(self, kind: str, element) -> None:
        label = getattr(element, "label", None)
        if label and getattr(element, "id", ""):
            options = [option.content for option in element.options] if kind == "button_group" else []
            self.widgets[label] = Widget(element.id, kind, options)

    async def choose(self, label: str, option: str) -> Run:
        """Pick ``option`` in the segmented control labelled ``label``, as a click on it does."""
        widget = self.widgets.get(label)
        if widget is None or option not in widget.options:
            return Run(0.0, False, f"the page drew no control {label!r} with the option {option!r}")
        state = WidgetState(id=widget.id)
        state.string_array_value.data.append(option)
        return await self.run([state])

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


def chart_title(spec: str) -> str:
    """The title of a Plotly figure from its JSON spec ("" without one)."""
    title = json.loads(spec).get("layout", {}).get("title", {})
    return title.get("text", "") if isinstance(title, dict) else str(title)


def server_memory_mb(ports: list[int]) -> dict[int, float]:
    """Resident memory (MB) of the process listening on each port, with its children; ports nobody
    listens on (or whose process this user may not read) are left out."""
    listening = {}
    with contextlib.suppress(psutil.AccessDenied):
        for connection in psutil.net_connections(kind="tcp"):
            if connection.status == psutil.CONN_LISTEN and connection.laddr.port in ports and connection.pid:
                listening[connection.laddr.port] = connection.pid
    memory = {}
    for port, pid in listening.items():
        with contextlib.suppress(psutil.Error):
            memory[port] = round(tree_rss_mb(psutil.Process(pid)), 1)
    return memory


def tree_rss_mb(process: psutil.Process) -> float:
    """Resident memory of a process and all its descendants (the UMAP worker), in MB."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):  # a child may exit while we count
            total += member.memory_info().rss
    return total / 2**20


def summary(seconds: list[float]) -> dict:
    """p50, p95 and max of a list of durations (None for an empty list)."""
    if not seconds:
        return {"p50_s": None, "p95_s": None, "max_s": None}
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_s": round(statistics.median(ordered), 3), "p95_s": round(p95, 3), "max_s": round(ordered[-1], 3)}


async def one_session(url: str, page: str, switch: str, timeout: float,
                      delay: float = 0.0) -> tuple[list[Run], ProtocolSession]:
    """One student: waits ``delay``, opens the link, switches the projection; the caller closes the session."""
    await asyncio.sleep(delay)
    session = ProtocolSession(url, f"page={page}", timeout)
    runs: list[Run] = []
    try:
        await session.open()
        runs.append(await session.run())
        if switch == "umap" and runs[0].error is None:
            runs.append(await session.choose("Projection", "UMAP"))
    except (OSError, websockets.WebSocketException) as error:  # refused, reset, or closed by the server
        runs.append(Run(0.0, False, f"{type(error).__name__}: {error}"[:300]))
    return runs, session


async def visit(url: str, page: str = "explore", switch: str = "umap", timeout: float = 300.0) -> list[Run]:
    """One session from start to end: open the link, switch, close."""
    runs, session = await one_session(url, page, switch, timeout)
    await session.close()
    return runs


async def load(url: str, sessions: int, page: str = "explore", ramp: float = 0.0, switch: str = "umap",
               timeout: float = 300.0, watch_ports: list[int] | None = None, warm_up: int = 0) -> dict:
    """Run ``sessions`` sessions against ``url`` and return the figures ``main`` prints."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"between 1 and {MAX_SESSIONS} sessions, not {sessions}")
    if not 0 <= ramp <= MAX_RAMP_SECONDS:
        raise ValueError(f"a ramp of 0 to {MAX_RAMP_SECONDS} seconds, not {ramp:g}")
    ports = watch_ports or [urllib.parse.urlsplit(url).port or 80]
    for _ in range(warm_up):  # one after the other, not measured: models loaded, caches filled
        await visit(url, page, switch, timeout)
    memory_before = server_memory_mb(ports)
    started, client_started = time.perf_counter(), time.process_time()
    delays = [ramp * index / sessions for index in range(sessions)]
    results = await asyncio.gather(*(one_session(url, page, switch, timeout, delay)
                                     for delay in delays))
    wall, client_cpu = time.perf_counter() - started, time.process_time() - client_started
    memory_after = server_memory_mb(ports)  # every session still open
    for _, session in results:
        await session.close()
    opens = [runs[0] for runs, _ in results]
    switches = [runs[1] for runs, _ in results if len(runs) > 1]
    errors = [run.error for runs, _ in results for run in runs if run.error]
    grown = sum(memory_after.get(port, 0.0) - memory_before.get(port, 0.0) for port in memory_before)
    return {
        "url": url, "page": page, "sessions": sessions, "ramp_s": ramp, "switch": switch,
        "errors": len(errors), "error_messages": sorted(set(errors))[:10],
        **summary([run.seconds for run in opens if run.error is None]),
        "switch_times": summary([run.seconds for run in switches if run.error is None]),
        "wall_s": round(wall, 2),
        # This client shares the machine with the servers: what it used is what they could not.
        "client_cpu_s": round(client_cpu, 2),
        "server_memory_mb_before": memory_before, "server_memory_mb_after": memory_after,
        "memory_per_session_mb": round(grown / sessions, 2) if memory_before else None,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, required=True, help=f"how many sessions (1 to {MAX_SESSIONS})")
    parser.add_argument("--url", required=True, help="the app's address, e.g. http://127.0.0.1:8501")
    parser.add_argument("--page", default="explore", help="the page a link opens (links/pages.py names)")
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds over which the sessions start")
    parser.add_argument("--switch", choices=["umap", "none"], default="umap",
                        help="after opening, switch the projection to UMAP (Explore's control)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one run may take")
    parser.add_argument("--warm-up", type=int, default=0, help="sessions run first and not measured")
    parser.add_argument("--watch-ports", default="",
                        help="ports of the Streamlit servers whose memory to read, comma-separated "
                             "(default: the URL's port)")
    args = parser.parse_args(argv)
    ports = [int(port) for port in args.watch_ports.split(",") if port.strip()]
    try:
        figures = asyncio.run(load(args.url, args.sessions, args.page, args.ramp, args.switch, args.timeout,
                                   ports, args.warm_up))
    except ValueError as error:
        parser.error(str(error))
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    sys.exit(0 if main()["errors"] == 0 else 1)
