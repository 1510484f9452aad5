"""How MiniLM cuts text into WordPiece tokens, next to a plain word split."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from transformer_inside import model

#: Continuation pieces start with this mark: "##bed" is glued to the piece before it.
CONTINUATION = "##"

# Letters and digits, keeping inner apostrophes ("don't"); punctuation and emoji are not words.
_PLAIN_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class Piece:
    """One WordPiece token of the model's input."""

    text: str  # as the vocabulary writes it: "em", "##bed", "[CLS]", "[UNK]"
    id: int  # its row in the model's embedding table
    special: bool  # [CLS], [SEP]: added by the tokenizer, not cut from the text
    unknown: bool  # [UNK]: characters the vocabulary cannot spell
    word: int | None  # index into ``Tokenization.words``; None for special tokens
    continuation: bool  # a "##" piece that continues the word before it


@dataclass
class Tokenization:
    """A text as the model reads it: its pieces, the words they come from, and what was cut."""

    text: str
    pieces: list[Piece]
    words: list[str]  # the model's words, as typed (accents and case kept), in order
    plain_words: list[str]  # a plain word tokenizer's split, for contrast
    cut: int = 0  # pieces beyond the model's maximum length, left out
    max_tokens: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [piece.id for piece in self.pieces]

    @property
    def text_pieces(self) -> list[Piece]:
        """The pieces cut from the text, without the special tokens."""
        return [piece for piece in self.pieces if not piece.special]

    def pieces_of_word(self, index: int) -> list[Piece]:
        return [piece for piece in self.pieces if piece.word == index]

    def split_words(self) -> dict[str, list[str]]:
        """Words that became several pieces, with their pieces ("embeddings" → em, ##bed, ##ding, ##s)."""
        split = {}
        for index, word in enumerate(self.words):
            pieces = self.pieces_of_word(index)
            if len(pieces) > 1:
                split[word] = [piece.text for piece in pieces]
        return split

    def unknown_words(self) -> list[str]:
        """Words the vocabulary could not spell, shown to the model as [UNK]."""
        return [self.words[piece.word] for piece in self.pieces if piece.unknown and piece.word is not None]


def plain_words(text: str) -> list[str]:
    """Split ``text`` into words the way a word-level model would: letters and digits, no punctuation."""
    return _PLAIN_WORD.findall(text)


def tokenize(text: str) -> Tokenization:
    """Cut ``text`` into the model's WordPiece tokens, at most ``model.max_tokens()`` of them.

    Longer text is truncated the way the model truncates it, and ``cut`` says how
    many pieces were dropped; nothing raises on empty or unusual text.
    """
    tokenizer = model.tokenizer()
    limit = model.max_tokens()
    # verbose=False: counting an over-long text is the point here, not a mistake to warn about.
    total = len(model.tokenize(text, verbose=False)["input_ids"])
    encoding = model.tokenize(text, truncation=True, max_length=limit, return_offsets_mapping=True)
    ids = encoding["input_ids"]
    word_ids = encoding.word_ids()
    offsets = encoding["offset_mapping"]
    special_ids = set(tokenizer.all_special_ids)

    # A word's text is its span in the input, so "Naïve" stays "Naïve" although the pieces are "naive".
    spans: dict[int, list[int]] = {}
    for word_id, (start, end) in zip(word_ids, offsets):
        if word_id is not None:
            span = spans.setdefault(word_id, [start, end])
            span[0], span[1] = min(span[0], start), max(span[1], end)
    word_index = {word_id: index for index, word_id in enumerate(sorted(spans))}
    words = [text[spans[word_id][0] : spans[word_id][1]] for word_id in sorted(spans)]

    pieces = []
    for token_id, token, word_id in zip(ids, model.pieces(ids), word_ids):
        pieces.append(
            Piece(
                text=token,
                id=int(token_id),
                special=word_id is None and token_id in special_ids,
                unknown=token_id == tokenizer.unk_token_id,
                word=None if word_id is None else word_index[word_id],
                continuation=token.startswith(CONTINUATION),
            )
        )
    cut = max(0, total - len(ids))
    notes = []
    if cut:
        notes.append(
            f"The text has {total - 2:,} pieces but the model reads at most {limit:,} tokens "
            f"(2 of them [CLS] and [SEP]): the last {cut:,} pieces were cut."
        )
    return Tokenization(text, pieces, words, plain_words(text), cut, limit, notes)


def decode(ids: list[int]) -> str:
    """The text the model's pieces spell, without special tokens (lower-cased, accents removed)."""
    return model.decode(ids)


def input_vectors(ids: list[int]) -> np.ndarray:
    """The rows of MiniLM's token table (its input embeddings, before any position or context) for ``ids``:
    what "a token is a row number" means, ``[len(ids) x 384]``."""
    import torch

    with torch.no_grad():
        return model.model().embeddings.word_embeddings.weight[list(ids)].numpy().astype(np.float32)
