"""``python -m atlas``: build an atlas on the distributed engine, build an example, or say what an atlas holds.

    python -m atlas build INPUT --text COLUMN --method NAME --out DIR [--sample N] [--address ADDR]
    python -m atlas build --vectors FILE --out DIR
    python -m atlas example glove-words            (or wikipedia-passages)
    python -m atlas info DIR
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from atlas.build import STEPS, BuildSettings, build_atlas
from atlas.examples import EXAMPLES, write_example_input
from atlas.folder import AtlasError, missing_parts, open_atlas, read_record
from atlas.inputs import AtlasInputError
from common.progress import Progress
from settings import atlases_dir


class _CtrlC:
    """Remembers a Ctrl-C so that the build stops even when its KeyboardInterrupt was lost.

    Python raises KeyboardInterrupt wherever the main thread is when SIGINT arrives. When that is a garbage
    collector callback (Dask registers one in every process that runs a worker or scheduler) or a ``__del__``,
    Python prints "Exception ignored" and the build runs on to the end; here 4 of 6 interrupts sent during a build were lost.
    """

    def __init__(self) -> None:
        self.pressed = False

    def handle(self, signum: int, frame: object) -> None:
        self.pressed = True
        raise KeyboardInterrupt

    def stop_if_pressed(self) -> None:
        if self.pressed:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def listening(self) -> Iterator[None]:
        previous = signal.signal(signal.SIGINT, self.handle)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def _bars(ctrl_c: _CtrlC):
    """A progress bar per step (tqdm, on standard error), closed when the next step starts. Each report first
    stops the build if Ctrl-C was pressed and its KeyboardInterrupt lost."""
    from tqdm import tqdm

    bars: list = []

    def progress_for(step: str) -> Progress:
        ctrl_c.stop_if_pressed()
        for bar in bars:
            bar.close()
        bar = tqdm(total=1000, desc=f"{STEPS.index(step) + 1}/{len(STEPS)} {step}", unit="‰", leave=True,
                   bar_format="{desc:<12} {percentage:3.0f}%|{bar:30}| {elapsed}{postfix}", file=sys.stderr)
        bars.append(bar)

        def report(fraction: float, message: str) -> None:
            ctrl_c.stop_if_pressed()
            bar.n = int(round(fraction * 1000))
            bar.set_postfix_str(message, refresh=True)

        return report

    return progress_for, bars


def build(args: argparse.Namespace) -> int:
    if (args.input is None) == (args.vectors is None):
        print("Give a table (INPUT) or --vectors FILE, not both.", file=sys.stderr)
        return 2
    if args.input is not None and not args.method:
        print("A table needs --method (one of the registered methods, e.g. minilm or glove).", file=sys.stderr)
        return 2
    settings = BuildSettings(method=args.method or "vectors", text_column=args.text, items=args.items,
                             sample=args.sample, clusters=args.clusters, seed=args.seed, batch_size=args.batch)
    return _build(Path(args.vectors or args.input), Path(args.out), settings, args.vectors is not None, args.address,
                  args.workers)


def _build(source: Path, out: Path, settings: BuildSettings, vectors_file: bool, address: str | None,
           workers: int | None) -> int:
    ctrl_c = _CtrlC()
    progress_for, bars = _bars(ctrl_c)
    try:
        with ctrl_c.listening():
            record = build_atlas(source, out, settings, vectors_file=vectors_file, address=address,
                                 workers=workers, progress_for=progress_for)
    except (AtlasError, AtlasInputError, ValueError) as error:
        print(f"\n{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nStopped. What is done is kept in {out}: the same command resumes from there.", file=sys.stderr)
        return 130
    finally:
        for bar in bars:
            bar.close()
    print(_summary(out, record))
    return 0


def example(args: argparse.Namespace) -> int:
    chosen = EXAMPLES[args.name]
    root = atlases_dir()
    print(f"Building the example {chosen.name}: {chosen.about}.", file=sys.stderr)
    source = write_example_input(chosen.name, root / ".inputs")
    settings = BuildSettings(method=chosen.method, items=chosen.items, sample=args.sample)
    return _build(source, Path(args.out) if args.out else root / chosen.name, settings, False, args.address,
                  args.workers)


def info(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    try:
        record = read_record(folder)
    except AtlasError as error:
        print(error, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(record, indent=2))
        return 0
    missing = missing_parts(folder, record)
    if missing:
        print(f"{folder.name} is not complete: missing {'; '.join(missing)}.", file=sys.stderr)
        print(_steps(record))
        return 1
    try:
        open_atlas(folder)
    except AtlasError as error:
        print(error, file=sys.stderr)
        return 1
    print(_summary(folder, record))
    return 0


def _steps(record: dict) -> str:
    lines = []
    for name in STEPS:
        step = record.get("steps", {}).get(name)
        state = "not done" if step is None else ("skipped (done before)" if step.get("skipped") else
                                                 f"{step['seconds']:.1f} s")
        lines.append(f"  {name:<8} {state}")
    return "\n".join(lines)


def _summary(folder: Path, record: dict) -> str:
    counts, parameters, steps = record["counts"], record["parameters"], record["steps"]
    project, index, cluster = steps["project"], steps["index"], steps["cluster"]
    engine = record.get("engine", {})
    lines = [
        f"Atlas {folder.name} ({folder})",
        f"  input     {record['input']['file']}: {counts['items']:,} items, {counts['embedded']:,} embedded"
        + (f", {counts['missing']:,} without a vector (e.g. {', '.join(map(repr, record['missing_examples'][:3]))})"
           if counts["missing"] else ""),
        f"  method    {parameters['method']} ({parameters['items']})"
        + (f" on {engine.get('name', '')} {engine.get('version', '')}, {engine.get('workers')} workers at "
           f"{engine.get('address')}" if engine else ""),
        f"  index     {index['kind']}, recall@10 {index['recall_at_10']:.3f} on {index['recall_queries']:,} queries",
        f"  map       UMAP fitted on {project['fitted_on']:,}, {project['transformed']:,} placed by transform; "
        f"trustworthiness (k = {project['trustworthiness_k']}, {project['trustworthiness_sample']:,} items) "
        f"UMAP {project['trustworthiness_umap']}, PCA {project['trustworthiness_pca']}",
        f"  clusters  {cluster['k']} (k-means on the sample), e.g. {_shortened(next(iter(cluster['names'].values())))}",
        "  steps:",
        _steps(record),
        f"  built at {record['built_at']}; open it on the Atlas page (streamlit run app.py)",
    ]
    return "\n".join(lines)


def _shortened(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    def engine_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--sample", type=int, default=BuildSettings.sample,
                             help="fit UMAP, PCA and k-means on this many random items, then apply them to all")
        command.add_argument("--address", help="a running Dask scheduler (tcp://HOST:8786); default: a local cluster")
        command.add_argument("--workers", type=int, help="local cluster workers (default: one per core)")

    build_parser = commands.add_parser("build", help="build an atlas from a table or a vectors file")
    build_parser.add_argument("input", nargs="?", help="a Parquet, CSV or JSONL table")
    build_parser.add_argument("--vectors", help="a vectors file in any format the app reads, instead of a table")
    build_parser.add_argument("--text", default="text", help="the table's text column (default: text)")
    build_parser.add_argument("--method", help="the embedding method (python -c 'import embedders; "
                                               "print(embedders.available())')")
    build_parser.add_argument("--items", default="auto", choices=("auto", "words", "sentences"),
                              help="embed items as words or as sentences (auto: sentences when most have spaces)")
    build_parser.add_argument("--out", required=True, help="the atlas folder (under the atlas folder to be listed)")
    build_parser.add_argument("--clusters", type=int, help="k-means clusters (default: by size, at most 40)")
    build_parser.add_argument("--seed", type=int, default=0)
    build_parser.add_argument("--batch", type=int, default=BuildSettings.batch_size, help="items per embedding batch")
    engine_options(build_parser)
    build_parser.set_defaults(run=build)

    example_parser = commands.add_parser("example", help="build an example atlas into the atlas folder")
    example_parser.add_argument("name", choices=list(EXAMPLES))
    example_parser.add_argument("--out", help="the atlas folder (default: its name under the atlas folder)")
    engine_options(example_parser)
    example_parser.set_defaults(run=example)

    info_parser = commands.add_parser("info", help="what an atlas holds, or what it lacks")
    info_parser.add_argument("folder")
    info_parser.add_argument("--json", action="store_true", help="print the whole record")
    info_parser.set_defaults(run=info)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
