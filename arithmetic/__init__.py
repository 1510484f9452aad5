"""Word arithmetic: analogies, their benchmark, semantic axes and similarity matrices.

Plain modules without Streamlit: pages wire widgets to them, tests call them directly.
Everything here works on the original vectors (cosine), never on a 2-D projection.
"""

from __future__ import annotations

#: Why arithmetic under a method says nothing, for methods where it cannot (one sentence each).
TRIVIAL_ARITHMETIC = {
    "onehot": (
        "One-hot gives every word its own axis, so all pairs of different words have cosine 0 and "
        "every difference of two words is at right angles to every other word: analogies, axes and "
        "the heatmap can only come out flat (0 or 1), whatever the words mean."
    ),
    "count": (
        "Count vectors only record in which passages a word occurs, dominated by frequent words, so "
        "a difference such as king − man has no meaning of its own: the “answer” is just a word that "
        "shares passages with b and c."
    ),
    "tfidf": (
        "TF-IDF vectors, like count vectors, only record in which passages a word occurs (weighted by "
        "rarity), so a difference such as king − man has no meaning of its own: the “answer” is just a "
        "word that shares passages with b and c."
    ),
}


def why_trivial(method: str) -> str | None:
    """One sentence on why word arithmetic is trivial under ``method``, or None when it is meaningful."""
    return TRIVIAL_ARITHMETIC.get(method)
