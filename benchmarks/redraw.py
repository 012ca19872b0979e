"""How long an explorer takes to redraw: every control moved to its ends and to
each of its options, one at a time, each redraw timed (refit, figure and PNG).

The issue's target for every explorer is 2 s on 2 cores (REDRAW_TARGET)."""

from __future__ import annotations

import time

import matplotlib.pyplot as plt

REDRAW_TARGET = "<= 2"


def _settings(control) -> list:
    """The values a control is moved to: its ends, or each of its options."""
    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        if type(control).__name__ == "SelectMultiple":
            return [tuple(options)]  # every rule at once: the slowest choice
        return options
    if hasattr(control, "max"):
        if type(control).__name__.endswith("LogSlider"):
            return [control.base**control.max, control.base**control.min]
        return [control.max, control.min]
    return [not control.value]


def slowest_redraw(box) -> float:
    """Seconds of the slowest redraw over every control's settings; each control
    goes back to its first value before the next moves."""
    slowest = 0.0
    for control in box.controls.values():
        first = control.value
        for value in [*_settings(control), first]:
            start = time.perf_counter()
            control.value = value
            slowest = max(slowest, time.perf_counter() - start)
    plt.close("all")
    return slowest
