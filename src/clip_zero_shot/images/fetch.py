"""Download an image over http(s) with every limit a batch tool needs.

Connect/read timeouts bound each socket operation; a total deadline bounds a server that drips bytes; the body is
capped (Content-Length first, then counted while streaming); HTTP status and content type are checked before any
decoding; transient failures get a bounded number of retries with backoff.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException

from .. import __version__
from ..errors import InputError

USER_AGENT = f"clip-zero-shot/{__version__} (+https://pypi.org/project/clip-zero-shot/)"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 10.0  # seconds per connect / read operation
    deadline: float = 30.0  # seconds for the whole download
    max_bytes: int = 25 * 1024 * 1024
    retries: int = 2
    max_redirects: int = 5
    backoff: float = 0.5


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, limit: int) -> None:
        self.max_redirections = limit


class _Transient(Exception):
    pass


def _opener(limits: FetchLimits) -> urllib.request.OpenerDirector:
    # Only http/https handlers: file://, ftp:// and data: URLs are never opened.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _LimitedRedirects(limits.max_redirects),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _once(url: str, limits: FetchLimits) -> bytes:
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
    try:
        response = _opener(limits).open(request, timeout=limits.timeout)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise _Transient(f"HTTP {exc.code} {exc.reason}") from exc
        raise InputError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise InputError(f"{url}: timed out after {limits.timeout:g}s waiting for the server") from exc
        raise _Transient(f"cannot connect ({reason})") from exc
    except TimeoutError as exc:
        raise InputError(f"{url}: timed out after {limits.timeout:g}s waiting for the server") from exc
    except (ConnectionError, HTTPException) as exc:
        raise _Transient(f"connection failed ({exc})") from exc
    with response:
        final = response.geturl()
        if final.split("://", 1)[0].lower() not in ("http", "https"):
            raise InputError(f"{url}: redirected to a non-http(s) URL")
        ctype = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype and not (ctype.startswith("image/") or ctype in ("application/octet-stream", "binary/octet-stream")):
            raise InputError(f"{url}: the server sent {ctype!r}, not an image")
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > limits.max_bytes:
            raise InputError(f"{url}: body of {int(length):,} bytes exceeds the {limits.max_bytes:,}-byte limit")
        chunks: list[bytes] = []
        total = 0
        while True:
            if time.monotonic() - started > limits.deadline:
                raise InputError(f"{url}: download exceeded the {limits.deadline:g}s total deadline")
            try:
                # read1 returns after one socket read: a plain read(n) would wait for n bytes from a dripping server.
                chunk = response.read1(CHUNK)
            except TimeoutError as exc:
                raise InputError(f"{url}: timed out after {limits.timeout:g}s waiting for data") from exc
            except (ConnectionError, HTTPException) as exc:
                raise _Transient(f"connection broke while reading ({exc})") from exc
            if not chunk:
                break
            total += len(chunk)
            if total > limits.max_bytes:
                raise InputError(f"{url}: body exceeds the {limits.max_bytes:,}-byte limit")
            chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise InputError(f"{url}: empty response body")
    return data


def fetch(url: str, limits: FetchLimits | None = None) -> bytes:
    limits = limits or FetchLimits()
    last = ""
    for attempt in range(limits.retries + 1):
        try:
            return _once(url, limits)
        except _Transient as exc:
            last = str(exc)
            if attempt < limits.retries:
                time.sleep(limits.backoff * (2**attempt))
    raise InputError(f"{url}: {last} (after {limits.retries + 1} attempts)")
