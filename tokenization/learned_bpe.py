"""A byte-pair encoding learned live from the bundled Wikipedia sample, merge by merge.

Hugging Face ``tokenizers`` trains it (``models.BPE`` with a ``BpeTrainer``): starting from
single characters, it merges the most frequent adjacent pair of symbols into one new symbol,
again and again, until the vocabulary is full. "t" + "h" becomes "th" first.

The trainer reports no counts, so ``count`` of each merge (how often its pair occurred just
before it was merged) is read back from the result: a token's occurrences right after it
was made are its occurrences in the final cut plus those that later merges used up
(``merge_counts``); pairs of a symbol with itself, which can overlap, are counted directly.

Trained once per process from bundled data (about a second), then shared read-only.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from common.progress import Progress, no_progress

#: Vocabulary of the learned BPE: its alphabet (every character of the corpus) plus the merges.
#: Small on purpose: enough to watch common words form, few enough to step through in class.
VOCABULARY_SIZE = 3_000
#: What a character outside the learned alphabet becomes.
UNKNOWN = "[UNK]"
#: Words cut at once in the view: each is a row of chips.
MAX_WORDS = 12


@dataclass(frozen=True)
class Merge:
    """One step of the training: ``left`` + ``right`` becomes ``left + right``."""

    step: int  # 1 for the first merge
    left: str
    right: str
    count: int  # occurrences of the pair in the corpus just before this merge

    @property
    def result(self) -> str:
        return self.left + self.right


@dataclass(frozen=True)
class WordStage:
    """A word after the merge that last changed it (``merge`` None: the word as single characters)."""

    merge: Merge | None
    pieces: list[str]


@dataclass(frozen=True)
class LearnedBpe:
    """The trained merges, in order, and the vocabulary they build (read-only: shared by every session)."""

    merges: tuple[Merge, ...]
    vocabulary: Mapping[str, int]
    alphabet: tuple[str, ...]
    corpus_name: str
    word_count: int  # words of the corpus the trainer read
    distinct_words: int
    seconds: float  # training time on this machine

    @cached_property
    def _by_result(self) -> dict[str, Merge]:
        return {merge.result: merge for merge in self.merges}

    def merge_of(self, piece: str) -> Merge | None:
        """The merge that made ``piece`` (None for a character of the alphabet)."""
        return self._by_result.get(piece)

    def cut(self, word: str, merges: int) -> list[str]:
        """``word`` (lower-cased) in pieces after the first ``merges`` merges; unknown characters become [UNK]."""
        pairs = [(merge.left, merge.right) for merge in self.merges[: max(0, merges)]]
        return [token.value for token in _model(self.vocabulary, pairs).tokenize(word.lower())]

    def history(self, word: str, merges: int) -> list[WordStage]:
        """How ``word`` was built up to merge ``merges``: its characters, then the word after each merge that changed it."""
        steps: set[int] = set()
        pending = self.cut(word, merges)
        while pending:  # take the pieces apart again, down to characters, collecting the merges that made them
            merge = self.merge_of(pending.pop())
            if merge is not None:
                steps.add(merge.step)
                pending.extend((merge.left, merge.right))
        stages = [WordStage(None, self.cut(word, 0))]
        stages += [WordStage(self.merges[step - 1], self.cut(word, step)) for step in sorted(steps)]
        return stages


def words_of(text: str) -> list[str]:
    """The words the learned BPE cuts: ``text`` lower-cased and split at white space, at most ``MAX_WORDS``."""
    return text.lower().split()[:MAX_WORDS]


def _model(vocabulary: Mapping[str, int], pairs: Sequence[tuple[str, str]]):
    """A ``tokenizers`` BPE model that applies ``pairs`` (the first merges, in order) and nothing else."""
    from tokenizers import models

    return models.BPE(vocab=dict(vocabulary), merges=list(pairs), unk_token=UNKNOWN)


def train(documents: Sequence[Sequence[str]], corpus_name: str, vocabulary_size: int = VOCABULARY_SIZE,
          progress: Progress = no_progress) -> LearnedBpe:
    """Train a BPE on ``documents`` (lists of words, split at white space as given) with ``tokenizers``."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    started = time.monotonic()
    tokenizer = Tokenizer(models.BPE(unk_token=UNKNOWN))
    # The words are already split: the trainer must not cut them again (at apostrophes, say).
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    trainer = trainers.BpeTrainer(vocab_size=vocabulary_size, special_tokens=[UNKNOWN], show_progress=False)
    progress(0.2, f"Learning {vocabulary_size:,} pieces from {corpus_name}…")
    tokenizer.train_from_iterator((" ".join(document) for document in documents), trainer,
                                  length=len(documents))
    seconds = time.monotonic() - started
    progress(0.8, "Counting how often each merged pair occurred…")
    saved = json.loads(tokenizer.to_str())["model"]
    pairs = [(left, right) for left, right in saved["merges"]]
    vocabulary = dict(saved["vocab"])
    counts = Counter(word for document in documents for word in document)
    final: Counter[str] = Counter()
    for word, count in counts.items():
        for token in tokenizer.model.tokenize(word):
            final[token.value] += count
    merged = merge_counts(pairs, final)
    for index, (left, right) in enumerate(pairs):
        if left == right:  # "i i i" holds two pairs (i, i) but makes one "ii": count the pairs, as the trainer does
            merged[index] = _self_pair_count(left, counts, _model(vocabulary, pairs[:index]))
    merges = tuple(Merge(step, left, right, count)
                   for step, ((left, right), count) in enumerate(zip(pairs, merged), start=1))
    made = {merge.result for merge in merges}
    alphabet = tuple(sorted(token for token in vocabulary if token != UNKNOWN and token not in made))
    progress(1.0, "The BPE is ready.")
    return LearnedBpe(merges, MappingProxyType(vocabulary), alphabet, corpus_name, sum(counts.values()), len(counts),
                      seconds)


def merge_counts(pairs: Sequence[tuple[str, str]], final: Mapping[str, int]) -> list[int]:
    """How often each merge was applied, from the tokens' counts in the final cut.

    Walking back from the last merge: the pieces a merge made occur as often as they do in the
    final cut plus as often as later merges used them up (twice for a merge of a piece with itself).
    For a pair of two different symbols that is how often the pair occurred just before the merge;
    a pair of a symbol with itself can overlap ("i i i"), so ``train`` counts those pairs directly.
    """
    occurrences = dict(final)
    counts = [0] * len(pairs)
    for index in range(len(pairs) - 1, -1, -1):
        left, right = pairs[index]
        made = occurrences.get(left + right, 0)
        counts[index] = made
        for part in (left, right):
            occurrences[part] = occurrences.get(part, 0) + made
    return counts


def _self_pair_count(symbol: str, counts: Mapping[str, int], before) -> int:
    """Adjacent (``symbol``, ``symbol``) pairs over the corpus's words as the BPE model ``before`` cuts them."""
    total = 0
    for word, count in counts.items():
        if symbol * 2 in word:  # only a word that spells the symbol twice in a row can hold the pair
            pieces = [token.value for token in before.tokenize(word)]
            total += count * sum(a == b == symbol for a, b in zip(pieces, pieces[1:]))
    return total


_learned: LearnedBpe | None = None
_lock = threading.Lock()


def load(progress: Progress = no_progress) -> None:
    """Train the BPE on the bundled Wikipedia sample once per process; later calls return at once."""
    global _learned
    with _lock:
        if _learned is not None:
            return
        from embedders.corpus import bundled_corpus

        progress(0.05, "Reading the bundled Wikipedia sample…")
        corpus = bundled_corpus()
        _learned = train(corpus.documents, corpus.name, progress=progress)


def loaded() -> bool:
    return _learned is not None


def learned() -> LearnedBpe:
    """The BPE learned from the bundled corpus, training it first if needed."""
    load()
    assert _learned is not None
    return _learned

