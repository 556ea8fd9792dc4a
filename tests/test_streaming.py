"""Results stream in input order while only a bounded window of inputs is read ahead of the model."""

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
