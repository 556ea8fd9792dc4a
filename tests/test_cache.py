import numpy as np

from clip_zero_shot.checkpoints import load_backend, parse_checkpoint
from clip_zero_shot.classifier import ZeroShotClassifier
from clip_zero_shot.prototypes import PrototypeCache, cache_key


def _clf(tiny, cache_dir, **kw):
    return ZeroShotClassifier(
        load_backend(parse_checkpoint(str(tiny["clip"])), "cpu", "float32"), cache_dir=cache_dir, **kw
    )


def test_second_run_skips_the_text_tower(tiny, images, cache_dir):
    img = [str(images / "good" / "red.png")]
    first = _clf(tiny, cache_dir)
    a = first.classify(img, ["cat", "dog", "fox"], template_set="imagenet7")
    assert first.text_tower_calls == 21
    second = _clf(tiny, cache_dir)
    second.backend.encode_text = None  # any text-tower call would now fail
    b = second.classify(img, ["cat", "dog", "fox"], template_set="imagenet7")
    assert second.text_tower_calls == 0
    assert a.images[0].top_k == b.images[0].top_k


def test_key_covers_classes_templates_and_text_rules(tiny):
    backend = load_backend(parse_checkpoint(str(tiny["clip"])), "cpu", "float32")
    base = cache_key(backend, ("cat", "dog"), ("a {}",), "float32")
    assert base != cache_key(backend, ("cat", "fox"), ("a {}",), "float32")
    assert base != cache_key(backend, ("cat", "dog"), ("an {}",), "float32")
    assert base != cache_key(backend, ("cat", "dog"), ("a {}",), "float16")
    from dataclasses import replace

    backend.text_rules = replace(backend.text_rules, lowercase=True)
    assert base != cache_key(backend, ("cat", "dog"), ("a {}",), "float32")


def test_corrupt_or_partial_cache_file_is_rebuilt(tiny, images, cache_dir):
    img = [str(images / "good" / "red.png")]
    clf = _clf(tiny, cache_dir)
    good = clf.classify(img, ["cat", "dog"])
    files = list(cache_dir.glob("*.safetensors"))
    assert len(files) == 1
    for damage in (b"garbage", files[0].read_bytes()[:40]):
        files[0].write_bytes(damage)
        again = _clf(tiny, cache_dir)
        assert again.classify(img, ["cat", "dog"]).images[0].top_k == good.images[0].top_k
        assert again.text_tower_calls == 6
    cache = PrototypeCache(cache_dir)
    key = files[0].stem
    assert cache.load(key, 2) is not None
    assert cache.load(key, 3) is None  # wrong shape for this request: rejected and removed
    assert not files[0].exists()


def test_no_cache_writes_nothing(tiny, images, cache_dir):
    clf = _clf(tiny, cache_dir, use_cache=False)
    clf.classify([str(images / "good" / "red.png")], ["cat", "dog"])
    assert not cache_dir.exists()


def test_prototypes_are_unit_norm_template_means(tiny):
    clf = _clf(tiny, None, use_cache=False)
    proto = clf.prototypes(("cat", "dog"), ("a photo of a {}", "a {}"))
    np.testing.assert_allclose(np.linalg.norm(proto.vectors, axis=1), 1.0, atol=1e-6)
