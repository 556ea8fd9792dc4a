import io

import numpy as np
import pytest
from PIL import Image

from clip_zero_shot.errors import InputError
from clip_zero_shot.images.decode import decode
from clip_zero_shot.images.sources import expand


# The library leaves the process-wide warning filters alone, so Pillow still warns just above its limit; the CLI
# silences that repeat (see test_cli).
@pytest.mark.filterwarnings("ignore:.*could be decompression bomb")
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("corrupt.jpg", "not a recognised image|corrupt"),
        ("truncated.jpg", "truncated"),
        ("empty.png", "not a recognised image"),
        ("text.png", "not a recognised image"),
        ("bomb.png", "decompression bomb"),
    ],
)
def test_broken_files_give_a_clean_error_naming_the_input(images, name, message):
    path = images / "bad" / name
    with pytest.raises(InputError, match=message) as exc:
        decode(path, str(path))
    assert name in str(exc.value)


def test_bomb_limit_is_not_lifted():
    assert Image.MAX_IMAGE_PIXELS is not None


def test_eps_is_never_opened():
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    with pytest.raises(InputError, match="not a recognised image"):
        decode(eps, "x.eps")


def _png(image: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=kw.pop("format", "PNG"), **kw)
    return buf.getvalue()


def test_alpha_is_composited_onto_white():
    rgba = Image.new("RGBA", (4, 4), (255, 0, 0, 0))  # fully transparent red
    out = decode(_png(rgba), "a.png")
    assert out.mode == "RGB" and out.getpixel((0, 0)) == (255, 255, 255)


def test_sixteen_bit_is_scaled_not_clamped():
    arr = np.full((4, 4), 32768, dtype=np.uint16)
    out = decode(_png(Image.fromarray(arr)), "a.png")
    assert out.getpixel((0, 0))[0] in (127, 128)


def test_exif_orientation_is_applied():
    im = Image.new("RGB", (40, 20), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90
    out = decode(_png(im, format="JPEG", exif=exif.tobytes()), "a.jpg")
    assert out.size == (20, 40)


def test_animated_gif_uses_first_frame():
    frames = [Image.new("RGB", (8, 8), c) for c in ((255, 0, 0), (0, 255, 0))]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    out = decode(buf.getvalue(), "a.gif")
    r, g, _ = out.getpixel((0, 0))
    assert r > 200 and g < 50


def test_cmyk_and_palette_become_rgb():
    assert decode(_png(Image.new("CMYK", (4, 4)), format="JPEG"), "c.jpg").mode == "RGB"
    assert decode(_png(Image.new("P", (4, 4))), "p.png").mode == "RGB"


def test_expand_folders_globs_urls_and_missing(images):
    good = images / "good"
    folder = list(expand([str(good)]))
    assert [s.ref.split("/")[-1] for s in folder] == ["blue.jpg", "green.webp", "red.png"]
    globbed = list(expand([str(good / "*.png")]))
    assert [s.kind for s in globbed] == ["file"]
    recursive = list(expand([str(good / "**" / "*.webp")]))
    assert len(recursive) == 1
    weird = list(expand(["http://example.invalid/a.png", "ftp://x/y.png", "nope.png", str(good / "*.tiff")]))
    assert [s.kind for s in weird] == ["url", "invalid", "invalid", "invalid"]
    assert "only http and https" in weird[1].error and "matches no image" in weird[3].error


def test_stdin_lines(images):
    import io as _io

    refs = list(expand(["-"], stdin=_io.StringIO(f"{images}/good/red.png\n\n{images}/good/blue.jpg\n")))
    assert [s.ref.split("/")[-1] for s in refs] == ["red.png", "blue.jpg"]


def test_fast_jpeg_decodes_at_a_reduced_scale_never_below_the_input_size():
    photo = _png(Image.new("RGB", (640, 480), (10, 200, 30)), format="JPEG")
    assert decode(photo, "p.jpg").size == (640, 480)
    assert decode(photo, "p.jpg", jpeg_draft=224).size == (320, 240)
    assert decode(photo, "p.jpg", jpeg_draft=100).size == (160, 120)
    png = _png(Image.new("RGB", (640, 480)))
    assert decode(png, "p.png", jpeg_draft=224).size == (640, 480)
