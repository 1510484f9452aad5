"""What each embedding method costs and what it buys, measured on this machine.

Cost: numbers per vector, bytes per vector, memory of the vocabulary or model, time to
load, time to embed 1,000 words and 1,000 sentences. Quality: agreement with people on
WordSim-353 and SimLex-999, the analogy benchmark, and how well a logistic regression
sorts the Wikipedia passages by article from the method's vectors.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from dataclasses import dataclass

from common.progress import Progress, no_progress, part_of
from embedders import Embedder
from embedders.base import keyed_vectors_from
from tradeoffs.scores import (
    WORD_PAIR_SETS,
    ClassificationScore,
    WordPairScore,
    passage_classification,
    word_pair_scores,
)

#: How many words and sentences the embedding times are measured on.
SAMPLE_SIZE = 1000


@dataclass(frozen=True)
class MethodCost:
    """What one method costs on this machine (``cores`` says how many it had)."""

    method: str
    title: str
    word_dimensions: int
    sentence_dimensions: int
    memory_bytes: int
    load_seconds: float | None
    words_seconds: float
    sentences_seconds: float
    cores: int

    @property
    def bytes_per_word(self) -> int:
        return 4 * self.word_dimensions  # float32


@dataclass(frozen=True)
class MethodQuality:
    """What one method's vectors are good for. ``analogies`` is None for a method without a vocabulary."""

    method: str
    title: str
    word_pairs: tuple[WordPairScore, ...]
    analogies: float | None
    analogy_questions: int
    passages: ClassificationScore


def cores() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def sample_words(size: int = SAMPLE_SIZE) -> list[str]:
    """The ``size`` most frequent words of the bundled Wikipedia sample."""
    from embedders.corpus import bundled_corpus

    counts = Counter(token for document in bundled_corpus().documents for token in document)
    return [word for word, _ in counts.most_common(size)]


def sample_sentences(size: int = SAMPLE_SIZE) -> list[str]:
    """``size`` sentences of the Wikipedia passages, taken from every article in turn."""
    from inputs.passages import split_sentences, wikipedia_passages

    by_article: dict[str, list[str]] = {}
    for passage in wikipedia_passages():
        by_article.setdefault(passage.article, []).extend(split_sentences(passage.text))
    chosen: list[str] = []
    for turn in range(max(len(sentences) for sentences in by_article.values())):
        chosen.extend(sentences[turn] for sentences in by_article.values() if turn < len(sentences))
    return chosen[:size]


def measure_cost(embedder: Embedder, progress: Progress = no_progress) -> MethodCost:
    """Load ``embedder`` (if needed) and time it on ``SAMPLE_SIZE`` words and sentences."""
    embedder.load(progress)
    words, sentences = sample_words(), sample_sentences()
    progress(0.3, f"{embedder.title}: embedding {len(words):,} words…")
    started = time.perf_counter()
    word_vectors = embedder.embed(words).vectors
    words_seconds = time.perf_counter() - started
    progress(0.6, f"{embedder.title}: embedding {len(sentences):,} sentences…")
    started = time.perf_counter()
    sentence_vectors = embedder.embed_sentences(sentences).vectors
    sentences_seconds = time.perf_counter() - started
    return MethodCost(embedder.name, embedder.title, word_vectors.shape[1], sentence_vectors.shape[1],
                      embedder.memory_bytes, embedder.load_seconds, words_seconds, sentences_seconds, cores())


def test_set_words() -> list[str]:
    """Every word of WordSim-353 and SimLex-999, lower-cased, in file order."""
    from gensim.test.utils import datapath

    words: dict[str, None] = {}
    for file_name in WORD_PAIR_SETS.values():
        with open(datapath(file_name), encoding="utf-8") as lines:
            for line in lines:
                fields = line.split("\t")
                if not line.startswith("#") and len(fields) == 3:
                    words.update(dict.fromkeys(field.strip().lower() for field in fields[:2]))
    return list(words)


def measure_quality(embedder: Embedder, passage_vectors, passage_labels, progress: Progress = no_progress,
                    ) -> MethodQuality:
    """Word-pair agreement, analogies (methods with a vocabulary) and the passage task for ``embedder``.

    ``passage_vectors`` are the method's vectors of the passages labelled ``passage_labels``.
    A method without a vocabulary is scored on the test sets' words embedded one by one.
    """
    from arithmetic.benchmark import evaluate_analogies

    embedder.load(progress)
    kv = embedder.keyed_vectors
    if kv is None:
        embedded = embedder.embed(test_set_words())
        kv = keyed_vectors_from(embedded.words, embedded.vectors)
    progress(0.2, f"{embedder.title}: word pairs…")
    pairs = tuple(word_pair_scores(kv))
    analogies, questions = None, 0
    if embedder.has_vocabulary:
        progress(0.4, f"{embedder.title}: analogies…")
        overall = evaluate_analogies(embedder).overall
        analogies, questions = overall.accuracy, overall.evaluated
    progress(0.8, f"{embedder.title}: sorting passages by article…")
    return MethodQuality(embedder.name, embedder.title, pairs, analogies, questions,
                         passage_classification(passage_vectors, passage_labels))


def measure_method(embedder: Embedder, progress: Progress = no_progress) -> tuple[MethodCost, MethodQuality]:
    """``measure_cost`` and ``measure_quality`` of ``embedder``, on the Wikipedia passages (whose vectors a
    shared model stores on disk for next time: MiniLM takes a minute or two for them)."""
    from embedders.stored import stored_embedding
    from inputs import wordlists

    cost = measure_cost(embedder, part_of(progress, 0.0, 0.5))
    passages = wordlists.load_preset(wordlists.PASSAGES_PRESET, lowercase=True)
    progress(0.5, f"{embedder.title}: embedding {len(passages):,} passages…")
    vectors = stored_embedding(embedder, wordlists.PASSAGES_PRESET, tuple(passages.items), True,
                               lambda: embedder.embed_sentences(passages.items, part_of(progress, 0.5, 0.7))).vectors
    return cost, measure_quality(embedder, vectors, passages.groups, part_of(progress, 0.7, 1.0))


def spearman(quality: MethodQuality, test_set: str) -> float:
    """The Spearman correlation on one test set (NaN when nothing could be scored)."""
    return next((score.spearman for score in quality.word_pairs if score.test_set == test_set), math.nan)
