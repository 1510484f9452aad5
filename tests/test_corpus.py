"""Training corpora: the bundled Wikipedia sample and users' own text."""

import os

import numpy as np
import pytest

import embedders
from embedders.corpus import (
    MIN_CORPUS_TOKENS,
    CorpusError,
    _tokenize_wikipedia_sample,
    bundled_corpus,
    corpus_from_text,
)
from inputs.wikipedia import WIKIPEDIA_SAMPLE_FILE


@pytest.fixture(scope="module")
def wikipedia_text() -> str:
    """Real text: the first articles of the bundled sample, as paragraphs of plain words."""
    documents = bundled_corpus().documents[:3]
    return "\n\n".join(" ".join(doc) for doc in documents)


def test_the_bundled_corpus_is_the_wikipedia_sample():
    corpus = bundled_corpus()
    assert len(corpus.documents) == 106
    assert corpus.token_count > 400_000
    assert corpus.documents[0][:2] == ["anarchism", "is"]


def test_the_sample_is_tokenized_as_gensim_does_without_forking_the_server(tmp_path, monkeypatch):
    """A server tokenizes the sample when its cache has none: gensim's WikiCorpus forks a pool for that,
    and a forked Streamlit server once hung there in CI. Ours forks nothing and gives the same text."""
    from gensim.corpora.wikicorpus import WikiCorpus
    from gensim.test.utils import datapath

    expected = "\n".join(" ".join(tokens) for tokens in
                          WikiCorpus(datapath(WIKIPEDIA_SAMPLE_FILE), dictionary={}, processes=1).get_texts())

    def refuse_to_fork():
        raise AssertionError("tokenizing the sample forked a process")

    monkeypatch.setattr(os, "fork", refuse_to_fork)
    target = tmp_path / "corpus.txt"
    assert _tokenize_wikipedia_sample(target) == expected
    assert target.read_text(encoding="utf-8") == expected


def test_paragraphs_or_lines_become_documents():
    words = " ".join(["word"] * MIN_CORPUS_TOKENS)
    assert len(corpus_from_text(f"{words}\n\n{words}\n\n\n{words}").documents) == 3
    assert len(corpus_from_text(f"{words}\n{words}").documents) == 2
    assert corpus_from_text("Hello, World! It's " + words).documents[0][:3] == ["hello", "world", "it's"]


def test_too_little_text_is_refused_with_the_count():
    with pytest.raises(CorpusError, match="has 3 words; training needs at least 1,000"):
        corpus_from_text("only three words", name="tiny.txt")


@pytest.mark.slow
def test_a_method_trained_on_your_own_text_learns_only_its_words(wikipedia_text, tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))  # train for real, not from an earlier run
    corpus = corpus_from_text(wikipedia_text, name="three articles")
    assert corpus.fingerprint == corpus_from_text(wikipedia_text).fingerprint
    own = embedders.get("word2vec-skipgram", corpus=corpus)
    assert own is embedders.get("word2vec-skipgram", corpus=corpus)
    assert own is not embedders.get("word2vec-skipgram")
    assert own.cache_path() != embedders.get("word2vec-skipgram").cache_path()
    epochs = []
    own.load(lambda fraction, message: epochs.append(message) if ": epoch" in message else None)
    assert len(epochs) == own.training_parameters["epochs"]
    assert own.cache_path().parent.parent == tmp_path
    vocabulary = set(own.keyed_vectors.index_to_key)
    assert vocabulary <= {token for doc in corpus.documents for token in doc}
    assert len(vocabulary) > 100
    result = own.embed(["anarchism", "xyzzyplugh"])
    assert result.words == ["anarchism"] and result.missing == ["xyzzyplugh"]
    assert np.isfinite(result.vectors).all()


def test_count_vectors_on_your_own_text_have_one_number_per_passage(wikipedia_text):
    corpus = corpus_from_text(wikipedia_text)
    tfidf = embedders.get("tfidf", corpus=corpus)
    tfidf.load()
    passages = sum(-(-len(doc) // 1000) for doc in corpus.documents)
    assert tfidf.keyed_vectors.vector_size == passages


@pytest.mark.slow
def test_methods_without_a_corpus_ignore_one(wikipedia_text):
    corpus = corpus_from_text(wikipedia_text)
    assert embedders.get("glove", corpus=corpus) is embedders.get("glove")
    assert embedders.get("minilm", corpus=corpus) is embedders.get("minilm")
