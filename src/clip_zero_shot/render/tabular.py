"""Machine-readable outputs: JSON, JSON Lines (one image per line, streamed) and CSV (one row per image and rank)."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from ..results import CheckpointInfo, ClassificationResult, ComparisonResult, ImageResult

CSV_COLUMNS = [
    "checkpoint",
    "revision",
    "index",
    "input",
    "status",
    "error",
    "rank",
    "label",
    "cosine",
    "probability",
    "probability_kind",
    "low_confidence",
]


def render_json(result: ClassificationResult | ComparisonResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def jsonl_line(info: CheckpointInfo, r: ImageResult) -> str:
    row: dict[str, Any] = {"checkpoint": info.id, "revision": info.revision, "probability_kind": info.probability}
    row.update(r.to_dict())
    return json.dumps(row, ensure_ascii=False) + "\n"


class CsvWriter:
    def __init__(self, out: IO[str]) -> None:
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(CSV_COLUMNS)

    def write(self, info: CheckpointInfo, r: ImageResult) -> None:
        base = [info.id, info.revision, r.index, r.input, r.status, r.error or ""]
        if r.status == "error":
            self.writer.writerow([*base, "", "", "", "", info.probability, ""])
            return
        for s in r.top_k:
            self.writer.writerow(
                [*base, s.rank, s.label, f"{s.cosine:.6f}", f"{s.probability:.6f}", info.probability, r.low_confidence]
            )
