"""Cosine similarity between image embeddings and class prototypes, and the family's own probabilities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

ProbabilityKind = Literal["softmax", "sigmoid"]


@dataclass(frozen=True)
class ScoreRule:
    """How a checkpoint turns cosine similarity into a probability.

    CLIP-style models: softmax over the candidates of cos * exp(logit_scale).
    SigLIP-style models: an independent sigmoid of cos * exp(logit_scale) + logit_bias per class.
    Both are monotonic in cosine, so the ranking is the cosine ranking; only the probability differs.
    """

    kind: ProbabilityKind
    logit_scale: float  # already exponentiated
    logit_bias: float = 0.0

    def probabilities(self, cosine: np.ndarray) -> np.ndarray:
        logits = cosine.astype(np.float64) * self.logit_scale + self.logit_bias
        if self.kind == "softmax":
            logits -= logits.max(axis=-1, keepdims=True)
            e = np.exp(logits)
            return e / e.sum(axis=-1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-logits))

    def describe(self) -> str:
        if self.kind == "softmax":
            return f"softmax over the candidates of cosine x {self.logit_scale:.4g} (sums to 1 across your classes)"
        return (
            f"sigmoid(cosine x {self.logit_scale:.4g} + {self.logit_bias:.4g}) per class "
            "(independent per class; does not sum to 1)"
        )


def l2_normalise(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norm, 1e-12)


def cosine_matrix(image_embeddings: np.ndarray, prototypes: np.ndarray) -> np.ndarray:
    """[images, dim] x [classes, dim] -> [images, classes]; both sides are normalised here."""
    return l2_normalise(image_embeddings) @ l2_normalise(prototypes).T


def top_k_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best classes per row, best first; ties keep the caller's class order."""
    order = np.argsort(-scores, axis=-1, kind="stable")
    return order[:, :k]
