"""Typed results. `to_dict()` gives exactly the documented JSON (schema in `data/schema.json`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class NaFlexInfo:
    """SigLIP 2 NaFlex checkpoints keep the aspect ratio: there is a patch budget, not one resolution."""

    max_num_patches: int
    patch_size: int


@dataclass(frozen=True)
class CheckpointInfo:
    id: str  # exactly as the caller gave it
    revision: str  # hub commit hash, or "sha256:..." of a local folder's weights
    family: Literal["CLIP", "OpenCLIP", "SigLIP", "SigLIP 2"]
    backend: Literal["transformers", "open_clip"]
    architecture: str  # e.g. "clip", "siglip", "siglip2", or the OpenCLIP model name
    resolution: int | None  # square input side the checkpoint expects; None for NaFlex
    naflex: NaFlexInfo | None
    embedding_dim: int
    probability: str  # "softmax" or "sigmoid"
    logit_scale: float
    logit_bias: float
    text_padding: str  # "longest" or "max_length"
    text_max_length: int
    text_lowercase: bool

    def resolution_text(self) -> str:
        if self.naflex:
            return (
                f"NaFlex: up to {self.naflex.max_num_patches} patches of {self.naflex.patch_size}px, aspect ratio kept"
            )
        return f"{self.resolution}x{self.resolution}"


@dataclass(frozen=True)
class ClassScore:
    rank: int
    label: str
    cosine: float
    probability: float


@dataclass(frozen=True)
class ImageResult:
    index: int  # position in the expanded input list
    input: str
    status: Literal["ok", "error"]
    error: str | None = None
    top_k: tuple[ClassScore, ...] = ()
    low_confidence: bool | None = None

    @property
    def top1(self) -> ClassScore | None:
        return self.top_k[0] if self.top_k else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "input": self.input,
            "status": self.status,
            "error": self.error,
            "top1": asdict(self.top1) if self.top1 else None,
            "top_k": [asdict(s) for s in self.top_k],
            "low_confidence": self.low_confidence,
        }


@dataclass
class Tally:
    """Counts kept as results stream past, so a long streamed run needs no list of every row."""

    inputs: int = 0
    classified: int = 0
    failed: int = 0
    low_confidence: int = 0

    def add(self, r: ImageResult) -> None:
        self.inputs += 1
        if r.status == "ok":
            self.classified += 1
            self.low_confidence += bool(r.low_confidence)
        else:
            self.failed += 1


@dataclass
class ClassificationResult:
    """One checkpoint's ranking of the caller's candidate classes for every input image."""

    checkpoint: CheckpointInfo
    classes: tuple[str, ...]
    templates: tuple[str, ...]
    template_source: str
    top_k: int
    low_confidence_threshold: float
    images: list[ImageResult] = field(default_factory=list)
    notices: tuple[str, ...] = ()
    dropped_duplicate_classes: tuple[str, ...] = ()
    truncated_prompts: tuple[str, ...] = ()
    contains_people: bool = False
    consent_policy: str | None = None
    tally: Tally = field(default_factory=Tally)

    def record(self, r: ImageResult, *, keep: bool = True) -> None:
        self.tally.add(r)
        if keep:
            self.images.append(r)

    @property
    def failed(self) -> list[ImageResult]:
        return [r for r in self.images if r.status == "error"]

    @property
    def succeeded(self) -> list[ImageResult]:
        return [r for r in self.images if r.status == "ok"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "clip-zero-shot/classification",
            "schema_version": SCHEMA_VERSION,
            "checkpoint": asdict(self.checkpoint),
            "classes": list(self.classes),
            "dropped_duplicate_classes": list(self.dropped_duplicate_classes),
            "templates": list(self.templates),
            "template_source": self.template_source,
            "truncated_prompts": list(self.truncated_prompts),
            "top_k": self.top_k,
            "score": {
                "ranking": "cosine similarity between the image embedding and each class prototype",
                "probability": self.checkpoint.probability,
                "low_confidence_below_cosine": self.low_confidence_threshold,
            },
            "contains_people": self.contains_people,
            "consent_policy": self.consent_policy,
            "summary": asdict(self.tally),
            "notices": list(self.notices),
            "images": [r.to_dict() for r in self.images],
        }


@dataclass
class ComparisonResult:
    """Several checkpoints on the same inputs. Their scores are never merged: only top-1 labels are compared."""

    runs: list[ClassificationResult]
    notices: tuple[str, ...] = ()

    def top1_agreement(self) -> list[dict[str, Any]]:
        rows = []
        for position, first in enumerate(self.runs[0].images):
            labels = {}
            for run in self.runs:
                res = run.images[position]
                labels[run.checkpoint.id] = res.top1.label if res.top1 else None
            present = [v for v in labels.values() if v is not None]
            rows.append(
                {
                    "index": first.index,
                    "input": first.input,
                    "top1_labels": labels,
                    "agree": len(present) == len(labels) and len(set(present)) == 1,
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "clip-zero-shot/comparison",
            "schema_version": SCHEMA_VERSION,
            "notices": list(self.notices),
            "top1_agreement": self.top1_agreement(),
            "runs": [r.to_dict() for r in self.runs],
        }
