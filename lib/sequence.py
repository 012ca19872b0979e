"""Layers applied at every time step of a sequence, given to unit 08's students
(not graded): the affine map from hidden states to scores and the softmax loss
over every predicted position, with a mask for padding."""

from __future__ import annotations

import numpy as np


def temporal_affine_forward(x, w, b):
    """x (N, T, D) @ w (D, M) + b at every step -> ((N, T, M), cache)."""
    return x @ w + b, (x, w)


def temporal_affine_backward(dout, cache):
    """(dx, dw, db) of temporal_affine_forward."""
    x, w = cache
    N, T, D = x.shape
    flat = dout.reshape(N * T, -1)
    return dout @ w.T, x.reshape(N * T, D).T @ flat, flat.sum(axis=0)


def temporal_softmax_loss(scores, y, mask):
    """Softmax cross-entropy averaged over the positions where ``mask`` is True.

    Args:
        scores: (N, T, V) float scores.
        y: (N, T) integer targets.
        mask: (N, T) bool; padding positions (False) add nothing to the loss.

    Returns:
        (loss in nats per predicted token, dscores of shape (N, T, V)).
    """
    N, T, V = scores.shape
    flat = scores.reshape(N * T, V)
    shifted = flat - flat.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    targets, weights = y.reshape(-1), mask.reshape(-1).astype(flat.dtype)
    count = max(float(weights.sum()), 1.0)
    loss = -float((log_p[np.arange(N * T), targets] * weights).sum()) / count
    dflat = np.exp(log_p)
    dflat[np.arange(N * T), targets] -= 1.0
    dflat *= weights[:, None] / count
    return loss, dflat.reshape(N, T, V)
