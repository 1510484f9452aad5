"""Tokenizers beside MiniLM's WordPiece: GPT-4's byte-level BPE (cl100k) and a BPE trained live on the bundled corpus."""
