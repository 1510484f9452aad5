"""Vector indexes over real GloVe vectors: exact search agrees with gensim, HNSW with exact, files round-trip."""

import numpy as np
import pytest

from retrieval import IndexSettings, VectorIndex, efsearch_sweep, exact_ms_per_query, recall_at_k


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


@pytest.mark.slow
def test_a_deeper_search_finds_more_on_50000_words(glove):
    vectors = glove.keyed_vectors.vectors[:50_000]
    points = efsearch_sweep(vectors, IndexSettings("hnsw", links=16, build_depth=40))
    assert [point.depth for point in points] == [11, 16, 32, 64, 128, 256, 512]  # FAISS walks at least k + 1
    recalls = [point.recall for point in points]
    assert all(later >= earlier - 0.01 for earlier, later in zip(recalls, recalls[1:]))
    assert recalls[-1] >= 0.9 and all(point.ms_per_query > 0 for point in points)
    assert exact_ms_per_query(vectors) > 0


def test_a_sweep_needs_an_hnsw_index(vocabulary):
    _, vectors = vocabulary
    with pytest.raises(ValueError, match="HNSW"):
        efsearch_sweep(vectors, IndexSettings("exact"))
    with pytest.raises(ValueError, match="HNSW"):
        efsearch_sweep(vectors, index=VectorIndex.build(vectors, IndexSettings("exact")))


def test_an_index_is_saved_as_a_faiss_file_and_read_back(vocabulary, tmp_path):
    words, vectors = vocabulary
    settings = IndexSettings("hnsw", links=8, build_depth=20)
    built = VectorIndex.load_or_build(tmp_path, "glove-test", vectors, settings)
    files = list(tmp_path.glob("*.faiss"))
    assert [f.name for f in files] == [settings.file_name("glove-test", vectors)]
    assert files[0].read_bytes()[:1] != b"\x80"  # FAISS's own format, not a pickle
    loaded = VectorIndex.load_or_build(tmp_path, "glove-test", vectors, settings)
    queries = vectors[:50]
    assert np.array_equal(loaded.search(queries, 5).indices, built.search(queries, 5).indices)


@pytest.mark.slow
def test_a_saved_index_is_never_served_for_other_vectors_of_the_same_shape(vocabulary, tmp_path):
    # A retrained Word2Vec keeps its vocabulary size: same name, settings and shape, new vectors.
    vectors = np.ascontiguousarray(vocabulary[1][:500, :16])
    retrained = np.ascontiguousarray(vocabulary[1][500:1000, :16])
    VectorIndex.load_or_build(tmp_path, "word2vec", vectors, IndexSettings("exact"))
    served = VectorIndex.load_or_build(tmp_path, "word2vec", retrained, IndexSettings("exact"))
    assert np.array_equal(served.search(retrained[:20], 1).indices[:, 0], np.arange(20))  # each finds itself
    assert len(list(tmp_path.glob("*.faiss"))) == 2
    assert not list(tmp_path.glob("*.partial"))


def test_recall_counts_shared_neighbours():
    assert recall_at_k(np.array([[1, 2, 3]]), np.array([[3, 2, 9]])) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="Unknown index kind"):
        VectorIndex.build(np.eye(3), IndexSettings("ivf"))


def test_a_damaged_saved_index_is_rebuilt_and_says_so(vocabulary, tmp_path):
    vectors = vocabulary[1][:5000]
    saved = VectorIndex.load_or_build(tmp_path, "glove-part", vectors, IndexSettings("hnsw"))
    (path,) = tmp_path.glob("*.faiss")
    path.write_bytes(path.read_bytes()[:1000])  # cut short, as a crash or full disk leaves it
    rebuilt = VectorIndex.load_or_build(tmp_path, "glove-part", vectors, IndexSettings("hnsw"))
    assert "damaged" in rebuilt.note and len(rebuilt) == len(saved)
    again = VectorIndex.load_or_build(tmp_path, "glove-part", vectors, IndexSettings("hnsw"))
    assert again.note == ""  # the rebuilt file is whole


@pytest.mark.parametrize("settings", [dict(links=0), dict(links=1000), dict(build_depth=0), dict(kind="ivf")])
def test_settings_out_of_range_are_refused_with_a_message(settings):
    with pytest.raises(ValueError, match="must be between|Unknown index kind"):
        IndexSettings(**settings)


def test_an_efsearch_out_of_range_is_refused(vocabulary):
    vectors = vocabulary[1][:1000]
    index = VectorIndex.build(vectors, IndexSettings("hnsw"))
    with pytest.raises(ValueError, match="efSearch must be between"):
        index.search(vectors[0], 5, search_depth=0)
