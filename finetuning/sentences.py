"""Fine-tune MiniLM on a small labelled set of sentences, and measure on held-out items what it changed.

The shared ``SentenceTransformer`` of ``embedders.minilm`` is never trained: each fine-tuning loads its
own instance of the packaged weights (``fresh_model``; 0.06 s once the libraries are imported, against
0.4 s for ``copy.deepcopy`` of the shared one, measured here), and the caller keeps that copy in one
user's session.

The training loop is the library's loss (``BatchAllTripletLoss``: every triplet of a batch whose anchor
and positive share a label and whose negative does not) driven by a few lines of PyTorch. The
library's ``SentenceTransformerTrainer`` and ``fit`` need the ``datasets`` and ``accelerate`` packages,
which this app does not install, and write checkpoints to disk; the loop here also checks the time
budget before each batch, which neither offers.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from common.fingerprints import fingerprint
from common.progress import Progress, no_progress
from inputs.wordlists import load_preset, parse_upload

#: The bundled labelled set: about 100 sentences in five topics (``data/sentences_topics.csv``).
TOPIC_PRESET = "sentences_topics"
#: Share of each label's items held out: never trained on, only measured and drawn.
HELD_OUT_SHARE = 0.4
#: Labels with fewer items cannot give both sides of the split two items; they are left out, with a note.
MIN_ITEMS_PER_LABEL = 4
#: A larger labelled set is cut to a stratified sample of this many: more would not fit an epoch in the budget.
MAX_ITEMS = 500
#: Training stops before a batch that would end past this many seconds (loading and measuring included).
TIME_BUDGET_SECONDS = 60.0
EPOCHS = 4
BATCH_SIZE = 16
#: Higher than the library's default of 2e-5: with four epochs of four batches, 2e-5 moved the held-out
#: k-NN accuracy from 0.78 to 0.85, 1e-4 to 0.93 (topic sentences, measured here).
LEARNING_RATE = 1e-4
#: A batch starts only if this many times the last batch's length still fits: on a busy machine one
#: batch took 5 to 16 s (measured here), so the last one may run longer than the one before.
BATCH_SLACK = 1.5
#: Neighbours the k-NN classifier asks (among the training items).
KNN_NEIGHBOURS = 5


class LabelledSetError(ValueError):
    """The input cannot be read as a labelled set; the message says why."""


@dataclass(frozen=True)
class LabelledSet:
    """Texts and one label each, the name to show, and notes on what was left out."""

    texts: list[str]
    labels: list[str]
    name: str
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def key(self) -> str:
        """A digest of the texts and labels: results are kept against it."""
        return fingerprint(self.texts, self.labels)


def topic_sentences() -> LabelledSet:
    """The bundled topic sentences (the ``group`` column is the label)."""
    preset = load_preset(TOPIC_PRESET)
    return labelled_set(preset.items, preset.groups, "Topic sentences (bundled)")


def labelled_set_from_upload(data: bytes, filename: str) -> LabelledSet:
    """A labelled set from an uploaded CSV or TSV file with ``text`` and ``label`` columns.

    Read by ``inputs.wordlists.parse_upload`` (its decoding, size limits and other column names, such as
    ``sentence`` and ``group``, apply); rows without a label are left out.
    """
    if not filename.lower().endswith((".csv", ".tsv")):
        raise LabelledSetError("Upload a .csv or .tsv file with a `text` column and a `label` column.")
    try:
        parsed = parse_upload(data, filename)
    except ValueError as error:  # WordListError: unreadable bytes, too large
        raise LabelledSetError(str(error)) from error
    return labelled_set(parsed.items, parsed.groups, filename, parsed.notes)


def labelled_set(texts: list[str], labels: list[str], name: str, notes: list[str] | None = None,
                 seed: int = 0) -> LabelledSet:
    """Keep the labelled rows of labels with at least ``MIN_ITEMS_PER_LABEL`` items, at most ``MAX_ITEMS``.

    Raises ``LabelledSetError`` when fewer than two labels remain: nothing to tell apart.
    """
    notes = list(notes or [])
    rows = [(text, label) for text, label in zip(texts, labels) if text.strip() and label.strip()]
    if len(rows) < len(texts):
        notes.append(f"{len(texts) - len(rows):,} rows without a label were left out.")
    counts = Counter(label for _, label in rows)
    rare = sorted(label for label, count in counts.items() if count < MIN_ITEMS_PER_LABEL)
    if rare:
        notes.append(f"{len(rare)} label(s) with fewer than {MIN_ITEMS_PER_LABEL} items were left out: "
                     + ", ".join(rare[:10]) + ("…" if len(rare) > 10 else ""))
        rows = [(text, label) for text, label in rows if label not in rare]
    if len({label for _, label in rows}) < 2:
        raise LabelledSetError(
            f"Fine-tuning needs at least two labels with {MIN_ITEMS_PER_LABEL} or more items each "
            "(a `text` column and a `label` column).")
    if len(rows) > MAX_ITEMS:
        from sklearn.model_selection import train_test_split

        kept, _ = train_test_split(rows, train_size=MAX_ITEMS, stratify=[label for _, label in rows],
                                   random_state=seed)
        notes.append(f"The set has {len(rows):,} labelled items; a stratified sample of {MAX_ITEMS:,} is used "
                     "(the limit), so that training fits its time budget.")
        rows = sorted(kept, key=rows.index)
    return LabelledSet([text for text, _ in rows], [label for _, label in rows], name, notes)


@dataclass(frozen=True)
class Split:
    """Row numbers of a labelled set: the items trained on and the items held out (stratified by label)."""

    train: np.ndarray
    held_out: np.ndarray


def split(data: LabelledSet, seed: int = 0) -> Split:
    """Hold out ``HELD_OUT_SHARE`` of each label's items, the same ones for the same set and seed."""
    from sklearn.model_selection import train_test_split

    train, held = train_test_split(np.arange(len(data)), test_size=HELD_OUT_SHARE, stratify=data.labels,
                                   random_state=seed)
    return Split(np.sort(train), np.sort(held))


@dataclass(frozen=True)
class Scores:
    """How well a model's vectors separate the held-out items by label.

    ``accuracy``: a k-NN classifier (cosine, ``KNN_NEIGHBOURS`` neighbours) fitted on the training items'
    vectors, scored on the held-out items'; ``by_label`` the same per label (the share of its held-out
    items classified right); ``silhouette``: cosine silhouette of the held-out items by their labels
    (-1 to 1; 0 means the labels overlap).
    """

    accuracy: float
    silhouette: float
    by_label: dict[str, float]


def measure(train_vectors: np.ndarray, train_labels: list[str], held_vectors: np.ndarray,
            held_labels: list[str]) -> Scores:
    """The ``Scores`` of one model's vectors (train on the training items, score on the held-out ones)."""
    from sklearn.metrics import silhouette_score
    from sklearn.neighbors import KNeighborsClassifier

    classifier = KNeighborsClassifier(min(KNN_NEIGHBOURS, len(train_labels)), metric="cosine")
    predicted = classifier.fit(train_vectors, train_labels).predict(held_vectors)
    right = np.asarray(predicted) == np.asarray(held_labels)
    labels = np.asarray(held_labels)
    by_label = {label: float(right[labels == label].mean()) for label in dict.fromkeys(held_labels)}
    return Scores(float(right.mean()), float(silhouette_score(held_vectors, held_labels, metric="cosine")), by_label)


@dataclass
class FineTuning:
    """What one fine-tuning did: the split, held-out vectors before and after, scores, and the tuned copy."""

    data: LabelledSet
    split: Split
    before: np.ndarray
    after: np.ndarray
    scores_before: Scores
    scores_after: Scores
    epochs_planned: int
    #: Epochs finished (a partial last one counts as started, see ``batches_run``).
    epochs_run: int
    batches_run: int
    batches_planned: int
    losses: list[float]
    seconds: float
    budget_seconds: float
    #: This session's fine-tuned ``SentenceTransformer`` (never the shared one).
    model: Any = field(repr=False, default=None)

    @property
    def stopped_by_budget(self) -> bool:
        return self.batches_run < self.batches_planned

    @property
    def held_texts(self) -> list[str]:
        return [self.data.texts[i] for i in self.split.held_out]

    @property
    def held_labels(self) -> list[str]:
        return [self.data.labels[i] for i in self.split.held_out]


def fresh_model():
    """A new ``SentenceTransformer`` of the packaged all-MiniLM-L6-v2 weights, this caller's own."""
    from embedders.minilm import model_path, sentence_transformer

    sentence_transformer()  # sets the offline switches and imports the libraries once per process
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_path(), device="cpu")


def encode(model, texts: list[str]) -> np.ndarray:
    """Unit vectors of ``texts`` under ``model`` (in evaluation mode, no dropout)."""
    model.eval()
    vectors = model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)


def batches_by_label(labels: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch's batches of row numbers, each holding pairs of items that share a label.

    A triplet loss learns nothing from a batch without two items of one label and one of another:
    each label's rows are shuffled and dealt in pairs, the pairs shuffled, then cut into batches.
    """
    pairs: list[np.ndarray] = []
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        pairs.extend(np.array_split(rows, max(1, len(rows) // 2)))
    order = np.concatenate([pairs[i] for i in rng.permutation(len(pairs))])
    # Nearly equal batches: no tail of one item, which has no triplet at all.
    return np.array_split(order, max(1, math.ceil(len(order) / batch_size)))


def fine_tune(data: LabelledSet, *, epochs: int = EPOCHS, budget_seconds: float = TIME_BUDGET_SECONDS,
              seed: int = 0, progress: Progress = no_progress) -> FineTuning:
    """Fine-tune a fresh copy of MiniLM on ``data``'s training split and measure both models on the held-out split.

    Stops before any batch that would end past ``budget_seconds`` from the call's start (loading the copy,
    measuring before and after included: the time to measure after is taken as long as measuring before).
    The same ``seed`` gives the same split, batches and dropout.
    """
    import torch
    from sentence_transformers.sentence_transformer.losses import BatchAllTripletLoss

    started = time.perf_counter()
    parts = split(data, seed)
    train_texts = [data.texts[i] for i in parts.train]
    train_labels = [data.labels[i] for i in parts.train]
    held_texts = [data.texts[i] for i in parts.held_out]
    held_labels = [data.labels[i] for i in parts.held_out]
    names = sorted(set(train_labels))
    label_ids = np.array([names.index(label) for label in train_labels])

    progress(0.0, "Loading this session's own copy of MiniLM…")
    model = fresh_model()
    progress(0.02, f"Measuring the untuned model on {len(held_texts)} held-out items…")
    measuring = time.perf_counter()
    train_before, held_before = encode(model, train_texts), encode(model, held_texts)
    scores_before = measure(train_before, train_labels, held_before, held_labels)
    measure_seconds = time.perf_counter() - measuring

    rng = np.random.default_rng(seed)
    plan = [batches_by_label(label_ids, BATCH_SIZE, rng) for _ in range(epochs)]
    planned = sum(len(batches) for batches in plan)
    loss_function = BatchAllTripletLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    losses: list[float] = []
    batches_run = epochs_run = 0
    last_batch = 0.0
    with torch.random.fork_rng(devices=[]):  # the seed sets dropout here without touching other sessions' state
        torch.manual_seed(seed)
        model.train()
        over_budget = False
        for epoch, batches in enumerate(plan, start=1):
            epoch_losses = []
            for number, rows in enumerate(batches, start=1):
                elapsed = time.perf_counter() - started
                if elapsed + BATCH_SLACK * last_batch + measure_seconds > budget_seconds:
                    over_budget = True
                    break
                batch_started = time.perf_counter()
                features = model.preprocess([train_texts[i] for i in rows])
                loss = loss_function([features], torch.tensor(label_ids[rows]))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                optimizer.zero_grad()
                epoch_losses.append(float(loss.detach()))
                batches_run += 1
                last_batch = time.perf_counter() - batch_started
                progress(0.05 + 0.9 * batches_run / planned,
                         f"Epoch {epoch} of {epochs}, batch {number} of {len(batches)} · "
                         f"{time.perf_counter() - started:.0f} s of at most {budget_seconds:.0f} s")
            if epoch_losses:
                epochs_run = epoch
                losses.append(float(np.mean(epoch_losses)))
            if over_budget:
                break
    model.eval()
    progress(0.96, "Measuring the fine-tuned model on the held-out items…")
    train_after, held_after = encode(model, train_texts), encode(model, held_texts)
    scores_after = measure(train_after, train_labels, held_after, held_labels)
    seconds = time.perf_counter() - started
    progress(1.0, f"Fine-tuned in {seconds:.0f} s.")
    return FineTuning(data, parts, held_before, held_after, scores_before, scores_after, epochs, epochs_run,
                      batches_run, planned, losses, seconds, budget_seconds, model)
