"""Figures that a demo measured, kept for the benchmark table.

A demo cell prints its result for the reader and also calls
``figures.record(label, value)``. ``course.py bench`` executes every solution
notebook; at the end it asks the kernel for ``figures.as_json()`` and prints each
recorded figure as a row, so the table quotes the very run the notebook shows.
"""

from __future__ import annotations

import json
import math
import re

_RECORDED: dict[str, tuple[float, str]] = {}
_TARGET = re.compile(r"(<=|>=) [\d.e+-]+")


def record(label: str, value, target: str = "") -> float:
    """Keep ``value`` (a number) under ``label``; ``target`` is empty or reads like
    ``">= 0.15"``. Returns the value as a float; a second record of one label
    replaces the first."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"figure {label!r} is {number}: record finite numbers only")
    if target and not _TARGET.fullmatch(target):
        raise ValueError(f"target {target!r} must look like '<= 60' or '>= 0.15'")
    _RECORDED[label] = (number, target)
    return number


def recorded() -> list[tuple[str, float, str]]:
    """(label, value, target) of every figure recorded so far, in recording order."""
    return [(label, value, target) for label, (value, target) in _RECORDED.items()]


def as_json() -> str:
    return json.dumps(recorded())


def from_json(text: str) -> list[tuple[str, float, str]]:
    return [(str(a), float(b), str(c)) for a, b, c in json.loads(text)]


def clear() -> None:
    _RECORDED.clear()
