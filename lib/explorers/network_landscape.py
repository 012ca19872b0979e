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


def _looped(model, X, y, d1, d2, alphas, betas) -> np.ndarray:
    """The slice one point at a time, through ``model.loss`` (any model)."""
    grid = np.empty((len(betas), len(alphas)))
    for i, b in enumerate(betas):
        for j, a in enumerate(alphas):
            with _moved(model, [(a, d1), (b, d2)]):
                grid[i, j] = data_loss(model, X, y)
    return grid


def _chain_depth(params: dict) -> int | None:
    """L when params are exactly W1, b1, ..., WL, bL of chained affine layers."""
    depth = len(params) // 2
    names = {f"{kind}{i}" for kind in "Wb" for i in range(1, depth + 1)}
    if depth == 0 or set(params) != names:
        return None
    for i in range(1, depth + 1):
        W, b = params[f"W{i}"], params[f"b{i}"]
        if W.ndim != 2 or b.shape != W.shape[1:]:
            return None
        if i > 1 and params[f"W{i - 1}"].shape[1] != W.shape[0]:
            return None
    return depth


def _batched(params, depth, X, y, d1, d2, alphas, b) -> np.ndarray:
    """Losses of an affine-ReLU chain at theta + a d1 + b d2 for every a in alphas.

    The first layer is linear in its weights, so X @ W1(a, b) is
    X @ W1 + a X @ d1 + b X @ d2: three products for the whole row instead of one
    per point, and the first layer is where most of the work is.
    """
    a = np.asarray(alphas, dtype=np.float64)[:, None, None]

    def layer(i, h):
        key_w, key_b = f"W{i}", f"b{i}"
        out = h @ params[key_w] + params[key_b]
        out = out + a * (h @ d1[key_w] + d1[key_b])
        return out + b * (h @ d2[key_w] + d2[key_b])

    h = layer(1, X[None])
    for i in range(2, depth + 1):
        h = layer(i, np.maximum(h, 0.0))
    shifted = h - h.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    return -log_probs[:, np.arange(len(y)), y].mean(axis=1)


def _slice(model, X, y, d1, d2, alphas, betas) -> np.ndarray:
    """Loss at theta + a d1 + b d2; shape (len(betas), len(alphas)).

    A model whose params form a plain affine-ReLU chain (W1, b1, ..., WL, bL) and
    whose ``loss`` agrees with that chain at two points (the centre and a corner)
    is evaluated a row at a time; any other model one point at a time.
    """
    depth = _chain_depth(model.params)
    if depth is not None:
        probes = [(0.0, 0.0), (alphas[-1], betas[-1])]
        batched = [
            _batched(model.params, depth, X, y, d1, d2, [pa], pb)[0]
            for pa, pb in probes
        ]
        looped = [_looped(model, X, y, d1, d2, [pa], [pb])[0, 0] for pa, pb in probes]
        if np.allclose(batched, looped, rtol=1e-7, atol=1e-9):
            return np.array(
                [_batched(model.params, depth, X, y, d1, d2, alphas, b) for b in betas]
            )
    return _looped(model, X, y, d1, d2, alphas, betas)


def slice_1d(model, X, y, direction, alphas) -> np.ndarray:
    """Loss at theta + a * direction for each a in alphas; shape (len(alphas),)."""
    zero = {name: np.zeros_like(value) for name, value in direction.items()}
    return _slice(model, X, y, direction, zero, alphas, [0.0])[0]


def slice_2d(model, X, y, d1, d2, alphas, betas) -> np.ndarray:
    """Loss at theta + a d1 + b d2; shape (len(betas), len(alphas)) (rows: b)."""
    return _slice(model, X, y, d1, d2, alphas, betas)


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
        ax.legend(loc="upper center", fontsize=8)
    elif kind == "2d":
        d2 = random_direction(model.params, rng)
        grid = slice_2d(model, X, y, d1, d2, alphas, alphas)
        levels = np.linspace(grid.min(), np.percentile(grid, 95), 25)
        contour = ax.contourf(
            alphas, alphas, grid, levels=levels, cmap="viridis", extend="max"
        )
        ax.figure.colorbar(contour, ax=ax, label="loss")
        ax.plot([0], [0], "r*", markersize=12)
        ax.set(xlabel="step along d1", ylabel="step along d2", aspect="equal")
    else:
        raise ValueError(f"kind must be '1d' or '2d', not {kind!r}")
    seconds = time.perf_counter() - start
    ax.set_title(
        f"{kind.upper()} loss slice, {resolution} points per axis, "
        f"{len(X)} examples ({seconds:.1f} s)"
        + ("\nred star: the trained parameters" if kind == "2d" else ""),
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
