"""Similarity search over a vector store: FAISS indexes, exact and HNSW, and their recall."""

from retrieval.index import INDEX_KINDS, IndexSettings, SearchResult, VectorIndex, recall_at_k, shared_index

__all__ = ["INDEX_KINDS", "IndexSettings", "SearchResult", "VectorIndex", "recall_at_k", "shared_index"]
