"""Inside all-MiniLM-L6-v2: its tokens, its contextual vectors and its attention.

Plain functions without Streamlit, on the same packaged model the MiniLM
embedder uses, loaded as a bare ``transformers`` model so that it can return
hidden states per layer and attention weights.
"""
