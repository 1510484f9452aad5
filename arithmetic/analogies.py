"""Analogies: "a is to b as c is to ?", answered with gensim's vector offset (3CosAdd).

The answer is the vocabulary word whose vector is most cosine-similar to
b − a + c (each word vector first scaled to length 1), which is what gensim's
``most_similar(positive=[b, c], negative=[a])`` computes. gensim leaves the
three input words out of the answers; ``include_inputs=True`` searches again
without that rule to show whether an input would have won.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from common.vectors import unit_rows
from embedders import Embedder

#: Extra candidates fetched when inputs are kept, so that ``topn`` non-input words remain visible.
_INPUT_COUNT = 3


class AnalogyError(ValueError):
    """An analogy cannot be computed; the message says why, naming the word and the method."""


@dataclass(frozen=True)
class AnalogyPreset:
    """A ready-made analogy: ``a`` is to ``b`` as ``c`` is to ``expected``."""

    a: str
    b: str
    c: str
    expected: str
    note: str

    @property
    def label(self) -> str:
        return f"{self.a} : {self.b} :: {self.c} : ?  (expected: {self.expected})"


ANALOGY_PRESETS: tuple[AnalogyPreset, ...] = (
    AnalogyPreset(
        "man", "king", "woman", "queen",
        "The classic king − man + woman ≈ queen (often written king : man :: queen : woman). "
        "Read as “man is to king as woman is to ?”, the offset man → king (royalty) is added to woman.",
    ),
    AnalogyPreset(
        "paris", "france", "tokyo", "japan",
        "Capital → country: the offset from Paris to France, added to Tokyo, lands next to Japan.",
    ),
    AnalogyPreset(
        "big", "bigger", "small", "smaller",
        "GloVe-50d ranks “larger” before “smaller”: larger is close both to bigger (b) and to the "
        "comparative form in general, and the offset rule only rewards closeness to b and c. "
        "The comparative direction is there, the meaning of “small” is only partly kept.",
    ),
    AnalogyPreset(
        "walking", "walked", "swimming", "swam",
        "GloVe-50d gets this wrong: in news text “swimming” is mostly a sport (olympic, athletics), "
        "and the irregular past “swam” is rare, so the tense offset walking → walked does not carry over.",
    ),
)


@dataclass(frozen=True)
class Candidate:
    """One possible answer: a vocabulary word, its cosine to b − a + c, and whether it is an input."""

    word: str
    cosine: float
    is_input: bool = False


@dataclass
class AnalogyAnswer:
    """The answer to "a is to b as c is to ?" under one method.

    ``candidates`` are best first; ``answer`` is the best word that is not an
    input (gensim's answer). ``target`` is b̂ − â + ĉ (hats: unit length), the
    point the answer should be near; ``vectors`` maps a, b, c and the answer
    to their unit vectors.
    """

    method_title: str
    a: str
    b: str
    c: str
    candidates: list[Candidate]
    answer: str
    target: np.ndarray
    vectors: dict[str, np.ndarray]
    generated: list[str]


def solve_analogy(embedder: Embedder, a: str, b: str, c: str, topn: int = 10, include_inputs: bool = False) -> AnalogyAnswer:
    """Answer "``a`` is to ``b`` as ``c`` is to ?": the words nearest to b − a + c by cosine.

    With ``include_inputs`` the search keeps a, b and c among the candidates
    (flagged ``is_input``), which gensim's ``most_similar`` leaves out.
    Raises ``AnalogyError`` for a method without a vocabulary, a blank input or
    a word without a vector.
    """
    kv = _vocabulary(embedder)
    words = {"a": a.strip(), "b": b.strip(), "c": c.strip()}
    for role, word in words.items():
        if not word:
            raise AnalogyError(f"Type a word for {role}.")
    result = embedder.embed(list(words.values()))
    if result.missing:
        raise AnalogyError(
            f"{_quoted(result.missing)} {'is' if len(result.missing) == 1 else 'are'} not in "
            f"{embedder.title}'s vocabulary; try another word or another method."
        )
    key_a, key_b, key_c = (embedder.key(word) for word in words.values())
    unit = {key: _unit(vector) for key, vector in zip((key_a, key_b, key_c), result.vectors)}
    target = unit[key_b] - unit[key_a] + unit[key_c]

    excluded = kv.most_similar(positive=[key_b, key_c], negative=[key_a], topn=topn)
    if not excluded:
        raise AnalogyError(f"{embedder.title}'s vocabulary has no word besides the three inputs.")
    answer = excluded[0][0]
    if include_inputs:
        # gensim's own search vector (the normalised mean of the three unit vectors), without exclusions.
        search = kv.get_mean_vector([key_b, key_c, key_a], [1.0, 1.0, -1.0], pre_normalize=True, post_normalize=True)
        inputs = {key_a, key_b, key_c}
        found = kv.similar_by_vector(search, topn=topn + _INPUT_COUNT)
        candidates = [Candidate(word, float(score), word in inputs) for word, score in found][:topn]
    else:
        candidates = [Candidate(word, float(score)) for word, score in excluded]
    unit[answer] = _unit(kv.get_vector(answer))
    return AnalogyAnswer(embedder.title, key_a, key_b, key_c, candidates, answer, target, unit, result.generated)


@dataclass
class AnalogyPicture:
    """2-D positions for an analogy chart: PCA fitted on the analogy words and their neighbours.

    ``roles`` are "a", "b", "c", "answer" or "neighbour"; ``target`` is where
    b − a + c lands. PCA is linear, so the picture keeps the parallelogram
    a, b, target, c exact: only the distances to other words are approximate.
    """

    words: list[str]
    roles: list[str]
    coords: np.ndarray
    target: np.ndarray
    explained_variance: float


def analogy_picture(embedder: Embedder, answer: AnalogyAnswer, neighbours: int = 4) -> AnalogyPicture:
    """Project the four analogy words and ``neighbours`` nearest words of each to 2-D with PCA."""
    from sklearn.decomposition import PCA

    kv = _vocabulary(embedder)
    roles = {answer.a: "a", answer.b: "b", answer.c: "c"}
    roles.setdefault(answer.answer, "answer")
    vectors = {word: answer.vectors[word] for word in roles}
    for word in list(roles):
        found = [w for w, _ in kv.similar_by_vector(vectors[word], topn=neighbours + len(roles)) if w not in roles]
        for neighbour in found[:neighbours]:
            roles[neighbour] = "neighbour"
            vectors[neighbour] = _unit(kv.get_vector(neighbour))
    words = list(roles)
    matrix = np.array([vectors[word] for word in words], dtype=np.float64)
    pca = PCA(n_components=2, svd_solver="full").fit(matrix)
    return AnalogyPicture(
        words,
        [roles[word] for word in words],
        pca.transform(matrix),
        pca.transform(answer.target[np.newaxis, :].astype(np.float64))[0],
        float(pca.explained_variance_ratio_.sum()),
    )


def _vocabulary(embedder: Embedder):
    if not embedder.has_vocabulary:
        raise AnalogyError(
            f"{embedder.title} has no vocabulary of its own: an analogy's answer is searched among "
            "a vocabulary's words, so analogies need GloVe, Word2Vec or FastText."
        )
    embedder.load()
    return embedder.keyed_vectors


def _unit(vector: np.ndarray) -> np.ndarray:
    return unit_rows(vector[np.newaxis, :])[0]


def _quoted(words: list[str]) -> str:
    return ", ".join(f"“{word}”" for word in words)
