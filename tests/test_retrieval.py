"""Vector indexes over real GloVe vectors: exact search agrees with gensim, HNSW with exact, files round-trip."""

import numpy as np
import pytest

from retrieval import IndexSettings, VectorIndex, recall_at_k


@pytest.fixture(scope="module")
def vocabulary(glove):
    """20,000 common GloVe words and their vectors."""
    kv = glove.keyed_vectors
    return kv.index_to_key[:20_000], kv.vectors[:20_000]


def test_exact_search_finds_what_gensim_finds(glove, vocabulary):
    words, vectors = vocabulary
    index = VectorIndex.build(vectors, IndexSettings("exact"))
    king = words.index("king")
    result = index.search(vectors[king], 11)
    found = [words[i] for i in result.indices[0][1:]]
    expected = [w for w, _ in glove.keyed_vectors.most_similar("king", topn=10, restrict_vocab=20_000)]
    assert found == expected
    assert result.indices[0][0] == king and result.similarities[0][0] == pytest.approx(1.0, abs=1e-5)


def test_hnsw_recall_grows_with_its_search_depth(vocabulary):
    _, vectors = vocabulary
    queries = vectors[np.random.default_rng(0).choice(len(vectors), 200, replace=False)]
    truth = VectorIndex.build(vectors, IndexSettings("exact")).search(queries, 10).indices
    hnsw = VectorIndex.build(vectors, IndexSettings("hnsw", links=16, build_depth=40))
    shallow = recall_at_k(hnsw.search(queries, 10, search_depth=10).indices, truth)
    deep = recall_at_k(hnsw.search(queries, 10, search_depth=256).indices, truth)
    assert shallow < deep and deep > 0.95


def test_an_index_is_saved_as_a_faiss_file_and_read_back(vocabulary, tmp_path):
    words, vectors = vocabulary
    settings = IndexSettings("hnsw", links=8, build_depth=20)
    built = VectorIndex.load_or_build(tmp_path, "glove-test", vectors, settings)
    files = list(tmp_path.glob("*.faiss"))
    assert [f.name for f in files] == [settings.file_name("glove-test", *vectors.shape)]
    assert files[0].read_bytes()[:1] != b"\x80"  # FAISS's own format, not a pickle
    loaded = VectorIndex.load_or_build(tmp_path, "glove-test", vectors, settings)
    queries = vectors[:50]
    assert np.array_equal(loaded.search(queries, 5).indices, built.search(queries, 5).indices)


def test_recall_counts_shared_neighbours():
    assert recall_at_k(np.array([[1, 2, 3]]), np.array([[3, 2, 9]])) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="Unknown index kind"):
        VectorIndex.build(np.eye(3), IndexSettings("ivf"))
