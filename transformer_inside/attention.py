"""Attention weights of every layer and head for one sentence, by pieces or by words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from transformer_inside import model
from transformer_inside.tokens import Tokenization, tokenize


@dataclass
class Attention:
    """``weights[layer, head, query, key]``: how much each token (row) takes from each token (column).

    Every row sums to 1: attention is a weighted average over the keys.
    ``labels`` name the rows and columns (pieces, or words after merging).
    """

    labels: list[str]
    weights: np.ndarray  # float32 [layers, heads, n, n]
    tokenization: Tokenization
    merged: bool = False

    @property
    def layers(self) -> int:
        return self.weights.shape[0]

    @property
    def heads(self) -> int:
        return self.weights.shape[1]

    def matrix(self, layer: int, head: int | None = None) -> np.ndarray:
        """The ``[n x n]`` weights of one layer (numbered from 0) and head; ``head=None`` averages the heads."""
        weights = self.weights[layer]
        return weights.mean(axis=0) if head is None else weights[head]


def attention(sentence: str) -> Attention:
    """Attention weights of every layer and head for ``sentence``, cut at the model's maximum length.

    Rows and columns are the WordPiece tokens, [CLS] and [SEP] included.
    """
    import torch

    tokenization = tokenize(sentence)
    ids = torch.tensor([tokenization.ids])
    output = model.run({"input_ids": ids, "attention_mask": torch.ones_like(ids)}, attentions=True)
    # attentions: one [batch, heads, n, n] tensor per layer.
    weights = np.stack([layer[0].numpy() for layer in output.attentions]).astype(np.float32)
    return Attention([piece.text for piece in tokenization.pieces], weights, tokenization)


def merge_word_pieces(result: Attention) -> Attention:
    """Attention between words instead of pieces, so that the chart reads in words.

    Attention *to* a word is the sum over its pieces (it is a share of the row),
    attention *from* a word the mean over its pieces (each piece's row sums to 1),
    so rows still sum to 1. [CLS] and [SEP] stay tokens of their own.
    """
    if result.merged:
        return result
    tokenization = result.tokenization
    groups: dict[tuple, list[int]] = {}
    labels: list[str] = []
    for position, piece in enumerate(tokenization.pieces):
        key = ("word", piece.word) if piece.word is not None else ("token", position)
        if key not in groups:
            groups[key] = []
            labels.append(tokenization.words[piece.word] if piece.word is not None else piece.text)
        groups[key].append(position)
    membership = np.zeros((len(groups), len(tokenization.pieces)), dtype=np.float32)
    for row, positions in enumerate(groups.values()):
        membership[row, positions] = 1.0
    mean_from = membership / membership.sum(axis=1, keepdims=True)
    # [words x pieces] @ [layers, heads, pieces, pieces] @ [pieces x words]
    weights = mean_from @ result.weights @ membership.T
    return Attention(labels, weights.astype(np.float32), tokenization, merged=True)
