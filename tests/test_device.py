"""lib.device: CUDA when present, else CPU; COURSE_DEVICE overrides."""

from __future__ import annotations

import pytest
import torch

from lib import device


def test_default_follows_cuda_availability(monkeypatch):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert device.get_device().type == expected


def test_environment_variable_forces_cpu(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert device.get_device() == torch.device("cpu")
    assert device.describe(device.get_device()) == "cpu"


def test_bad_settings_explain_themselves(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "gpu0")
    with pytest.raises(ValueError, match="COURSE_DEVICE"):
        device.get_device()
    if not torch.cuda.is_available():
        monkeypatch.setenv("COURSE_DEVICE", "cuda")
        with pytest.raises(RuntimeError, match="no CUDA GPU"):
            device.get_device()
