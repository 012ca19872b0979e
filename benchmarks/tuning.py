"""Graded tuning (02's linear_hparams, 05's fc_hparams): each target against the
held-out accuracy of the starting point the prose gives and of the solution's dict,
and how long the graded training takes (budget: 30 s on 2 cores)."""

from __future__ import annotations

import time

from grading import notebook
from grading.layout import ROOT as REPO
from lib import tuning

NOTEBOOKS = {
    "linear_hparams": ("02_linear", "linear.ipynb"),
    "fc_hparams": ("05_regularization", "regularization.ipynb"),
}


def solution_dict(name: str) -> dict:
    """The solution notebook's dict for the tuning answer ``name``."""
    unit, file = NOTEBOOKS[name]
    return notebook.load_answers(REPO / "solutions" / unit / file, [name])[name]


def rows() -> list[tuple[str, float, str]]:
    found = []
    for name, (unit, _) in NOTEBOOKS.items():
        scorer = tuning.SCORERS[name][1]
        partial, full = tuning.TARGETS[name]
        defaults = scorer(tuning.DEFAULTS[name], name)["held_out"]
        start = time.perf_counter()
        tuned = scorer(solution_dict(name), name)["held_out"]
        seconds = time.perf_counter() - start
        found += [
            (f"{unit}: {name} starting point, held-out acc", defaults, f"<= {partial}"),
            (f"{unit}: {name} solution, held-out acc", tuned, f">= {full}"),
            (f"{unit}: {name} solution, training s", seconds, "<= 30"),
        ]
    return found
