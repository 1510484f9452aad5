"""The text corpora that count, TF-IDF, Word2Vec and FastText learn from.

The default is a Wikipedia sample that ships inside gensim (about 450k tokens
in 106 articles), so training needs no network. Users can bring their own text.
Tokenized corpora are cached as plain text (one document per line), never as
pickles.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from common.files import write_atomically
from common.fingerprints import fingerprint
from inputs.wikipedia import wikipedia_sample_articles
from settings import cache_dir

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
#: Fewer words than this leave almost every word below the minimum count of 3.
MIN_CORPUS_TOKENS = 1000


@dataclass(frozen=True)
class Corpus:
    """A tokenized corpus: a tuple of documents, each a list of lower-case tokens."""

    name: str
    documents: tuple[list[str], ...]
    fingerprint: str

    @property
    def token_count(self) -> int:
        return sum(len(doc) for doc in self.documents)

    def describe(self) -> str:
        """One line for the user: name, size."""
        return f"{self.name}: {self.token_count:,} words in {len(self.documents):,} documents"


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, as the bundled corpus is tokenized."""
    return _TOKEN.findall(text.lower())


class CorpusError(ValueError):
    """The text cannot serve as a training corpus; the message says why."""


def corpus_from_text(text: str, name: str = "uploaded text") -> Corpus:
    """A corpus from plain text: paragraphs (separated by blank lines) are documents.

    Text without blank lines is read one document per line. Raises ``CorpusError``
    when there are fewer than ``MIN_CORPUS_TOKENS`` words to learn from.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paragraphs) == 1:
        paragraphs = text.splitlines()
    documents = tuple(doc for doc in (tokenize(p) for p in paragraphs) if doc)
    corpus = Corpus(name, documents, fingerprint(text)[:16])
    if corpus.token_count < MIN_CORPUS_TOKENS:
        raise CorpusError(
            f"{name} has {corpus.token_count:,} words; training needs at least {MIN_CORPUS_TOKENS:,}."
        )
    return corpus


_bundled: Corpus | None = None
_bundled_lock = threading.Lock()


def bundled_corpus() -> Corpus:
    """The Wikipedia sample shipped with gensim, tokenized once and cached on disk."""
    global _bundled
    with _bundled_lock:
        if _bundled is None:
            _bundled = _load_bundled_corpus()
        return _bundled


def _load_bundled_corpus() -> Corpus:
    cached = cache_dir() / "corpus-enwiki-sample.txt"
    text = cached.read_text(encoding="utf-8") if cached.exists() else _tokenize_wikipedia_sample(cached)
    documents = tuple(line.split() for line in text.splitlines())
    return Corpus("Wikipedia sample (bundled with gensim)", documents, "enwiki-sample-v1")


def _tokenize_wikipedia_sample(target: Path) -> str:
    """The sample's articles as lines of tokens, also written to ``target`` for later processes.

    The same articles and tokens as gensim's ``WikiCorpus(...).get_texts()`` with its defaults, without
    the process pool it forks (see ``wikipedia_sample_articles``).
    """
    from gensim.corpora.wikicorpus import ARTICLE_MIN_WORDS, IGNORED_NAMESPACES, process_article

    lines = []
    for title, wikitext, pageid in wikipedia_sample_articles():
        tokens, _, _ = process_article((wikitext, title, pageid))
        # WikiCorpus's own pruning of redirects, stubs and pages of other namespaces
        if len(tokens) >= ARTICLE_MIN_WORDS and not any(title.startswith(f"{ns}:") for ns in IGNORED_NAMESPACES):
            lines.append(" ".join(tokens))
    text = "\n".join(lines)
    write_atomically(target, lambda file: file.write(text.encode("utf-8")))  # a crash never leaves half a corpus
    return text
