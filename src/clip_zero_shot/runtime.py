"""Device, dtype and thread choices shared by the backends (imports torch, so only loaded with a checkpoint)."""

from __future__ import annotations

import ctypes
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


def one_thread_in_this_thread() -> None:
    """Keep PyTorch ops called from this thread (image preprocessing) on one core.

    Resizing one image is too small a job to split across cores, and on a CPU the cores belong to the model: with
    its default of all cores per calling thread, each loader thread forks its own OpenMP team, so N loader threads
    bring N x cores threads that compete with the model's own. Measured on 2 cores with CLIP's processor on 640x480
    JPEGs: 8.0 ms of CPU per image with the default and 5.4 ms pinned to one thread.

    `torch.set_num_threads(1)` cannot be used: besides this thread, it changes the default that every other thread
    picks up on its first op, including the caller's. The OpenMP call changes only this thread. PyTorch sets a
    thread's count lazily on its first parallel op, so that is triggered first, or it would undo the setting.
    """
    torch.get_num_threads()
    try:
        set_threads = ctypes.CDLL(None).omp_set_num_threads
    except (AttributeError, OSError, TypeError):
        return  # PyTorch built without OpenMP (or not visible): nothing to pin; only speed is at stake
    set_threads(1)
