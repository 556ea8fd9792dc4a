import time

import pytest

from clip_zero_shot.errors import InputError
from clip_zero_shot.images.fetch import FetchLimits, fetch

FAST = FetchLimits(timeout=1.0, deadline=3.0, max_bytes=1_000_000, retries=2, backoff=0.01)


def test_good_image_and_redirect(http_server):
    assert fetch(f"{http_server}/red.png", FAST)[:4] == b"\x89PNG"
    assert fetch(f"{http_server}/redirect.png", FAST)[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.png", "HTTP 404"),
        ("/page.html", "text/html"),
        ("/slow.png", "timed out"),
        ("/huge-declared.png", "exceeds"),
        ("/huge-streamed.png", "exceeds"),
        ("/drip.png", "deadline"),
    ],
)
def test_failures_are_clear_and_bounded(http_server, path, message):
    started = time.monotonic()
    with pytest.raises(InputError, match=message) as exc:
        fetch(f"{http_server}{path}", FAST)
    assert path in str(exc.value)
    assert time.monotonic() - started < 8


def test_transient_5xx_is_retried(http_server):
    assert fetch(f"{http_server}/flaky.png", FAST)[:4] == b"\x89PNG"


def test_connection_refused_reports_attempts():
    with pytest.raises(InputError, match="after 3 attempts"):
        fetch("http://127.0.0.1:9/x.png", FAST)
