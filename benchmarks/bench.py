"""Side-by-side speed benchmark for clip-zero-shot. Prints ratios measured in one process.

    .venv/bin/python benchmarks/bench.py            # everything (about 25 minutes on a 2-core CPU)
    .venv/bin/python benchmarks/bench.py --quick    # fewer repeats, no 1,000 x 80 cold start
    .venv/bin/python benchmarks/bench.py --only rss # one part: tower, pipeline, warm or rss

Checkpoints are full-size and randomly initialised (built by checkpoints.py under benchmarks/.work): CLIP ViT-B/32
and SigLIP base-patch16-224. Random weights cost the same to run as trained ones. Machines are noisy, so each
comparison alternates its two sides and reports the median of per-round ratios.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


PARTS = ("tower", "pipeline", "warm", "rss")


def log(msg: str) -> None:
    print(msg, flush=True)


def machine() -> dict:
    import torch

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "platform": platform.platform(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    }


def tower_vs_tool(backend, paths: list[str], batch: int, rounds: int) -> dict:
    """Image tower alone on pre-decoded, preprocessed tensors vs the tool from JPEG files to ranked results.

    This machine's speed drifts by up to 30% over tens of seconds, which is larger than the effect measured. So every
    tool run is bracketed by two tower runs (tower, tool, tower, tool --fast-jpeg, tower, ...) and compared with the
    geometric mean of its two neighbours, which cancels drift that is linear over the bracket. The ratio of
    neighbouring tower runs to each other is printed too: it is the noise floor of this measurement.
    """
    import torch
    from PIL import Image

    from clip_zero_shot.classifier import ZeroShotClassifier
    from clip_zero_shot.request import ClassificationRequest

    n = len(paths)
    items = [backend.preprocess(Image.open(p).convert("RGB")) for p in paths[:batch]]
    request = ClassificationRequest.build([f"object {i}" for i in range(10)])
    tools = {
        "tool": ZeroShotClassifier(backend, batch_size=batch, use_cache=False),
        "tool --fast-jpeg": ZeroShotClassifier(backend, batch_size=batch, use_cache=False, fast_jpeg=True),
    }
    for c in tools.values():
        c.prototypes(request.classes.names, request.templates.items)  # text cost is not part of this comparison
    with torch.inference_mode():
        backend.encode_images(items)  # warm-up

    def tower() -> float:
        t0 = time.perf_counter()
        with torch.inference_mode():
            for _ in range(n // batch):
                backend.encode_images(items)
        return (n // batch) * batch / (time.perf_counter() - t0)

    def tool(clf: ZeroShotClassifier) -> float:
        t0 = time.perf_counter()
        results = list(clf.iter_results(paths, request))
        speed = n / (time.perf_counter() - t0)
        assert len(results) == n and all(r.status == "ok" for r in results)
        return speed

    towers = [tower()]
    speeds: dict[str, list[float]] = {k: [] for k in tools}
    ratios: dict[str, list[float]] = {k: [] for k in tools}
    for _ in range(rounds):
        for name, clf in tools.items():
            speed = tool(clf)
            towers.append(tower())
            bracket = (towers[-2] * towers[-1]) ** 0.5
            speeds[name].append(speed)
            ratios[name].append(speed / bracket)
            log(
                f"    {name:17s} {speed:6.2f} img/s, towers around it {towers[-2]:.2f} and {towers[-1]:.2f} img/s: "
                f"ratio {speed / bracket:.3f}"
            )
    noise = [b / a for a, b in itertools.pairwise(towers)]
    return {
        "batch_size": batch,
        "images": n,
        "tower_img_s": statistics.median(towers),
        "tool_img_s": statistics.median(speeds["tool"]),
        "ratio_median": statistics.median(ratios["tool"]),
        "ratios": ratios["tool"],
        "fast_jpeg_ratio_median": statistics.median(ratios["tool --fast-jpeg"]),
        "fast_jpeg_ratios": ratios["tool --fast-jpeg"],
        "tower_to_next_tower": noise,
    }


def tool_vs_pipeline(backend, paths: list[str], n_classes: int, tool_images: int, pipe_images: int) -> dict:
    """Per-image cost, cold prototypes, one template, against transformers' zero-shot pipeline."""
    from open_clip.zero_shot_metadata import IMAGENET_CLASSNAMES
    from transformers import pipeline

    from clip_zero_shot.classifier import ZeroShotClassifier
    from clip_zero_shot.request import ClassificationRequest

    labels = list(IMAGENET_CLASSNAMES[:n_classes])
    template = "a photo of a {}."
    pipe = pipeline(
        "zero-shot-image-classification",
        model=backend.model,
        tokenizer=backend.tokenizer,
        image_processor=backend.image_processor,
        device=-1,
    )
    pipe(paths[0], candidate_labels=labels[:2], hypothesis_template=template)  # warm-up
    t0 = time.perf_counter()
    for p in paths[:pipe_images]:
        pipe(p, candidate_labels=labels, hypothesis_template=template)
    pipe_per_image = (time.perf_counter() - t0) / pipe_images

    request = ClassificationRequest.build(labels, templates=[template])
    clf = ZeroShotClassifier(backend, batch_size=32, use_cache=False)
    t0 = time.perf_counter()
    results = list(clf.iter_results(paths[:tool_images], request))  # includes building the prototypes
    tool_per_image = (time.perf_counter() - t0) / tool_images
    assert len(results) == tool_images
    return {
        "classes": n_classes,
        "tool_images": tool_images,
        "pipeline_images_timed": pipe_images,
        "tool_s_per_image": tool_per_image,
        "pipeline_s_per_image": pipe_per_image,
        "speedup": pipe_per_image / tool_per_image,
    }


def cold_vs_warm(backend) -> dict:
    """Start-up to ready prototypes for 1,000 ImageNet classes x 80 templates, empty cache vs filled cache."""
    from open_clip.zero_shot_metadata import IMAGENET_CLASSNAMES

    from clip_zero_shot.classifier import ZeroShotClassifier
    from clip_zero_shot.request import ClassificationRequest

    with tempfile.TemporaryDirectory() as cache:
        times = {}
        for label in ("cold", "warm"):
            clf = ZeroShotClassifier(backend, cache_dir=cache)
            t0 = time.perf_counter()
            request = ClassificationRequest.build(list(IMAGENET_CLASSNAMES), template_set="imagenet80")
            clf.start(request)
            times[label] = time.perf_counter() - t0
            times[f"{label}_text_tower_prompts"] = clf.text_tower_calls
            log(f"    {label}: {times[label]:.2f} s, {clf.text_tower_calls} prompts through the text tower")
    times["speedup"] = times["cold"] / times["warm"]
    return times


def _vm_hwm_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss(checkpoint: Path, paths: list[str], n: int) -> dict:
    """Peak RSS of one CLI process streaming JSONL for n inputs (files repeated to reach n).

    The child's own high-water mark (VmHWM) is polled until it exits. `ru_maxrss` from wait4 cannot be used: Linux
    carries the forking parent's RSS over into the child's maxrss across exec, so it would report this benchmark
    process (which holds two models) rather than the CLI.
    """
    listing = "\n".join(paths[i % len(paths)] for i in range(n)) + "\n"
    cmd = [sys.executable, "-m", "clip_zero_shot", "classify", "-", "-m", str(checkpoint), "--classes",
           ",".join(f"object {i}" for i in range(10)), "--jsonl", "--no-cache", "--no-progress"]  # fmt: skip
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as stdin, tempfile.TemporaryFile("w+") as stderr:
        stdin.write(listing)
        stdin.seek(0)
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=stderr, text=True)
        peak = 0.0
        while proc.poll() is None:
            hwm = _vm_hwm_mib(proc.pid)
            if hwm is not None:
                peak = max(peak, hwm)
            time.sleep(0.02)
        if proc.returncode != 0:
            stderr.seek(0)
            raise RuntimeError(stderr.read())
    return {"inputs": n, "peak_rss_mib": peak, "seconds": time.perf_counter() - t0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", choices=PARTS, help="run one part of the benchmark")
    ap.add_argument("--out", type=Path, help="results file (default benchmarks/.work/results[-PART].json)")
    args = ap.parse_args()
    out = args.out or WORK / (f"results-{args.only}.json" if args.only else "results.json")
    parts = {args.only} if args.only else set(PARTS)

    import checkpoints

    from clip_zero_shot.checkpoints import load_backend, parse_checkpoint

    results: dict = {"machine": machine(), "families": {}}
    log(f"machine: {json.dumps(results['machine'])}")
    paths = checkpoints.write_jpegs(WORK / "jpegs", 200)
    builds = {
        "CLIP ViT-B/32": checkpoints.build_clip_b32(WORK / "clip-vit-b32"),
        "SigLIP base-patch16-224": checkpoints.build_siglip_b16(WORK / "siglip-b16-224"),
    }
    rounds = 2 if args.quick else 8
    for name, folder in builds.items():
        log(f"\n== {name}")
        t0 = time.perf_counter()
        backend = load_backend(parse_checkpoint(str(folder)), "cpu", "float32")
        fam: dict = {"load_s": time.perf_counter() - t0}
        n_images = 64 if "SigLIP" in name else 128
        if "tower" in parts:
            log(f"  tool end to end vs image tower alone ({n_images} JPEGs, batch 32, {rounds} rounds)")
            fam["tower_vs_tool"] = tower_vs_tool(backend, paths[:n_images], 32, rounds)
            tvt = fam["tower_vs_tool"]
            noise = tvt["tower_to_next_tower"]
            log(
                f"  => tool / tower = {tvt['ratio_median']:.3f}; "
                f"with --fast-jpeg {tvt['fast_jpeg_ratio_median']:.3f} (medians of {rounds}); "
                f"noise floor: one tower run to the next {min(noise):.3f} to {max(noise):.3f}"
            )
        for n_classes, pipe_images in ((10, 5), (1000, 2)) if "pipeline" in parts else ():
            res = tool_vs_pipeline(backend, paths, n_classes, tool_images=100, pipe_images=pipe_images)
            fam[f"pipeline_{n_classes}"] = res
            log(
                f"  vs transformers pipeline, {n_classes} classes: tool {res['tool_s_per_image'] * 1000:.1f} ms/img,"
                f" pipeline {res['pipeline_s_per_image'] * 1000:.1f} ms/img => {res['speedup']:.1f}x"
            )
        if name.startswith("CLIP"):
            if not args.quick and "warm" in parts:
                log("  cold vs warm start, 1,000 classes x 80 templates")
                fam["cold_vs_warm"] = cold_vs_warm(backend)
                log(f"  => warm start {fam['cold_vs_warm']['speedup']:.1f}x faster than cold")
            if "rss" in parts:
                for n in (500, 2000):
                    res = peak_rss(folder, paths, n)
                    fam[f"rss_{n}"] = res
                    log(f"  peak RSS, {n} inputs streamed: {res['peak_rss_mib']:.0f} MiB ({res['seconds']:.0f} s)")
                fam["rss_growth"] = fam["rss_2000"]["peak_rss_mib"] / fam["rss_500"]["peak_rss_mib"] - 1
                log(f"  => RSS 2,000 vs 500 inputs: {fam['rss_growth'] * 100:+.1f}%")
        results["families"][name] = fam
        del backend
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    log(f"\nwritten {out}")


if __name__ == "__main__":
    main()
