"""Explorers for networks: activations through a deep net at initialisation, and
slices of a trained network's loss landscape.

As in ``lib.explorers``, each is a plain plotting function (``plot_*``, usable and
tested without a browser) wrapped by an ``interact_*`` widget. Shapes: X (N, D).
"""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np

from lib import network_landscape, networks
from lib.explorers import _interactive, _works

NONLINEARITIES = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # stable logistic
}


def choose_init(namespace: dict | None):
    """(init_weights, 'yours' or 'reference'): the student's once it works."""
    mine = (namespace or {}).get("init_weights")
    probe = (4, 3, "he", np.random.default_rng(0))
    if callable(mine) and mine is not networks.init_weights and _works(mine, *probe):
        return mine, "yours"
    return networks.init_weights, "reference"


def activations(
    method="xavier",
    nonlinearity="tanh",
    scale=1.0,
    num_layers=10,
    width=500,
    num_inputs=1000,
    seed=0,
    init=networks.init_weights,
):
    """The activations (num_inputs, width) after each of num_layers layers.

    Inputs are N(0, 1); every layer is ``nonlinearity(h @ (scale * W))`` with W from
    ``init(width_in, width, method, rng)`` and no bias.
    """
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((num_inputs, width))
    f = NONLINEARITIES[nonlinearity]
    out = []
    for _ in range(num_layers):
        h = f(h @ (scale * np.asarray(init(h.shape[1], width, method, rng))))
        out.append(h)
    return out


def plot_activation_histograms(
    method="xavier", nonlinearity="tanh", scale=1.0, num_layers=10, namespace=None
):
    """One histogram per layer, and each layer's activation std; returns the figure.

    Vanishing activations pile up at 0 and their std falls layer after layer;
    exploding ones grow (or, for tanh and sigmoid, saturate at the extremes).
    """
    init, source = choose_init(namespace)
    acts = activations(method, nonlinearity, scale, num_layers, init=init)
    fig = plt.figure(figsize=(12, 4.2))
    grid = fig.add_gridspec(2, num_layers, height_ratios=[1.2, 1])
    lo, hi = min(a.min() for a in acts), max(a.max() for a in acts)
    if not np.isfinite([lo, hi]).all() or hi - lo < 1e-12:
        lo, hi = -1.0, 1.0
    for i, a in enumerate(acts):
        ax = fig.add_subplot(grid[0, i])
        ax.hist(a.ravel(), bins=40, range=(lo, hi), color="tab:blue")
        ax.set_title(f"layer {i + 1}\nstd {a.std():.2g}", fontsize=8)
        ax.set_yticks([])
        ax.tick_params(labelsize=6)
    ax = fig.add_subplot(grid[1, :])
    stds = [a.std() for a in acts]
    ax.semilogy(range(1, num_layers + 1), np.maximum(stds, 1e-300), "o-")
    ax.set(xlabel="layer", ylabel="activation std (log)")
    fig.suptitle(
        f"{method} init ({source}) x {scale:g}, {nonlinearity}: activations through "
        f"{num_layers} layers of 500 units",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def interact_initialisation(namespace=None):
    """Widgets around ``plot_activation_histograms``; returns the widget."""
    import ipywidgets as widgets

    controls = {
        "method": widgets.Dropdown(
            options=list(networks.INIT_METHODS), value="xavier", description="init"
        ),
        "nonlinearity": widgets.Dropdown(
            options=list(NONLINEARITIES), value="tanh", description="nonlinearity"
        ),
        "scale": widgets.FloatLogSlider(
            value=1.0, base=10, min=-1, max=1, step=0.05, description="scale x"
        ),
        "num_layers": widgets.IntSlider(value=10, min=2, max=10, description="layers"),
    }

    def draw(**kw):
        return plot_activation_histograms(namespace=namespace, **kw)

    return _interactive(controls, draw, "initialisation")


def plot_network_landscape(
    model, X, y, kind="2d", span=1.0, resolution=25, seed=0, ax=None
):
    """A 1-D or 2-D slice of the model's loss around its parameters.

    Directions are filter-normalised (see ``lib.network_landscape``); the trained
    parameters sit at 0 and are marked. Returns the axes; the title says how long
    the slice took.
    """
    rng = np.random.default_rng(seed)
    d1 = network_landscape.random_direction(model.params, rng)
    alphas = np.linspace(-span, span, resolution)
    ax = ax or plt.subplots(figsize=(6, 4.8))[1]
    start = time.perf_counter()
    if kind == "1d":
        losses = network_landscape.slice_1d(model, X, y, d1, alphas)
        ax.plot(alphas, losses)
        centre = network_landscape.data_loss(model, X, y)
        ax.plot([0], [centre], "r*", markersize=12, label="trained parameters")
        ax.set(xlabel="step along d1", ylabel="loss")
        ax.legend()
    elif kind == "2d":
        d2 = network_landscape.random_direction(model.params, rng)
        grid = network_landscape.slice_2d(model, X, y, d1, d2, alphas, alphas)
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

    return _interactive(controls, draw, "network-landscape")
