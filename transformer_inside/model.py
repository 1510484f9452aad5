"""The bare transformers model and tokenizer of all-MiniLM-L6-v2, loaded once per process.

The MiniLM embedder's ``SentenceTransformer`` runs its BERT with PyTorch's fused
"sdpa" attention, which never returns attention weights. Switching that shared
model to "eager" would change it under every session that embeds with it, so
this module loads its own copy of the same packaged weights (about 90 MB, a
few seconds) with eager attention.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

from common.progress import Progress, no_progress

_model = None
_tokenizer = None
_lock = threading.Lock()
# A fast tokenizer sets its truncation and padding in place before each call: when two sessions
# tokenize at once, one can run with the other's settings (an uncut 600-token text, say) or fail
# with "Already borrowed". One call at a time avoids both.
_tokenizer_lock = threading.Lock()


def load(progress: Progress = no_progress) -> None:
    """Load the model and tokenizer once; later calls return at once."""
    global _model, _tokenizer
    with _lock:
        if _model is not None:
            return
        # Must be set before the Hugging Face libraries are imported, or they try the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        progress(0.05, "Importing PyTorch and transformers…")
        from transformers import AutoModel, AutoTokenizer

        from embedders.minilm import model_path

        progress(0.5, "Reading the tokenizer's vocabulary of 30,522 word pieces…")
        tokenizer = AutoTokenizer.from_pretrained(model_path())
        progress(0.6, "Loading the 6 layers of all-MiniLM-L6-v2…")
        model = AutoModel.from_pretrained(model_path(), attn_implementation="eager")
        model.eval()
        _tokenizer, _model = tokenizer, model
        progress(1.0, "The transformer is ready.")


def loaded() -> bool:
    """Whether ``load`` has finished in this process."""
    return _model is not None


def tokenizer():
    """The WordPiece tokenizer (a fast ``BertTokenizer``), loading it if needed."""
    load()
    return _tokenizer


def model():
    """The ``BertModel`` with eager attention, in evaluation mode, loading it if needed."""
    load()
    return _model


def max_tokens() -> int:
    """The longest input the model reads, special tokens included (512 for MiniLM)."""
    return min(tokenizer().model_max_length, model().config.max_position_embeddings)


def layer_count() -> int:
    """Transformer layers (6); hidden states add the input embeddings as layer 0."""
    return model().config.num_hidden_layers


def head_count() -> int:
    """Attention heads per layer (12)."""
    return model().config.num_attention_heads


def tokenize(texts: str | list[str], **options):
    """Call the tokenizer on ``texts`` with ``options``, one call at a time (see ``_tokenizer_lock``)."""
    encoder = tokenizer()
    with _tokenizer_lock:
        return encoder(texts, **options)


def pieces(ids: Sequence[int]) -> list[str]:
    """The vocabulary's spelling of each id ("em", "##bed", "[CLS]")."""
    encoder = tokenizer()
    with _tokenizer_lock:
        return encoder.convert_ids_to_tokens(list(ids))


def decode(ids: Sequence[int]) -> str:
    """The text that ``ids`` spell, without special tokens."""
    encoder = tokenizer()
    with _tokenizer_lock:
        return encoder.decode(list(ids), skip_special_tokens=True)


def normalise(text: str) -> str:
    """``text`` as the uncased model sees it before cutting: lower case, accents removed."""
    encoder = tokenizer()
    with _tokenizer_lock:
        return encoder.backend_tokenizer.normalizer.normalize_str(text)


def pre_tokenize(text: str) -> list[str]:
    """The words the tokenizer cuts ``text`` into before splitting them into pieces."""
    encoder = tokenizer()
    with _tokenizer_lock:
        return [word for word, _ in encoder.backend_tokenizer.pre_tokenizer.pre_tokenize_str(text)]


def encode(texts: Sequence[str]):
    """Tokenize ``texts`` as one padded batch, cut at ``max_tokens``, with offsets and word ids."""
    return tokenize(
        list(texts),
        padding=True,
        truncation=True,
        max_length=max_tokens(),
        return_offsets_mapping=True,
        return_tensors="pt",
    )


def run(encoding, *, hidden_states: bool = False, attentions: bool = False):
    """Run the model on an ``encode`` result without gradients; returns its output object."""
    import torch

    inputs = {key: value for key, value in encoding.items() if key != "offset_mapping"}
    with torch.inference_mode():
        return model()(**inputs, output_hidden_states=hidden_states, output_attentions=attentions)
