"""Words as vectors of their counts across the passages of a corpus.

Shared by the count and TF-IDF methods: a word's vector has one number per
passage of the corpus (raw or tf-idf weighted), so two words are similar when
they turn up in the same passages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from common.progress import Progress
from embedders.base import CorpusEmbedder, EmbeddingResult, keyed_vectors_from
from embedders.corpus import Corpus, tokenize

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import CountVectorizer

#: Tokens per passage: 106 whole articles blur every topic together, short passages are too sparse
#: for two related words to meet (measured: king·queen 0.13 at 1000 tokens, 0.00 at 100).
PASSAGE_LENGTH = 1000
#: Words seen in fewer passages than this are left out, as Word2Vec's min_count does.
MIN_PASSAGES = 3


def split_into_passages(corpus: Corpus, length: int = PASSAGE_LENGTH) -> list[list[str]]:
    """Cut every document into consecutive passages of ``length`` tokens."""
    return [doc[start : start + length] for doc in corpus.documents for start in range(0, len(doc), length)]


class DocumentVectorEmbedder(CorpusEmbedder):
    """Base of count and TF-IDF: ``vectorizer()`` returns a scikit-learn vectorizer."""

    #: What one number of a sentence's vector is, for ``sentence_note`` ("count", "TF-IDF weight").
    weight_name = ""

    def __init__(self, corpus=None) -> None:
        super().__init__(corpus)
        self._vectorizer: CountVectorizer | None = None  # fitted by ``_load`` (TfidfVectorizer is one too)

    def vectorizer(self, min_df: int):
        raise NotImplementedError

    def _load(self, progress: Progress) -> None:
        progress(0.0, "Reading the corpus…")
        passages = split_into_passages(self.corpus)
        progress(0.5, f"Counting words in {len(passages):,} passages of {PASSAGE_LENGTH} tokens…")
        min_df = MIN_PASSAGES if len(passages) >= 10 * MIN_PASSAGES else 1
        # Passages are already tokenized: hand the tokens straight through.
        vectorizer = self.vectorizer(min_df)
        passage_by_word = vectorizer.fit_transform(passages).T.astype(np.float32).toarray()
        words = vectorizer.get_feature_names_out().tolist()
        self._kv = keyed_vectors_from(words, passage_by_word)
        self._vectorizer = vectorizer
        progress(1.0, f"{len(words):,} words × {len(passages):,} passages.")

    @property
    def sentence_note(self) -> str:
        return (f"Each sentence here is one {self.weight_name} per word of the corpus's vocabulary "
                f"({self.vocabulary_size():,} numbers, mostly zeros): sentences are alike when they share words, "
                "whatever the words mean.")

    def _sentence_vectors_for(self, items: list[str], progress: Progress) -> EmbeddingResult:
        """Each sentence as the corpus's vectorizer sees a document: a sentence is transposed to the
        vocabulary's axes, the opposite of a word, which lives on the passages' axes."""
        progress(0.0, f"Counting the words of {len(items):,} items…")
        tokens = [tokenize(item) for item in items]
        vectorizer = self._vectorizer
        assert vectorizer is not None, "embed_sentences loads the method first"
        rows = vectorizer.transform(tokens).astype(np.float32)
        empty = np.asarray(rows.getnnz(axis=1) == 0)
        found = [item for item, none in zip(items, empty) if not none]
        missing = [item for item, none in zip(items, empty) if none]
        vocabulary = vectorizer.vocabulary_
        unknown = dict.fromkeys(token for item_tokens in tokens for token in item_tokens if token not in vocabulary)
        return EmbeddingResult(found, rows[~empty].toarray(), missing, unknown_words=list(unknown))


def analyzer_for_tokens(tokens: list[str]) -> list[str]:
    """An identity analyzer, so scikit-learn keeps our tokenization."""
    return tokens
