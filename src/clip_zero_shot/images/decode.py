"""Decode image bytes into an RGB picture the way a careful tool must.

Pillow opens lazily, so errors surface at load time; both steps are wrapped. Decompression bombs stay an error
(the limit is never lifted); truncated files are errors (LOAD_TRUNCATED_IMAGES stays off); only raster formats on
an allow-list are opened (never EPS, which runs Ghostscript).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import InputError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "PPM", "AVIF")


def _openable() -> tuple[str, ...]:
    # AVIF and others are only present when Pillow was built with them; asking for a missing one is a KeyError.
    Image.init()
    return tuple(f for f in ALLOWED_FORMATS if f in Image.OPEN)


def _to_rgb(image: Image.Image) -> Image.Image:
    """Every mode to RGB. Transparency is composited onto white: a plain convert would expose whatever colour the
    transparent pixels happen to hold. 16-bit and 32-bit greyscale is scaled, not clamped to 255."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        import numpy as np

        arr = np.asarray(image, dtype=np.float64)
        hi = 65535.0 if image.mode.startswith("I;16") else max(float(arr.max()), 1.0)
        lo = 0.0 if image.mode.startswith("I;16") else min(float(arr.min()), 0.0)
        arr = np.clip((arr - lo) / max(hi - lo, 1e-9) * 255.0, 0, 255).astype("uint8")
        return Image.fromarray(arr, mode="L").convert("RGB")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode == "RGB":
        return image
    return image.convert("RGB")  # L, 1, CMYK, YCbCr, LAB, HSV, P without transparency


def decode(data: bytes | Path, name: str, *, jpeg_draft: int | None = None) -> Image.Image:
    """Decode to RGB. `jpeg_draft=N` lets libjpeg decode a JPEG at a reduced scale (1/2, 1/4, 1/8) that is still at
    least N x N, before the checkpoint's own resize: several times less decoding work for photos much larger than
    the model input, at the cost of slightly different pixels than a full decode (opt-in for that reason)."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        with Image.open(source, formats=_openable()) as image:
            # Pillow only warns between the limit and twice the limit; an explicit check makes every size over
            # the limit an error, without touching the process-wide (and not thread-safe) warnings filters.
            limit = Image.MAX_IMAGE_PIXELS
            if limit and image.width * image.height > limit:
                raise Image.DecompressionBombError(
                    f"{image.width}x{image.height} = {image.width * image.height:,} pixels "
                    f"exceeds the limit of {limit:,}"
                )
            if jpeg_draft and image.format == "JPEG":
                image.draft("RGB", (jpeg_draft, jpeg_draft))
            if getattr(image, "n_frames", 1) > 1:
                image.seek(0)  # animated: the first frame only, without decoding the rest
            image.load()
            oriented = ImageOps.exif_transpose(image) or image
            rgb = _to_rgb(oriented)
            # Closing the file would also drop the pixels of an image returned unchanged.
            return rgb.copy() if rgb is image else rgb
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError(f"{name}: refused as a possible decompression bomb ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise InputError(f"{name}: not a recognised image (allowed formats: {', '.join(ALLOWED_FORMATS)})") from exc
    except FileNotFoundError as exc:
        raise InputError(f"{name}: file not found") from exc
    except PermissionError as exc:
        raise InputError(f"{name}: permission denied") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # Truncated or corrupt data surfaces here from load()/convert().
        raise InputError(f"{name}: corrupt or truncated image ({exc})") from exc
