"""Shared fixtures: the real embedders, loaded once per test session; the fast tier and its guard."""

import os
import sys

import pytest

import embedders

#: The fast tier (``bash scripts/test.sh --fast``): no training, no model beyond GloVe, no browser.
FAST_TIER = "not slow and not browser"
#: Fixtures that load a model beyond GloVe (or train one): a test asking for one is slow.
SLOW_FIXTURES = {"minilm", "skipgram", "fasttext"}
#: Methods the fast tier may load: GloVe, and those fitted in a second or two (no training, no model file).
FAST_METHODS = {"glove", "onehot", "count", "tfidf"}


#: pytest's own ``__main__``. AppTest runs an app's script as ``__main__`` and leaves it there; a process pool
#: that spawns its workers (Dask's local cluster) would then run that script again in each of them.
_PYTEST_MAIN = sys.modules["__main__"]


@pytest.fixture(scope="module")
def spawnable_main():
    """pytest's ``__main__`` back in place while a module's tests start Dask's local cluster."""
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = _PYTEST_MAIN
    yield
    sys.modules["__main__"] = saved


def pytest_collection_modifyitems(items):
    """Tests that ask for a slow fixture are marked slow; browser tests run last (by then the unit tests
    have trained and cached the models they use)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def heavy_models() -> set[str]:
    """What this process has loaded beyond the fast tier's methods."""
    heavy = {name for name in embedders.available() if name not in FAST_METHODS and embedders.get(name).loaded}
    return heavy | ({"torch (MiniLM or the transformer)"} if "torch" in sys.modules else set())


@pytest.fixture(autouse=True)
def fast_tier_stays_fast(request):
    """In the fast tier, a test that loads or trains a model beyond GloVe fails, naming it: mark it slow."""
    fast = request.config.option.markexpr == FAST_TIER
    before = heavy_models() if fast else set()
    yield
    if fast and (loaded := sorted(heavy_models() - before)):
        pytest.fail(f"{request.node.nodeid} belongs to the fast tier but loads {', '.join(loaded)}: mark it slow")


def app_settings() -> dict[str, str]:
    """The app's settings in this process's environment (its cache folder and the like)."""
    return {name: value for name, value in os.environ.items() if name.startswith("EMBEDDING_EXPLORER_")}


@pytest.fixture(autouse=True)
def app_settings_are_left_as_found(request):
    """A test that changes the app's settings without monkeypatch fails, and they are put back: otherwise
    every later test of its process uses them, and so does the browser tests' app server (in CI it started
    with an empty cache folder that a deploy test had left set, and trained everything again)."""
    before = app_settings()
    yield
    if (after := app_settings()) != before:
        changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        for name in changed:
            os.environ.pop(name, None)
            if name in before:
                os.environ[name] = before[name]
        pytest.fail(f"{request.node.nodeid} left {', '.join(changed)} changed: set it with monkeypatch")


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
