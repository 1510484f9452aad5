"""What the vectors are good for: agreement with human similarity judgments, and how well they sort passages.

Word pairs: Spearman and Pearson correlation between the cosine similarity of two
words and people's ratings, on WordSim-353 and SimLex-999 (both ship with gensim's
test data), through ``KeyedVectors.evaluate_word_pairs``. Passages: cross-validated
accuracy of a logistic regression (scikit-learn) predicting each item's group.

The analogy benchmark lives in ``arithmetic.benchmark.evaluate_analogies``.
"""

from __future__ import annotations

import copy
import functools
import math
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: The human-judgment test sets, by display name, as files of gensim's test data.
WORD_PAIR_SETS = {"WordSim-353": "wordsim353.tsv", "SimLex-999": "simlex999.txt"}
#: lbfgs converged in under 20 iterations on unit rows of 50 to 30,000 dimensions (measured, 400 items):
#: scikit-learn's default of 100 would do; this leaves room for harder groups without a ConvergenceWarning.
MAX_ITERATIONS = 1_000


@dataclass(frozen=True)
class WordPairScore:
    """Agreement with one human-judgment test set.

    ``pairs`` is the test set's size and ``skipped`` the share (0..1) of pairs left out
    because a word is outside the vocabulary; the correlations are NaN when every pair was.
    """

    test_set: str
    spearman: float
    pearson: float
    pairs: int
    skipped: float

    @property
    def evaluated(self) -> int:
        """The pairs whose two words are both in the vocabulary."""
        return round(self.pairs * (1 - self.skipped))


@dataclass(frozen=True)
class ClassificationScore:
    """Cross-validated accuracy of predicting each item's group from its vector.

    ``chance`` is the share of the largest group (always guessing it); ``notes`` say
    which groups were left out and whether fewer folds than asked were used.
    """

    accuracy: float
    std: float
    folds: int
    items: int
    classes: int
    chance: float
    notes: tuple[str, ...] = ()


def word_pair_scores(kv) -> list[WordPairScore]:
    """WordSim-353 and SimLex-999 scores of a gensim ``KeyedVectors``, searching its whole vocabulary.

    Case-insensitive as gensim's default: a test word matches the first key that differs only in case.
    """
    from gensim.test.utils import datapath
    from scipy.stats import ConstantInputWarning

    # evaluate_word_pairs swaps self.key_to_index for its own table while it runs, whatever the
    # arguments (gensim 4.x). The vectors are shared between sessions, so it runs on a shallow
    # copy: its own attribute to swap, the same arrays and dictionaries underneath (nothing copied).
    private = copy.copy(kv)
    scores = []
    for name, file_name in WORD_PAIR_SETS.items():
        path = datapath(file_name)
        try:
            with warnings.catch_warnings():  # constant similarities (one-hot) give NaN, which the page shows
                warnings.simplefilter("ignore", ConstantInputWarning)
                pearson, spearman, oov_percent = private.evaluate_word_pairs(path, restrict_vocab=len(kv.index_to_key))
        except ValueError:  # gensim raises when no pair has both words in the vocabulary
            scores.append(WordPairScore(name, math.nan, math.nan, _pair_count(path), 1.0))
            continue
        scores.append(WordPairScore(name, float(spearman[0]), float(pearson[0]), _pair_count(path),
                                    float(oov_percent) / 100))
    return scores


@functools.cache
def _pair_count(path: str) -> int:
    """The pairs in a test-set file, counted by gensim's rule (comment lines and malformed lines skipped)."""
    count = 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            fields = line.split("\t")
            if line.startswith("#") or len(fields) != 3:
                continue
            try:
                float(fields[2])
            except ValueError:
                continue
            count += 1
    return count


def passage_classification(vectors: np.ndarray, labels: Sequence[str], folds: int = 5,
                           seed: int = 0) -> ClassificationScore:
    """Mean and standard deviation of the accuracy of a logistic regression over stratified folds.

    Rows are scaled to unit length first (cosine geometry, as everywhere else here, so a
    vector's length, often word frequency, decides nothing). Groups with a single item
    cannot be both learned and tested and are left out; with a group smaller than
    ``folds``, fewer folds are used. Raises ``ValueError`` when fewer than two groups remain.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    vectors = np.asarray(vectors, dtype=np.float32)
    names = np.asarray([str(label) for label in labels])  # an array of its own: ``labels`` is any sequence
    if len(vectors) != len(names):
        raise ValueError(f"{len(vectors)} vectors but {len(names)} labels.")
    if folds < 2:
        raise ValueError("Cross-validation needs at least 2 folds.")
    notes = []
    sizes: Counter[str] = Counter(names.tolist())
    single = sorted(label for label, size in sizes.items() if size < 2)
    if single:
        notes.append(f"Left out {len(single)} group(s) with a single item: {', '.join(single)}.")
        keep = ~np.isin(names, single)
        vectors, names = vectors[keep], names[keep]
        sizes = Counter(names.tolist())
    if len(sizes) < 2:
        raise ValueError(f"Classification needs at least two groups with two or more items each; "
                         f"found {len(sizes)}.")
    smallest = min(sizes.values())
    if smallest < folds:
        notes.append(f"{smallest} folds instead of {folds}: the smallest group has {smallest} items.")
        folds = smallest

    model = make_pipeline(Normalizer(), LogisticRegression(max_iter=MAX_ITERATIONS))
    splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    accuracy = cross_val_score(model, vectors, names, cv=splits, scoring="accuracy")
    return ClassificationScore(float(np.mean(accuracy)), float(np.std(accuracy)), folds, len(names), len(sizes),
                               max(sizes.values()) / len(names), tuple(notes))
