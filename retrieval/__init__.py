"""Similarity search over a vector store: FAISS indexes, exact and HNSW, and their recall."""

from retrieval.index import (
    INDEX_KINDS,
    SWEEP_DEPTHS,
    IndexSettings,
    SearchResult,
    SweepPoint,
    VectorIndex,
    efsearch_sweep,
    exact_ms_per_query,
    recall_at_k,
    shared_index,
    without_query,
)

__all__ = ["INDEX_KINDS", "SWEEP_DEPTHS", "IndexSettings", "SearchResult", "SweepPoint", "VectorIndex",
           "efsearch_sweep", "exact_ms_per_query", "recall_at_k", "shared_index", "without_query"]
