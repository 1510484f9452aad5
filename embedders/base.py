"""The shared interface of every embedding method."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from common.progress import Progress, no_progress

if TYPE_CHECKING:
    from gensim.models import KeyedVectors


@dataclass
class EmbeddingResult:
    """Vectors for the items an embedder could embed, in input order.

    ``words`` are the input items that got a vector (as the user typed them),
    ``vectors`` is float32 ``[len(words) x dim]``, ``missing`` lists the items
    without a vector, and ``generated`` the found items whose vector was built
    from pieces rather than looked up (FastText's subwords for unseen words).
    """

    words: list[str]
    vectors: np.ndarray
    missing: list[str] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)
    #: For sentences: distinct words inside them that the method has no vector for (left out of the mean).
    unknown_words: list[str] = field(default_factory=list)
    #: For sentences: items longer than the model reads, embedded from their beginning only.
    cut: list[str] = field(default_factory=list)
    #: Whether the items were embedded as sentences (``Embedder.embed_sentences``).
    sentences: bool = False


class Embedder:
    """One embedding method: turns items into vectors.

    Subclasses set the class attributes and implement ``_load`` and
    ``_vectors_for``; loading happens once, on first use, behind a lock so that
    sessions sharing one embedder never load it twice.
    """

    name: str = ""
    title: str = ""
    description: str = ""
    #: Whether lookups ignore case (the vocabulary is lower-case).
    lowercase: bool = True
    #: Whether loading is slow enough (training, big model) to warrant progress.
    slow_to_load: bool = False
    #: Whether first use trains a model (up to a minute) rather than loading one.
    trains_on_first_use: bool = False
    #: Whether ``neighbours`` searches a vocabulary of the method's own.
    has_vocabulary: bool = False
    #: Whether the method learns from a text corpus (and accepts ``corpus=`` when created).
    uses_corpus: bool = False
    #: The most items the method embeds at once (None: no limit of its own); ``limit_note`` says why.
    max_items: int | None = None
    limit_note: str = ""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        #: How long this process took to load or train the method (None until it has).
        self.load_seconds: float | None = None

    # --- loading -------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._loaded

    def load(self, progress: Progress = no_progress) -> None:
        """Load or train the model once; later calls return at once."""
        with self._lock:
            if not self._loaded:
                started = time.perf_counter()
                self._load(progress)
                self.load_seconds = time.perf_counter() - started
                self._loaded = True

    def _load(self, progress: Progress) -> None:
        """Load the model (override when there is something to load)."""

    # --- embedding -----------------------------------------------------
    def key(self, item: str) -> str:
        """The vocabulary key an item is looked up by."""
        return item.lower() if self.lowercase else item

    def embed(self, items: Sequence[str], progress: Progress = no_progress) -> EmbeddingResult:
        """Embed ``items``; duplicates and blanks are the caller's business."""
        self.load(progress)
        return self._vectors_for(list(items), progress)

    def _vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        raise NotImplementedError

    def embed_sentences(self, items: Sequence[str], progress: Progress = no_progress) -> EmbeddingResult:
        """Embed sentences or passages, one vector each, in the method's own way (``sentence_note`` says how)."""
        self.load(progress)
        result = self._sentence_vectors_for(list(items), progress)
        result.sentences = True
        return result

    def _sentence_vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        raise NotImplementedError

    @property
    def sentence_note(self) -> str:
        """How this method turns a sentence into one vector, in a sentence for the user."""
        return ""

    # --- neighbours ----------------------------------------------------
    @property
    def keyed_vectors(self):
        """The gensim ``KeyedVectors`` of the vocabulary, or None without one."""
        return None

    def vocabulary_size(self) -> int:
        kv = self.keyed_vectors
        return 0 if kv is None else len(kv.index_to_key)

    @property
    def memory_bytes(self) -> int:
        """What the loaded vectors or model weights hold in memory (the words' strings come on top)."""
        kv = self.keyed_vectors
        return 0 if kv is None else int(kv.vectors.nbytes + getattr(kv, "vectors_ngrams", np.empty(0)).nbytes)

    def neighbours(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` nearest vocabulary words to ``word`` by cosine similarity.

        Similarities are computed on the original vectors, never on a projection.
        Raises ``KeyError`` for a word without a vector and ``NotImplementedError``
        for a method without a vocabulary.
        """
        self.load()
        kv = self.keyed_vectors
        if kv is None:
            raise NotImplementedError(f"{self.title} has no vocabulary to search.")
        key = self.key(word)
        if key not in kv.key_to_index:
            vector = self._vector_for_unseen(key)
            if vector is None:
                raise KeyError(f"{word!r} is not in {self.title}'s vocabulary.")
            return [(w, float(s)) for w, s in kv.similar_by_vector(vector, topn=k)]
        return [(w, float(s)) for w, s in kv.most_similar(key, topn=k)]

    def _vector_for_unseen(self, key: str) -> np.ndarray | None:
        """A vector for a word outside the vocabulary, when the method can build one."""
        return None


def keyed_vectors_from(words: list[str], vectors: np.ndarray):
    """A gensim ``KeyedVectors`` holding ``vectors`` (rows in the order of ``words``)."""
    from gensim.models import KeyedVectors

    # Filled directly rather than with add_vectors, which copies the array: 150 MB less
    # peak memory and 0.4 s less for GloVe's 400,000 words (measured).
    key_to_index = {word: i for i, word in enumerate(words)}
    if len(key_to_index) != len(words):
        raise ValueError("The vocabulary has duplicate words.")
    kv = KeyedVectors(vector_size=vectors.shape[1], count=0, dtype=np.float32)
    kv.index_to_key = list(words)
    kv.key_to_index = key_to_index
    kv.vectors = np.asarray(vectors, dtype=np.float32)
    kv.allocate_vecattrs()
    return kv


#: Words inside a sentence, for methods that average word vectors: letters, digits and inner apostrophes.
_WORD = re.compile(r"\w+(?:'\w+)*")


def words_of(sentence: str) -> list[str]:
    """The words of a sentence, punctuation left out."""
    return _WORD.findall(sentence)


class KeyedVectorsEmbedder(Embedder):
    """An embedder whose vectors live in a gensim ``KeyedVectors``.

    Sentences become the mean of their words' vectors: the usual baseline for static
    embeddings (word order and context are lost, which the page says).
    """

    has_vocabulary = True

    def __init__(self) -> None:
        super().__init__()
        self._kv: KeyedVectors | None = None  # set by each subclass's ``_load``

    @property
    def keyed_vectors(self):
        return self._kv

    def _loaded_kv(self) -> KeyedVectors:
        """``_kv`` where the method is loaded already (``embed`` and ``embed_sentences`` load first)."""
        assert self._kv is not None, f"{self.title} is used before it is loaded"
        return self._kv

    def _vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        kv = self._loaded_kv()
        words, rows, missing, generated = [], [], [], []
        for item in items:
            key = self.key(item)
            if key in kv.key_to_index:
                rows.append(kv.get_vector(key))
            else:
                vector = self._vector_for_unseen(key)
                if vector is None:
                    missing.append(item)
                    continue
                rows.append(vector)
                generated.append(item)
            words.append(item)
        dim = kv.vector_size
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(rows), dim)
        return EmbeddingResult(words, vectors, missing, generated)

    @property
    def sentence_note(self) -> str:
        return (f"{self.title} has one vector per word, so each sentence here is the mean of its words' vectors: "
                "word order and context are lost, and words without a vector are left out.")

    def _sentence_vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        kv = self._loaded_kv()
        found, rows, missing = [], [], []
        unknown: dict[str, None] = {}  # a dict keeps first-seen order without duplicates
        for number, item in enumerate(items):
            known = []
            for word in words_of(item):
                key = self.key(word)
                vector = kv.get_vector(key) if key in kv.key_to_index else self._vector_for_unseen(key)
                if vector is None:
                    unknown[key] = None
                else:
                    known.append(vector)
            if known:
                found.append(item)
                rows.append(np.mean(known, axis=0))
            else:
                missing.append(item)
            if number % 500 == 0:
                progress(number / max(1, len(items)), f"Averaging word vectors: {number:,} of {len(items):,} items")
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(rows), kv.vector_size)
        return EmbeddingResult(found, vectors, missing, unknown_words=list(unknown))


class CorpusEmbedder(KeyedVectorsEmbedder):
    """An embedder that learns its vectors from a text corpus (the bundled one by default)."""

    uses_corpus = True

    def __init__(self, corpus=None) -> None:
        super().__init__()
        self._corpus = corpus

    @property
    def corpus(self):
        """The ``embedders.corpus.Corpus`` this method learns from (tokenized on first use)."""
        if self._corpus is None:
            from embedders.corpus import bundled_corpus

            self._corpus = bundled_corpus()
        return self._corpus
