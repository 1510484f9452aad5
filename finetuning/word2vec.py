"""Continue the bundled Word2Vec on a user's own corpus: a general model made domain-specific.

Continuing needs the whole model, not only the word vectors the skip-gram embedder saves: its output
weights (``syn1neg``) and word counts too. So this module trains its own base model once, with the
skip-gram embedder's parameters on the same bundled corpus, and keeps it as plain arrays in the cache
folder (``.npz`` read with ``allow_pickle=False``; ``Word2Vec.load`` would unpickle). The base model is
shared by the process and never trained again: each continuation trains a ``copy.deepcopy`` of it.
"""

from __future__ import annotations

import copy
import io
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from gensim.models.word2vec import MAX_WORDS_IN_BATCH

from common.files import write_atomically
from common.fingerprints import fingerprint
from common.progress import Progress, no_progress
from embedders.corpus import Corpus, bundled_corpus
from embedders.gensim_training import EpochProgress, training_sentences
from settings import cache_dir

#: Neighbours compared before and after.
TOP_NEIGHBOURS = 10
#: Words of the user's corpus compared: those seen this often there, at most this many of the most
#: distinctive (the most frequent there relative to the bundled corpus).
MIN_COUNT_IN_CORPUS = 10
CANDIDATE_WORDS = 200
#: Rows in the table of words whose neighbours changed most, and of new words.
SHOWN_WORDS = 15
#: Words of a larger corpus are cut here, with a note: 10 epochs over a million words take about a
#: minute on 2 cores (60,000 words took 3.6 s, measured here).
MAX_CORPUS_WORDS = 1_000_000

_base = None
_base_lock = threading.Lock()


def base_parameters() -> dict:
    """The skip-gram embedder's training parameters: the base model is that model, trained whole."""
    from embedders.word2vec_skipgram import Word2VecSkipGramEmbedder

    return dict(Word2VecSkipGramEmbedder.training_parameters)


def base_path():
    """Where the base model's arrays are kept, keyed by corpus, parameters and gensim's batch limit."""
    digest = fingerprint("word2vec-base", bundled_corpus().fingerprint, MAX_WORDS_IN_BATCH, base_parameters())[:16]
    return cache_dir() / "trained" / f"word2vec-base-{digest}.npz"


def base_model(progress: Progress = no_progress):
    """The process's base Word2Vec (skip-gram on the bundled corpus), read from the cache or trained once.

    Shared and read-only: continue a ``copy.deepcopy`` of it, never the model itself.
    """
    global _base
    with _base_lock:
        if _base is None:
            path = base_path()
            if path.exists():
                progress(0.1, "Reading the Word2Vec model trained earlier on the Wikipedia sample…")
                _base = _read_base(path)
            else:
                _base = _train_base(path, progress)
        return _base


def base_loaded() -> bool:
    return _base is not None


def _train_base(path, progress: Progress):
    from gensim.models import Word2Vec

    corpus = bundled_corpus()
    parameters = base_parameters()
    progress(0.0, f"Training Word2Vec on {corpus.name} ({corpus.token_count:,} words), once per server…")
    model = Word2Vec(sentences=training_sentences(corpus), **parameters,
                     callbacks=[EpochProgress("Training the base Word2Vec", parameters["epochs"], progress, 0, 1)])
    words = np.array(model.wv.index_to_key)
    counts = np.array([model.wv.get_vecattr(word, "count") for word in model.wv.index_to_key], dtype=np.int64)

    def write(file) -> None:
        buffer = io.BytesIO()  # np.savez seeks, and the atomic writer's file is written once, in order
        np.savez(buffer, words=words, counts=counts, vectors=model.wv.vectors, syn1neg=model.syn1neg)
        file.write(buffer.getvalue())

    write_atomically(path, write)
    return model


def _read_base(path):
    """A Word2Vec rebuilt from saved arrays: the vocabulary from the counts, then the two weight matrices."""
    from gensim.models import Word2Vec

    with np.load(path, allow_pickle=False) as saved:
        words, counts = [str(word) for word in saved["words"]], saved["counts"]
        vectors, syn1neg = saved["vectors"], saved["syn1neg"]
    model = Word2Vec(**base_parameters())
    model.build_vocab_from_freq(dict(zip(words, (int(count) for count in counts))))
    # build_vocab_from_freq orders equal counts its own way: place each word's rows by its key.
    rows = np.array([model.wv.get_index(word) for word in words])
    model.wv.vectors[rows] = vectors
    model.syn1neg[rows] = syn1neg
    return model


@dataclass(frozen=True)
class ChangedWord:
    """A word of the user's corpus, its top neighbours before and after continuing, and how many stayed."""

    word: str
    count: int
    before: list[str]
    after: list[str]

    @property
    def kept(self) -> int:
        return len(set(self.before) & set(self.after))


@dataclass
class Continuation:
    """What continuing the base model on a corpus did; ``vectors`` are the continued model's own (this session's)."""

    corpus_name: str
    words_trained: int
    epochs: int
    seconds: float
    base_vocabulary: int
    vocabulary: int
    changed: list[ChangedWord]
    new_words: list[ChangedWord]
    notes: list[str] = field(default_factory=list)
    vectors: object = field(repr=False, default=None)


def continue_training(corpus: Corpus, progress: Progress = no_progress) -> Continuation:
    """Continue a copy of the base model on ``corpus`` (``build_vocab(update=True)``, then ``train``) and
    list the words whose neighbours changed most, with their old and new neighbours."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    base = base_model(lambda fraction, message: progress(0.5 * fraction, message))
    started = time.perf_counter()
    notes = []
    sentences = training_sentences(corpus, MAX_CORPUS_WORDS)
    words_trained = sum(len(sentence) for sentence in sentences)
    if words_trained < corpus.token_count:
        notes.append(f"Your corpus has {corpus.token_count:,} words; training used the first {words_trained:,} "
                     "(the limit), to stay within about a minute.")
    model = copy.deepcopy(base)
    model.build_vocab(sentences, update=True)
    progress(0.5, f"Continuing on {corpus.name} ({words_trained:,} words), {model.epochs} epochs…")
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs,
                callbacks=[EpochProgress("Continuing on your corpus", model.epochs, progress, 0.5, 0.95)])
    seconds = time.perf_counter() - started

    progress(0.96, "Comparing neighbours before and after…")
    counts = Counter(word for sentence in sentences for word in sentence)
    base_counts = {word: base.wv.get_vecattr(word, "count") for word in base.wv.index_to_key}
    base_total, total = sum(base_counts.values()), max(1, words_trained)
    candidates = [word for word, count in counts.items()
                  if count >= MIN_COUNT_IN_CORPUS and word in base_counts and word not in ENGLISH_STOP_WORDS]
    # Most distinctive first: how much more often the corpus uses a word than the Wikipedia sample does.
    candidates.sort(key=lambda word: -(counts[word] / total) / (base_counts[word] / base_total))
    changed = [ChangedWord(word, counts[word], _neighbours(base.wv, word), _neighbours(model.wv, word))
               for word in candidates[:CANDIDATE_WORDS]]
    changed.sort(key=lambda row: (row.kept, -row.count))
    new = [word for word in model.wv.index_to_key if word not in base_counts and word not in ENGLISH_STOP_WORDS]
    new.sort(key=lambda word: -counts[word])
    new_words = [ChangedWord(word, counts[word], [], _neighbours(model.wv, word)) for word in new[:SHOWN_WORDS]]
    progress(1.0, f"Continued in {seconds:.0f} s.")
    return Continuation(corpus.name, words_trained, model.epochs, seconds, len(base.wv), len(model.wv),
                        changed[:SHOWN_WORDS], new_words, notes, model.wv)


def _neighbours(keyed_vectors, word: str) -> list[str]:
    return [neighbour for neighbour, _ in keyed_vectors.most_similar(word, topn=TOP_NEIGHBOURS)]
