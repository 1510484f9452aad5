"""Word lists: presets from ``data/``, typed text and uploaded files.

Every route ends in a ``WordList``: clean items, a group per item, and notes
telling the user what was changed (duplicates dropped, list cut to the limit).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from inputs.passages import ARTICLE_COUNT, wikipedia_passages
from settings import MAX_ITEM_CHARACTERS, MAX_ITEMS, MAX_UPLOAD_BYTES, MAX_UPLOAD_ITEMS

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_PRESET = "royalty_vs_buildings"
#: Passages of the Wikipedia sample inside gensim (``inputs.passages``), listed after the CSV presets.
PASSAGES_PRESET = "wikipedia_passages"
#: Column names recognised as the item column of a CSV file, in order of preference.
ITEM_COLUMNS = ("word", "words", "item", "text", "sentence", "token")
GROUP_COLUMNS = ("group", "category", "label", "class")


class WordListError(ValueError):
    """The input cannot be read as a word list; the message says why."""


@dataclass
class WordList:
    """Items in order, one group label per item ("" when none), and notes for the user."""

    items: list[str]
    groups: list[str]
    notes: list[str] = field(default_factory=list)
    #: The bundled preset this list is, unchanged (None for the user's own lists): shared caches may keep
    #: what is computed from a preset, never from a user's list.
    preset: str | None = None

    def __len__(self) -> int:
        return len(self.items)

    def group_of(self) -> dict[str, str]:
        return dict(zip(self.items, self.groups))


def looks_like_sentences(items: Sequence[str]) -> bool:
    """Whether most items have several words: then methods embed them as sentences, not words."""
    return sum(len(item.split()) > 1 for item in items) * 2 > len(items)


def clean(pairs: list[tuple[str, str]], lowercase: bool = False, max_items: int = MAX_ITEMS) -> WordList:
    """Strip, drop blanks and duplicates, optionally lower-case, and cap the length."""
    notes: list[str] = []
    seen: dict[str, str] = {}
    duplicates = 0
    cut_long = 0
    for item, group in pairs:
        item = " ".join(item.split())  # also turns tabs and newlines inside an item into spaces
        if not item:
            continue
        if len(item) > MAX_ITEM_CHARACTERS:
            item = item[:MAX_ITEM_CHARACTERS]
            cut_long += 1
        if lowercase:
            item = item.lower()
        if item in seen:
            duplicates += 1
            continue
        seen[item] = group.strip()
    items = list(seen)
    if duplicates:
        notes.append(f"{duplicates} duplicate item{'s' if duplicates != 1 else ''} shown once.")
    if cut_long:
        notes.append(f"{cut_long} item(s) longer than {MAX_ITEM_CHARACTERS} characters were cut to that length.")
    if len(items) > max_items:
        notes.append(f"The list has {len(items):,} items; only the first {max_items:,} are used (the limit).")
        items = items[:max_items]
    return WordList(items, [seen[i] for i in items], notes)


def parse_text(text: str, lowercase: bool = False, max_items: int = MAX_ITEMS) -> WordList:
    """Parse typed text.

    One item per line, optionally ``item,group``: a line with exactly one comma
    is split there, a line with more commas is kept whole (a sentence). A single
    line with commas is read as a comma-separated list of items.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and "," in lines[0]:
        return clean([(part, "") for part in lines[0].split(",")], lowercase, max_items)
    pairs = []
    for line in lines:
        if "\t" in line:
            item, _, group = line.partition("\t")
        elif line.count(",") == 1:
            item, _, group = line.partition(",")
        else:
            item, group = line, ""
        pairs.append((item, group))
    return clean(pairs, lowercase, max_items)


def parse_csv(text: str, lowercase: bool = False, max_items: int = MAX_ITEMS, delimiter: str = ",") -> WordList:
    """Parse CSV text (TSV with ``delimiter="\\t"``): a ``word`` (or text/sentence…) column, an optional ``group`` one.

    Without a recognised header, the first column holds items and the second groups.
    """
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]
    if not rows:
        return WordList([], [], ["The file is empty."])
    header = [cell.strip().lower() for cell in rows[0]]
    item_column = next((header.index(name) for name in ITEM_COLUMNS if name in header), None)
    group_column: int | None  # None: a recognised header without a group column
    if item_column is None:
        item_column, group_column, body = 0, 1, rows
    else:
        group_column = next((header.index(name) for name in GROUP_COLUMNS if name in header), None)
        body = rows[1:]

    def cell(row: list[str], column: int | None) -> str:
        return row[column] if column is not None and column < len(row) else ""

    return clean([(cell(row, item_column), cell(row, group_column)) for row in body], lowercase, max_items)


def decode_upload(data: bytes, filename: str, notes: list[str] | None = None) -> str:
    """Text of an uploaded file, or a ``WordListError`` saying why it cannot be read.

    Text that is not UTF-8 is read as Windows-1252 (or Latin-1, which reads any byte), the
    usual encodings of older files; a note appended to ``notes`` says so.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise WordListError(
            f"{filename} is {len(data) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB."
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16, as spreadsheet programs export "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise WordListError(f"{filename} claims to be UTF-16 text but cannot be read as such.") from None
    if b"\x00" in data[:4096]:
        raise WordListError(f"{filename} looks like a binary file, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad_byte = error.start
    try:
        text, encoding = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "Latin-1"  # decodes any byte
    if notes is not None:
        notes.append(f"{filename} is not UTF-8 (byte {bad_byte:,} is not valid UTF-8), so it was read as "
                     f"{encoding}: check that accented letters look right, or save the file as UTF-8.")
    return text


def parse_upload(data: bytes, filename: str, lowercase: bool = False, max_items: int = MAX_UPLOAD_ITEMS) -> WordList:
    """Parse an uploaded ``.csv`` or ``.tsv`` file (columns) or ``.txt`` file (like typed text)."""
    notes: list[str] = []
    text = decode_upload(data, filename, notes)
    name = filename.lower()
    if name.endswith((".csv", ".tsv")):
        parsed = parse_csv(text, lowercase, max_items, delimiter="\t" if name.endswith(".tsv") else ",")
    else:
        parsed = parse_text(text, lowercase, max_items)
    parsed.notes[:0] = notes
    return parsed


def from_vector_set(vector_set, rows: str = "all", count: int | None = None, group_column: str | None = None,
                    seed: int = 0, max_items: int = MAX_UPLOAD_ITEMS) -> WordList:
    """The words of a ``vectorfiles.VectorSet`` as a list: "all", the "first" ``count`` or a random "sample".

    Words stay as written in the file (they are its keys); groups come from a metadata column.
    """
    import numpy as np

    total = len(vector_set.words)
    count = total if rows == "all" or count is None else max(0, min(count, total))
    notes = []
    if count > max_items:
        notes.append(f"The file has {total:,} words; a list holds at most {max_items:,}, so these are its first "
                     f"{max_items:,}. Neighbours and analogies still search all {total:,}.")
        count, rows = max_items, "first"
    if rows == "sample" and count < total:
        chosen = np.sort(np.random.default_rng(seed).choice(total, size=count, replace=False))
        notes.append(f"A random sample of {count:,} of the file's {total:,} words (seed {seed}), in file order.")
    else:
        chosen = np.arange(count)
        if count < total:
            notes.append(f"The first {count:,} of the file's {total:,} words.")
    words = [vector_set.words[i] for i in chosen]
    if group_column is None or vector_set.metadata is None:
        groups = [""] * len(words)
    else:
        groups = vector_set.metadata[group_column].iloc[chosen].fillna("").astype(str).tolist()
    return WordList(words, groups, notes)


def preset_names() -> list[str]:
    """Names of the bundled presets (CSV files in ``data/``, then Wikipedia passages), the default first."""
    names = sorted(path.stem for path in DATA_DIR.glob("*.csv"))
    names.remove(DEFAULT_PRESET)
    return [DEFAULT_PRESET, *names, PASSAGES_PRESET]


def preset_title(name: str) -> str:
    if name == PASSAGES_PRESET:
        return f"Wikipedia passages ({ARTICLE_COUNT} articles)"
    return name.replace("_", " ").capitalize()


def load_preset(name: str, lowercase: bool = False) -> WordList:
    """A bundled preset word list by name (the passages preset takes seconds the very first time)."""
    if name not in preset_names():
        raise WordListError(f"No preset called {name!r}.")
    if name == PASSAGES_PRESET:
        found = wikipedia_passages()
        word_list = clean([(p.text, p.article) for p in found], lowercase, max_items=max(MAX_ITEMS, len(found)))
    else:
        word_list = parse_csv((DATA_DIR / f"{name}.csv").read_text(encoding="utf-8"), lowercase)
    word_list.preset = name  # shared caches may keep what is computed from it
    return word_list
