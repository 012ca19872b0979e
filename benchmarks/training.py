"""Helpers for benchmark rows: quiet training runs with the notebooks' settings, and
the solution notebooks' own answers as plain functions."""

from __future__ import annotations

import numpy as np

from grading import notebook
from grading.layout import ROOT as REPO
from lib import solver


def solution_namespace(unit: str, notebook_name: str, names, **extra) -> dict:
    """The solution notebook's answers ``names`` defined in a fresh namespace that
    holds ``np`` and ``extra`` (the modules the answers use)."""
    solution = notebook.read(REPO / "solutions" / unit / notebook_name)
    sources = notebook.solution_sources(solution)
    namespace = {"np": np, **extra}
    for name in names:
        exec(sources[name], namespace)  # the course's own solution code
    return namespace


def train(net, arrays, rule, learning_rate, batch_size, num_epochs, **kwargs):
    """The Solver after training ``net`` quietly with seed 0."""
    run = solver.Solver(
        net,
        arrays,
        rule,
        {"learning_rate": learning_rate},
        batch_size=batch_size,
        num_epochs=num_epochs,
        seed=0,
        progress=False,
        **kwargs,
    )
    return run.train()
