"""Synthetic coloured-shape scenes with captions, for training and evaluating the demo checkpoint.

Every scene is drawn from a seeded generator, so a held-out set is just another seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw

# Shape colours are kept far apart in hue so that a colour name is a fair label; backgrounds are drawn
# from neutral tones only, so "the colour of the shape" is never ambiguous.
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 30),
    "orange": (245, 140, 20),
    "yellow": (240, 220, 30),
    "green": (40, 170, 50),
    "blue": (30, 70, 220),
    "purple": (140, 50, 190),
    "pink": (245, 130, 190),
    "brown": (125, 75, 35),
}
SHAPES = ("circle", "square", "triangle", "star")
PATTERNS = ("solid", "striped", "dotted")
SIZES = ("small", "large")
BACKGROUNDS: dict[str, tuple[int, int, int]] = {
    "white": (250, 250, 250),
    "light grey": (200, 200, 200),
    "dark grey": (70, 70, 70),
    "black": (15, 15, 15),
}
COUNT_WORDS = {1: "a", 2: "two", 3: "three"}
CAPTION_PREFIXES = ("a photo of ", "a picture of ", "an image of ", "a drawing of ", "")


@dataclass(frozen=True)
class Scene:
    colour: str
    shape: str
    pattern: str
    size: str
    background: str
    count: int


def random_scene(rng: random.Random) -> Scene:
    return Scene(
        colour=rng.choice(list(COLOURS)),
        shape=rng.choice(SHAPES),
        pattern=rng.choice(PATTERNS),
        size=rng.choice(SIZES),
        background=rng.choice(list(BACKGROUNDS)),
        count=rng.choice((1, 1, 1, 2, 3)),
    )


def _jitter(rgb: tuple[int, int, int], rng: random.Random, amount: int) -> tuple[int, int, int]:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in rgb)  # type: ignore[return-value]


def _polygon(shape: str, cx: float, cy: float, r: float, angle: float) -> list[tuple[float, float]]:
    if shape == "square":
        corners = 4
        radii = [r] * 4
    elif shape == "triangle":
        corners = 3
        radii = [r * 1.15] * 3
    else:  # star
        corners = 10
        radii = [r * 1.15 if i % 2 == 0 else r * 0.5 for i in range(10)]
    return [
        (
            cx + radii[i] * math.cos(angle + 2 * math.pi * i / corners),
            cy + radii[i] * math.sin(angle + 2 * math.pi * i / corners),
        )
        for i in range(corners)
    ]


def draw_scene(scene: Scene, size: int, rng: random.Random) -> Image.Image:
    bg = _jitter(BACKGROUNDS[scene.background], rng, 12)
    image = Image.new("RGB", (size, size), bg)
    draw = ImageDraw.Draw(image)
    # Light background noise so that the model cannot rely on perfectly flat pixels.
    for _ in range(size // 2):
        x, y = rng.randrange(size), rng.randrange(size)
        draw.point((x, y), fill=_jitter(bg, rng, 30))
    fill = _jitter(COLOURS[scene.colour], rng, 18)
    base_r = size * (0.30 if scene.size == "large" else 0.17) / (1.0 if scene.count == 1 else 1.4)
    for _ in range(scene.count):
        r = base_r * rng.uniform(0.85, 1.15)
        cx = rng.uniform(r, size - r)
        cy = rng.uniform(r, size - r)
        mask = Image.new("L", (size, size), 0)
        mdraw = ImageDraw.Draw(mask)
        if scene.shape == "circle":
            mdraw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
        else:
            mdraw.polygon(_polygon(scene.shape, cx, cy, r, rng.uniform(0, 2 * math.pi)), fill=255)
        layer = Image.new("RGB", (size, size), fill)
        if scene.pattern != "solid":
            ldraw = ImageDraw.Draw(layer)
            stripe = _jitter(bg, rng, 10)
            step = max(3, size // 12)
            if scene.pattern == "striped":
                for x in range(-size, size * 2, step * 2):
                    ldraw.line((x, 0, x + size, size), fill=stripe, width=max(1, step // 2))
            else:
                for y in range(step // 2, size, step):
                    for x in range(step // 2, size, step):
                        ldraw.ellipse((x - step / 4, y - step / 4, x + step / 4, y + step / 4), fill=stripe)
        image.paste(layer, (0, 0), mask)
    return image


def caption(scene: Scene, rng: random.Random) -> str:
    """A caption in one of several phrasings; attributes are dropped at random so every word is learned alone."""
    noun = scene.shape if rng.random() < 0.75 else "shape"
    words = []
    if rng.random() < 0.4:
        words.append(scene.size)
    words.append(scene.colour)
    if rng.random() < 0.5:
        words.append(scene.pattern)
    if scene.count > 1:
        phrase = f"{COUNT_WORDS[scene.count]} {' '.join(words)} {noun}s"
    else:
        # Mostly grammatical articles, but sometimes a plain "a": prompt templates such as
        # "a photo of a {}" put "a" before every class name.
        article = "an" if words[0][0] in "aeiou" and rng.random() < 0.7 else "a"
        phrase = f"{article} {' '.join(words)} {noun}"
    if rng.random() < 0.3:
        phrase += f" on a {scene.background} background"
    return rng.choice(CAPTION_PREFIXES) + phrase


def colour_label(colour: str) -> str:
    """The class name used for zero-shot evaluation of colour."""
    return f"{colour} shape"
