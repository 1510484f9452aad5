"""Passages of real prose, labelled by article: the Wikipedia sample that ships inside gensim.

Each article's wiki markup is stripped to plain text; paragraphs become passages,
long ones cut at sentence boundaries. Only the articles with the most passages
are kept, so every colour on a chart stands for a topic with many points.
Parsing takes seconds, so the result is cached on disk as plain TSV (never a
pickle) and kept in memory once loaded.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from common.files import write_atomically
from inputs.wikipedia import wikipedia_sample_articles
from settings import MAX_ITEM_CHARACTERS, cache_dir

#: Articles kept: the ones with the most passages.
ARTICLE_COUNT = 10
#: Shorter paragraphs are mostly image captions, table cells and one-line asides.
MIN_PASSAGE_WORDS = 30
#: About one long paragraph; MiniLM reads at most 256 word pieces, and shorter passages keep one idea each.
MAX_PASSAGE_WORDS = 120
#: The app cuts longer items, so passages never reach the cut.
MAX_PASSAGE_CHARACTERS = MAX_ITEM_CHARACTERS
#: No article may take more than this many passages, so one article cannot dominate the chart.
#: The largest article of the sample gives 185, so today the cap keeps every article whole.
MAX_PASSAGES_PER_ARTICLE = 300
#: Bump the version when the cleaning changes; a change of the constants above is detected by the header.
CACHE_FILE = "wikipedia-passages-v1.tsv"

#: Sections after these headings are lists of links and sources, not prose.
_END_SECTIONS = {
    "see also", "references", "notes", "footnotes", "further reading", "external links", "bibliography",
    "sources", "citations", "works cited", "notes and references", "references and notes", "gallery",
}
_HEADING = re.compile(r"^\s*(=+)\s*(.*?)\s*\1\s*$")
#: Lines that start like a list, a table row, indented code or a gallery image are not prose.
_NOT_PROSE_START = re.compile(r"^(?:\s|[*#:;|!+{}]|(?:File|Image):)", re.IGNORECASE)
#: Prose paragraphs end a sentence; captions and table fragments mostly do not.
_PROSE_END = re.compile(r"[.!?:;\"')\]]$")
#: Any of these left after cleaning means the paragraph is still markup: it is dropped whole.
MARKUP = ("[[", "]]", "{{", "}}", "'''", "==", "|", "__")
_QUOTES = re.compile(r"''+")  # bold and italic marks
_PAREN_OPEN = re.compile(r"\(\s*(?:[,;:]\s*)+")  # "(; born ..." left where a pronunciation template was
_PAREN_CLOSE = re.compile(r"(?:\s*[,;:])+\s*\)")
_EMPTY_PARENS = re.compile(r"\s*\(\s*\)")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,;:.!?)])")
_REPEATED_PUNCTUATION = re.compile(r"([,;])(?:\s*[,;])+")
_GLUED_SENTENCES = re.compile(r"([a-z]{2}[.!?])([A-Z][a-z])")  # "desegregation.The": a removed image between them

_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
#: A full stop after these is not the end of a sentence ("U.S. Congress", "St. Louis", "c. 1200").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|vs|Vol|No|Gen|Col|Lt|Rev|Prof|Inc|Ltd|Co|Mt|c|ca|cf|e\.g|i\.e|al))\.$"
)


@dataclass(frozen=True)
class Passage:
    """A passage of plain text and the title of the article it comes from."""

    text: str
    article: str


def clean_wiki_text(text: str) -> list[str]:
    """Prose paragraphs of one article's text after ``gensim``'s ``filter_wiki``.

    Headings, lists, tables, captions and the link sections at the end are dropped;
    bold and italic marks and the empty brackets left by removed templates are
    removed. Each returned paragraph is one line of single-spaced text.
    """
    paragraphs = []
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            if len(heading.group(1)) == 2 and heading.group(2).strip().lower() in _END_SECTIONS:
                break
            continue
        if not line.strip() or _NOT_PROSE_START.match(line):
            continue
        paragraph = clean_line(line)
        if paragraph and _PROSE_END.search(paragraph) and not any(mark in paragraph for mark in MARKUP):
            paragraphs.append(paragraph)
    return paragraphs


def clean_line(line: str) -> str:
    """One line without bold/italic marks, empty brackets and stray spaces before punctuation."""
    line = _QUOTES.sub("", line)
    line = " ".join(line.split())
    line = _PAREN_OPEN.sub("(", line)
    line = _PAREN_CLOSE.sub(")", line)
    line = _EMPTY_PARENS.sub("", line)
    line = _REPEATED_PUNCTUATION.sub(r"\1", line)
    line = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", line)
    line = _GLUED_SENTENCES.sub(r"\1 \2", line)
    return line.strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of single-spaced text; joined with spaces they give the text back."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text, 0, match.start() + 1):
            continue
        sentences.append(text[start:match.end()].rstrip())
        start = match.end()
    if start < len(text):
        sentences.append(text[start:])
    return sentences


def chunk_text(text: str, max_words: int = MAX_PASSAGE_WORDS, max_characters: int = MAX_PASSAGE_CHARACTERS) -> list[str]:
    """Cut text into chunks of whole sentences, each within both limits, of similar sizes.

    A sentence over a limit is cut between words, and a word longer than
    ``max_characters`` is cut too. Nothing is lost: the chunks joined with
    spaces are the text with its whitespace collapsed to single spaces (plus
    a space inside each word that had to be cut).
    """
    text = " ".join(text.split())
    if not text:
        return []
    pieces = [piece for sentence in split_sentences(text) for piece in _fit(sentence, max_words, max_characters)]
    # Aim at equal chunks, so a paragraph just over the limit gives two halves, not a full chunk and a scrap.
    parts = max(math.ceil(len(text.split()) / max_words), math.ceil(len(text) / max_characters))
    target_words, target_characters = len(text.split()) / parts, len(text) / parts
    chunks: list[str] = []
    current: list[str] = []
    words = characters = 0
    for piece in pieces:
        piece_words = len(piece.split())
        if current and (words + piece_words > max_words or characters + 1 + len(piece) > max_characters):
            chunks.append(" ".join(current))
            current, words, characters = [], 0, 0
        characters += len(piece) + (1 if current else 0)
        words += piece_words
        current.append(piece)
        if words >= target_words or characters >= target_characters:
            chunks.append(" ".join(current))
            current, words, characters = [], 0, 0
    if current:
        chunks.append(" ".join(current))
    return chunks


def _fit(sentence: str, max_words: int, max_characters: int) -> list[str]:
    """The sentence itself, or pieces of it cut between words (or inside a giant word) to fit the limits."""
    if len(sentence.split()) <= max_words and len(sentence) <= max_characters:
        return [sentence]
    pieces: list[str] = []
    current: list[str] = []
    for word in sentence.split():
        while len(word) > max_characters:
            if current:
                pieces.append(" ".join(current))
                current = []
            pieces.append(word[:max_characters])
            word = word[max_characters:]
        if current and (len(current) + 1 > max_words or len(" ".join(current)) + 1 + len(word) > max_characters):
            pieces.append(" ".join(current))
            current = []
        current.append(word)
    if current:
        pieces.append(" ".join(current))
    return pieces


def article_passages(text: str) -> list[str]:
    """Passages of one article's ``filter_wiki`` text: paragraphs chunked, short ones dropped."""
    return [
        chunk
        for paragraph in clean_wiki_text(text)
        for chunk in chunk_text(paragraph)
        if len(chunk.split()) >= MIN_PASSAGE_WORDS
    ]


_passages: tuple[Passage, ...] | None = None
_passages_lock = threading.Lock()


def wikipedia_passages() -> list[Passage]:
    """Passages of the largest articles of the bundled Wikipedia sample, by article title, then position.

    Parsed once (a few seconds) and cached on disk; later calls are instant.
    """
    global _passages
    with _passages_lock:
        if _passages is None:
            _passages = tuple(_load_passages())
        return list(_passages)


def _cache_header() -> str:
    """First line of the cache file: the settings it was built with, so a change rebuilds it."""
    return (f"# {CACHE_FILE} articles={ARTICLE_COUNT} min_words={MIN_PASSAGE_WORDS} max_words={MAX_PASSAGE_WORDS} "
            f"max_characters={MAX_PASSAGE_CHARACTERS} per_article={MAX_PASSAGES_PER_ARTICLE}")


def _load_passages() -> list[Passage]:
    """Passages from the disk cache, parsing the sample (and writing the cache) when it is missing or stale."""
    path = cache_dir() / CACHE_FILE
    cached = _read_cache(path)
    if cached is not None:
        return cached
    passages = _parse_wikipedia_sample()
    _write_cache(path, passages)
    return passages


def _read_cache(path: Path) -> list[Passage] | None:
    """The cached passages, or None when the file is missing, from other settings or damaged."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != _cache_header():
        return None
    passages = []
    for line in lines[1:]:
        article, tab, text = line.partition("\t")
        if not tab or not article or not text:
            return None
        passages.append(Passage(text, article))
    return passages or None


def _write_cache(path: Path, passages: list[Passage]) -> None:
    lines = [_cache_header(), *(f"{p.article}\t{p.text}" for p in passages)]
    text = ("\n".join(lines) + "\n").encode("utf-8")
    write_atomically(path, lambda file: file.write(text))  # two first visitors may parse at the same time


def _parse_wikipedia_sample() -> list[Passage]:
    from gensim.corpora.wikicorpus import filter_wiki

    by_article: dict[str, list[str]] = {}
    seen: set[str] = set()
    for title, wikitext, _ in wikipedia_sample_articles():
        if wikitext.lstrip().lower().startswith("#redirect") or "\t" in title:
            continue
        texts = []
        for text in article_passages(filter_wiki(wikitext)):
            if text not in seen:  # the app shows each item once
                seen.add(text)
                texts.append(text)
        if texts:
            by_article[title] = texts[:MAX_PASSAGES_PER_ARTICLE]
    largest = sorted(by_article, key=lambda title: (-len(by_article[title]), title))[:ARTICLE_COUNT]
    return [Passage(text, title) for title in sorted(largest) for text in by_article[title]]
