"""Results stream in input order while only a bounded window of inputs is read ahead of the model."""

import threading

import pytest
import torch

from clip_zero_shot.checkpoints import load_backend, parse_checkpoint
from clip_zero_shot.classifier import ZeroShotClassifier
from clip_zero_shot.images.sources import ImageSource
from clip_zero_shot.request import ClassificationRequest


def test_read_ahead_is_bounded_and_failures_stream_out(tiny, cache_dir):
    batch = 4
    clf = ZeroShotClassifier(
        load_backend(parse_checkpoint(str(tiny["clip"])), "cpu", "float32"),
        batch_size=batch,
        workers=2,
        cache_dir=cache_dir,
    )
    pulled = 0

    def sources():
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield ImageSource(f"bad-{i}", "invalid", f"bad-{i}: broken")

    request = ClassificationRequest.build(["cat", "dog"])
    ahead = []
    count = 0
    for count, r in enumerate(clf.iter_results(sources(), request), start=1):
        assert r.index == count - 1 and r.status == "error"
        ahead.append(pulled - count)
    assert count == 1000
    window = max(2 * batch, clf.workers)
    assert max(ahead) <= window + batch


def test_good_and_bad_inputs_keep_their_order(tiny, images, cache_dir):
    clf = ZeroShotClassifier(
        load_backend(parse_checkpoint(str(tiny["clip"])), "cpu", "float32"), batch_size=2, cache_dir=cache_dir
    )
    refs = [str(images / "good" / "red.png"), str(images / "bad" / "empty.png")] * 5
    result = clf.classify(refs, ["cat", "dog"])
    assert [r.status for r in result.images] == ["ok", "error"] * 5
    assert [r.index for r in result.images] == list(range(10))
    assert result.tally.inputs == 10 and result.tally.failed == 5


@pytest.mark.parametrize("family", ["clip", "openclip"])
def test_loader_threads_preprocess_on_one_core_and_leave_the_callers_alone(family, tiny, images, cache_dir):
    """Each loader thread would otherwise fork an OpenMP team as wide as the machine, competing with the model."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        _check_loader_threads(family, tiny, images, cache_dir)
    finally:
        torch.set_num_threads(before)


def _check_loader_threads(family, tiny, images, cache_dir):
    backend = load_backend(parse_checkpoint(str(tiny[family])), "cpu", "float32")
    seen: list[tuple[str, int]] = []
    original = backend.preprocess

    def recording(image):
        seen.append((threading.current_thread().name, torch.get_num_threads()))
        return original(image)

    backend.preprocess = recording
    clf = ZeroShotClassifier(backend, batch_size=2, workers=3, cache_dir=cache_dir)
    result = clf.classify([str(images / "good" / "red.png")] * 6, ["cat", "dog"])
    assert result.tally.classified == 6
    assert len(seen) == 6 and all(name.startswith("clip-zero-shot-load") for name, _ in seen)
    assert {n for _, n in seen} == {1}
    assert torch.get_num_threads() == 2
    fresh: list[int] = []
    t = threading.Thread(target=lambda: fresh.append(torch.get_num_threads()))
    t.start()
    t.join()
    assert fresh == [2]  # the default other threads pick up is untouched
