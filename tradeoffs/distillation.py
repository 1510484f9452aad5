"""A student of MiniLM: 64 numbers per text from cheap features, trained here to reproduce MiniLM's similarities.

Compression (``tradeoffs.compression``) stores MiniLM's vectors in fewer bytes, but every text still has
to go through the transformer first. A student is cheaper to *run*: its input comes straight from the text
(TF-IDF of words and word pairs plus character n-grams, scikit-learn), and one linear map turns that into
64 numbers. It is trained on part of the Wikipedia passages so that the cosine similarity of two passages'
student vectors is MiniLM's cosine similarity of the same two passages, and measured on the passages it
never saw: how many of MiniLM's 10 nearest neighbours it finds, how well its vectors sort passages by
article, how it ranks WordSim-353's word pairs, and how long it takes per text, next to MiniLM and to
MiniLM's vectors stored smaller.

Training starts from a ridge regression onto MiniLM's training vectors reduced to 64 numbers with PCA
(a closed-form least-squares fit that already places the student in MiniLM's main directions), then
minimises the mean squared difference between the student's and MiniLM's pairwise cosines over all
training pairs (full batch: a thousand passages make a million pairs; 60 steps took 39 s here at load 5).
The cosines are what the page measures, and matching them leaves the student free to use its 64 numbers
as it likes, where regressing onto PCA coordinates spends them on the variance PCA happens to keep.
Measured here on the held-out passages (recall@10 of MiniLM's neighbours): the ridge start 0.566, trained
0.567 (held-out cosine error 0.027 to 0.019); a softmax (KL) loss over each row's similarities 0.548, and a
small MLP (512 → 256 → 64 on 512 SVD components) 0.536 with either loss: the linear map is kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from common.progress import Progress, no_progress, part_of
from common.vectors import exact_neighbours, unit_rows
from embedders.base import keyed_vectors_from
from retrieval import recall_at_k, without_query
from tradeoffs.compression import RECALL_K, storage_forms
from tradeoffs.scores import passage_classification, word_pair_scores

STUDENT = "student"
TEACHER = "teacher"
COMPRESSED = "teacher stored smaller"
FEATURES = "student's input"


@dataclass(frozen=True)
class StudentSettings:
    """How the student is built and trained (all part of a stored measurement's fingerprint)."""

    dimensions: int = 64
    #: Passages kept out of training, for every number about generalisation (stratified by article).
    held_out: float = 0.3
    epochs: int = 60
    learning_rate: float = 1e-3
    #: Ridge's regularisation for the starting point (0.1 kept most neighbours on held-out passages of 1, 3, 10).
    ridge_alpha: float = 0.1
    #: Words and word pairs, and character n-grams of 3 to 5 inside words (which also embed unseen words).
    word_ngrams: tuple[int, int] = (1, 2)
    character_ngrams: tuple[int, int] = (3, 5)
    #: Features in fewer passages than this are dropped (they cannot generalise).
    min_passages: int = 2
    #: MiniLM's time per text is measured on this many held-out passages (all of them would take a minute).
    timed_texts: int = 64
    seed: int = 0


@dataclass(frozen=True)
class DistilledRow:
    """One way of getting passage vectors and what it keeps of MiniLM, measured on the held-out passages.

    ``recall`` is recall@10 of MiniLM's own neighbours among the held-out passages; ``passages`` the
    accuracy of ``tradeoffs.scores.passage_classification`` on them; ``wordsim`` WordSim-353's Spearman
    correlation (NaN where it does not apply); ``ms_per_text`` the time to embed one passage, from its text
    (the stored-smaller forms need MiniLM first, so theirs is MiniLM's)."""

    name: str
    kind: str
    bytes_per_vector: float
    recall: float
    passages: float
    wordsim: float
    ms_per_text: float


@dataclass(frozen=True)
class Distillation:
    """The student next to MiniLM, MiniLM stored smaller, and the student's raw input and untrained start."""

    rows: tuple[DistilledRow, ...]
    train_passages: int
    held_out_passages: int
    #: Fitting the features, the ridge start and every training step.
    train_seconds: float
    epochs: int
    #: Mean squared difference of the pairwise cosines on the held-out passages, before and after training.
    start_loss: float
    final_loss: float
    #: recall@10 of picking 10 passages at random, and the share of the largest article.
    chance_recall: float
    passages_chance: float
    settings: StudentSettings = field(default_factory=StudentSettings)

    @property
    def teacher(self) -> DistilledRow:
        """MiniLM's own row (the first)."""
        return self.rows[0]

    @property
    def student(self) -> DistilledRow:
        """The trained student's row (the last)."""
        return self.rows[-1]


@dataclass(frozen=True)
class Student:
    """A trained student: the fitted scikit-learn features and the linear map (``weights`` d × features)."""

    features: object
    weights: np.ndarray
    bias: np.ndarray
    epochs: int
    losses: tuple[float, ...]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors of ``texts`` (any text: a passage or a single word)."""
        inputs = self.features.transform(list(texts))  # type: ignore[attr-defined]
        return unit_rows(np.asarray(inputs @ self.weights.T) + self.bias, dtype=np.float32)


def feature_extractor(settings: StudentSettings):
    """TF-IDF of words and word pairs next to TF-IDF of character n-grams (unfitted scikit-learn union)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(ngram_range=settings.word_ngrams, sublinear_tf=True, min_df=settings.min_passages,
                        dtype=np.float32),
        TfidfVectorizer(analyzer="char_wb", ngram_range=settings.character_ngrams, sublinear_tf=True,
                        min_df=settings.min_passages, dtype=np.float32))


def split_passages(labels: Sequence[str], settings: StudentSettings) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the training and held-out passages, stratified by article (scikit-learn)."""
    from sklearn.model_selection import train_test_split

    rows = np.arange(len(labels))
    train, held = train_test_split(rows, test_size=settings.held_out, random_state=settings.seed,
                                   stratify=list(labels))
    return np.sort(train), np.sort(held)


def cosine_loss(student: np.ndarray, teacher: np.ndarray) -> float:
    """Mean squared difference between two sets of vectors' pairwise cosines (the training objective)."""
    a, b = unit_rows(student), unit_rows(teacher)
    return float(np.mean((a @ a.T - b @ b.T) ** 2))


def train_student(texts: Sequence[str], teacher: np.ndarray, settings: StudentSettings = StudentSettings(),
                  progress: Progress = no_progress, epochs: int | None = None) -> Student:
    """Fit the features on ``texts``, start from ridge onto the teacher's PCA coordinates and train the linear
    map for ``epochs`` (the settings' by default; 0 keeps the ridge start) on the pairwise-cosine loss.

    Deterministic for a given seed; torch uses its own generator, not the process's.
    """
    import torch
    from sklearn.decomposition import PCA
    from sklearn.linear_model import Ridge

    epochs = settings.epochs if epochs is None else epochs
    progress(0.0, f"Fitting TF-IDF features on {len(texts):,} passages…")
    features = feature_extractor(settings)
    inputs = features.fit_transform(list(texts)).astype(np.float32).tocsr()
    progress(0.05, "Starting point: ridge regression onto MiniLM's vectors reduced with PCA…")
    targets = PCA(n_components=settings.dimensions, random_state=settings.seed).fit_transform(teacher)
    ridge = Ridge(alpha=settings.ridge_alpha, random_state=settings.seed).fit(inputs, targets)
    weights = np.ascontiguousarray(ridge.coef_, dtype=np.float32)
    bias = np.asarray(ridge.intercept_, dtype=np.float32)
    losses: list[float] = []
    if epochs:
        coo = inputs.tocoo()
        sparse = torch.sparse_coo_tensor(torch.from_numpy(np.vstack([coo.row, coo.col]).astype(np.int64)),
                                         torch.from_numpy(coo.data), coo.shape, check_invariants=True).coalesce()
        unit = torch.nn.functional.normalize(torch.from_numpy(np.asarray(teacher, dtype=np.float32)), dim=1)
        wanted = unit @ unit.T
        w = torch.nn.Parameter(torch.from_numpy(weights.copy()))
        b = torch.nn.Parameter(torch.from_numpy(bias.copy()))
        optimiser = torch.optim.Adam([w, b], lr=settings.learning_rate)
        with torch.random.fork_rng(devices=[]):  # nothing random today; a seed of its own if that changes
            torch.manual_seed(settings.seed)
            for epoch in range(epochs):
                vectors = torch.nn.functional.normalize(torch.sparse.mm(sparse, w.T) + b, dim=1)
                loss = ((vectors @ vectors.T - wanted) ** 2).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                losses.append(float(loss.detach()))
                progress(0.1 + 0.9 * (epoch + 1) / epochs,
                         f"Training the student: step {epoch + 1} of {epochs}, loss {losses[-1]:.4f}")
        weights, bias = w.detach().numpy().copy(), b.detach().numpy().copy()
    return Student(features, weights, bias, epochs, tuple(losses))


def neighbours(vectors: np.ndarray, k: int = RECALL_K) -> np.ndarray:
    """Each row's ``k`` nearest other rows (cosine, exact)."""
    unit = np.ascontiguousarray(unit_rows(vectors, dtype=np.float32))
    return without_query(exact_neighbours(unit, unit, k + 1)[1], np.arange(len(unit)), k)


def distil(texts: Sequence[str], labels: Sequence[str], teacher_vectors: np.ndarray, teacher_embed,
           words: Sequence[str] = (), settings: StudentSettings = StudentSettings(),
           progress: Progress = no_progress) -> Distillation:
    """Train a student of ``teacher_vectors`` (one unit row per text) on a stratified part of ``texts`` and
    measure it, its raw input, its untrained start and the teacher's stored-smaller forms on the rest.

    ``teacher_embed(texts) -> vectors`` runs the teacher (timed on ``settings.timed_texts`` held-out texts,
    and used for the WordSim-353 ``words``, which none of these passages teach; empty skips them).
    """
    teacher_vectors = np.asarray(teacher_vectors, dtype=np.float32)
    if len(texts) != len(labels) or len(texts) != len(teacher_vectors):
        raise ValueError(f"{len(texts)} texts, {len(labels)} labels and {len(teacher_vectors)} vectors.")
    train, held = split_passages(labels, settings)
    train_texts, held_texts = [texts[i] for i in train], [texts[i] for i in held]
    held_labels = [labels[i] for i in held]
    teacher_held = unit_rows(teacher_vectors[held], dtype=np.float32)
    truth = neighbours(teacher_held)
    words = list(words)

    started = time.perf_counter()
    student = train_student(train_texts, teacher_vectors[train], settings, part_of(progress, 0.0, 0.7))
    train_seconds = time.perf_counter() - started

    progress(0.7, f"Timing MiniLM on {min(settings.timed_texts, len(held_texts))} held-out passages…")
    timed = held_texts[: settings.timed_texts]
    began = time.perf_counter()
    teacher_embed(timed)
    teacher_ms = 1000 * (time.perf_counter() - began) / max(len(timed), 1)
    teacher_words = np.asarray(teacher_embed(words) if words else np.zeros((0, teacher_held.shape[1])),
                               dtype=np.float32)

    def word_score(embed_words) -> float:
        if not words:
            return math.nan
        return next(s.spearman for s in word_pair_scores(keyed_vectors_from(words, embed_words()))
                    if s.test_set == "WordSim-353")

    def row(name: str, kind: str, size: float, vectors: np.ndarray, wordsim: float, ms: float) -> DistilledRow:
        return DistilledRow(name, kind, float(size), recall_at_k(neighbours(vectors), truth),
                            passage_classification(vectors, held_labels, seed=settings.seed).accuracy,
                            wordsim, ms)

    progress(0.75, "Measuring MiniLM and its vectors stored smaller on the held-out passages…")
    rows = [row("MiniLM (float32, 384 numbers)", TEACHER, 4 * teacher_held.shape[1], teacher_held,
                word_score(lambda: teacher_words), teacher_ms)]
    forms = storage_forms(*teacher_held.shape)[1:]  # float32 is MiniLM's own row
    # Each form learns from what it stores (PQ's centroids, PCA's axes): passages and words apart, so the words
    # need as many rows as the forms learn from (256 for PQ, the dimension for PCA), else their score is NaN.
    word_forms = {form.name for form in storage_forms(*teacher_words.shape)} if len(words) >= teacher_held.shape[1] else set()
    for form in forms:
        wordsim = (word_score(lambda form=form: form.read_back(unit_rows(teacher_words, dtype=np.float32)))
                   if form.name in word_forms else math.nan)
        rows.append(row(f"MiniLM, {form.name}", COMPRESSED, form.bytes_per_vector,
                        form.read_back(teacher_held), wordsim, teacher_ms))
    # The student's size: PCA to 64 learnt from the training passages, the same bytes from MiniLM itself.
    axes = _pca(teacher_vectors[train], settings)
    rows.append(row(f"MiniLM, PCA to {settings.dimensions} (axes of the training passages)", COMPRESSED,
                    4 * settings.dimensions, axes.transform(teacher_held),
                    word_score(lambda: axes.transform(teacher_words)), teacher_ms))

    progress(0.9, "Measuring the student and its input on the held-out passages…")
    began = time.perf_counter()
    raw = student.features.transform(held_texts)  # type: ignore[attr-defined]
    features_ms = 1000 * (time.perf_counter() - began) / len(held_texts)
    # Stored sparse: a 4-byte value and a 4-byte column number for each feature the passage has.
    rows.append(row("TF-IDF words + character n-grams (sparse)", FEATURES, 8 * raw.nnz / raw.shape[0],
                    _dense(raw), word_score(lambda: _dense(student.features.transform(words))),  # type: ignore[attr-defined]
                    features_ms))
    untrained = _random_student(student, settings)
    rows.append(row(f"untrained student (random linear map to {settings.dimensions})", STUDENT,
                    4 * settings.dimensions, untrained.embed(held_texts), word_score(lambda: untrained.embed(words)),
                    features_ms))
    began = time.perf_counter()
    held_student = student.embed(held_texts)
    student_ms = 1000 * (time.perf_counter() - began) / len(held_texts)
    rows.append(row(f"student ({settings.dimensions} numbers, trained here)", STUDENT, 4 * settings.dimensions,
                    held_student, word_score(lambda: student.embed(words)), student_ms))
    # The ridge start: what training the cosines adds (or not) to the closed-form fit.
    start = train_student(train_texts, teacher_vectors[train], settings, epochs=0)
    progress(1.0, "Done.")
    largest = max(held_labels.count(label) for label in set(held_labels)) / len(held_labels)
    return Distillation(tuple(rows), len(train), len(held), train_seconds, student.epochs,
                        cosine_loss(start.embed(held_texts), teacher_held), cosine_loss(held_student, teacher_held),
                        RECALL_K / (len(held) - 1), largest, settings)


def _dense(matrix) -> np.ndarray:
    """A sparse matrix as a dense array of only the columns some row uses: the same cosines, a fraction of the
    memory (1,500 single words use a few thousand of the 50,000 features)."""
    matrix = matrix.tocsr()
    return matrix[:, np.unique(matrix.indices)].toarray().astype(np.float32)


def _pca(vectors: np.ndarray, settings: StudentSettings):
    from sklearn.decomposition import PCA

    return PCA(n_components=settings.dimensions, random_state=settings.seed).fit(vectors)


def _random_student(student: Student, settings: StudentSettings) -> Student:
    """The student before any training: the same features, a random Gaussian linear map (a random projection)."""
    rng = np.random.default_rng(settings.seed)
    weights = rng.standard_normal(student.weights.shape).astype(np.float32)
    return Student(student.features, weights, np.zeros_like(student.bias), 0, ())


def measure_distillation(teacher, settings: StudentSettings = StudentSettings(),
                         progress: Progress = no_progress) -> Distillation:
    """``distil`` on the bundled Wikipedia passages with MiniLM (``teacher``, a loaded embedder) as the teacher;
    its passage vectors are the ones ``tradeoffs.methods.measure_method`` stores on disk."""
    from embedders.stored import stored_embedding
    from inputs import wordlists
    from tradeoffs.methods import test_set_words

    teacher.load(progress)
    passages = wordlists.load_preset(wordlists.PASSAGES_PRESET, lowercase=True)
    progress(0.0, f"MiniLM's vectors of {len(passages):,} passages (stored after the first time)…")
    vectors = stored_embedding(teacher, wordlists.PASSAGES_PRESET, tuple(passages.items), True,
                               lambda: teacher.embed_sentences(passages.items)).vectors
    return distil(passages.items, passages.groups, vectors, lambda items: teacher.embed(items).vectors,
                  test_set_words(), settings, progress)
