"""Reference fully connected networks and weight initialisation (for the solver,
the explorers, benchmarks and later units; graded answers may not call them).

Shapes: X (N, D) or (N, d_1, ..., d_k) flattened to D; H hidden units; C classes.
A model keeps its weights in ``params`` ('W1', 'b1', ... and 'gamma1', 'beta1', ...
with normalisation) and ``loss(X, y=None)`` returns the scores (N, C) without y,
else ``(loss, grads)`` with the softmax loss plus ``reg * sum(W * W)`` over every
weight matrix.
"""

from __future__ import annotations

import numpy as np

from lib import layers, normalization

INIT_METHODS = ("small", "xavier", "he")


def init_weights(fan_in, fan_out, method, rng):
    """(fan_in, fan_out) weights: 'small' 0.01 N(0,1), 'xavier' N(0,1)/sqrt(fan_in),
    'he' N(0,1) sqrt(2/fan_in); ``rng`` is a numpy Generator."""
    scales = {"small": 0.01, "xavier": 1 / np.sqrt(fan_in), "he": np.sqrt(2 / fan_in)}
    if method not in scales:
        raise ValueError(f"unknown method {method!r}; choose one of {INIT_METHODS}")
    return scales[method] * rng.standard_normal((fan_in, fan_out))


class FullyConnectedNet:
    """{affine - [norm] - relu - [dropout]} x (L - 1) - affine - softmax."""

    def __init__(
        self,
        hidden_dims,
        input_dim=784,
        num_classes=10,
        reg=0.0,
        weight_scale=1e-2,
        dtype=np.float64,
        seed=0,
        normalization=None,
        dropout_keep_ratio=1.0,
    ):
        if normalization not in (None, "batchnorm", "layernorm"):
            raise ValueError(f"unknown normalization {normalization!r}")
        self.reg, self.dtype = reg, dtype
        self.normalization = normalization
        self.num_layers = len(hidden_dims) + 1
        rng = np.random.default_rng(seed)
        dims = [input_dim, *hidden_dims, num_classes]
        self.params = {}
        for i, (d_in, d_out) in enumerate(
            zip(dims[:-1], dims[1:], strict=True), start=1
        ):
            self.params[f"W{i}"] = (
                weight_scale * rng.standard_normal((d_in, d_out))
            ).astype(dtype)
            self.params[f"b{i}"] = np.zeros(d_out, dtype)
            if normalization and i < self.num_layers:
                self.params[f"gamma{i}"] = np.ones(d_out, dtype)
                self.params[f"beta{i}"] = np.zeros(d_out, dtype)
        self.bn_params = [{"mode": "train"} for _ in hidden_dims]
        self.dropout_param = {"mode": "train", "p": dropout_keep_ratio}
        # Each dropout layer and step draws a new mask seed from this stream.
        self._dropout_seeds = np.random.default_rng(seed)

    def loss(self, X, y=None):
        X = X.astype(self.dtype)
        mode = "test" if y is None else "train"
        self.dropout_param["mode"] = mode
        for bn_param in self.bn_params:
            bn_param["mode"] = mode
        caches, out = [], X
        for i in range(1, self.num_layers):
            out, cache = self._hidden_forward(out, i)
            caches.append(cache)
        scores, last = layers.affine_forward(
            out, self.params[f"W{self.num_layers}"], self.params[f"b{self.num_layers}"]
        )
        if y is None:
            return scores
        loss, dout = layers.softmax_loss(scores, y)
        grads = {}
        dout, grads[f"W{self.num_layers}"], grads[f"b{self.num_layers}"] = (
            layers.affine_backward(dout, last)
        )
        for i in range(self.num_layers - 1, 0, -1):
            dout = self._hidden_backward(dout, caches[i - 1], i, grads)
        for i in range(1, self.num_layers + 1):
            W = self.params[f"W{i}"]
            loss += self.reg * np.sum(W * W)
            grads[f"W{i}"] += 2 * self.reg * W
        return loss, grads

    def _hidden_forward(self, x, i):
        p = self.params
        out, affine = layers.affine_forward(x, p[f"W{i}"], p[f"b{i}"])
        norm = None
        if self.normalization == "batchnorm":
            out, norm = normalization.batchnorm_forward(
                out, p[f"gamma{i}"], p[f"beta{i}"], self.bn_params[i - 1]
            )
        elif self.normalization == "layernorm":
            out, norm = normalization.layernorm_forward(
                out, p[f"gamma{i}"], p[f"beta{i}"], {}
            )
        out, relu = layers.relu_forward(out)
        drop = None
        if self.dropout_param["p"] < 1:
            param = dict(
                self.dropout_param, seed=int(self._dropout_seeds.integers(2**31))
            )
            out, drop = normalization.dropout_forward(out, param)
        return out, (affine, norm, relu, drop)

    def _hidden_backward(self, dout, cache, i, grads):
        affine, norm, relu, drop = cache
        if drop is not None:
            dout = normalization.dropout_backward(dout, drop)
        dout = layers.relu_backward(dout, relu)
        if self.normalization == "batchnorm":
            dout, grads[f"gamma{i}"], grads[f"beta{i}"] = (
                normalization.batchnorm_backward(dout, norm)
            )
        elif self.normalization == "layernorm":
            dout, grads[f"gamma{i}"], grads[f"beta{i}"] = (
                normalization.layernorm_backward(dout, norm)
            )
        dx, grads[f"W{i}"], grads[f"b{i}"] = layers.affine_backward(dout, affine)
        return dx
