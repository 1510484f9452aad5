"""A user's own vectors file as an embedding method, for that user's session only.

Not in the registry on purpose: the registry's embedders are shared by every
session, and an upload must never reach another user. ``ui.uploads`` keeps these
in the session that read the file.
"""

from __future__ import annotations

from common.fingerprints import fingerprint
from embedders.base import KeyedVectorsEmbedder, keyed_vectors_from

#: Method names of uploaded sets start with this, so they never collide with registered ones.
UPLOADED_PREFIX = "uploaded:"


class UploadedVectorsEmbedder(KeyedVectorsEmbedder):
    """Looks words up in an uploaded vectors file (``vectorfiles.VectorSet``)."""

    def __init__(self, vector_set, filename: str) -> None:
        super().__init__()
        self.vector_set = vector_set
        self.filename = filename
        self.name = f"{UPLOADED_PREFIX}{fingerprint(vector_set.vectors, list(vector_set.words))[:16]}"
        self.title = f"Uploaded: {filename}"
        rows, dimension = vector_set.vectors.shape
        self.description = (
            f"Your own file: {rows:,} words with {dimension} numbers each, read as {vector_set.format}. "
            "It stays in your session: no other user sees it, and it is gone when you close the tab."
        )
        # Look words up as typed, unless every word of the file is lower-case (as in GloVe):
        # then "King" finds "king".
        self.lowercase = all(word == word.lower() for word in vector_set.words)
        self._kv = keyed_vectors_from(vector_set.words, vector_set.vectors)
        self._loaded = True

    def report(self) -> list[str]:
        """What reading the file found and changed, in sentences."""
        rows, dimension = self.vector_set.vectors.shape
        return [f"{self.filename}: {rows:,} words × {dimension} numbers, read as {self.vector_set.format} "
                f"in {self.vector_set.seconds:.1f} s.", *self.vector_set.notes]
