"""Trade-offs of embeddings: what storing vectors with less precision costs in neighbours kept and in quality."""

from tradeoffs.compression import Compression, StorageForm, compression_table, storage_forms
from tradeoffs.scores import ClassificationScore, WordPairScore, passage_classification, word_pair_scores

__all__ = ["ClassificationScore", "Compression", "StorageForm", "WordPairScore", "compression_table",
           "passage_classification", "storage_forms", "word_pair_scores"]
