"""Unit 03_optimization: how long the loss-landscape and schedule explorers take to
redraw."""

from __future__ import annotations

import statistics
import time

from benchmarks.redraw import REDRAW_TARGET, slowest_redraw
from lib import explorers

REDRAW_TARGET_S = 0.3  # after a slider change, at the default resolution


def rows() -> list[tuple[str, float, str]]:
    box = explorers.interact_loss_landscape()
    slider = box.controls["learning_rate"]
    times = []
    for value in (1.5e-3, 1e-3, 2e-3, 1e-3, 1.5e-3, 1e-3, 2e-3):
        start = time.perf_counter()
        slider.value = value  # redraws: three rules, 200 steps, contours, PNG
        times.append(time.perf_counter() - start)
    return [
        (
            "03_optimization: explorer redraw, median (s)",
            statistics.median(times),
            f"<= {REDRAW_TARGET_S}",
        ),
        ("03_optimization: explorer redraw, slowest (s)", max(times), ""),
        (
            "03: loss-landscape explorer, slowest of all controls (s)",
            slowest_redraw(explorers.interact_loss_landscape()),
            REDRAW_TARGET,
        ),
        (
            "03: schedule explorer, slowest of all controls (s)",
            slowest_redraw(explorers.interact_schedules()),
            REDRAW_TARGET,
        ),
    ]
