"""Shared fixtures. Tests never touch the network: the hub is forced offline and HF_HOME points at an empty dir."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

_HOME = tempfile.mkdtemp(prefix="czs-test-home-")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HOME"] = str(Path(_HOME) / "hf")
os.environ["CLIP_ZERO_SHOT_CACHE"] = str(Path(_HOME) / "prototypes")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
ROOT = Path(__file__).resolve().parents[1]

from helpers import make_image_folder  # noqa: E402
from http_fixture import serve  # noqa: E402
from tiny_checkpoints import BUILDERS  # noqa: E402

FAMILIES = tuple(BUILDERS)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("checkpoints")
    return {name: build(root / name) for name, build in BUILDERS.items()}


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_image_folder(tmp_path_factory.mktemp("images"))


@pytest.fixture(scope="session")
def http_server(images: Path):
    with serve(images) as base:
        yield base


@pytest.fixture()
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "prototype-cache"
