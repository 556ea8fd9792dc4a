"""Device, dtype and thread choices shared by the backends (imports torch, so only loaded with a checkpoint)."""

from __future__ import annotations

import os

import torch

from .errors import UsageError

DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("auto", "float32", "float16", "bfloat16")


def pick_device(name: str) -> torch.device:
    if name not in DEVICES:
        raise UsageError(f"unknown device {name!r}", hint=f"choose one of: {', '.join(DEVICES)}")
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda was asked for, but no CUDA device is available")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise UsageError("--device mps was asked for, but MPS is not available")
    return torch.device(name)


def pick_dtype(name: str, device: torch.device) -> torch.dtype:
    if name not in DTYPES:
        raise UsageError(f"unknown dtype {name!r}", hint=f"choose one of: {', '.join(DTYPES)}")
    if name == "auto":
        # Half precision is the fast path on accelerators; on a CPU float16 matmuls are slow and float32 is exact.
        return torch.float16 if device.type in ("cuda", "mps") else torch.float32
    return getattr(torch, name)


def use_all_cores() -> None:
    """PyTorch defaults to the physical core count; respect an explicit OMP/torch setting if the user made one."""
    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(max(1, os.cpu_count() or 1))
