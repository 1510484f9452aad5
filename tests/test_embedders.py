"""The eight embedding methods, with their real models and corpus."""

import numpy as np
import pytest

import embedders
from embedders.similarity import pairwise_cosine

ROYALTY = ["king", "queen", "building"]


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_registry_lists_the_eight_methods_and_rejects_unknown_names():
    assert embedders.available() == [
        "onehot", "count", "tfidf", "word2vec-cbow", "word2vec-skipgram", "fasttext", "glove", "minilm",
    ]
    for name in embedders.available():
        embedder = embedders.get(name)
        assert embedder.name == name and embedder.title == embedders.title(name)
        assert len(embedder.description.split(".")) >= 3  # a few sentences, not a label
    assert embedders.get("glove") is embedders.get("glove")  # one shared instance per process
    with pytest.raises(ValueError, match="glove"):
        embedders.get("no-such-method")


def test_glove_puts_queen_nearer_king_than_building(glove):
    result = glove.embed(["king", "queen", "building", "xyzzyplugh", "King"])
    assert result.words == ["king", "queen", "building", "King"]
    assert result.missing == ["xyzzyplugh"]
    assert result.vectors.shape == (4, 50) and result.vectors.dtype == np.float32
    king, queen, building, capital_king = result.vectors
    assert cosine(king, queen) > cosine(king, building)
    np.testing.assert_array_equal(king, capital_king)  # lower-case lookup


def test_glove_neighbours_come_from_its_vocabulary(glove):
    neighbours = glove.neighbours("king", 10)
    words = [word for word, _ in neighbours]
    assert "queen" in words and "king" not in words
    similarities = [s for _, s in neighbours]
    assert similarities == sorted(similarities, reverse=True)
    assert glove.vocabulary_size() == 400_000
    with pytest.raises(KeyError, match="xyzzyplugh"):
        glove.neighbours("xyzzyplugh", 5)


def test_onehot_puts_every_pair_equally_far_apart():
    result = embedders.get("onehot").embed(["king", "queen", "building", "dishwasher"])
    similarities = pairwise_cosine(result.vectors)
    off_diagonal = similarities[~np.eye(4, dtype=bool)]
    assert np.allclose(off_diagonal, 0.0)
    distances = np.linalg.norm(result.vectors[:, None] - result.vectors[None], axis=2)[~np.eye(4, dtype=bool)]
    assert np.allclose(distances, np.sqrt(2))
    with pytest.raises(NotImplementedError):
        embedders.get("onehot").neighbours("king")


@pytest.mark.slow
def test_fasttext_gives_a_vector_to_a_word_it_never_saw(fasttext):
    assert "queenliness" not in fasttext.keyed_vectors.key_to_index
    result = fasttext.embed(["queen", "queenliness"])
    assert result.words == ["queen", "queenliness"] and result.generated == ["queenliness"]
    assert np.linalg.norm(result.vectors[1]) > 0
    # Its spelling shares n-grams with queen, so it lands closer to queen than to an unrelated word.
    building = fasttext.embed(["building"]).vectors[0]
    assert cosine(result.vectors[1], result.vectors[0]) > cosine(result.vectors[1], building)


@pytest.mark.slow
def test_minilm_returns_384_dimensional_unit_vectors(minilm):
    result = minilm.embed(["king", "The cat sat on the mat.", "xyzzyplugh"])
    assert result.vectors.shape == (3, 384) and not result.missing
    np.testing.assert_allclose(np.linalg.norm(result.vectors, axis=1), 1.0, atol=1e-5)
    king, queen, building = minilm.embed(ROYALTY).vectors
    assert cosine(king, queen) > cosine(king, building)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["word2vec-skipgram", "word2vec-cbow", "fasttext"])
def test_trained_methods_put_queen_nearer_king_than_building(name):
    embedder = embedders.get(name)
    king, queen, building = embedder.embed(ROYALTY).vectors
    assert cosine(king, queen) > cosine(king, building)


@pytest.mark.slow
def test_trained_vectors_are_saved_and_reloaded_without_pickles(skipgram):
    path = skipgram.cache_path()
    assert path.exists()
    assert path.read_bytes()[:20].split(b" ")[0].isdigit()  # word2vec binary header: "<count> <dim>"
    reloaded = type(skipgram)()
    reloaded.load()
    np.testing.assert_array_equal(
        reloaded.embed(["king"]).vectors, skipgram.embed(["king"]).vectors
    )


@pytest.mark.parametrize("name", ["count", "tfidf"])
def test_count_and_tfidf_vectors_have_one_number_per_passage(name):
    embedder = embedders.get(name)
    result = embedder.embed(["king", "queen", "building", "xyzzyplugh"])
    assert result.missing == ["xyzzyplugh"]
    assert result.vectors.shape[1] > 100
    assert (result.vectors >= 0).all()
    king, queen, building = result.vectors
    assert cosine(king, queen) > cosine(king, building)
    assert embedder.neighbours("king", 3)


def test_embedding_nothing_gives_an_empty_result(glove):
    for name in ["onehot", "glove"]:
        result = embedders.get(name).embed([])
        assert result.words == [] and result.vectors.shape[0] == 0
