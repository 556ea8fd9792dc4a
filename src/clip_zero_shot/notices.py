"""The plain-language statements every report carries."""

from __future__ import annotations

OUT_OF_DISTRIBUTION = (
    "Zero-shot classification is unreliable for classes outside the checkpoint's pretraining distribution: "
    "a confident-looking score can still be wrong."
)
CANDIDATES_ONLY = (
    "Each result is the best match among your candidate classes only. It is not a label for the image: "
    "the true content may be none of them."
)
NOT_COMPARABLE = (
    "Scores belong to this checkpoint and are not comparable with another checkpoint's "
    "(CLIP and SigLIP, for example, score on different scales)."
)
ALL_LOW = (
    "Every image scored below the low-confidence threshold: none of your candidates matches well. "
    "Consider different class names or templates before trusting any of these rankings."
)
MULTI_CHECKPOINT = (
    "Several checkpoints were run. Each has its own ranking and its own score scale; the scores are not "
    "comparable across checkpoints and are never averaged or merged. Only agreement of top-1 labels is shown."
)
READ_NEXT = (
    "What to read next: for images whose aspect ratio matters, read about NaFlex, the variable-resolution mode of "
    "SigLIP 2 (Lesson 12.06, handling variable aspect ratios); for a deeper dive into how these models are trained "
    "and evaluated, read the SigLIP 2 paper (Tschannen et al., 2025, arXiv:2502.14786)."
)


def classification_notices() -> tuple[str, ...]:
    return (OUT_OF_DISTRIBUTION, CANDIDATES_ONLY, NOT_COMPARABLE)
