"""The eight embedding methods, with their real models and corpus."""

import numpy as np
import pytest

import embedders
from common.vectors import pairwise_cosine
from inputs import wordlists

ROYALTY = ["king", "queen", "building"]


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.mark.slow
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


# --- sentences --------------------------------------------------------------
def test_a_static_method_embeds_a_sentence_as_the_mean_of_its_known_words(glove):
    result = glove.embed_sentences(["The King and the Queen!", "zzqxv plugh"])
    kv = glove.keyed_vectors
    expected = np.mean([kv[w] for w in ["the", "king", "and", "the", "queen"]], axis=0)
    assert result.sentences and result.words == ["The King and the Queen!"]
    np.testing.assert_allclose(result.vectors[0], expected, rtol=1e-6)
    assert result.missing == ["zzqxv plugh"] and set(result.unknown_words) == {"zzqxv", "plugh"}


def test_tfidf_sentences_are_alike_only_when_they_share_words():
    tfidf = embedders.get("tfidf")
    result = tfidf.embed_sentences(["the king ruled the kingdom", "a king was crowned", "rivers flow to oceans"])
    unit = result.vectors / np.linalg.norm(result.vectors, axis=1, keepdims=True)
    similarity = unit @ unit.T
    assert result.vectors.shape[1] == tfidf.vocabulary_size()
    assert similarity[0, 1] > 0.0 and similarity[0, 2] == 0.0


def test_one_hot_sentences_are_all_equally_far_apart():
    result = embedders.get("onehot").embed_sentences(["a cat sat", "a dog ran", "a cat sat", "birds fly south"])
    distinct = np.unique(result.vectors, axis=0)
    assert len(distinct) == 3 and np.allclose(distinct @ distinct.T, np.eye(3))


@pytest.mark.slow
def test_minilm_says_which_passages_it_cut(minilm):
    long_passage = "The river bank was quiet in the early morning. " * 40
    result = minilm.embed_sentences(["A short sentence.", long_passage])
    assert result.cut == [long_passage] and result.vectors.shape == (2, 384)


@pytest.mark.slow
def test_minilm_finds_the_preset_sentence_a_paraphrase_means_first(minilm):
    from retrieval import IndexSettings, VectorIndex

    sentences = wordlists.load_preset("sentences_topics").items
    index = VectorIndex.build(minilm.embed_sentences(sentences).vectors, IndexSettings("exact"))
    pairs = {"A kitten was sitting on the rug.": "The cat sat on the mat.",
             "She put her money in a new account at the bank.": "She opened a savings account at the bank."}
    for paraphrase, original in pairs.items():
        best = index.search(minilm.embed_sentences([paraphrase]).vectors, 1).indices[0, 0]
        assert sentences[best] == original


def test_a_stored_preset_embedding_reads_back_equal_and_a_damaged_file_is_replaced(glove, tmp_path, monkeypatch):
    from embedders.stored import STORE_FROM, stored_embedding

    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))
    items = ("the cat sat on the mat", "zzqxv plugh", *(f"a dog barked {n} times" for n in range(STORE_FROM)))
    first = stored_embedding(glove, "test", items, True, lambda: glove.embed_sentences(items))
    again = stored_embedding(glove, "test", items, True, lambda: pytest.fail("should read the stored file"))
    assert again.words == first.words and again.missing == first.missing and again.sentences
    assert again.unknown_words == first.unknown_words and np.array_equal(again.vectors, first.vectors)
    (stored,) = (tmp_path / "preset-vectors").glob("*.npz")
    stored.write_bytes(b"not an npz file")
    recomputed = stored_embedding(glove, "test", items, True, lambda: glove.embed_sentences(items))
    assert np.array_equal(recomputed.vectors, first.vectors)


@pytest.mark.slow
def test_what_a_method_trained_here_embeds_is_never_stored(skipgram, tmp_path, monkeypatch):
    from embedders.stored import STORE_FROM, stored_embedding

    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))
    items = tuple(f"the king number {n}" for n in range(STORE_FROM))
    stored_embedding(skipgram, "test", items, True, lambda: skipgram.embed_sentences(items))
    assert not (tmp_path / "preset-vectors").exists()
