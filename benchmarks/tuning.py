"""Graded tuning (02's linear_hparams, 05's fc_hparams, 07's design_model and
design_hparams): each target against the held-out accuracy of the starting point
the prose gives and of the solution, and how long the graded training takes
(budget: 30 s on 2 cores)."""

from __future__ import annotations

import time

from grading import notebook
from grading.layout import ROOT as REPO
from lib import design, tuning

NOTEBOOKS = {
    "linear_hparams": ("02_linear", "linear.ipynb"),
    "fc_hparams": ("05_regularization", "regularization.ipynb"),
    "design_hparams": ("07_pytorch", "pytorch.ipynb"),
}
TORCH = "import numpy as np\nimport torch\nimport torch.nn as nn"
# 07's starting point: one linear layer, one epoch of plain SGD.
DESIGN_START = {
    "optimizer": "sgd",
    "lr": 0.01,
    "weight_decay": 0.0,
    "momentum": 0.0,
    "batch_size": 64,
    "epochs": 1,
}


def linear_model(in_channels, image_size, num_classes):
    import torch.nn as nn

    return nn.Sequential(
        nn.Flatten(), nn.Linear(in_channels * image_size**2, num_classes)
    )


def solution_answers(name: str) -> dict:
    """The solution notebook's answers that ``name``'s tests train."""
    unit, file = NOTEBOOKS[name]
    names = ["design_model", name] if name == "design_hparams" else [name]
    return notebook.load_answers(REPO / "solutions" / unit / file, names, TORCH)


def scores(name: str, answers: dict) -> dict:
    """The graded scores of ``answers`` (the dict, and 07's network)."""
    if name == "design_hparams":
        return design.scores(answers["design_model"], answers[name])
    return tuning.SCORERS[name][1](answers[name], name)


def starting_point(name: str) -> dict:
    if name == "design_hparams":
        return {"design_model": linear_model, name: DESIGN_START}
    return {name: tuning.DEFAULTS[name]}


def rows() -> list[tuple[str, float, str]]:
    found = []
    for name, (unit, _) in NOTEBOOKS.items():
        partial, full = tuning.TARGETS[name]
        start = scores(name, starting_point(name))["held_out"]
        began = time.perf_counter()
        tuned = scores(name, solution_answers(name))["held_out"]
        seconds = time.perf_counter() - began
        found += [
            (f"{unit}: {name} starting point, held-out acc", start, f"<= {partial}"),
            (f"{unit}: {name} solution, held-out acc", tuned, f">= {full}"),
            (f"{unit}: {name} solution, training s", seconds, "<= 30"),
        ]
    return found
