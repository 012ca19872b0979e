"""Slices of a network's loss along random directions (Li et al., 2018).

A direction d has one array per parameter. Filter normalisation rescales every
filter of d, here each column of a weight matrix (the weights into one unit), to
the norm of the same column of the trained weights, so a step of size 1 moves every
unit by as much as its own weights; vectors (biases, batch-norm gammas and betas)
get no direction, as in the paper. The slices evaluate the model's data loss
(softmax cross-entropy of ``model.loss(X)``'s scores) at theta + a d1 (+ b d2).

Shapes: X (N, D), y (N,); a slice with R points per axis is (R,) or (R, R).
"""

from __future__ import annotations

import contextlib

import numpy as np

from lib import layers


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
