"""Shared fixtures: the real embedders, loaded once per test session."""

import pytest

import embedders


def pytest_collection_modifyitems(items):
    """Browser tests last: by then the unit tests have trained and cached the models they use."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def loaded(name: str) -> embedders.Embedder:
    embedder = embedders.get(name)
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def glove():
    return loaded("glove")


@pytest.fixture(scope="session")
def minilm():
    return loaded("minilm")


@pytest.fixture(scope="session")
def skipgram():
    return loaded("word2vec-skipgram")


@pytest.fixture(scope="session")
def fasttext():
    return loaded("fasttext")
