"""Test images: good ones and a corpus of broken and hostile files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]


def coloured(colour: tuple[int, int, int], size: int = 48, shape: str = "circle") -> Image.Image:
    im = Image.new("RGB", (size, size), (240, 240, 240))
    d = ImageDraw.Draw(im)
    if shape == "circle":
        d.ellipse((8, 8, size - 8, size - 8), fill=colour)
    else:
        d.rectangle((10, 10, size - 10, size - 10), fill=colour)
    return im


def make_image_folder(root: Path) -> Path:
    good = root / "good"
    (good / "nested").mkdir(parents=True)
    coloured((220, 30, 30)).save(good / "red.png")
    coloured((30, 70, 220), shape="square").save(good / "blue.jpg", quality=95)
    coloured((40, 170, 50)).save(good / "nested" / "green.webp")
    bad = root / "bad"
    bad.mkdir()
    (bad / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg" * 10)
    buf = io.BytesIO()
    coloured((200, 200, 30), size=256).save(buf, format="JPEG", quality=95)
    (bad / "truncated.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    (bad / "empty.png").write_bytes(b"")
    (bad / "text.png").write_text("hello, I am text")
    # A PNG that declares far more pixels than Pillow's bomb limit; the header alone triggers the check.
    Image.new("1", (13000, 13000)).save(bad / "bomb.png", optimize=True)
    (root / "page.html").write_text("<html><body>not an image</body></html>")
    return root


def run_cli(*args: str, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "clip_zero_shot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
