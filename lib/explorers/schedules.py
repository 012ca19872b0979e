"""The learning-rate schedule explorer: every schedule of unit 03 on one plot.

Pass a notebook's ``globals()`` as ``namespace`` and the student's own schedules
are drawn wherever they already work, ``lib.optim``'s elsewhere (the legend says
which). The plateau rule has no formula in the step: it is drawn as it reacts to a
made-up validation loss that improves fast, then slowly, with a little noise.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from lib import optim
from lib.explorers.optimizers import choose
from lib.explorers.widgets import interactive, works


def plateau_class(namespace=None):
    """(the student's PlateauScheduler if it works, else lib's; 'yours' or
    'reference')."""
    mine = (namespace or {}).get("PlateauScheduler")

    def probe(cls):
        return float(cls(0.1, patience=0).step(1.0))

    if (
        isinstance(mine, type)
        and mine is not optim.PlateauScheduler
        and works(probe, mine)
    ):
        return mine, "yours"
    return optim.PlateauScheduler, "reference"


def validation_curve(total_steps: int, seed: int = 0) -> np.ndarray:
    """A made-up validation loss: fast progress, then a slow crawl, with noise."""
    steps = np.arange(total_steps + 1)
    noise = np.random.default_rng(seed).normal(0, 0.01, steps.size)
    return 0.3 + 2.0 / (1 + 0.2 * steps) + noise


def plot_schedules(
    total_steps=100,
    lr0=0.1,
    step_size=20,
    gamma=0.5,
    k=0.03,
    warmup_steps=10,
    d_model=64,
    cycle_len=25,
    mult=2,
    patience=5,
    namespace=None,
    ax=None,
):
    """Every schedule's learning rate against the step, on one plot: the seven
    formulas in the step, SGDR (restarts every ``cycle_len``, cycles ``mult`` times
    longer each time) and the plateau rule (factor 0.5, ``patience``) stepped on
    ``validation_curve``.

    Noam's schedule has its own scale (set by d_model), so it is drawn against the
    right-hand axis.
    """
    schedules = choose(namespace, "schedules")
    ax = ax or plt.subplots(figsize=(8, 4.5))[1]
    steps = np.arange(total_steps + 1)
    arguments = {
        "step_decay": (lr0, step_size, gamma),
        "exponential_decay": (lr0, k),
        "inverse_time_decay": (lr0, k),
        "cosine_annealing": (lr0, total_steps),
        "linear_warmup": (lr0, warmup_steps),
        "sgdr_schedule": (lr0, cycle_len, mult),
        "linear_decay": (lr0, total_steps),
    }
    for name, args in arguments.items():
        fn, source = schedules[name]
        ax.plot(steps, [fn(int(s), *args) for s in steps], label=f"{name} ({source})")
    cls, source = plateau_class(namespace)
    plateau = cls(lr0, factor=0.5, patience=patience)
    rates = [plateau.step(loss) for loss in validation_curve(total_steps)]
    ax.plot(steps, rates, label=f"PlateauScheduler on a noisy loss ({source})")
    fn, source = schedules["noam_schedule"]
    right = ax.twinx()
    right.plot(
        steps[1:],
        [fn(int(s), d_model, warmup_steps) for s in steps[1:]],
        color="black",
        linestyle="--",
        label=f"noam_schedule ({source})",
    )
    right.set_ylabel("noam learning rate")
    ax.set(xlabel="step", ylabel="learning rate", title="learning-rate schedules")
    lines = ax.get_legend_handles_labels()
    extra = right.get_legend_handles_labels()
    # Below the plot, where it hides no curve.
    ax.legend(
        lines[0] + extra[0],
        lines[1] + extra[1],
        fontsize=8,
        ncol=2,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        frameon=False,
    )
    return ax


# Each slider under the schedules it drives.
SLIDER_GROUPS = [
    ("every schedule", ["total_steps", "lr0"]),
    ("step_decay", ["step_size", "gamma"]),
    ("exponential, inverse time", ["k"]),
    ("warm-up, Noam", ["warmup_steps", "d_model"]),
    ("SGDR", ["cycle_len", "mult"]),
    ("PlateauScheduler", ["patience"]),
]


def interact_schedules(namespace=None):
    """Widgets around ``plot_schedules``; returns the widget to display."""
    import ipywidgets as widgets

    controls = {
        "total_steps": widgets.IntSlider(
            value=100, min=10, max=1000, step=10, description="total steps"
        ),
        "lr0": widgets.FloatLogSlider(
            value=0.1, base=10, min=-4, max=0, description="lr0"
        ),
        "step_size": widgets.IntSlider(
            value=20, min=1, max=200, description="step size"
        ),
        "gamma": widgets.FloatSlider(
            value=0.5, min=0.05, max=1.0, step=0.05, description="gamma"
        ),
        "k": widgets.FloatLogSlider(
            value=0.03, base=10, min=-4, max=0, description="k"
        ),
        "warmup_steps": widgets.IntSlider(
            value=10, min=1, max=200, description="warm-up"
        ),
        "d_model": widgets.IntSlider(
            value=64, min=8, max=1024, step=8, description="d_model"
        ),
        "cycle_len": widgets.IntSlider(
            value=25, min=1, max=200, description="SGDR cycle"
        ),
        "mult": widgets.IntSlider(value=2, min=1, max=4, description="SGDR mult"),
        "patience": widgets.IntSlider(value=5, min=0, max=30, description="patience"),
    }

    def draw(**kw):
        fig, ax = plt.subplots(figsize=(9, 5.6))
        plot_schedules(namespace=namespace, ax=ax, **kw)
        fig.subplots_adjust(left=0.09, right=0.9, top=0.94, bottom=0.3)
        return fig

    return interactive(controls, draw, "schedules", groups=SLIDER_GROUPS)
