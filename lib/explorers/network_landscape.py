"""Slices of a network's loss along random directions (Li et al., 2018).

A direction d has one array per parameter. Filter normalisation rescales every
filter of d, here each column of a weight matrix (the weights into one unit), to
the norm of the same column of the trained weights, so a step of size 1 moves every
unit by as much as its own weights; vectors (biases, batch-norm gammas and betas)
get no direction, as in the paper. The slices evaluate the model's data loss
(softmax cross-entropy of ``model.loss(X)``'s scores) at theta + a d1 (+ b d2).

Shapes: X (N, D), y (N,); a slice with R points per axis is (R,) or (R, R).

``plot_network_landscape`` draws a slice and ``interact_network_landscape`` is its
explorer (unit 04).
"""

from __future__ import annotations

import contextlib
import time

import matplotlib.pyplot as plt
import numpy as np

from lib import layers
from lib.explorers.widgets import interactive


def random_direction(params: dict, rng) -> dict:
    """A filter-normalised Gaussian direction for every weight matrix in params."""
    direction = {}
    for name, value in params.items():
        if value.ndim < 2:
            direction[name] = np.zeros_like(value)
            continue
        d = rng.standard_normal(value.shape)
        # Filters are the columns of (D, M) weights (axis 0 holds their inputs).
        filter_axes = tuple(range(value.ndim - 1))
        own = np.sqrt((value * value).sum(axis=filter_axes, keepdims=True))
        mine = np.sqrt((d * d).sum(axis=filter_axes, keepdims=True))
        direction[name] = d * own / np.maximum(mine, 1e-12)
    return direction


@contextlib.contextmanager
def _moved(model, steps):
    """model.params temporarily set to theta + sum(coefficient * direction)."""
    saved = {name: value.copy() for name, value in model.params.items()}
    try:
        for name in model.params:
            shifted = saved[name].copy()
            for coefficient, direction in steps:
                shifted += coefficient * direction[name]
            model.params[name] = shifted
        yield
    finally:
        model.params.update(saved)


def data_loss(model, X, y) -> float:
    """Mean softmax cross-entropy of the model's scores (no regularisation)."""
    return float(layers.softmax_loss(model.loss(X), y)[0])


def slice_1d(model, X, y, direction, alphas) -> np.ndarray:
    """Loss at theta + a * direction for each a in alphas; shape (len(alphas),)."""
    losses = []
    for a in alphas:
        with _moved(model, [(a, direction)]):
            losses.append(data_loss(model, X, y))
    return np.array(losses)


def slice_2d(model, X, y, d1, d2, alphas, betas) -> np.ndarray:
    """Loss at theta + a d1 + b d2; shape (len(betas), len(alphas)) (rows: b)."""
    grid = np.empty((len(betas), len(alphas)))
    for i, b in enumerate(betas):
        for j, a in enumerate(alphas):
            with _moved(model, [(a, d1), (b, d2)]):
                grid[i, j] = data_loss(model, X, y)
    return grid


def plot_network_landscape(
    model, X, y, kind="2d", span=1.0, resolution=25, seed=0, ax=None
):
    """A 1-D or 2-D slice of the model's loss around its parameters.

    Directions are filter-normalised (``random_direction``); the trained
    parameters sit at 0 and are marked. Returns the axes; the title says how long
    the slice took.
    """
    rng = np.random.default_rng(seed)
    d1 = random_direction(model.params, rng)
    alphas = np.linspace(-span, span, resolution)
    ax = ax or plt.subplots(figsize=(6, 4.8))[1]
    start = time.perf_counter()
    if kind == "1d":
        losses = slice_1d(model, X, y, d1, alphas)
        ax.plot(alphas, losses)
        centre = data_loss(model, X, y)
        ax.plot([0], [centre], "r*", markersize=12, label="trained parameters")
        ax.set(xlabel="step along d1", ylabel="loss")
        ax.legend()
    elif kind == "2d":
        d2 = random_direction(model.params, rng)
        grid = slice_2d(model, X, y, d1, d2, alphas, alphas)
        levels = np.linspace(grid.min(), np.percentile(grid, 95), 25)
        contour = ax.contourf(
            alphas, alphas, grid, levels=levels, cmap="viridis", extend="max"
        )
        ax.figure.colorbar(contour, ax=ax, label="loss")
        ax.plot([0], [0], "r*", markersize=12, label="trained parameters")
        ax.set(xlabel="step along d1", ylabel="step along d2", aspect="equal")
        ax.legend(loc="upper right", fontsize=8)
    else:
        raise ValueError(f"kind must be '1d' or '2d', not {kind!r}")
    seconds = time.perf_counter() - start
    ax.set_title(
        f"{kind.upper()} loss slice, {resolution} points per axis, "
        f"{len(X)} examples ({seconds:.1f} s)",
        fontsize=9,
    )
    return ax


def interact_network_landscape(model, X, y):
    """Widgets around ``plot_network_landscape``; returns the widget."""
    import ipywidgets as widgets

    controls = {
        "kind": widgets.ToggleButtons(
            options=["2d", "1d"], value="2d", description="slice"
        ),
        "span": widgets.FloatSlider(
            value=1.0, min=0.1, max=3.0, step=0.1, description="range"
        ),
        "resolution": widgets.IntSlider(
            value=15, min=5, max=41, step=2, description="resolution"
        ),
        "seed": widgets.IntSlider(value=0, min=0, max=20, description="directions"),
    }

    def draw(**kw):
        fig, ax = plt.subplots(figsize=(6, 4.8))
        plot_network_landscape(model, X, y, ax=ax, **kw)
        return fig

    return interactive(controls, draw, "network-landscape")
