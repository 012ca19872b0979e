"""The universal-approximation explorer: one hidden layer of ReLUs fitted to a 1-D
target (unit 04).

A network ``f(x) = sum_j a_j * relu(w_j * x + b_j) + c`` with ``width`` hidden
units is a piecewise-linear function with a kink at each ``-b_j / w_j``. Here the
hidden layer is fixed (kinks spread evenly over the interval, or drawn at random)
and the output layer (``a`` and ``c``) is fitted by least squares, which finds the
best such network exactly, with no training noise. The error then shows what
width alone buys: it falls as units are added, fastest for smooth targets and
slowest for a jump.
"""

from __future__ import annotations

import functools

import numpy as np

from lib.explorers.widgets import interactive

TARGETS = {
    "sine": lambda x: np.sin(3 * x),
    "absolute value": np.abs,
    "bump": lambda x: np.exp(-8 * x**2),
    "step": lambda x: (x > 0.3).astype(float),
    "wiggle": lambda x: np.sin(3 * x) + 0.3 * np.sin(12 * x),
}
GRID = np.linspace(-1.0, 1.0, 401)  # where the target is fitted and measured


def hidden_layer(width: int, kinks: str = "even", seed: int = 0):
    """(w, b) of ``width`` ReLUs whose kinks lie in (-1, 1): evenly spaced, or
    uniform at random; half the units face right (w = 1), half left (w = -1)."""
    if kinks == "even":
        where = np.linspace(-1.0, 1.0, width + 2)[1:-1]
    else:
        where = np.sort(np.random.default_rng(seed).uniform(-1.0, 1.0, width))
    w = np.where(np.arange(width) % 2 == 0, 1.0, -1.0)
    return w, -w * where


def fit(target: str, width: int, kinks: str = "even", seed: int = 0):
    """The best network of ``width`` hidden ReLUs for ``target`` on ``GRID``:
    (its values on GRID, each unit's contribution (width, len(GRID)), RMS error,
    largest error)."""
    w, b = hidden_layer(width, kinks, seed)
    hidden = np.maximum(0.0, np.outer(GRID, w) + b)  # (points, width)
    features = np.column_stack([hidden, np.ones_like(GRID)])
    y = TARGETS[target](GRID)
    coef = np.linalg.lstsq(features, y, rcond=None)[0]
    values = features @ coef
    error = values - y
    return (
        values,
        (hidden * coef[:-1]).T,
        float(np.sqrt(np.mean(error**2))),
        float(np.abs(error).max()),
    )


WIDTHS = tuple(int(n) for n in np.unique(np.geomspace(1, 128, 15).astype(int)))


@functools.lru_cache(maxsize=64)
def error_curve(target: str, kinks: str = "even", seed: int = 0) -> tuple:
    """The RMS error of the best fit at each of ``WIDTHS`` (cached: a redraw that
    only moves the width slider reuses it)."""
    return tuple(fit(target, n, kinks, seed)[2] for n in WIDTHS)


def plot_approximation(target="sine", width=8, kinks="even", seed=0, fig=None):
    """The fit with its units (left) and the RMS error against width (right)."""
    from lib import plot

    if fig is None:
        fig, (left, right) = plot.subplots(1, 2, figsize=(10, 3.8))
    else:
        left, right = fig.axes[:2]
    from matplotlib.collections import LineCollection

    values, pieces, rms, worst = fit(target, width, kinks, seed)
    segments = np.stack([np.broadcast_to(GRID, pieces.shape), pieces], axis=-1)
    left.add_collection(LineCollection(segments, colors="0.8", linewidths=0.8))
    left.plot(GRID, TARGETS[target](GRID), color="k", label="target")
    left.plot(GRID, values, color="C1", label=f"{width} ReLUs")
    left.set(
        xlabel="x",
        title=f"{target}: RMS error {rms:.3g}, largest {worst:.3g}",
        ylim=(-1.6, 1.6),
    )
    right.loglog(WIDTHS, error_curve(target, kinks, seed), marker="o")
    right.loglog([width], [max(rms, 1e-12)], "o", color="C1", markersize=10)
    right.set(xlabel="hidden units", ylabel="RMS error", title="error against width")
    # Below the panels, where it hides no curve.
    fig.legend(
        *left.get_legend_handles_labels(),
        loc="lower left",
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    # Fixed margins keep both panels' labels inside the figure, at every width.
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.22, top=0.91, wspace=0.22)
    return fig


def interact_approximation():
    """Widgets around ``plot_approximation``; returns the widget to display."""
    import ipywidgets as widgets

    controls = {
        "width": widgets.IntSlider(value=8, min=1, max=128, description="width"),
        "target": widgets.Dropdown(
            options=list(TARGETS), value="sine", description="target"
        ),
        "kinks": widgets.Dropdown(
            options=["even", "random"], value="even", description="kinks"
        ),
        "seed": widgets.IntSlider(value=0, min=0, max=20, description="seed"),
    }
    return interactive(controls, plot_approximation, "approximation")
