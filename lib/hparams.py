"""Checks of a hyperparameter dict that a student hands in (lib.tuning, lib.design):
exactly the expected keys, numbers in range, whole numbers, one of a few choices.
Each failure raises the caller's error class with a message that names the dict,
the key and what to change."""

from __future__ import annotations

import numbers

import numpy as np


def keys(name: str, hparams, expected: tuple, error: type) -> None:
    """``hparams`` is a dict with exactly the keys ``expected``."""
    if not isinstance(hparams, dict):
        raise error(
            f"{name} must be a dict with keys {list(expected)}, "
            f"got {type(hparams).__name__}."
        )
    missing = [k for k in expected if k not in hparams]
    extra = sorted(map(repr, set(hparams) - set(expected)))
    if missing or extra:
        raise error(
            f"{name} must have exactly the keys {list(expected)}"
            + (f"; missing {missing}" if missing else "")
            + (f"; not used: {', '.join(extra)}" if extra else "")
            + "."
        )


def number(name: str, hparams: dict, key: str, low, high, error: type) -> float:
    """``hparams[key]`` as a float in [low, high] (not a bool, not NaN)."""
    value = hparams[key]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise error(f"{name}[{key!r}] must be a number, got {value!r}.")
    value = float(value)
    if not np.isfinite(value) or not low <= value <= high:
        raise error(f"{name}[{key!r}] = {value!r} is outside [{low:g}, {high:g}].")
    return value


def integer(name: str, hparams: dict, key: str, low, high, error: type) -> int:
    """``hparams[key]`` as an int in [low, high] (not a bool, not a float)."""
    value = hparams[key]
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise error(f"{name}[{key!r}] must be a whole number, got {value!r}.")
    if not low <= int(value) <= high:
        raise error(f"{name}[{key!r}] = {value} is outside [{low}, {high}].")
    return int(value)


def choice(name: str, hparams: dict, key: str, options: tuple, error: type):
    """``hparams[key]``, one of ``options``."""
    value = hparams[key]
    if value not in options:
        raise error(f"{name}[{key!r}] must be one of {list(options)}, got {value!r}.")
    return value
