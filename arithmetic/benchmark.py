"""The analogy benchmark: accuracy on gensim's bundled ``questions-words.txt``, by section.

The test set of the original word2vec paper: 19,544 questions in 14 sections
(capital-common-countries, family, gram3-comparative …). A question counts as
correct when the word nearest to b − a + c (inputs left out) is exactly the
expected one: the 3CosAdd rule of ``KeyedVectors.evaluate_word_analogies``.

We score the questions ourselves, in batches, rather than calling
``evaluate_word_analogies``: that method has no progress hook, asks
``most_similar`` one question at a time (milliseconds each, minutes for the whole
set) and temporarily swaps the model's ``key_to_index``, which would break other
sessions sharing the same vectors while it runs. The rule and the vocabulary
restriction are the same; a test checks that both agree.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from common.progress import Progress, fraction_done, no_progress
from common.vectors import unit_rows
from embedders import Embedder

#: Like gensim's ``restrict_vocab``: questions and answers use only the first words of the
#: vocabulary, the most frequent ones for GloVe, Word2Vec and FastText. It keeps the search fast and
#: the comparison fair (rare words such as “swam” are left out for every method alike).
DEFAULT_RESTRICT_VOCAB = 30_000
#: Scores held at once ([questions x searched words] float32, about 64 MB), whatever the restriction.
MAX_SCORES_PER_BATCH = 16_000_000


def questions_path() -> str:
    """The analogy questions that ship with gensim's test data."""
    from gensim.test.utils import datapath

    return datapath("questions-words.txt")


@functools.lru_cache(maxsize=1)
def load_questions(path: str | None = None) -> dict[str, tuple[tuple[str, str, str, str], ...]]:
    """Questions ``(a, b, c, expected)`` by section, in file order, as written in the file."""
    sections: dict[str, list[tuple[str, str, str, str]]] = {}
    current: list | None = None
    with open(path or questions_path(), encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(":"):
                current = sections.setdefault(line[1:].strip(), [])
            elif current is not None and len(line.split()) == 4:
                current.append(tuple(line.split()))
    return {name: tuple(questions) for name, questions in sections.items()}


def section_names() -> list[str]:
    """The sections of the bundled question set, in file order."""
    return list(load_questions())


@dataclass
class SectionScore:
    """How one method did on one section.

    ``questions`` is the section's size, ``evaluated`` how many had all four
    words among the searched vocabulary (the rest are skipped, as gensim does).
    """

    section: str
    questions: int
    evaluated: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.evaluated if self.evaluated else None


@dataclass
class BenchmarkResult:
    """Accuracy by section and overall for one method, with the vocabulary it searched."""

    method_title: str
    restrict_vocab: int
    vocabulary_size: int
    sections: list[SectionScore]

    @property
    def searched_words(self) -> int:
        return min(self.restrict_vocab, self.vocabulary_size)

    @property
    def overall(self) -> SectionScore:
        return SectionScore(
            "all sections",
            sum(s.questions for s in self.sections),
            sum(s.evaluated for s in self.sections),
            sum(s.correct for s in self.sections),
        )

    def section(self, name: str) -> SectionScore:
        return next(s for s in self.sections if s.section == name)

    def restriction(self) -> str:
        """One sentence stating which words were searched."""
        if self.vocabulary_size <= self.restrict_vocab:
            return (f"All {self.vocabulary_size:,} words of {self.method_title}'s vocabulary were searched; "
                    "questions with a word outside it were skipped.")
        return (f"Only the first {self.restrict_vocab:,} of the {self.vocabulary_size:,} words in "
                f"{self.method_title}'s vocabulary order were searched; questions with a word outside them "
                "were skipped.")


def evaluate_analogies(
    embedder: Embedder,
    sections: list[str] | None = None,
    restrict_vocab: int = DEFAULT_RESTRICT_VOCAB,
    progress: Progress = no_progress,
) -> BenchmarkResult:
    """Score ``embedder`` on the chosen ``sections`` (all by default) of ``questions-words.txt``.

    ``progress`` is called with the fraction of questions done. Raises
    ``ValueError`` for a method without a vocabulary or an unknown section.
    """
    if not embedder.has_vocabulary:
        raise ValueError(f"{embedder.title} has no vocabulary to search for answers.")
    if restrict_vocab < 1:
        raise ValueError("restrict_vocab must be at least 1.")
    questions = load_questions()
    chosen = list(questions) if sections is None else list(sections)
    unknown = [name for name in chosen if name not in questions]
    if unknown:
        raise ValueError(f"Unknown section(s): {', '.join(unknown)}; choose from: {', '.join(questions)}.")
    embedder.load()
    kv = embedder.keyed_vectors
    searched = min(restrict_vocab, len(kv.index_to_key))
    unit = unit_rows(kv.vectors[:searched], dtype=np.float32)  # float32 halves the memory of GloVe's rows
    index = {key: i for key, i in kv.key_to_index.items() if i < searched}

    batch_size = max(1, MAX_SCORES_PER_BATCH // searched)
    total = max(1, sum(len(questions[name]) for name in chosen))
    done = 0
    scores = []
    for name in chosen:
        rows = [tuple(index.get(embedder.key(word)) for word in question) for question in questions[name]]
        known = np.array([row for row in rows if None not in row], dtype=np.int64).reshape(-1, 4)
        correct = 0
        for start in range(0, len(known), batch_size):
            correct += _count_correct(unit, known[start : start + batch_size])
            scored = min(start + batch_size, len(known))
            progress(fraction_done(done + scored, total), f"{name}: {scored} of {len(known)} questions scored")
        done += len(rows)
        progress(done / total, f"{name} done")
        scores.append(SectionScore(name, len(rows), len(known), correct))
    return BenchmarkResult(embedder.title, restrict_vocab, len(kv.index_to_key), scores)


def _count_correct(unit: np.ndarray, batch: np.ndarray) -> int:
    """How many rows (a, b, c, expected) of vocabulary indices the offset rule gets right."""
    a, b, c, expected = batch.T
    # gensim normalises the mean of the three unit vectors; scaling does not change the argmax.
    queries = unit[b] - unit[a] + unit[c]
    similarities = queries @ unit.T
    rows = np.arange(len(batch))
    for inputs in (a, b, c):
        similarities[rows, inputs] = -np.inf  # the inputs never count as answers
    return int(np.sum(np.argmax(similarities, axis=1) == expected))
