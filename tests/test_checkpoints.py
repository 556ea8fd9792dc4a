import json

import pytest

from clip_zero_shot.checkpoints import folder_revision, parse_checkpoint, snapshot_revision
from clip_zero_shot.errors import CheckpointError, RefusalError


def test_missing_checkpoint_is_refused_with_concrete_ids():
    with pytest.raises(RefusalError) as exc:
        parse_checkpoint(None)
    assert exc.value.reason == "no_checkpoint"
    text = str(exc.value)
    for family in ("CLIP", "OpenCLIP", "SigLIP", "SigLIP 2"):
        assert family in text
    for cid in (
        "openai/clip-vit-large-patch14",
        "google/siglip-so400m-patch14-384",
        "google/siglip2-base-patch16-224",
        "openclip:ViT-B-32/laion2b_s34b_b79k",
    ):
        assert cid in text


def test_hub_ids_go_to_transformers():
    s = parse_checkpoint("openai/clip-vit-base-patch32", revision="abc")
    assert (s.loader, s.location, s.target, s.revision) == (
        "transformers",
        "hub",
        "openai/clip-vit-base-patch32",
        "abc",
    )


def test_openclip_forms():
    s = parse_checkpoint("openclip:ViT-B-32/laion2b_s34b_b79k")
    assert (s.loader, s.location, s.target, s.pretrained) == ("open_clip", "builtin", "ViT-B-32", "laion2b_s34b_b79k")
    s = parse_checkpoint("hf-hub:laion/CLIP-ViT-B-32-laion2B-s34B-b79K")
    assert (s.loader, s.location, s.target) == ("open_clip", "hub", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K")


def test_openclip_name_without_prefix_is_refused_with_the_fix():
    with pytest.raises(CheckpointError) as exc:
        parse_checkpoint("ViT-B-32/laion2b_s34b_b79k")
    assert "openclip:ViT-B-32/laion2b_s34b_b79k" in str(exc.value)
    with pytest.raises(CheckpointError, match="needs a pretrained tag"):
        parse_checkpoint("openclip:ViT-B-32")


def test_local_folders_are_recognised_by_their_config(tmp_path):
    hf = tmp_path / "hf"
    hf.mkdir()
    (hf / "config.json").write_text("{}")
    assert parse_checkpoint(str(hf)).loader == "transformers"
    oc = tmp_path / "oc"
    oc.mkdir()
    (oc / "open_clip_config.json").write_text(json.dumps({"model_cfg": {}}))
    assert parse_checkpoint(str(oc)).loader == "open_clip"
    (hf / "open_clip_config.json").write_text("{}")
    with pytest.raises(CheckpointError) as exc:
        parse_checkpoint(str(hf))
    assert f"hf:{hf}" in exc.value.hint and f"openclip:{hf}" in exc.value.hint
    assert parse_checkpoint(f"hf:{hf}").loader == "transformers"
    assert parse_checkpoint(f"openclip:{hf}").loader == "open_clip"


def test_missing_folder_and_garbage_are_clear_errors(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        parse_checkpoint(str(tmp_path / "nope"))
    with pytest.raises(CheckpointError, match="not a local folder"):
        parse_checkpoint("just words")


def test_revisions():
    assert snapshot_revision("/c/hub/models--a--b/snapshots/0123abcd/config.json") == "0123abcd"
    assert snapshot_revision("/some/local/config.json") is None


def test_folder_revision_is_a_content_hash(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"abc")
    first = folder_revision(tmp_path)
    assert first.startswith("sha256:")
    (tmp_path / "model.safetensors").write_bytes(b"abd")
    assert folder_revision(tmp_path) != first


def test_offline_hub_miss_names_the_checkpoint_and_how_to_get_it():
    from clip_zero_shot.checkpoints import load_backend

    with pytest.raises(CheckpointError) as exc:
        load_backend(parse_checkpoint("openai/clip-vit-base-patch32"), "cpu", "float32")
    text = str(exc.value)
    assert "openai/clip-vit-base-patch32" in text and "HF_HUB_OFFLINE" in text and "hf download" in text
