"""Validate and normalise a classification request, and apply the responsible-use guards, in one place.

The command line, the library and any service build their request here, before any model is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .guards import check_request
from .prompts import CandidateClasses, Templates, normalise_classes, resolve_templates

DEFAULT_TOP_K = 5
DEFAULT_LOW_CONFIDENCE = 0.2


@dataclass(frozen=True)
class ClassificationRequest:
    classes: CandidateClasses
    templates: Templates
    top_k: int
    low_confidence: float
    contains_people: bool = False
    consent_policy: str | None = None

    @classmethod
    def build(
        cls,
        classes: list[str] | tuple[str, ...],
        *,
        templates: list[str] | tuple[str, ...] | None = None,
        templates_file: str | Path | None = None,
        template_set: str | None = None,
        top_k: int = DEFAULT_TOP_K,
        low_confidence: float = DEFAULT_LOW_CONFIDENCE,
        contains_people: bool = False,
        consent_policy: str | None = None,
    ) -> ClassificationRequest:
        if top_k < 1:
            raise UsageError(f"--top-k must be at least 1, got {top_k}")
        if not -1.0 <= low_confidence <= 1.0:
            raise UsageError(f"--low-confidence is a cosine threshold in [-1, 1], got {low_confidence}")
        if consent_policy is not None and not consent_policy.strip():
            raise UsageError("--consent-policy is empty")
        candidates = normalise_classes(list(classes))
        resolved = resolve_templates(templates, templates_file, template_set)
        check_request(candidates.names, resolved.items, contains_people=contains_people, consent_policy=consent_policy)
        return cls(
            classes=candidates,
            templates=resolved,
            top_k=min(top_k, len(candidates.names)),
            low_confidence=low_confidence,
            contains_people=contains_people,
            consent_policy=consent_policy,
        )
