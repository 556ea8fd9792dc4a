"""Zero-shot image classification with a declared CLIP, OpenCLIP, SigLIP or SigLIP 2 checkpoint.

Heavy libraries (torch, transformers, open_clip) are imported only when a checkpoint is loaded, so importing this
package and running `clip-zero-shot --help` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CheckpointError, ClipZeroShotError, ExitCode, RefusalError, UsageError

__version__ = "0.1.0"

__all__ = [
    "CheckpointError",
    "ClassificationResult",
    "ClipZeroShotError",
    "ExitCode",
    "RefusalError",
    "UsageError",
    "ZeroShotClassifier",
    "__version__",
]

if TYPE_CHECKING:
    from .classifier import ZeroShotClassifier
    from .results import ClassificationResult


def __getattr__(name: str) -> Any:
    if name == "ZeroShotClassifier":
        from .classifier import ZeroShotClassifier

        return ZeroShotClassifier
    if name == "ClassificationResult":
        from .results import ClassificationResult

        return ClassificationResult
    raise AttributeError(name)
