"""The loss-landscape explorer: optimisers' trajectories on 2-D test functions.

Each explorer is a plain plotting function (``plot_*``, testable without a browser)
wrapped by an ``interact_*`` function that builds ipywidgets controls and redraws
on every change. Pass a notebook's ``globals()`` as ``namespace`` and the explorer
uses the student's own update rules wherever those already work, and
``lib.optim``'s reference versions elsewhere (the legend says which).
"""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np

from lib import optim
from lib.explorers import surfaces
from lib.explorers.widgets import interactive, works

_RULE_PROBE = (np.array([1.0, -2.0]), np.array([0.5, 0.25]))
_SCHEDULE_PROBES = {
    "step_decay": (3, 0.1, 2, 0.5),
    "exponential_decay": (3, 0.1, 0.1),
    "inverse_time_decay": (3, 0.1, 0.1),
    "cosine_annealing": (3, 0.1, 10),
    "linear_warmup": (3, 0.1, 10),
    "noam_schedule": (3, 64, 10),
    "sgdr_schedule": (13, 0.1, 10, 2),
    "linear_decay": (3, 0.1, 10),
}


def choose(namespace: dict | None, kind: str) -> dict[str, tuple[object, str]]:
    """name -> (function, 'yours' or 'reference') for every rule or schedule.

    Args:
        namespace: a notebook's globals(), or None for the references only.
        kind: 'rules' or 'schedules'.
    """
    references = optim.RULES if kind == "rules" else optim.SCHEDULES
    chosen = {}
    for name, reference in references.items():
        mine = (namespace or {}).get(name)
        args = (*_RULE_PROBE, None) if kind == "rules" else _SCHEDULE_PROBES[name]
        if callable(mine) and mine is not reference and works(mine, *args):
            chosen[name] = (mine, "yours")
        else:
            chosen[name] = (reference, "reference")
    return chosen


@functools.lru_cache(maxsize=32)
def _grid(surface: surfaces.Surface, resolution: int):
    x0, x1, y0, y1 = surface.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = surface.value(X, Y)
    # Log-spaced contours show both the steep walls and the flat valley floor.
    return X, Y, np.log1p(Z - Z.min())


def plot_optimizer_paths(
    surface="rosenbrock",
    rule_names=("sgd", "sgd_momentum", "adam"),
    learning_rate=1e-3,
    momentum=0.9,
    beta1=0.9,
    beta2=0.999,
    steps=200,
    start=None,
    condition=10.0,
    namespace=None,
    resolution=120,
    fig=None,
):
    """Contours of a test surface with each rule's trajectory, and loss per step.

    Args:
        surface: a name from ``lib.surfaces.surfaces()``.
        rule_names: update rules to run (names from ``lib.optim.RULES``).
        learning_rate, momentum, beta1, beta2: hyperparameters for every rule that
            has them.
        steps: number of updates.
        start: (x, y) start point, or None for the surface's default.
        condition: condition number of the quadratic surface.
        namespace: a notebook's globals(), to use the student's rules.
        resolution: contour grid points per side.
        fig: a figure to draw on (cleared first), or None for a new one.

    Returns:
        The figure: contour map on the left, loss against step on the right.
    """
    chosen_surface = surfaces.surfaces(condition)[surface]
    rules = choose(namespace, "rules")
    start = chosen_surface.start if start is None else start
    fig = fig or plt.figure(figsize=(11, 5))
    fig.clear()
    ax_map, ax_loss = fig.subplots(1, 2)
    X, Y, Z = _grid(chosen_surface, resolution)
    # Losses are drawn as the gap to the lowest minimum, so every curve heads to 0.
    floor = min((chosen_surface.value(*m) for m in chosen_surface.minima), default=0.0)
    ax_map.contour(X, Y, Z, levels=25, cmap="viridis", linewidths=0.8)
    for minimum in chosen_surface.minima:
        ax_map.plot(
            *minimum, marker="*", color="gold", markersize=14, markeredgecolor="black"
        )
    for name in rule_names:
        rule, source = rules[name]
        config = {
            "learning_rate": learning_rate,
            "momentum": momentum,
            "beta1": beta1,
            "beta2": beta2,
        }
        points, losses = surfaces.trajectory(chosen_surface, rule, config, start, steps)
        diverged = len(points) <= steps or losses[-1] > 1e3 * max(losses[0], 1.0)
        label = f"{name} ({source}{', diverged' if diverged else ''})"
        (line,) = ax_map.plot(
            points[:, 0],
            points[:, 1],
            marker=".",
            markersize=3,
            linewidth=1.2,
            label=label,
        )
        ax_loss.plot(losses - floor, color=line.get_color(), label=label)
    x0, x1, y0, y1 = chosen_surface.bounds
    ax_map.set(
        xlim=(x0, x1), ylim=(y0, y1), title=chosen_surface.name, xlabel="x", ylabel="y"
    )
    ax_map.plot(*start, marker="o", color="black")
    ax_loss.set_yscale("symlog", linthresh=1e-6)
    # A diverging run would stretch the axis to 1e20 and flatten every other curve.
    start_gap = chosen_surface.loss(np.asarray(start, dtype=np.float64)) - floor
    ax_loss.set_ylim(0, max(start_gap, 1.0) * 1e3)
    ax_loss.set(xlabel="step", ylabel="loss - lowest minimum", title="loss per step")
    if rule_names:
        # Below both panels, where it hides no path (one colour per rule in both).
        fig.legend(
            *ax_map.get_legend_handles_labels(),
            loc="lower center",
            ncol=min(len(rule_names), 4),
            fontsize=8,
            frameon=False,
        )
    # Fixed margins: tight_layout would cost about 40% of every redraw.
    rows = -(-len(rule_names) // 4)
    bottom = 0.12 + 0.06 * rows
    fig.subplots_adjust(left=0.07, right=0.98, bottom=bottom, top=0.92, wspace=0.22)
    return fig


def interact_loss_landscape(namespace=None):
    """Widgets around ``plot_optimizer_paths``; returns the widget to display."""
    import ipywidgets as widgets

    controls = {
        "surface": widgets.Dropdown(
            options=list(surfaces.surfaces()),
            value="rosenbrock",
            description="surface",
        ),
        "rule_names": widgets.SelectMultiple(
            options=list(optim.RULES),
            value=("sgd", "sgd_momentum", "adam"),
            description="rules",
            rows=7,
        ),
        "learning_rate": widgets.FloatLogSlider(
            value=1e-3, base=10, min=-5, max=0, step=0.1, description="learning rate"
        ),
        "momentum": widgets.FloatSlider(
            value=0.9, min=0.0, max=0.99, step=0.01, description="momentum"
        ),
        "beta1": widgets.FloatSlider(
            value=0.9, min=0.0, max=0.99, step=0.01, description="beta1"
        ),
        "beta2": widgets.FloatSlider(
            value=0.999,
            min=0.9,
            max=0.9999,
            step=0.0001,
            readout_format=".4f",
            description="beta2",
        ),
        "steps": widgets.IntSlider(
            value=200, min=10, max=1000, step=10, description="steps"
        ),
        "condition": widgets.FloatLogSlider(
            value=10, base=10, min=0, max=3, description="condition"
        ),
        "default_start": widgets.Checkbox(value=True, description="default start"),
        "start_x": widgets.FloatSlider(
            value=-1.5, min=-4.5, max=4.5, step=0.1, description="start x"
        ),
        "start_y": widgets.FloatSlider(
            value=2.0, min=-4.5, max=4.5, step=0.1, description="start y"
        ),
    }

    def draw(default_start, start_x, start_y, **kw):
        start = None if default_start else (start_x, start_y)
        return plot_optimizer_paths(namespace=namespace, start=start, **kw)

    return interactive(controls, draw, "landscape")
