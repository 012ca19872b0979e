"""Unit 03_optimization: how long the loss-landscape explorer takes to redraw."""

from __future__ import annotations

import statistics
import time

from lib import explorers

REDRAW_TARGET_S = 0.3  # after a slider change, at the default resolution


def rows() -> list[tuple[str, float, str]]:
    box = explorers.interact_loss_landscape()
    slider = box.children[0].children[2]  # the learning-rate slider
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
    ]
