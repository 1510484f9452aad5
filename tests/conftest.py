"""Shared fixtures: the real embedders, loaded once per test session."""

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import embedders  # noqa: E402


@pytest.fixture(scope="session")
def glove():
    embedder = embedders.get("glove")
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def minilm():
    embedder = embedders.get("minilm")
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def skipgram():
    embedder = embedders.get("word2vec-skipgram")
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def fasttext():
    embedder = embedders.get("fasttext")
    embedder.load()
    return embedder
