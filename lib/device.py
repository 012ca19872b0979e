"""Choosing where torch computes: CUDA when present, else the CPU.

The environment variable ``COURSE_DEVICE`` overrides the choice, e.g.
``COURSE_DEVICE=cpu`` to force the CPU on a GPU machine (as CI does) or
``COURSE_DEVICE=cuda:1`` for a particular GPU.
"""

from __future__ import annotations

import os

ENV_VAR = "COURSE_DEVICE"


def get_device():
    """The ``torch.device`` to use: $COURSE_DEVICE if set, else CUDA if available."""
    import torch

    requested = os.environ.get(ENV_VAR, "").strip()
    if not requested:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(requested)
    except RuntimeError as err:
        raise ValueError(
            f"{ENV_VAR}={requested!r} is not a device torch knows ({err}). "
            f"Use 'cpu', 'cuda' or 'cuda:N', or unset {ENV_VAR}."
        ) from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(
                f"{ENV_VAR}={requested!r} asks for CUDA, but torch sees no CUDA GPU "
                f"(torch {torch.__version__}). Unset {ENV_VAR} to use the CPU."
            )
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise RuntimeError(
                f"{ENV_VAR}={requested!r}: only {torch.cuda.device_count()} CUDA "
                "device(s) are present."
            )
    return device


def describe(device) -> str:
    """One line for test output, e.g. 'cuda:0 (NVIDIA H100)' or 'cpu'."""
    import torch

    device = torch.device(device)
    if device.type == "cuda":
        index = (
            device.index if device.index is not None else torch.cuda.current_device()
        )
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"
    return device.type
