"""Trade-offs of embeddings: what storing vectors with less precision costs in neighbours kept."""

from tradeoffs.compression import Compression, compression_table

__all__ = ["Compression", "compression_table"]
