"""CLIP, SigLIP and SigLIP 2 checkpoints in transformers format (hub ids or local folders)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from ..checkpoints import CheckpointSpec, folder_revision, snapshot_revision
from ..errors import CheckpointError
from ..ranking import ScoreRule
from ..results import CheckpointInfo, NaFlexInfo
from ..runtime import pick_device, pick_dtype, use_all_cores
from .base import Backend, TextRules
from .loading import explain_load_failure

SUPPORTED_MODEL_TYPES = ("clip", "siglip", "siglip2")
SIGLIP_TEXT_LENGTH = 64


def _embedding(output: Any) -> torch.Tensor:
    """transformers 5.x returns a model output whose `pooler_output` is the projected embedding; 4.x a tensor."""
    if isinstance(output, torch.Tensor):
        return output
    pooled = getattr(output, "pooler_output", None)
    if pooled is None:
        raise TypeError(f"unexpected feature output type {type(output).__name__}")
    return pooled


def family_of(model_type: str, tokenizer_class: str) -> str:
    """Read the family from the checkpoint itself, never from its name.

    Fixed-resolution SigLIP 2 checkpoints are stored as model_type "siglip" and differ from SigLIP by their
    Gemma tokenizer; NaFlex SigLIP 2 checkpoints have their own "siglip2" type.
    """
    if model_type == "clip":
        return "CLIP"
    if model_type == "siglip2":
        return "SigLIP 2"
    if model_type == "siglip":
        return "SigLIP 2" if "gemma" in tokenizer_class.lower() or "siglip2" in tokenizer_class.lower() else "SigLIP"
    raise CheckpointError(
        f"model type {model_type!r} is not supported",
        hint=f"supported transformers model types: {', '.join(SUPPORTED_MODEL_TYPES)}",
    )


def _size_of(image_processor: Any) -> int | None:
    crop = getattr(image_processor, "crop_size", None)
    if getattr(image_processor, "do_center_crop", False) and crop:
        return int(crop.get("height") or crop.get("shortest_edge"))
    size = getattr(image_processor, "size", None) or {}
    value = size.get("height") or size.get("shortest_edge")
    return int(value) if value else None


class TransformersBackend(Backend):
    def __init__(self, model: Any, tokenizer: Any, image_processor: Any, info: CheckpointInfo, device: torch.device):
        self.model = model
        self.tokenizer = tokenizer
        self.image_processor = image_processor
        self.info = info
        self.device = device
        self.dtype = next(model.parameters()).dtype
        self.text_rules = TextRules(
            padding=info.text_padding,  # type: ignore[arg-type]
            max_length=info.text_max_length,
            lowercase=info.text_lowercase,
            attention_mask=info.family == "CLIP",
        )
        self.score_rule = ScoreRule(info.probability, info.logit_scale, info.logit_bias)  # type: ignore[arg-type]

    @classmethod
    def load(cls, spec: CheckpointSpec, device_name: str, dtype_name: str) -> TransformersBackend:
        from transformers import AutoConfig, AutoImageProcessor, AutoModel, AutoTokenizer
        from transformers.utils import cached_file
        from transformers.utils import logging as hf_logging

        # The report is ours to write: no weight-loading progress bars or advisory warnings on stderr.
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()

        use_all_cores()
        device = pick_device(device_name)
        dtype = pick_dtype(dtype_name, device)
        hub_id = spec.target if spec.location == "hub" else None
        kwargs: dict[str, Any] = {"revision": spec.revision, "trust_remote_code": False}
        with explain_load_failure(spec.given, hub_id):
            config = AutoConfig.from_pretrained(spec.target, **kwargs)
            if config.model_type not in SUPPORTED_MODEL_TYPES:
                family_of(config.model_type, "")
            tokenizer = AutoTokenizer.from_pretrained(spec.target, **kwargs)
            image_processor = AutoImageProcessor.from_pretrained(spec.target, **kwargs)
            model = AutoModel.from_pretrained(
                spec.target, dtype=dtype, attn_implementation="sdpa", use_safetensors=None, **kwargs
            )
            if hub_id:
                revision = snapshot_revision(cached_file(spec.target, "config.json", revision=spec.revision)) or (
                    spec.revision or "unknown"
                )
            else:
                from pathlib import Path

                revision = folder_revision(Path(spec.target))
        model.eval().to(device)
        family = family_of(config.model_type, type(tokenizer).__name__)
        is_siglip = family != "CLIP"
        naflex = None
        resolution = _size_of(image_processor)
        if config.model_type == "siglip2":
            naflex = NaFlexInfo(int(image_processor.max_num_patches), int(image_processor.patch_size))
            resolution = None
        if is_siglip:
            max_length = SIGLIP_TEXT_LENGTH
        else:
            max_length = min(int(tokenizer.model_max_length), int(config.text_config.max_position_embeddings))
        embedding_dim = int(getattr(config, "projection_dim", 0) or config.vision_config.hidden_size)
        info = CheckpointInfo(
            id=spec.given,
            revision=revision,
            family=family,  # type: ignore[arg-type]
            backend="transformers",
            architecture=config.model_type,
            resolution=resolution,
            naflex=naflex,
            embedding_dim=embedding_dim,
            probability="sigmoid" if is_siglip else "softmax",
            logit_scale=float(model.logit_scale.detach().float().exp().item()),
            logit_bias=float(model.logit_bias.detach().float().item()) if is_siglip else 0.0,
            text_padding="max_length" if is_siglip else "longest",
            text_max_length=max_length,
            text_lowercase=family == "SigLIP 2",
        )
        return cls(model, tokenizer, image_processor, info, device)

    def _tokenize(self, texts: list[str], truncation: bool = True) -> Any:
        rules = self.text_rules
        return self.tokenizer(
            rules.prepare(texts),
            padding="max_length" if rules.padding == "max_length" else True,
            max_length=rules.max_length,
            truncation=truncation,
            padding_side=rules.padding_side,
            return_tensors="pt" if truncation else None,
        )

    def truncated(self, texts: list[str]) -> list[str]:
        prepared = self.text_rules.prepare(texts)
        ids = self.tokenizer(prepared, truncation=False, padding=False)["input_ids"]
        return [t for t, i in zip(texts, ids, strict=True) if len(i) > self.text_rules.max_length]

    def encode_text(self, texts: list[str]) -> np.ndarray:
        batch = self._tokenize(texts)
        inputs = {"input_ids": batch["input_ids"].to(self.device)}
        if self.text_rules.attention_mask and "attention_mask" in batch:
            inputs["attention_mask"] = batch["attention_mask"].to(self.device)
        with torch.inference_mode():
            out = _embedding(self.model.get_text_features(**inputs))
        return out.float().cpu().numpy()

    def preprocess(self, image: Any) -> dict[str, torch.Tensor]:
        return dict(self.image_processor(images=[image], return_tensors="pt"))

    def encode_images(self, items: list[dict[str, torch.Tensor]]) -> np.ndarray:
        inputs = {k: torch.cat([it[k] for it in items]).to(self.device) for k in items[0]}
        inputs["pixel_values"] = inputs["pixel_values"].to(self.dtype)
        with torch.inference_mode():
            out = _embedding(self.model.get_image_features(**inputs))
        return out.float().cpu().numpy()
