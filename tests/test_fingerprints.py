"""Fingerprints: arrays by content (each digested once per array object), texts, numbers and nestings."""

import dataclasses
import gc

import numpy as np
import pytest

from common import fingerprints
from common.fingerprints import array_digest, fingerprint


@pytest.fixture
def vectors(glove):
    return np.array(glove.keyed_vectors.vectors[1000:6000])  # a list's vectors: 5,000 real GloVe words


def test_an_array_changed_in_place_gets_a_new_digest(vectors):
    before = array_digest(vectors)
    vectors *= 2.0  # every element, the sampled ones among them
    assert array_digest(vectors) != before
    assert array_digest(vectors) == array_digest(vectors.copy())


def test_the_digest_is_remembered_while_the_array_lives_and_forgotten_with_it(vectors):
    vectors = vectors.copy()  # this test's own array (pytest holds on to the fixture's)
    digest = array_digest(vectors)
    key = id(vectors)
    assert fingerprints._digests[key][1] == digest
    assert array_digest(vectors) == digest == fingerprints._full_digest(vectors)
    del vectors
    gc.collect()
    assert key not in fingerprints._digests


def test_digests_tell_dtype_shape_and_views_apart(vectors):
    assert array_digest(vectors) != array_digest(vectors.astype(np.float64))
    assert array_digest(vectors) != array_digest(vectors.reshape(2500, 100))
    assert array_digest(vectors[:, :10]) == array_digest(np.ascontiguousarray(vectors[:, :10]))  # a strided view
    assert array_digest(np.empty((0, 50), np.float32)) != array_digest(np.empty((0, 49), np.float32))
    assert fingerprint(vectors, "umap") != fingerprint(vectors, "pca")


@dataclasses.dataclass(frozen=True)
class Settings:
    kind: str
    depth: int


def test_nested_parts_are_digested_by_content():
    words = ["king", "queen"]
    assert fingerprint(words) == fingerprint(tuple(words))
    assert fingerprint(words) != fingerprint(["king", "queen", ""])  # not the same joined text
    assert fingerprint(["a\nb"]) != fingerprint(["a", "b"])
    assert fingerprint({"k": 1, "m": 2}) == fingerprint({"m": 2, "k": 1})
    assert fingerprint(Settings("hnsw", 32)) != fingerprint(Settings("hnsw", 64))
    assert fingerprint(1) != fingerprint(1.0) != fingerprint("1")
    assert fingerprint(("a", ("b",))) != fingerprint(("a", "b"))


def test_a_part_without_a_faithful_digest_is_refused():
    with pytest.raises(TypeError, match="cannot fingerprint"):
        fingerprint(object())
