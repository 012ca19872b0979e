"""Reference recurrent layers in NumPy (unit 08's answers, for the tests that build
on them and for training demos; graded answers may not call them).

Rows are batch elements: next_h = tanh(x @ Wx + prev_h @ Wh + b). Shapes: x (N, D)
per step or (N, T, D) per sequence, hidden states (N, H), Wx (D, H) for the vanilla
RNN, (D, 4H) for the LSTM (gate columns i, f, o, g) and (D, 3H) for the GRU (r, z,
candidate). Every backward returns the gradients in the order of the forward's
array inputs.
"""

from __future__ import annotations

import numpy as np

from lib import layers


def sigmoid(x):
    """Logistic function that never overflows (lib.layers' sigmoid, output only)."""
    return layers.sigmoid_forward(x)[0]


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1.0 - next_h**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]), dtype=np.result_type(x, h0, Wx))
    caches, prev = [], h0
    for t in range(T):
        prev, cache = rnn_step_forward(x[:, t], prev, Wx, Wh, b)
        h[:, t] = prev
        caches.append(cache)
    return h, caches


def _sequence_backward(step_backward, dh, caches, n_state):
    """BPTT shared by the RNN and the LSTM: dh (N, T, H) reaches every step; the
    step's gradient to its previous state(s) flows on to the step before."""
    N, T, _ = dh.shape
    dstate = [np.zeros_like(dh[:, 0]) for _ in range(n_state)]
    dx, dweights = None, None
    for t in reversed(range(T)):
        grads = step_backward(dh[:, t] + dstate[0], *dstate[1:], caches[t])
        dxt, dstate, dw = grads[0], list(grads[1 : 1 + n_state]), grads[1 + n_state :]
        if dx is None:
            dx = np.empty((N, T, dxt.shape[1]), dtype=dxt.dtype)
            dweights = [np.zeros_like(g) for g in dw]
        dx[:, t] = dxt
        for total, g in zip(dweights, dw, strict=True):
            total += g
    return (dx, *dstate, *dweights)


def rnn_backward(dh, caches):
    return _sequence_backward(rnn_step_backward, dh, caches, n_state=1)


def word_embedding_forward(x, W):
    return W[x], (x, W.shape)


def word_embedding_backward(dout, cache):
    x, shape = cache
    dW = np.zeros(shape, dtype=dout.dtype)
    np.add.at(dW, x, dout)
    return dW


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    i, f, o = (sigmoid(a[:, k * H : (k + 1) * H]) for k in range(3))
    g = np.tanh(a[:, 3 * H :])
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    dc = dnext_c + dnext_h * o * (1.0 - tanh_c**2)
    da = np.concatenate(
        [
            dc * g * i * (1.0 - i),
            dc * prev_c * f * (1.0 - f),
            dnext_h * tanh_c * o * (1.0 - o),
            dc * i * (1.0 - g**2),
        ],
        axis=1,
    )
    return (da @ Wx.T, da @ Wh.T, dc * f, x.T @ da, prev_h.T @ da, da.sum(axis=0))


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]), dtype=np.result_type(x, h0, Wx))
    prev_h, prev_c, caches = h0, np.zeros_like(h0), []
    for t in range(T):
        prev_h, prev_c, cache = lstm_step_forward(x[:, t], prev_h, prev_c, Wx, Wh, b)
        h[:, t] = prev_h
        caches.append(cache)
    return h, caches


def lstm_backward(dh, caches):
    dx, dh0, _, dWx, dWh, db = _sequence_backward(
        lstm_step_backward, dh, caches, n_state=2
    )
    return dx, dh0, dWx, dWh, db


def gru_step_forward(x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    ax, ah = x @ Wx + b, prev_h @ Wh[:, : 2 * H]
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H : 2 * H] + ah[:, H:])
    candidate = np.tanh(ax[:, 2 * H :] + (r * prev_h) @ Wh[:, 2 * H :])
    next_h = (1.0 - z) * prev_h + z * candidate
    return next_h, (x, prev_h, Wx, Wh, r, z, candidate)


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, r, z, candidate = cache
    H = prev_h.shape[1]
    dcandidate_in = dnext_h * z * (1.0 - candidate**2)
    dreset_h = dcandidate_in @ Wh[:, 2 * H :].T  # gradient of r * prev_h
    dr_in = dreset_h * prev_h * r * (1.0 - r)
    dz_in = dnext_h * (candidate - prev_h) * z * (1.0 - z)
    gates = np.concatenate([dr_in, dz_in], axis=1)
    da = np.concatenate([gates, dcandidate_in], axis=1)
    dprev_h = dnext_h * (1.0 - z) + dreset_h * r + gates @ Wh[:, : 2 * H].T
    dWh = np.concatenate([prev_h.T @ gates, (r * prev_h).T @ dcandidate_in], axis=1)
    return da @ Wx.T, dprev_h, x.T @ da, dWh, da.sum(axis=0)


def gru_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]), dtype=np.result_type(x, h0, Wx))
    prev, caches = h0, []
    for t in range(T):
        prev, cache = gru_step_forward(x[:, t], prev, Wx, Wh, b)
        h[:, t] = prev
        caches.append(cache)
    return h, caches


def gru_backward(dh, caches):
    return _sequence_backward(gru_step_backward, dh, caches, n_state=1)


def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    scale = min(1.0, max_norm / (total + 1e-6))
    return {k: g * scale for k, g in grads.items()}, total
