"""A replica's read-only cache (EMBEDDING_EXPLORER_CACHE_READ_ONLY=1): what it computes stays in memory,
nothing reaches the folder, and what is already there is read."""

import numpy as np
import pytest

from common.files import temporary_path, write_atomically
from embedders.stored import preset_embedding, worth_storing
from inputs.wordlists import PASSAGES_PRESET, load_preset
from retrieval import IndexSettings, VectorIndex


@pytest.fixture
def read_only_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE_READ_ONLY", "1")
    return tmp_path


def files_in(folder):
    return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())


def test_an_atomic_write_writes_nothing(read_only_cache):
    write_atomically(read_only_cache / "measurements" / "m.json", lambda file: file.write(b"{}"))
    assert files_in(read_only_cache) == []


def test_a_library_writing_by_name_writes_outside_the_folder_and_leaves_nothing(read_only_cache):
    target = read_only_cache / "indexes" / "i.faiss"
    with temporary_path(target) as temporary:
        temporary.write_bytes(b"index")
        assert read_only_cache not in temporary.parents
    assert not temporary.exists()
    assert files_in(read_only_cache) == []


def test_an_index_is_built_in_memory_and_never_saved(read_only_cache):
    vectors = np.random.default_rng(0).normal(size=(50, 8)).astype(np.float32)
    index = VectorIndex.load_or_build(read_only_cache / "indexes", "random", vectors, IndexSettings("exact"))
    assert len(index) == 50 and index.search(vectors[:1], 1).indices[0, 0] == 0
    assert files_in(read_only_cache) == []


def test_a_preset_embedding_is_computed_but_not_stored_and_a_stored_one_is_read(glove, tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE", str(tmp_path))
    passages = load_preset(PASSAGES_PRESET)
    assert worth_storing(glove, tuple(passages.items))
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE_READ_ONLY", "1")
    computed = preset_embedding(glove, passages)
    assert [path for path in files_in(tmp_path) if path.parts[0] == "preset-vectors"] == []
    # Written by a process that may write (the warm-up), then read by the read-only one.
    monkeypatch.delenv("EMBEDDING_EXPLORER_CACHE_READ_ONLY")
    preset_embedding(glove, passages)
    stored = [path for path in files_in(tmp_path) if path.parts[0] == "preset-vectors"]
    assert len(stored) == 1
    monkeypatch.setenv("EMBEDDING_EXPLORER_CACHE_READ_ONLY", "1")
    read_back = preset_embedding(glove, passages, progress=lambda *_: pytest.fail("read, not computed"))
    np.testing.assert_array_equal(read_back.vectors, computed.vectors)


def test_the_bundled_corpus_is_tokenized_in_memory(read_only_cache):
    from embedders.corpus import _tokenize_wikipedia_sample

    text = _tokenize_wikipedia_sample(read_only_cache / "corpus.txt")
    assert len(text.split()) > 400_000
    assert files_in(read_only_cache) == []
