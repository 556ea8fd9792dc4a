"""The tool's scores against an independent computation with transformers / open_clip called directly."""

import numpy as np
import pytest
import torch
from conftest import FAMILIES
from PIL import Image

from clip_zero_shot.checkpoints import load_backend, parse_checkpoint
from clip_zero_shot.classifier import ZeroShotClassifier

CLASSES = ["cat", "dog", "red car", "Blue Boat", "tree"]
TEMPLATES = ["a photo of a {}", "a drawing of the {}", "an image of a {}"]


def _norm(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _feat(out):
    return out if isinstance(out, torch.Tensor) else out.pooler_output


def reference(family: str, folder, paths) -> tuple[np.ndarray, np.ndarray]:
    """Cosine and probability matrices computed without any clip_zero_shot code."""
    pil = [Image.open(p).convert("RGB") for p in paths]
    prompts = [t.replace("{}", c) for c in CLASSES for t in TEMPLATES]
    if family == "openclip":
        import open_clip

        model, _, preprocess = open_clip.create_model_and_transforms(f"local-dir:{folder}")
        tok = open_clip.get_tokenizer(f"local-dir:{folder}")
        model.eval()
        with torch.no_grad():
            text = model.encode_text(tok(prompts)).numpy()
            img = model.encode_image(torch.stack([preprocess(p) for p in pil])).numpy()
        scale, bias, kind = model.logit_scale.exp().item(), 0.0, "softmax"
    else:
        from transformers import AutoImageProcessor, AutoModel, AutoTokenizer

        model = AutoModel.from_pretrained(folder).eval()
        tok = AutoTokenizer.from_pretrained(folder)
        proc = AutoImageProcessor.from_pretrained(folder)
        with torch.no_grad():
            if family == "clip":
                batch = tok(prompts, padding=True, truncation=True, return_tensors="pt")
                text = _feat(model.get_text_features(**batch)).numpy()
            else:
                texts = [p.lower() for p in prompts] if family == "siglip2" else prompts
                # Padded after the text, as in training, stated here independently of the tool.
                batch = tok(texts, padding="max_length", max_length=64, truncation=True, padding_side="right")
                batch = {k: torch.tensor(v) for k, v in batch.items()}
                text = _feat(model.get_text_features(input_ids=batch["input_ids"])).numpy()
            img = _feat(model.get_image_features(**proc(images=pil, return_tensors="pt"))).numpy()
        scale = model.logit_scale.exp().item()
        bias = model.logit_bias.item() if family != "clip" else 0.0
        kind = "softmax" if family == "clip" else "sigmoid"
    proto = _norm(_norm(text).reshape(len(CLASSES), len(TEMPLATES), -1).mean(axis=1))
    cos = _norm(img) @ proto.T
    logits = cos.astype(np.float64) * scale + bias
    if kind == "softmax":
        prob = np.exp(logits - logits.max(1, keepdims=True))
        prob /= prob.sum(1, keepdims=True)
    else:
        prob = 1 / (1 + np.exp(-logits))
    return cos, prob


@pytest.mark.parametrize("family", FAMILIES)
def test_scores_match_independent_reference(family, tiny, images, cache_dir):
    paths = [str(images / "good" / n) for n in ("red.png", "blue.jpg", "nested/green.webp")]
    clf = ZeroShotClassifier(load_backend(parse_checkpoint(str(tiny[family])), "cpu", "float32"), cache_dir=cache_dir)
    result = clf.classify(paths, CLASSES, templates=TEMPLATES, top_k=5)
    cos_ref, prob_ref = reference(family, tiny[family], paths)
    for row, r in enumerate(result.images):
        assert r.status == "ok"
        got = {s.label: s for s in r.top_k}
        for j, c in enumerate(CLASSES):
            assert abs(got[c].cosine - cos_ref[row, j]) < 1e-5, (family, c)
            assert abs(got[c].probability - prob_ref[row, j]) < 1e-5, (family, c)
        assert [s.label for s in r.top_k] == [CLASSES[j] for j in np.argsort(-cos_ref[row], kind="stable")]
    # the scores actually differ between classes, so the ranking above is a real check
    assert np.ptp(cos_ref) > 0.01


@pytest.mark.parametrize(
    ("family", "res", "naflex"),
    [("clip", 32, None), ("siglip", 32, None), ("siglip2", None, (16, 8)), ("openclip", 32, None)],
)
def test_metadata_is_read_from_the_checkpoint(family, res, naflex, tiny):
    info = load_backend(parse_checkpoint(str(tiny[family])), "cpu", "float32").info
    assert info.id == str(tiny[family])
    assert info.revision.startswith("sha256:")
    assert info.resolution == res
    assert (info.naflex.max_num_patches, info.naflex.patch_size) == naflex if naflex else info.naflex is None
    expected = {
        "clip": ("CLIP", "softmax", "longest", False),
        "siglip": ("SigLIP", "sigmoid", "max_length", False),
        "siglip2": ("SigLIP 2", "sigmoid", "max_length", True),
        "openclip": ("OpenCLIP", "softmax", "max_length", True),
    }
    assert (info.family, info.probability, info.text_padding, info.text_lowercase) == expected[family]
    if family.startswith("siglip"):
        assert info.text_max_length == 64


@pytest.mark.parametrize("family", ["siglip", "siglip2"])
def test_siglip_padding_rule_matters(family, tiny):
    """Dynamic padding would pool a different position: the fixed max_length padding is not cosmetic."""
    backend = load_backend(parse_checkpoint(str(tiny[family])), "cpu", "float32")
    fixed = backend.encode_text(["a photo of a cat"])
    batch = backend.tokenizer(["a photo of a cat"], padding=True, return_tensors="pt")
    with torch.no_grad():
        dynamic = _feat(backend.model.get_text_features(input_ids=batch["input_ids"])).numpy()
    assert batch["input_ids"].shape[1] < 64
    assert not np.allclose(fixed, dynamic, atol=1e-4)


def test_siglip2_pads_on_the_right_whatever_the_tokenizer_config_says(tiny):
    """The fixture's tokenizer is saved with left padding (the Gemma default); the text must still end up first."""
    backend = load_backend(parse_checkpoint(str(tiny["siglip2"])), "cpu", "float32")
    assert backend.tokenizer.padding_side == "left"
    left = backend.tokenizer(["a photo of a cat"], padding="max_length", max_length=64, return_tensors="pt")
    assert left["input_ids"][0, -1] != backend.tokenizer.pad_token_id  # the saved config really pads on the left
    with torch.no_grad():
        left_emb = _feat(backend.model.get_text_features(input_ids=left["input_ids"])).numpy()
    assert not np.allclose(backend.encode_text(["a photo of a cat"]), left_emb, atol=1e-4)


def test_siglip2_lowercases_text(tiny):
    backend = load_backend(parse_checkpoint(str(tiny["siglip2"])), "cpu", "float32")
    np.testing.assert_allclose(
        backend.encode_text(["A PHOTO OF A CAT"]), backend.encode_text(["a photo of a cat"]), atol=1e-6
    )


def test_clip_truncation_is_reported(tiny, images, cache_dir):
    clf = ZeroShotClassifier(load_backend(parse_checkpoint(str(tiny["clip"])), "cpu", "float32"), cache_dir=cache_dir)
    long = "a photo of a " + "very " * 20 + "{}"
    result = clf.classify([str(images / "good" / "red.png")], ["cat", "dog"], templates=[long, "a {}"])
    assert result.truncated_prompts == (long.replace("{}", "cat"), long.replace("{}", "dog"))
