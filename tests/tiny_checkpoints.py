"""Build tiny, randomly initialised checkpoints of every family, saved in the real on-disk formats.

Each uses a real tokenizer format: CLIP byte-level BPE (vocab + merges), a SentencePiece model for SigLIP, the
Gemma-style BPE of SigLIP 2, and OpenCLIP's bundled CLIP BPE. Weights are scaled up so that random towers spread
their similarities and rankings are not decided by rounding.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

WORDS = (
    "cat dog fox bird car truck boat plane tree flower house road river mountain apple banana red green blue "
    "yellow small large photo picture image drawing of a an the on in with black white striped dotted"
).split()


def corpus(n: int = 400) -> list[str]:
    import random

    rng = random.Random(0)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))) for _ in range(n)]


TOWER = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2}


def _text_config(tok, **extra) -> dict:
    return {
        "vocab_size": len(tok),
        **TOWER,
        "max_position_embeddings": 64,
        "pad_token_id": tok.pad_token_id,
        "eos_token_id": tok.eos_token_id,
        **extra,
    }


def _siglip_logits(model: torch.nn.Module) -> None:
    # Realistic SigLIP-style temperature and bias, so sigmoid probabilities are not all 0.5.
    with torch.no_grad():
        model.logit_scale.fill_(2.3)
        model.logit_bias.fill_(-4.0)


def _spread(model: torch.nn.Module, factor: float = 3.0) -> None:
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2 and "embed" not in name:
                p.mul_(factor)


def _bpe(special: list[str], vocab_size: int, *, clip_style: bool):
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import BPE
    from tokenizers.trainers import BpeTrainer

    if clip_style:
        tok = Tokenizer(BPE(unk_token=special[-1], end_of_word_suffix="</w>", continuing_subword_prefix=""))
        tok.normalizer = normalizers.Sequence(
            [normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Lowercase()]
        )
        tok.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(
                    Regex(r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""),
                    behavior="removed",
                    invert=True,
                ),
                pre_tokenizers.ByteLevel(add_prefix_space=False),
            ]
        )
        trainer = BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=special,
            end_of_word_suffix="</w>",
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
    else:  # Gemma / SigLIP 2 layout: spaces become '▁' and stay attached to the following word
        tok = Tokenizer(BPE(unk_token="<unk>"))
        tok.normalizer = normalizers.Sequence([normalizers.Lowercase(), normalizers.Replace(" ", "▁")])
        tok.pre_tokenizer = pre_tokenizers.Split(pattern="▁", behavior="merged_with_next", invert=False)
        trainer = BpeTrainer(vocab_size=vocab_size, special_tokens=special, show_progress=False)
    tok.train_from_iterator(corpus(), trainer)
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    return model["vocab"], merges


def build_clip(folder: Path) -> Path:
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer

    vocab, merges = _bpe(["<|startoftext|>", "<|endoftext|>"], 300, clip_style=True)
    tok = CLIPTokenizer(vocab=vocab, merges=merges)
    tok.model_max_length = 16  # short on purpose, so truncation reporting is exercised
    eos = tok.convert_tokens_to_ids("<|endoftext|>")
    config = CLIPConfig(
        text_config={
            **_text_config(tok, max_position_embeddings=16, eos_token_id=eos, pad_token_id=eos),
            "bos_token_id": tok.convert_tokens_to_ids("<|startoftext|>"),
        },
        vision_config={"image_size": 32, "patch_size": 8, **TOWER},
        projection_dim=24,
    )
    torch.manual_seed(1)
    model = CLIPModel(config)
    _spread(model)
    model.save_pretrained(folder)
    CLIPProcessor(
        image_processor=CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}),
        tokenizer=tok,
    ).save_pretrained(folder)
    return folder


def build_siglip(folder: Path) -> Path:
    import sentencepiece as spm
    from transformers import SiglipConfig, SiglipImageProcessor, SiglipModel, SiglipProcessor, SiglipTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "corpus.txt"
    text.write_text("\n".join(corpus()) + "\n")
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(folder / "spiece"),
        vocab_size=60,
        model_type="unigram",
        hard_vocab_limit=False,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        pad_piece="<pad>",
        eos_piece="</s>",
        unk_piece="<unk>",
        minloglevel=2,
    )
    text.unlink()
    tok = SiglipTokenizer(vocab_file=str(folder / "spiece.model"), pad_token="<pad>")
    config = SiglipConfig(
        text_config=_text_config(tok, bos_token_id=None),
        vision_config={"image_size": 32, "patch_size": 8, **TOWER},
    )
    torch.manual_seed(2)
    model = SiglipModel(config)
    _spread(model)
    _siglip_logits(model)
    model.save_pretrained(folder)
    (folder / "spiece.model").unlink()
    SiglipProcessor(
        image_processor=SiglipImageProcessor(size={"height": 32, "width": 32}), tokenizer=tok
    ).save_pretrained(folder)
    return folder


def build_siglip2(folder: Path) -> Path:
    from transformers import Siglip2Config, Siglip2ImageProcessor, Siglip2Model, Siglip2Processor, Siglip2Tokenizer

    special = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>"]
    vocab, merges = _bpe(special, 200, clip_style=False)
    # Left as the class default (left padding), as Gemma-style tokenizer configs may say: the backend must still
    # pad on the right, as the model was trained.
    tok = Siglip2Tokenizer(vocab=vocab, merges=merges)
    config = Siglip2Config(
        text_config=_text_config(tok, bos_token_id=tok.bos_token_id),
        vision_config={"patch_size": 8, "num_patches": 16, **TOWER},
    )
    torch.manual_seed(3)
    model = Siglip2Model(config)
    _spread(model)
    _siglip_logits(model)
    model.save_pretrained(folder)
    Siglip2Processor(
        image_processor=Siglip2ImageProcessor(patch_size=8, max_num_patches=16), tokenizer=tok
    ).save_pretrained(folder)
    return folder


def build_openclip(folder: Path) -> Path:
    import open_clip
    from safetensors.torch import save_file

    model_cfg = {
        "embed_dim": 24,
        "vision_cfg": {"image_size": 32, "patch_size": 8, "width": 32, "layers": 2, "head_width": 16},
        "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 2},
    }
    torch.manual_seed(4)
    model = open_clip.CLIP(**model_cfg)
    _spread(model)
    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(folder / "open_clip_model.safetensors"))
    preprocess = {
        "mean": [0.48145466, 0.4578275, 0.40821073],
        "std": [0.26862954, 0.26130258, 0.27577711],
        "interpolation": "bicubic",
        "resize_mode": "shortest",
    }
    (folder / "open_clip_config.json").write_text(
        json.dumps({"model_cfg": model_cfg, "preprocess_cfg": preprocess}, indent=2)
    )
    return folder


BUILDERS = {"clip": build_clip, "siglip": build_siglip, "siglip2": build_siglip2, "openclip": build_openclip}
