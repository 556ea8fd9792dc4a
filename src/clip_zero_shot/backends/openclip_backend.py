"""OpenCLIP checkpoints: built-in model/tag names, `hf-hub:` repos and local folders, through open_clip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..checkpoints import CheckpointSpec, folder_revision, snapshot_revision
from ..ranking import ScoreRule
from ..results import CheckpointInfo
from ..runtime import pick_device, pick_dtype, use_all_cores
from .base import Backend, TextRules
from .loading import explain_load_failure

PRECISIONS = {torch.float32: "fp32", torch.float16: "fp16", torch.bfloat16: "bf16"}


def _hub_revision(repo: str, filename: str) -> str | None:
    from huggingface_hub import try_to_load_from_cache

    cached = try_to_load_from_cache(repo, filename)
    return snapshot_revision(cached) if isinstance(cached, str) else None


def _lowercases(tokenizer: Any) -> bool:
    # SimpleTokenizer (CLIP BPE) always lower-cases; HFTokenizer does when configured with "lower"/"canonicalize".
    clean = getattr(tokenizer, "clean_fn", None)
    name = getattr(clean, "__name__", "")
    return type(tokenizer).__name__ == "SimpleTokenizer" or "lower" in name or "canonical" in name


class OpenClipBackend(Backend):
    def __init__(self, model: Any, tokenizer: Any, transform: Any, info: CheckpointInfo, device: torch.device):
        self.model = model
        self.tokenizer = tokenizer
        self.transform = transform
        self.info = info
        self.device = device
        self.dtype = next(model.parameters()).dtype
        self.text_rules = TextRules(
            padding="max_length", max_length=info.text_max_length, lowercase=info.text_lowercase, attention_mask=False
        )
        self.score_rule = ScoreRule(info.probability, info.logit_scale, info.logit_bias)  # type: ignore[arg-type]

    @classmethod
    def load(cls, spec: CheckpointSpec, device_name: str, dtype_name: str) -> OpenClipBackend:
        import open_clip

        use_all_cores()
        device = pick_device(device_name)
        dtype = pick_dtype(dtype_name, device)
        precision = PRECISIONS[dtype]
        hub_id = None
        with explain_load_failure(spec.given, spec.target if spec.location == "hub" else None):
            if spec.location == "local":
                name, pretrained = f"local-dir:{spec.target}", None
                revision = folder_revision(Path(spec.target))
                architecture = Path(spec.target).name
            elif spec.location == "hub":
                hub_id = spec.target
                name, pretrained = f"hf-hub:{spec.target}", None
                architecture = spec.target
                revision = None
            else:
                name, pretrained = spec.target, spec.pretrained
                architecture = spec.target
                cfg = open_clip.get_pretrained_cfg(spec.target, spec.pretrained or "")
                if not cfg:
                    tags = open_clip.list_pretrained_tags_by_model(spec.target)
                    from ..errors import CheckpointError

                    raise CheckpointError(
                        f"OpenCLIP has no pretrained tag {spec.pretrained!r} for {spec.target!r}",
                        hint=f"known tags: {', '.join(tags) or 'none'}",
                    )
                hub_id = (cfg.get("hf_hub") or "").rstrip("/") or None
                revision = None
            model, _, transform = open_clip.create_model_and_transforms(
                name, pretrained=pretrained, precision=precision, device=device, weights_only=True
            )
            tokenizer = open_clip.get_tokenizer(name)
            if hub_id and revision is None:
                repo = "/".join(hub_id.split("/")[:2])
                revision = (
                    _hub_revision(repo, "open_clip_config.json")
                    or _hub_revision(repo, "open_clip_model.safetensors")
                    or _hub_revision(repo, "open_clip_pytorch_model.bin")
                    or "unknown"
                )
        model.eval()
        image_size = model.visual.image_size
        resolution = int(image_size[0] if isinstance(image_size, (tuple, list)) else image_size)
        bias = getattr(model, "logit_bias", None)
        sigmoid = bias is not None
        embedding_dim = int(getattr(model, "embed_dim", 0) or model.text_projection.shape[-1])
        info = CheckpointInfo(
            id=spec.given,
            revision=revision or "unknown",
            family="OpenCLIP",
            backend="open_clip",
            architecture=architecture,
            resolution=resolution,
            naflex=None,
            embedding_dim=embedding_dim,
            probability="sigmoid" if sigmoid else "softmax",
            logit_scale=float(model.logit_scale.detach().float().exp().item()),
            logit_bias=float(bias.detach().float().item()) if sigmoid else 0.0,
            text_padding="max_length",
            text_max_length=int(tokenizer.context_length),
            text_lowercase=_lowercases(tokenizer),
        )
        return cls(model, tokenizer, transform, info, device)

    def truncated(self, texts: list[str]) -> list[str]:
        limit = self.text_rules.max_length
        if hasattr(self.tokenizer, "encode"):  # SimpleTokenizer: ids without start/end tokens
            lengths = [len(self.tokenizer.encode(t)) + 2 for t in texts]
        else:
            inner = self.tokenizer.tokenizer
            lengths = [len(ids) for ids in inner([self.tokenizer.clean_fn(t) for t in texts])["input_ids"]]
        return [t for t, n in zip(texts, lengths, strict=True) if n > limit]

    def encode_text(self, texts: list[str]) -> np.ndarray:
        tokens = self.tokenizer(self.text_rules.prepare(texts)).to(self.device)
        with torch.inference_mode():
            out = self.model.encode_text(tokens)
        return out.float().cpu().numpy()

    def preprocess(self, image: Any) -> torch.Tensor:
        return self.transform(image)

    def encode_images(self, items: list[torch.Tensor]) -> np.ndarray:
        pixels = torch.stack(items).to(self.device, self.dtype)
        with torch.inference_mode():
            out = self.model.encode_image(pixels)
        return out.float().cpu().numpy()
