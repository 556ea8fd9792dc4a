"""The command end to end, in a subprocess, exactly as a user runs it."""

import csv
import io
import json
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest
from helpers import run_cli

SCHEMA = json.loads(resources.files("clip_zero_shot.data").joinpath("schema.json").read_text())


def test_help_is_instant_and_imports_nothing_heavy():
    code = (
        "import sys; from clip_zero_shot.cli.main import build_parser; build_parser().format_help();"
        "heavy = [m for m in ('torch', 'transformers', 'open_clip', 'numpy') if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
    out = run_cli("classify", "--help")
    assert out.returncode == 0 and "--checkpoint" in out.stdout


def test_no_checkpoint_is_refused_before_loading(images):
    out = run_cli("classify", str(images / "good"), "--classes", "cat,dog")
    assert out.returncode == 3
    assert "Which family" in out.stderr and "google/siglip2-base-patch16-224" in out.stderr


@pytest.mark.parametrize(
    ("classes", "reason"),
    [
        ("cat", "too_few_classes"),
        ("malignant,benign", "medical"),
        ("man,woman", "protected_attribute"),
        ("person,empty street", "people_without_consent_policy"),
    ],
)
def test_refusals_exit_3_with_reason(tiny, images, classes, reason):
    out = run_cli("classify", str(images / "good"), "-m", str(tiny["clip"]), "--classes", classes)
    assert out.returncode == 3, out.stderr
    assert f"refusal reason: {reason}" in out.stderr
    assert out.stdout == ""


def test_usage_errors_exit_2(tiny, images):
    out = run_cli("classify", str(images / "good"), "-m", str(tiny["clip"]), "--classes", "cat,dog", "-t", "no slot")
    assert out.returncode == 2 and "exactly one '{}'" in out.stderr


def test_missing_checkpoint_folder_exits_4(images, tmp_path):
    out = run_cli("classify", str(images / "good"), "-m", str(tmp_path / "nope"), "--classes", "cat,dog")
    assert out.returncode == 4 and "does not exist" in out.stderr


def test_text_report(tiny, images, cache_dir):
    out = run_cli(
        "classify",
        str(images / "good"),
        "-m",
        str(tiny["siglip"]),
        "--classes",
        "cat,dog,red car",
        "--cache-dir",
        str(cache_dir),
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for needle in (
        "best match among your 3 candidates",
        "revision   sha256:",
        "family     SigLIP",
        "32x32",
        "a photo of a {}",
        "sigmoid",
        "not comparable",
        "outside the checkpoint's pretraining",
        "arXiv:2502.14786",
        "NaFlex",
    ):
        assert needle in text, needle
    assert text.rstrip().splitlines()[-1].startswith("What to read next")
    assert text.index("blue.jpg") < text.index("green.webp") < text.index("red.png")


def test_json_is_valid_against_schema_and_mixed_bad_inputs_exit_1(tiny, images, http_server, cache_dir):
    inputs = [
        str(images / "good" / "red.png"),
        str(images / "bad"),
        f"{http_server}/red.png",
        f"{http_server}/missing.png",
        f"{http_server}/page.html",
        str(images / "good" / "blue.jpg"),
        f"{http_server}/slow.png",
        f"{http_server}/huge-streamed.png",
    ]
    out = run_cli(
        "classify",
        *inputs,
        "-m",
        str(tiny["clip"]),
        "--classes",
        "cat,dog,red car",
        "--json",
        "--timeout",
        "2",
        "--max-download-mb",
        "1",
        "--cache-dir",
        str(cache_dir),
    )
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    jsonschema.validate(doc, SCHEMA)
    rows = doc["images"]
    names = [r["input"].rsplit("/", 1)[-1] for r in rows]
    assert names == [
        "red.png",
        "bomb.png",
        "corrupt.jpg",
        "empty.png",
        "text.png",
        "truncated.jpg",
        "red.png",
        "missing.png",
        "page.html",
        "blue.jpg",
        "slow.png",
        "huge-streamed.png",
    ]
    assert [r["status"] for r in rows] == [
        "ok",
        "error",
        "error",
        "error",
        "error",
        "error",
        "ok",
        "error",
        "error",
        "ok",
        "error",
        "error",
    ]
    assert "decompression bomb" in rows[1]["error"] and "truncated" in rows[5]["error"]
    assert "DecompressionBombWarning" not in out.stderr  # the error row says it, with the input's name
    assert "HTTP 404" in rows[7]["error"] and "text/html" in rows[8]["error"]
    assert "timed out after 2s" in rows[10]["error"] and "1,048,576-byte limit" in rows[11]["error"]
    assert doc["summary"] == {
        "inputs": 12,
        "classified": 3,
        "failed": 9,
        "low_confidence": doc["summary"]["low_confidence"],
    }
    # the URL image and the file image are the same picture
    assert rows[0]["top_k"] == rows[6]["top_k"]


def test_jsonl_streams_one_line_per_image_and_csv(tiny, images, cache_dir):
    out = run_cli(
        "classify",
        str(images / "good" / "*.*"),
        "-m",
        str(tiny["openclip"]),
        "--classes",
        "cat,dog",
        "--jsonl",
        "--cache-dir",
        str(cache_dir),
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert len(lines) == 2 and all(x["checkpoint"] == str(tiny["openclip"]) for x in lines)
    assert all(len(x["top_k"]) == 2 for x in lines)
    out = run_cli(
        "classify",
        "-",
        "-m",
        str(tiny["openclip"]),
        "--classes",
        "cat,dog,fox",
        "--csv",
        "-k",
        "2",
        "--cache-dir",
        str(cache_dir),
        stdin=f"{images}/good/red.png\n{images}/bad/empty.png\n",
    )
    assert out.returncode == 1
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["input"].rsplit("/", 1)[-1], r["rank"], r["status"]) for r in rows] == [
        ("red.png", "1", "ok"),
        ("red.png", "2", "ok"),
        ("empty.png", "", "error"),
    ]


def test_several_checkpoints_are_never_merged(tiny, images, cache_dir):
    args = ["classify", str(images / "good"), "-m", str(tiny["clip"]), "-m", str(tiny["siglip2"])]
    args += ["--classes", "cat,dog,red car", "--cache-dir", str(cache_dir)]
    out = run_cli(*args, "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["schema"] == "clip-zero-shot/comparison"
    assert [r["checkpoint"]["family"] for r in doc["runs"]] == ["CLIP", "SigLIP 2"]
    assert any("never averaged or merged" in n for n in doc["notices"])
    for row in doc["top1_agreement"]:
        assert set(row) == {"index", "input", "top1_labels", "agree"}  # labels only, no scores
    text = run_cli(*args).stdout
    assert "Top-1 agreement between checkpoints (labels only; scores are not comparable)" in text


def test_consent_policy_is_recorded_verbatim(tiny, images, cache_dir):
    out = run_cli(
        "classify",
        str(images / "good" / "red.png"),
        "-m",
        str(tiny["clip"]),
        "--classes",
        "cat,dog",
        "--contains-people",
        "--consent-policy",
        "policies/consent v2.pdf",
        "--json",
        "--cache-dir",
        str(cache_dir),
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["consent_policy"] == "policies/consent v2.pdf" and doc["contains_people"] is True
