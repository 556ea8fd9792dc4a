"""Zero-shot accuracy of a checkpoint on a labelled ImageFolder (one sub-folder per class)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UsageError
from .images.sources import IMAGE_EXTENSIONS, ImageSource
from .notices import classification_notices
from .results import SCHEMA_VERSION, CheckpointInfo, ImageResult


@dataclass(frozen=True)
class LabelledFolder:
    root: Path
    folder_names: tuple[str, ...]
    display_names: tuple[str, ...]
    items: tuple[tuple[str, int], ...]  # (path, class index)


def read_mapping(path: str | Path) -> dict[str, str]:
    """JSON object {folder: display name}, or lines `folder: display name`."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read class mapping {str(path)!r}: {exc.strerror or exc}") from exc
    if str(path).endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"class mapping {str(path)!r} is not valid JSON: {exc}") from exc
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise UsageError(f"class mapping {str(path)!r} must be a JSON object of strings")
        return {str(k): v for k, v in data.items()}
    mapping = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if ":" not in line:
            raise UsageError(f"class mapping {str(path)!r} line {n}: expected 'folder: display name'")
        k, v = line.split(":", 1)
        mapping[k.strip()] = v.strip()
    return mapping


def scan(root: str | Path, mapping: dict[str, str] | None = None) -> LabelledFolder:
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"evaluation folder {str(root)!r} does not exist")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(folders) < 2:
        raise UsageError(f"{str(root)!r} needs one sub-folder per class, at least two; found {len(folders)}")
    mapping = mapping or {}
    unknown = set(mapping) - {f.name for f in folders}
    if unknown:
        raise UsageError(f"class mapping names folders that do not exist: {', '.join(sorted(unknown))}")
    items = []
    for i, f in enumerate(folders):
        files = sorted(p for p in f.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
        items += [(str(p), i) for p in files]
    if not items:
        raise UsageError(f"no images found under {str(root)!r}")
    names = tuple(mapping.get(f.name, f.name.replace("_", " ")) for f in folders)
    return LabelledFolder(root, tuple(f.name for f in folders), names, tuple(items))


@dataclass
class EvalReport:
    checkpoint: CheckpointInfo
    folder: str
    classes: tuple[str, ...]
    templates: tuple[str, ...]
    template_source: str
    k: int
    confusion: np.ndarray  # [true, predicted] counts over ranked images
    top1_hits: int
    topk_hits: int
    results: list[ImageResult]
    truth: list[int]
    notices: tuple[str, ...] = field(default_factory=classification_notices)

    @property
    def n_ranked(self) -> int:
        return int(self.confusion.sum())

    @property
    def failed(self) -> list[ImageResult]:
        return [r for r in self.results if r.status == "error"]

    @property
    def top1_accuracy(self) -> float:
        return self.top1_hits / self.n_ranked if self.n_ranked else 0.0

    @property
    def topk_accuracy(self) -> float:
        return self.topk_hits / self.n_ranked if self.n_ranked else 0.0

    @property
    def chance(self) -> float:
        return 1.0 / len(self.classes)

    def per_class_recall(self) -> list[float | None]:
        totals = self.confusion.sum(axis=1)
        return [float(self.confusion[i, i] / t) if t else None for i, t in enumerate(totals)]

    @property
    def mean_per_class_recall(self) -> float:
        vals = [v for v in self.per_class_recall() if v is not None]
        return float(np.mean(vals)) if vals else 0.0

    def worst_confusions(self, n: int = 10) -> list[dict[str, Any]]:
        totals = self.confusion.sum(axis=1)
        pairs = [
            (int(self.confusion[i, j]), i, j)
            for i in range(len(self.classes))
            for j in range(len(self.classes))
            if i != j and self.confusion[i, j] > 0
        ]
        pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
        return [
            {"true": self.classes[i], "predicted": self.classes[j], "count": c, "rate_of_true": c / int(totals[i])}
            for c, i, j in pairs[:n]
        ]

    def misclassified(self) -> list[tuple[ImageResult, str]]:
        out = []
        for r, t in zip(self.results, self.truth, strict=True):
            if r.status == "ok" and r.top1 and r.top1.label != self.classes[t]:
                out.append((r, self.classes[t]))
        return out

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {
            "schema": "clip-zero-shot/evaluation",
            "schema_version": SCHEMA_VERSION,
            "checkpoint": asdict(self.checkpoint),
            "folder": self.folder,
            "classes": list(self.classes),
            "templates": list(self.templates),
            "template_source": self.template_source,
            "images": len(self.results),
            "ranked": self.n_ranked,
            "failed": [{"input": r.input, "error": r.error} for r in self.failed],
            "top1_accuracy": self.top1_accuracy,
            f"top{self.k}_accuracy": self.topk_accuracy,
            "top_k": self.k,
            "chance_top1": self.chance,
            "per_class_recall": dict(zip(self.classes, self.per_class_recall(), strict=True)),
            "mean_per_class_recall": self.mean_per_class_recall,
            "confusion_matrix": {"rows_true_columns_predicted": self.confusion.tolist()},
            "worst_confusions": self.worst_confusions(),
            "misclassified": [
                {"input": r.input, "true": t, "predicted": r.top1.label, "cosine": r.top1.cosine}  # type: ignore[union-attr]
                for r, t in self.misclassified()
            ],
            "notices": list(self.notices),
        }


def evaluate(
    run: Callable[[list[ImageSource]], Iterator[ImageResult]],
    data: LabelledFolder,
    checkpoint: CheckpointInfo,
    templates: tuple[str, ...],
    template_source: str,
    k: int,
    progress: Callable[[Iterator[ImageResult], int], Iterator[ImageResult]] | None = None,
) -> EvalReport:
    """`run` ranks the sources with the display names as candidates (a classifier bound to the request)."""
    n = len(data.display_names)
    confusion = np.zeros((n, n), dtype=np.int64)
    top1 = topk = 0
    results: list[ImageResult] = []
    truth = [t for _, t in data.items]
    stream = run([ImageSource(p, "file") for p, _ in data.items])
    if progress:
        stream = progress(stream, len(data.items))
    index = {name: i for i, name in enumerate(data.display_names)}
    for r in stream:
        results.append(r)
        if r.status != "ok":
            continue
        t = truth[r.index]
        pred = index[r.top_k[0].label]
        confusion[t, pred] += 1
        top1 += pred == t
        topk += any(index[s.label] == t for s in r.top_k[:k])
    return EvalReport(
        checkpoint,
        str(data.root),
        data.display_names,
        templates,
        template_source,
        k,
        confusion,
        top1,
        topk,
        results,
        truth,
    )
