"""One interface, one implementation per library: transformers (CLIP, SigLIP, SigLIP 2) and open_clip."""

from .base import Backend, TextRules

__all__ = ["Backend", "TextRules"]
