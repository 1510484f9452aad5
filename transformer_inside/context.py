"""The same word in different sentences: one contextual vector per occurrence and layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from common.vectors import pairwise_cosine
from transformer_inside import model

#: Sentences are run through the model in batches of this many (hidden states grow with the batch).
BATCH_SIZE = 16
#: More sentences than this are cut, with a note: a chart of hundreds of points teaches nothing more.
MAX_SENTENCES = 200
#: "sense | sentence" on one line labels the sentence with a sense.
SENSE_SEPARATOR = "|"


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of the target word: which sentence, which sense, which pieces."""

    sentence_index: int  # position among the sentences given
    sentence: str
    sense: str  # "" when the sentence carries no sense label
    word: str  # the word as typed in the sentence ("Bank", "bank")
    pieces: tuple[str, ...]  # its WordPiece tokens; the vector is their mean


@dataclass(frozen=True)
class Skipped:
    """A sentence that gave no point, and why."""

    sentence_index: int
    sentence: str
    reason: str


@dataclass
class ContextVectors:
    """Contextual vectors of a word: ``vectors[layer, occurrence]`` for layers 0 (input) … 6 (last)."""

    target: str
    occurrences: list[Occurrence]
    vectors: np.ndarray  # float32 [layers + 1, occurrences, 384]
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def layers(self) -> int:
        """The number of transformer layers; layer indices run from 0 to ``layers``."""
        return self.vectors.shape[0] - 1

    def at_layer(self, layer: int) -> np.ndarray:
        """The ``[occurrences x 384]`` vectors after ``layer`` (0 = input embeddings)."""
        return self.vectors[layer]


def parse_sentences(text: str) -> list[tuple[str, str]]:
    """Read one sentence per line as ``(sense, sentence)``; "sense | sentence" sets the sense.

    Blank lines are dropped; a line without the separator has the sense "".
    """
    rows = []
    for line in text.splitlines():
        sense, separator, sentence = line.partition(SENSE_SEPARATOR)
        if not separator:
            sense, sentence = "", line
        if sentence.strip():
            rows.append((sense.strip(), sentence.strip()))
    return rows


def normalise(word: str) -> str:
    """``word`` as the uncased model sees it: lower case, accents removed."""
    return model.normalise(word)


def check_target(target: str) -> str:
    """The target in normal form; raises ``ValueError`` unless it is one word for the model."""
    word = normalise(target).strip()
    if not word:
        raise ValueError("Type a target word.")
    words = model.pre_tokenize(word)
    if len(words) != 1:
        # The message quotes no user text: pages may show it as Markdown.
        raise ValueError(f"The model reads this target as {len(words)} words; choose a single word.")
    return word


def contextual_vectors(target: str, sentences: Sequence[tuple[str, str]]) -> ContextVectors:
    """Vectors of every occurrence of ``target`` in ``sentences`` (pairs of sense and sentence), per layer.

    A word split into several pieces gets the mean of its pieces' vectors.
    Sentences without the target are listed in ``skipped`` with the reason.
    Raises ``ValueError`` when the target is not a single word.
    """
    word = check_target(target)
    notes = []
    if not sentences:
        empty = np.zeros((model.layer_count() + 1, 0, model.model().config.hidden_size), np.float32)
        return ContextVectors(target.strip(), [], empty, [], ["There are no sentences."])
    if len(sentences) > MAX_SENTENCES:
        notes.append(f"Only the first {MAX_SENTENCES} of {len(sentences)} sentences are used.")
        sentences = list(sentences)[:MAX_SENTENCES]
    limit = model.max_tokens()
    # verbose=False: over-long sentences are expected here and reported below.
    lengths = [len(ids) for ids in model.tokenize([s for _, s in sentences], verbose=False)["input_ids"]]
    occurrences: list[Occurrence] = []
    skipped: list[Skipped] = []
    chunks: list[np.ndarray] = []
    for start in range(0, len(sentences), BATCH_SIZE):
        batch = list(sentences[start : start + BATCH_SIZE])
        encoding = model.encode([sentence for _, sentence in batch])
        output = model.run(encoding, hidden_states=True)
        # [layers + 1, batch, tokens, dim]
        hidden = np.stack([layer.numpy() for layer in output.hidden_states])
        for row, (sense, sentence) in enumerate(batch):
            index = start + row
            found = _find(word, sentence, encoding, row)
            if not found:
                skipped.append(Skipped(index, sentence, _reason(word, sentence, lengths[index] > limit)))
            for typed, positions, pieces in found:
                occurrences.append(Occurrence(index, sentence, sense, typed, pieces))
                chunks.append(hidden[:, row, positions, :].mean(axis=1))
    long = [length - limit for length in lengths if length > limit]
    if long:
        notes.append(
            f"{len(long)} sentence{'s were' if len(long) > 1 else ' was'} longer than the {limit} tokens the model "
            f"reads and {'were' if len(long) > 1 else 'was'} cut ({sum(long):,} tokens in all); "
            "occurrences after the cut give no point."
        )
    if chunks:
        vectors = np.stack(chunks, axis=1).astype(np.float32)
    else:
        vectors = np.zeros((model.layer_count() + 1, 0, model.model().config.hidden_size), np.float32)
    return ContextVectors(target.strip(), occurrences, vectors, skipped, notes)


def _find(word: str, sentence: str, encoding, row: int) -> list[tuple[str, list[int], tuple[str, ...]]]:
    """Occurrences of ``word`` in one encoded sentence, as (word as typed, token positions, pieces)."""
    offsets = encoding["offset_mapping"][row].tolist()
    tokens = model.pieces(encoding["input_ids"][row].tolist())
    positions: dict[int, list[int]] = {}
    for position, word_id in enumerate(encoding.word_ids(row)):
        if word_id is not None:
            positions.setdefault(word_id, []).append(position)
    found = []
    for places in positions.values():
        typed = sentence[offsets[places[0]][0] : offsets[places[-1]][1]]
        if normalise(typed).strip() == word:
            found.append((typed, places, tuple(tokens[p] for p in places)))
    return found


def _reason(word: str, sentence: str, was_cut: bool) -> str:
    """Why a sentence holds no occurrence of ``word``."""
    words = model.pre_tokenize(normalise(sentence))
    if word in words and was_cut:
        return f"“{word}” comes only after the {model.max_tokens()}-token cut."
    near = [w for w in words if word in w]
    if near:
        return f"“{word}” appears only inside other words ({', '.join(dict.fromkeys(near))}); only whole words count."
    return f"No word “{word}” in this sentence."


def sense_similarity(result: ContextVectors) -> pd.DataFrame:
    """Mean cosine similarity of pairs of occurrences with the same and with different senses, per layer.

    Columns: ``layer``, ``within senses``, ``between senses`` (NaN where there is
    no such pair). Occurrences without a sense label take no part.
    """
    senses = np.array([occurrence.sense for occurrence in result.occurrences], dtype=object)
    labelled = np.flatnonzero(senses != "")
    same = senses[labelled][:, None] == senses[labelled][None, :]
    upper = np.triu(np.ones_like(same, dtype=bool), k=1)
    rows = []
    for layer in range(result.layers + 1):
        similarities = pairwise_cosine(result.at_layer(layer)[labelled])
        within = similarities[upper & same]
        between = similarities[upper & ~same]
        rows.append({
            "layer": layer,
            "within senses": float(within.mean()) if within.size else np.nan,
            "between senses": float(between.mean()) if between.size else np.nan,
        })
    return pd.DataFrame(rows, columns=["layer", "within senses", "between senses"])
