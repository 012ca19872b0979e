"""Reference normalisation and dropout layers (for later units, models and tests;
graded answers may not call them).

Shapes: x (N, D): N examples, D features. Conventions (COURSE.md): batch norm uses
the biased batch variance, eps 1e-5 and running averages
``running = momentum * running + (1 - momentum) * batch`` (momentum 0.9); layer
norm normalises each row over D; dropout is inverted and ``p`` is the probability
of KEEPING a unit.
"""

from __future__ import annotations

import numpy as np


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch norm over the N axis; updates bn_param's running statistics in
    'train' mode and uses them in 'test' mode. Returns (out, cache)."""
    mode = bn_param["mode"]
    eps = bn_param.setdefault("eps", 1e-5)
    momentum = bn_param.setdefault("momentum", 0.9)
    running_mean = bn_param.get("running_mean", np.zeros(x.shape[1], x.dtype))
    running_var = bn_param.get("running_var", np.ones(x.shape[1], x.dtype))
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        mean, var = running_mean, running_var
        bn_param["running_mean"], bn_param["running_var"] = running_mean, running_var
    else:
        raise ValueError(f"bn_param['mode'] must be 'train' or 'test', not {mode!r}")
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def _normalized_backward(dout, cache, axis):
    """Closed-form backward of y = gamma * x_hat + beta, with x_hat normalised
    along ``axis`` (0: batch norm, 1: layer norm)."""
    x_hat, gamma, inv_std = cache
    dgamma = (dout * x_hat).sum(axis=0)
    dbeta = dout.sum(axis=0)
    dx_hat = dout * gamma
    dx = inv_std * (
        dx_hat
        - dx_hat.mean(axis=axis, keepdims=True)
        - x_hat * (dx_hat * x_hat).mean(axis=axis, keepdims=True)
    )
    return dx, dgamma, dbeta


def batchnorm_backward(dout, cache):
    """(dx, dgamma, dbeta) of batchnorm_forward."""
    return _normalized_backward(dout, cache, axis=0)


def layernorm_forward(x, gamma, beta, ln_param=None):
    """Layer norm: each row of x normalised over its D features. (out, cache)."""
    eps = (ln_param or {}).get("eps", 1e-5)
    mean = x.mean(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def layernorm_backward(dout, cache):
    """(dx, dgamma, dbeta) of layernorm_forward."""
    return _normalized_backward(dout, cache, axis=1)


def dropout_forward(x, dropout_param):
    """Inverted dropout: keep each unit with probability p and scale it by 1/p in
    'train' mode; the identity in 'test' mode. A 'seed' makes the mask repeatable."""
    p, mode = dropout_param["p"], dropout_param["mode"]
    if not 0 < p <= 1:
        raise ValueError(f"dropout_param['p'] is the keep probability, in (0, 1]: {p}")
    if mode == "test":
        return x, (dropout_param, None)
    rng = np.random.default_rng(dropout_param.get("seed"))
    mask = (rng.random(x.shape) < p) / p
    return x * mask, (dropout_param, mask)


def dropout_backward(dout, cache):
    """dx of dropout_forward: the same mask, or the identity in 'test' mode."""
    _, mask = cache
    return dout if mask is None else dout * mask
