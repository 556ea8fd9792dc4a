"""Full-size, randomly initialised checkpoints built locally: random weights cost the same to run as trained ones.

- CLIP ViT-B/32 (transformers `CLIPConfig()` defaults) with the real CLIP BPE vocabulary shipped in open_clip.
- SigLIP base-patch16-224 (`SiglipConfig()` defaults, 32,000-row text embedding) with a SentencePiece model
  trained on a small corpus: the tokenizer's vocabulary size does not change the towers' cost.
"""

from __future__ import annotations

import random
from pathlib import Path

import torch


def build_clip_b32(folder: Path) -> Path:
    from open_clip.tokenizer import SimpleTokenizer
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer

    if (folder / "model.safetensors").exists():
        return folder
    bpe = SimpleTokenizer()
    vocab = dict(bpe.encoder)
    vocab["<|startoftext|>"] = vocab.pop("<start_of_text>")
    vocab["<|endoftext|>"] = vocab.pop("<end_of_text>")
    merges = [pair for pair, _ in sorted(bpe.bpe_ranks.items(), key=lambda kv: kv[1])]
    tokenizer = CLIPTokenizer(vocab=vocab, merges=merges)
    tokenizer.model_max_length = 77
    torch.manual_seed(0)
    model = CLIPModel(CLIPConfig())
    model.save_pretrained(folder)
    CLIPProcessor(image_processor=CLIPImageProcessor(), tokenizer=tokenizer).save_pretrained(folder)
    return folder


def build_siglip_b16(folder: Path) -> Path:
    import sentencepiece as spm
    from open_clip.zero_shot_metadata import IMAGENET_CLASSNAMES, OPENAI_IMAGENET_TEMPLATES
    from transformers import SiglipConfig, SiglipImageProcessor, SiglipModel, SiglipProcessor, SiglipTokenizer

    if (folder / "model.safetensors").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    corpus = folder / "corpus.txt"
    corpus.write_text(
        "\n".join(rng.choice(OPENAI_IMAGENET_TEMPLATES)(c) for c in IMAGENET_CLASSNAMES for _ in range(3)) + "\n"
    )
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(folder / "spiece"), vocab_size=2000, model_type="unigram",
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>",
        minloglevel=2, hard_vocab_limit=False,
    )  # fmt: skip
    corpus.unlink()
    tokenizer = SiglipTokenizer(vocab_file=str(folder / "spiece.model"), pad_token="<pad>")
    torch.manual_seed(0)
    model = SiglipModel(SiglipConfig())
    model.save_pretrained(folder)
    SiglipProcessor(image_processor=SiglipImageProcessor(), tokenizer=tokenizer).save_pretrained(folder)
    return folder


def write_jpegs(folder: Path, n: int, size: tuple[int, int] = (640, 480)) -> list[str]:
    """Photo-sized JPEGs with real structure (shapes over noise), so decoding costs what a photo costs."""
    import numpy as np
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    rng = np.random.default_rng(0)
    for i in range(n):
        path = folder / f"img{i:04d}.jpg"
        paths.append(str(path))
        if path.exists():
            continue
        base = rng.integers(0, 255, size=(size[1] // 8, size[0] // 8, 3), dtype=np.uint8)
        im = Image.fromarray(base).resize(size, Image.BILINEAR)
        draw = ImageDraw.Draw(im)
        for _ in range(12):
            x, y = int(rng.integers(0, size[0])), int(rng.integers(0, size[1]))
            r = int(rng.integers(10, 120))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(c) for c in rng.integers(0, 255, 3)))
        im.save(path, quality=90)
    return paths
