"""The same words through MiniLM's WordPiece and GPT-4's cl100k BPE: a rare word, an emoji, an accent, a non-Latin word."""

from __future__ import annotations

from dataclasses import dataclass

from tokenization import gpt
from transformer_inside import tokens as wordpiece

#: (what the example shows, the word): each is cut differently by the two tokenizers.
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("a rare word", "otorhinolaryngologist"),
    ("an emoji", "🦘"),
    ("an accented word", "naïve"),
    ("a non-Latin word", "東京"),
)
#: A sentence holding all four, for the text box.
EXAMPLES_SENTENCE = "The otorhinolaryngologist saw a 🦘 near a naïve café in 東京."


@dataclass(frozen=True)
class Cut:
    """How both tokenizers cut one word."""

    kind: str
    word: str
    wordpiece: list[str]  # MiniLM's pieces ("##" marks a continuation; [UNK] for what it cannot spell)
    cl100k: list[gpt.BytePiece]

    @property
    def cl100k_partial(self) -> int:
        """cl100k pieces that are bytes of a character, not whole text."""
        return sum(not piece.whole for piece in self.cl100k)


def cut(kind: str, word: str) -> Cut:
    """``word`` on its own through both tokenizers (MiniLM's special tokens left out)."""
    pieces = [piece.text for piece in wordpiece.tokenize(word).text_pieces]
    return Cut(kind, word, pieces, gpt.tokenize(word).pieces)


def compare_examples(examples: tuple[tuple[str, str], ...] = EXAMPLES) -> list[Cut]:
    """The cuts of ``examples`` (kind, word), in order."""
    return [cut(kind, word) for kind, word in examples]
