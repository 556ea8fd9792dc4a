"""Evaluation reports: plain text and a self-contained HTML page (heat map, thumbnails, no external assets)."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from ..evaluation import EvalReport
from ..notices import READ_NEXT
from .text import checkpoint_lines

MAX_THUMBNAILS = 60


def render_eval_text(rep: EvalReport) -> str:
    lines = [
        f"Zero-shot evaluation on {rep.folder}",
        *checkpoint_lines(rep.checkpoint),
        f"Templates    {len(rep.templates)} ({rep.template_source})",
        f"Images       {len(rep.results)} found, {rep.n_ranked} ranked, {len(rep.failed)} failed",
        "",
        f"Top-1 accuracy          {rep.top1_accuracy:.2%}   (chance {rep.chance:.2%} with {len(rep.classes)} classes)",
        f"Top-{rep.k} accuracy          {rep.topk_accuracy:.2%}",
        f"Mean per-class recall   {rep.mean_per_class_recall:.2%}",
        "",
        "Per-class recall",
    ]
    width = max(len(c) for c in rep.classes)
    totals = rep.confusion.sum(axis=1)
    for c, rec, tot in zip(rep.classes, rep.per_class_recall(), totals, strict=True):
        lines.append(f"  {c:<{width}}  {'-' if rec is None else f'{rec:.2%}':>8}  of {int(tot)}")
    lines += ["", "Confusion matrix (rows: true class, columns: predicted)"]
    short = [c[:6] for c in rep.classes]
    lines.append("  " + " " * width + "  " + " ".join(f"{s:>6}" for s in short))
    for c, row in zip(rep.classes, rep.confusion, strict=True):
        lines.append(f"  {c:<{width}}  " + " ".join(f"{int(v):>6}" for v in row))
    worst = rep.worst_confusions()
    lines += ["", "Worst confusions"]
    lines += [
        f"  {w['true']} -> {w['predicted']}: {w['count']} ({w['rate_of_true']:.1%} of {w['true']})" for w in worst
    ] or ["  none"]
    if rep.failed:
        lines += ["", "Failed inputs"] + [f"  {r.error}" for r in rep.failed]
    lines += ["", "Notes"] + [f"- {n}" for n in rep.notices] + ["", READ_NEXT]
    return "\n".join(lines) + "\n"


def _thumbnail(path: str, size: int = 112) -> str | None:
    from ..errors import InputError
    from ..images.decode import decode

    try:
        image = decode(Path(path), path)
    except InputError:
        return None
    image.thumbnail((size, size))
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()


def _cell_colour(rate: float, diagonal: bool) -> str:
    # Diagonal in blue (correct), off-diagonal in red (confusion); intensity is the share of the true class.
    alpha = 0.08 + 0.85 * rate if rate > 0 else 0.0
    return f"rgba(37,99,235,{alpha:.3f})" if diagonal else f"rgba(220,38,38,{alpha:.3f})"


def render_eval_html(rep: EvalReport) -> str:
    e = html.escape
    info = rep.checkpoint
    totals = rep.confusion.sum(axis=1)
    head = "".join(f'<th class="col" title="{e(c)}"><span>{e(c)}</span></th>' for c in rep.classes)
    rows = []
    for i, c in enumerate(rep.classes):
        cells = []
        for j in range(len(rep.classes)):
            v = int(rep.confusion[i, j])
            rate = v / int(totals[i]) if totals[i] else 0.0
            cells.append(
                f'<td style="background:{_cell_colour(rate, i == j)}" title="true {e(c)}, predicted '
                f'{e(rep.classes[j])}: {v} ({rate:.0%})">{v or ""}</td>'
            )
        rows.append(f'<tr><th class="row">{e(c)}</th>{"".join(cells)}</tr>')
    recall_rows = "".join(
        f"<tr><td>{e(c)}</td><td>{'-' if r is None else f'{r:.1%}'}</td><td>{int(t)}</td></tr>"
        for c, r, t in zip(rep.classes, rep.per_class_recall(), totals, strict=True)
    )
    worst = (
        "".join(
            f"<li>{e(w['true'])} &rarr; {e(w['predicted'])}: {w['count']} ({w['rate_of_true']:.1%})</li>"
            for w in rep.worst_confusions()
        )
        or "<li>none</li>"
    )
    thumbs = []
    for r, t in rep.misclassified()[:MAX_THUMBNAILS]:
        src = _thumbnail(r.input)
        img = f'<img src="{src}" alt="{e(Path(r.input).name)}">' if src else '<div class="noimg">unreadable</div>'
        thumbs.append(
            f"<figure>{img}<figcaption><b>{e(t)}</b> seen as <b>{e(r.top1.label)}</b>"  # type: ignore[union-attr]
            f"<br><small>{e(Path(r.input).name)} &middot; cos {r.top1.cosine:.3f}</small></figcaption></figure>"  # type: ignore[union-attr]
        )
    n_mis = len(rep.misclassified())
    more = f"<p>Showing {MAX_THUMBNAILS} of {n_mis}.</p>" if n_mis > MAX_THUMBNAILS else ""
    failed = "".join(f"<li>{e(r.error or '')}</li>" for r in rep.failed)
    notices = "".join(f"<li>{e(n)}</li>" for n in rep.notices)
    templates = "".join(f"<li><code>{e(t)}</code></li>" for t in rep.templates[:10])
    if len(rep.templates) > 10:
        templates += f"<li>&hellip; {len(rep.templates) - 10} more</li>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Zero-shot evaluation: {e(info.id)}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #111; padding: 0 16px; }}
h1 {{ font-size: 22px; margin-bottom: 4px; }} h2 {{ font-size: 17px; margin-top: 28px; }}
.kpis {{ display: flex; gap: 16px; flex-wrap: wrap; }}
.kpi {{ border: 1px solid #ddd; border-radius: 8px; padding: 10px 16px; min-width: 150px; }}
.kpi b {{ display: block; font-size: 26px; }}
table {{ border-collapse: collapse; }}
#confusion-matrix td {{ width: 44px; height: 34px; text-align: center; border: 1px solid #eee;
  font-variant-numeric: tabular-nums; }}
#confusion-matrix th.row {{ text-align: right; padding-right: 8px; white-space: nowrap; }}
#confusion-matrix th.col {{ height: 110px; vertical-align: bottom; }}
#confusion-matrix th.col span {{ writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }}
.recall td {{ padding: 2px 12px 2px 0; }}
.thumbs {{ display: flex; flex-wrap: wrap; gap: 12px; }}
figure {{ margin: 0; width: 130px; font-size: 12px; }}
figure img {{ width: 112px; height: 112px; object-fit: contain; background: #f4f4f4; }}
.meta td {{ padding: 1px 12px 1px 0; vertical-align: top; }}
.notice {{ background: #fff8e1; border-left: 4px solid #f59e0b; padding: 8px 14px; }}
</style></head>
<body>
<h1>Zero-shot evaluation</h1>
<p>{e(rep.folder)} &middot; {len(rep.results)} images, {rep.n_ranked} ranked, {len(rep.failed)} failed</p>
<div class="kpis">
<div class="kpi">Top-1 accuracy<b id="top1">{rep.top1_accuracy:.1%}</b>chance {rep.chance:.1%}</div>
<div class="kpi">Top-{rep.k} accuracy<b>{rep.topk_accuracy:.1%}</b>&nbsp;</div>
<div class="kpi">Mean per-class recall<b>{rep.mean_per_class_recall:.1%}</b>{len(rep.classes)} classes</div>
</div>
<h2>Checkpoint</h2>
<table class="meta">
<tr><td>id</td><td><code>{e(info.id)}</code></td></tr>
<tr><td>revision</td><td><code>{e(info.revision)}</code></td></tr>
<tr><td>family</td><td>{e(info.family)} ({e(info.backend)}, {e(info.architecture)})</td></tr>
<tr><td>input</td><td>{e(info.resolution_text())}</td></tr>
<tr><td>templates</td><td>{len(rep.templates)} ({e(rep.template_source)})<ul>{templates}</ul></td></tr>
</table>
<h2>Confusion matrix</h2>
<p>Rows are the true class, columns the predicted one; colour is the share of the true class
(blue: correct, red: confused).</p>
<table id="confusion-matrix"><tr><th></th>{head}</tr>{"".join(rows)}</table>
<h2>Per-class recall</h2>
<table class="recall"><tr><th>class</th><th>recall</th><th>images</th></tr>{recall_rows}</table>
<h2>Worst confusions</h2><ul>{worst}</ul>
<h2>Misclassified images ({n_mis})</h2>{more}
<div class="thumbs">{"".join(thumbs) or "<p>none</p>"}</div>
{f"<h2>Failed inputs</h2><ul>{failed}</ul>" if failed else ""}
<h2>Notes</h2><div class="notice"><ul>{notices}</ul></div>
<p>{e(READ_NEXT)}</p>
</body></html>
"""
