"""The shipped checkpoint end to end: the demo, zero-shot accuracy on fresh held-out data, and the HTML report."""

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, run_cli
from PIL import Image

sys.path.insert(0, str(ROOT / "training"))
import shapes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def heldout(tmp_path_factory) -> Path:
    """240 freshly drawn scenes from a seed never used in training, as an ImageFolder by colour."""
    root = tmp_path_factory.mktemp("heldout")
    rng = random.Random(424242)
    for i in range(240):
        scene = shapes.random_scene(rng)
        folder = root / scene.colour.replace(" ", "_")
        folder.mkdir(exist_ok=True)
        shapes.draw_scene(scene, 96, rng).save(folder / f"{i:04d}.png")
    (root / "map.json").write_text(json.dumps({c: shapes.colour_label(c) for c in shapes.COLOURS}))
    return root


def test_demo_prints_the_correct_top1_for_every_example():
    out = run_cli("demo", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["checkpoint"]["family"] == "CLIP" and doc["checkpoint"]["revision"].startswith("sha256:")
    assert len(doc["images"]) == 8
    for r in doc["images"]:
        colour = Path(r["input"]).name.split("-")[0]
        assert r["top1"]["label"] == f"{colour} shape", r
    text = run_cli("demo").stdout
    assert "best match among your 8 candidates" in text and "What to read next" in text


def test_eval_on_heldout_set_is_at_least_90_percent(heldout, tmp_path):
    map_file = heldout / "map.json"
    html = tmp_path / "report.html"
    ckpt = ROOT / "src" / "clip_zero_shot" / "demo" / "shapes-clip-tiny"
    out = run_cli(
        "eval", str(heldout), "-m", str(ckpt), "--class-map", str(map_file), "--json", "--html", str(html), "--no-cache"
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["ranked"] == 240 and doc["chance_top1"] == pytest.approx(1 / 8)
    print(f"held-out top-1 {doc['top1_accuracy']:.3f} (chance {doc['chance_top1']:.3f})")
    assert doc["top1_accuracy"] >= 0.90
    assert doc["top5_accuracy"] >= doc["top1_accuracy"]
    assert len(doc["confusion_matrix"]["rows_true_columns_predicted"]) == 8
    assert sum(map(sum, doc["confusion_matrix"]["rows_true_columns_predicted"])) == 240
    text = run_cli("eval", str(heldout), "-m", str(ckpt), "--class-map", str(map_file)).stdout
    assert "Top-1 accuracy" in text and "chance 12.50%" in text and "Confusion matrix" in text
    assert html.read_text().count('id="confusion-matrix"') == 1


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed (.ci/run installs it)")
def test_html_report_renders_in_headless_chromium(heldout, tmp_path):
    # Mislabel one class so that the report has confusions and thumbnails to show.
    data = tmp_path / "data"
    shutil.copytree(heldout, data)
    (data / "map.json").unlink()
    shutil.move(str(data / "red"), str(data / "blue" / "red-images"))
    (data / "red").mkdir()
    for p in list((data / "blue" / "red-images").glob("*.png"))[:5]:
        shutil.move(str(p), str(data / "red" / p.name))
    html = tmp_path / "report.html"
    ckpt = ROOT / "src" / "clip_zero_shot" / "demo" / "shapes-clip-tiny"
    out = run_cli("eval", str(data), "-m", str(ckpt), "--html", str(html), "--template", "a photo of a {} shape")
    assert out.returncode == 0, out.stderr
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    shot = tmp_path / "shot.png"
    run = subprocess.run(
        [CHROMIUM, *flags, "--window-size=1200,1600", f"--screenshot={shot}", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.exists(), run.stderr[-2000:]
    console = [ln for ln in run.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    assert console == []
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120)
    assert 'id="confusion-matrix"' in dom.stdout and "<img" in dom.stdout
    img = Image.open(shot).convert("L")
    lo, hi = img.getextrema()
    assert hi - lo > 100, "screenshot is blank"
    assert sum(1 for n in img.resize((120, 160)).histogram() if n) > 20
