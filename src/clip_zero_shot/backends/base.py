"""The backend interface every checkpoint family is served through."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..ranking import ScoreRule
from ..results import CheckpointInfo

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class TextRules:
    """How the family's text tower must be fed; a wrong choice silently changes the embedding.

    SigLIP and SigLIP 2 pool the last position, so their text is padded to a fixed `max_length` (64);
    CLIP pools at the end-of-text token under a causal mask, so dynamic padding is fine.
    SigLIP 2 was trained on lower-cased text.
    Every family was trained with padding after the text. Gemma-style tokenizers (the SigLIP 2 ones) default to
    padding on the left, which would move the text to other positions and pool a different token, so the side
    is a rule of the family, not left to whatever the checkpoint's tokenizer config says.
    """

    padding: Literal["longest", "max_length"]
    max_length: int
    lowercase: bool
    attention_mask: bool  # whether the text tower was trained to see an attention mask
    padding_side: Literal["right", "left"] = "right"

    def prepare(self, texts: list[str]) -> list[str]:
        return [t.lower() for t in texts] if self.lowercase else list(texts)


class Backend(ABC):
    """A loaded checkpoint: its two towers, its preprocessing and the facts needed to score with it."""

    info: CheckpointInfo
    text_rules: TextRules
    score_rule: ScoreRule

    @abstractmethod
    def encode_text(self, texts: list[str]) -> np.ndarray:
        """Projected text embeddings, [len(texts), dim], float32, not normalised."""

    @abstractmethod
    def preprocess(self, image: Image.Image) -> Any:
        """The checkpoint's own preprocessing of one RGB image; thread-safe, run ahead of the model."""

    @abstractmethod
    def encode_images(self, items: list[Any]) -> np.ndarray:
        """Projected image embeddings for preprocessed items, [len(items), dim], float32, not normalised."""

    @abstractmethod
    def truncated(self, texts: list[str]) -> list[str]:
        """The texts that do not fit the text tower's context and are cut."""

    def prepare_loader_thread(self) -> None:
        """Run once in each image-loading thread before it preprocesses anything."""
        from ..runtime import one_thread_in_this_thread

        one_thread_in_this_thread()

    @property
    def text_batch_size(self) -> int:
        """Prompts per text-tower call; bounded so activations for 80,000 prompts never sit in memory at once."""
        return 256
