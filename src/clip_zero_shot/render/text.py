"""The human-readable report."""

from __future__ import annotations

from ..notices import READ_NEXT
from ..results import CheckpointInfo, ClassificationResult, ComparisonResult, ImageResult


def checkpoint_lines(info: CheckpointInfo) -> list[str]:
    return [
        f"Checkpoint   {info.id}",
        f"  revision   {info.revision}",
        f"  family     {info.family} ({info.backend}, {info.architecture})",
        f"  input      {info.resolution_text()}; embedding size {info.embedding_dim}",
        f"  text       padding {info.text_padding} to {info.text_max_length} tokens"
        + ("; lower-cased" if info.text_lowercase else ""),
    ]


def header(result: ClassificationResult) -> str:
    info = result.checkpoint
    from ..ranking import ScoreRule

    rule = ScoreRule(info.probability, info.logit_scale, info.logit_bias)  # type: ignore[arg-type]
    shown = ", ".join(f'"{t}"' for t in result.templates[:3]) + (" ..." if len(result.templates) > 3 else "")
    lines = [
        f"Zero-shot ranking among your {len(result.classes)} candidate classes",
        *checkpoint_lines(info),
        f"Templates    {len(result.templates)} ({result.template_source}): {shown}",
        "Scores       ranked by cosine similarity to each class prototype;",
        f"             probability is the checkpoint's own: {rule.describe()}",
        f"Confidence   flagged low when the top-1 cosine is below {result.low_confidence_threshold:g}",
    ]
    if result.dropped_duplicate_classes:
        lines.append("Duplicates   dropped: " + ", ".join(result.dropped_duplicate_classes))
    if result.truncated_prompts:
        lines.append(
            f"Truncated    {len(result.truncated_prompts)} prompt(s) longer than {info.text_max_length} tokens "
            f'were cut, e.g. "{result.truncated_prompts[0]}"'
        )
    if result.consent_policy:
        lines.append(f"Consent      policy: {result.consent_policy}")
    return "\n".join(lines) + "\n"


def image_block(r: ImageResult, n_classes: int) -> str:
    title = f"[{r.index + 1}] {r.input}"
    if r.status == "error":
        return f"{title}\n  ERROR: {r.error}\n"
    best = r.top_k[0]
    width = max(len("class"), *(len(s.label) for s in r.top_k))
    lines = [
        title,
        f"  best match among your {n_classes} candidates: {best.label} "
        f"(cosine {best.cosine:.4f}, probability {best.probability:.4f})",
    ]
    if r.low_confidence:
        lines.append("  LOW CONFIDENCE: the best match is weak; the image may be none of your candidates")
    lines.append(f"  {'rank':>4}  {'class':<{width}}  {'cosine':>8}  {'probability':>11}")
    for s in r.top_k:
        lines.append(f"  {s.rank:>4}  {s.label:<{width}}  {s.cosine:>8.4f}  {s.probability:>11.4f}")
    return "\n".join(lines) + "\n"


def summary(result: ClassificationResult) -> str:
    t = result.tally
    return (
        f"Summary: {t.inputs} input(s), {t.classified} ranked, {t.failed} failed, {t.low_confidence} low confidence.\n"
    )


def footer(notices: tuple[str, ...]) -> str:
    body = "\n".join(f"- {n}" for n in notices)
    return f"Notes\n{body}\n\n{READ_NEXT}\n"


def render_text(result: ClassificationResult) -> str:
    parts = [header(result)]
    parts += [image_block(r, len(result.classes)) for r in result.images]
    parts.append(summary(result))
    parts.append(footer(result.notices))
    return "\n".join(parts)


def render_comparison_text(comparison: ComparisonResult) -> str:
    parts = []
    for run in comparison.runs:
        parts.append(header(run))
        parts += [image_block(r, len(run.classes)) for r in run.images]
        parts.append(summary(run))
    rows = comparison.top1_agreement()
    ids = [run.checkpoint.id for run in comparison.runs]
    lines = ["Top-1 agreement between checkpoints (labels only; scores are not comparable)"]
    for row in rows:
        labels = "; ".join(f"{cid}: {row['top1_labels'][cid] or 'failed'}" for cid in ids)
        lines.append(f"  [{row['index'] + 1}] {row['input']}: {'agree' if row['agree'] else 'differ'} ({labels})")
    agree = sum(1 for r in rows if r["agree"])
    lines.append(f"  {agree} of {len(rows)} input(s) have the same top-1 label from every checkpoint.")
    parts.append("\n".join(lines) + "\n")
    notices = tuple(dict.fromkeys(n for run in comparison.runs for n in run.notices)) + comparison.notices
    parts.append(footer(notices))
    return "\n".join(parts)
