"""The weight-initialisation explorer: activations through a deep net at
initialisation, for each initialisation method, nonlinearity and scale.

A plain plotting function (``plot_activation_histograms``, usable and tested
without a browser) wrapped by an ``interact_initialisation`` widget.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from lib import layers, networks
from lib.explorers.widgets import interactive, works

# The course's own layers (lib.layers); each forward returns (out, cache).
NONLINEARITIES = {
    "tanh": lambda z: layers.tanh_forward(z)[0],
    "relu": lambda z: layers.relu_forward(z)[0],
    "leaky_relu": lambda z: layers.leaky_relu_forward(z)[0],
    "sigmoid": lambda z: layers.sigmoid_forward(z)[0],
}


def choose_init(namespace: dict | None):
    """(init_weights, 'yours' or 'reference'): the student's once it works."""
    mine = (namespace or {}).get("init_weights")
    probe = (4, 3, "he", np.random.default_rng(0))
    if callable(mine) and mine is not networks.init_weights and works(mine, *probe):
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
        f"{method} init ({source}) x {scale:.3g}, {nonlinearity}: activations through "
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

    return interactive(controls, draw, "initialisation")
