"""Train the small CLIP-architecture demo checkpoint on synthetic coloured shapes.

    python training/train.py --out src/clip_zero_shot/demo/shapes-clip-tiny

Runs on a 2-core CPU in about 15 minutes. The result is a standard transformers folder (config, safetensors
weights, CLIP tokenizer, image processor, model card), loadable by any code that loads hub checkpoints, plus a
few held-out example images for the demo.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import shapes
import torch
import torch.nn.functional as F
from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers
from tokenizers.models import BPE
from tokenizers.trainers import BpeTrainer
from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer

IMAGE_SIZE = 64
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
CONTEXT_LENGTH = 32


def build_tokenizer(corpus: list[str], vocab_size: int) -> CLIPTokenizer:
    """A byte-level BPE in CLIP's own format (vocab.json + merges.txt), trained on the caption corpus.

    The pipeline mirrors transformers' CLIPTokenizer so that the merges learned here are the ones it applies.
    """
    bpe = Tokenizer(BPE(unk_token="<|endoftext|>", end_of_word_suffix="</w>", continuing_subword_prefix=""))
    bpe.normalizer = normalizers.Sequence(
        [normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Lowercase()]
    )
    bpe.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(
                Regex(
                    r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""
                ),
                behavior="removed",
                invert=True,
            ),
            pre_tokenizers.ByteLevel(add_prefix_space=False),
        ]
    )
    trainer = BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=["<|startoftext|>", "<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        end_of_word_suffix="</w>",
        show_progress=False,
    )
    bpe.train_from_iterator(corpus, trainer)
    model = json.loads(bpe.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    tok = CLIPTokenizer(vocab=model["vocab"], merges=merges)
    tok.model_max_length = CONTEXT_LENGTH
    return tok


def tokenizer_corpus(rng: random.Random) -> list[str]:
    corpus = [shapes.caption(shapes.random_scene(rng), rng) for _ in range(20000)]
    # Every vocabulary word alone too, so each becomes a whole token even if rare in captions.
    words = [*shapes.COLOURS, *shapes.SHAPES, *shapes.PATTERNS, *shapes.SIZES, *shapes.BACKGROUNDS, "shape", "shapes"]
    corpus += [" ".join(words)] * 50
    return corpus


def to_tensor(images: list, size: int = IMAGE_SIZE) -> torch.Tensor:
    arr = np.stack(
        [np.asarray(im.resize((size, size)) if im.size != (size, size) else im, dtype=np.float32) for im in images]
    )
    arr = (arr / 255.0 - np.array(MEAN, dtype=np.float32)) / np.array(STD, dtype=np.float32)
    return torch.from_numpy(arr).permute(0, 3, 1, 2).contiguous()


def make_model(vocab_size: int, eos_id: int, bos_id: int) -> CLIPModel:
    config = CLIPConfig(
        text_config={
            "vocab_size": vocab_size,
            "hidden_size": 64,
            "intermediate_size": 256,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": CONTEXT_LENGTH,
            "eos_token_id": eos_id,
            "bos_token_id": bos_id,
            "pad_token_id": eos_id,
        },
        vision_config={
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
            "hidden_size": 128,
            "intermediate_size": 512,
            "num_hidden_layers": 4,
            "num_attention_heads": 4,
        },
        projection_dim=64,
    )
    return CLIPModel(config)


def evaluate_colours(model: CLIPModel, tok: CLIPTokenizer, seed: int, n: int) -> float:
    rng = random.Random(seed)
    scenes = [shapes.random_scene(rng) for _ in range(n)]
    images = [shapes.draw_scene(s, IMAGE_SIZE, rng) for s in scenes]
    labels = list(shapes.COLOURS)
    prompts = [f"a photo of a {shapes.colour_label(c)}" for c in labels]
    model.eval()
    with torch.inference_mode():
        batch = tok(prompts, padding=True, return_tensors="pt")
        t = F.normalize(model.get_text_features(**batch).pooler_output, dim=-1)
        v = F.normalize(model.get_image_features(pixel_values=to_tensor(images)).pooler_output, dim=-1)
        pred = (v @ t.T).argmax(-1)
    model.train()
    truth = torch.tensor([labels.index(s.colour) for s in scenes])
    return float((pred == truth).float().mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--examples", type=Path, help="folder for held-out demo images")
    ap.add_argument("--steps", type=int, default=2200)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--minutes", type=float, default=18.0, help="stop early when this wall-clock budget is spent")
    ap.add_argument("--pool", type=int, default=30000, help="number of pre-drawn training scenes")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    rng = random.Random(args.seed)
    t0 = time.time()

    tok = build_tokenizer(tokenizer_corpus(random.Random(args.seed + 1)), vocab_size=700)
    eos, bos = tok.convert_tokens_to_ids("<|endoftext|>"), tok.convert_tokens_to_ids("<|startoftext|>")
    model = make_model(len(tok), eos, bos)
    print(f"tokenizer: {len(tok)} tokens; model: {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters")

    # A fixed pool of pre-drawn scenes keeps the 2 CPU cores on the model; captions are re-sampled each time a
    # scene is used, so the text side sees fresh phrasings throughout.
    scenes = [shapes.random_scene(rng) for _ in range(args.pool)]
    pixels = to_tensor([shapes.draw_scene(s, IMAGE_SIZE, rng) for s in scenes])
    print(f"drew {len(scenes)} training scenes in {time.time() - t0:.0f}s")

    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    warmup = 200
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps)))
    )
    model.train()
    deadline = t0 + args.minutes * 60
    for step in range(args.steps):
        idx = torch.randint(0, len(scenes), (args.batch_size,))
        texts = [shapes.caption(scenes[i], rng) for i in idx.tolist()]
        batch = tok(texts, padding=True, truncation=True, return_tensors="pt")
        out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], pixel_values=pixels[idx])
        # Scenes that share every captioned attribute are true positives for each other; CLIP's loss treats them
        # as negatives, which is the usual label noise of contrastive training and is tolerated here.
        target = torch.arange(len(idx))
        loss = (F.cross_entropy(out.logits_per_image, target) + F.cross_entropy(out.logits_per_text, target)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        if step % 100 == 0 or step == args.steps - 1:
            acc = evaluate_colours(model, tok, seed=10_000 + args.seed, n=256) if step % 500 == 0 else float("nan")
            print(f"step {step:5d}  loss {loss.item():.3f}  colour acc {acc:.3f}  {time.time() - t0:.0f}s", flush=True)
        if time.time() > deadline:
            print(f"time budget reached at step {step}")
            break

    acc = evaluate_colours(model, tok, seed=20_000 + args.seed, n=512)
    print(f"held-out zero-shot colour accuracy: {acc:.3f} (chance {1 / len(shapes.COLOURS):.3f})")

    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    processor = CLIPProcessor(
        image_processor=CLIPImageProcessor(
            size={"shortest_edge": IMAGE_SIZE},
            crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE},
            image_mean=list(MEAN),
            image_std=list(STD),
        ),
        tokenizer=tok,
    )
    processor.save_pretrained(args.out)
    (args.out / "training_summary.json").write_text(
        json.dumps(
            {
                "steps": step + 1,
                "batch_size": args.batch_size,
                "seconds": round(time.time() - t0),
                "heldout_colour_accuracy": round(acc, 4),
                "chance": 1 / len(shapes.COLOURS),
                "seed": args.seed,
            },
            indent=2,
        )
        + "\n"
    )
    if args.examples:
        write_examples(args.examples, seed=30_000 + args.seed)
    print(f"saved to {args.out} in {time.time() - t0:.0f}s")


def write_examples(folder: Path, seed: int) -> None:
    """One held-out scene per colour, drawn larger than the training size so the processor's resize is exercised."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for colour in shapes.COLOURS:
        scene = shapes.random_scene(rng)
        scene = shapes.Scene(colour, scene.shape, "solid", "large", scene.background, 1)
        shapes.draw_scene(scene, 160, rng).save(folder / f"{colour}-{scene.shape}.png")


if __name__ == "__main__":
    main()
