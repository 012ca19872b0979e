"""lib.rnn_layers, lib.sequence and lib.char_rnn: the references unit 08's tests and
demos rely on, checked against torch and numerical gradients."""

from __future__ import annotations

import numpy as np
import pytest

from lib import char_rnn, checks, oracles, rnn_layers, sequence


def _sequence(rng, gates, N=3, T=5, D=4, H=6):
    return (
        rng.normal(size=(N, T, D)),
        rng.normal(size=(N, H)),
        rng.normal(size=(D, gates * H)) * 0.5,
        rng.normal(size=(H, gates * H)) * 0.5,
        rng.normal(size=gates * H),
    )


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_sequence_layers_match_torch(cell):
    rng = np.random.default_rng(0)
    gates = 4 if cell == "lstm" else 1
    seq = _sequence(rng, gates)
    forward = getattr(rnn_layers, f"{cell}_forward")
    backward = getattr(rnn_layers, f"{cell}_backward")
    dh = rng.normal(size=(3, 5, 6))
    h, cache = forward(*seq)
    expected, _, grads = oracles.torch_recurrent(cell, *seq, dh=dh)
    np.testing.assert_allclose(h, expected, atol=1e-12)
    for name, got in zip(
        ("dx", "dh0", "dWx", "dWh", "db"), backward(dh, cache), strict=True
    ):
        np.testing.assert_allclose(got, grads[name], atol=1e-10, err_msg=name)


def test_lstm_step_backward_includes_the_cell_gradient():
    rng = np.random.default_rng(1)
    x, h, Wx, Wh, b = (a[:, 0] if a.ndim == 3 else a for a in _sequence(rng, 4))
    c = rng.normal(size=h.shape)
    dnh, dnc = rng.normal(size=(2, *h.shape))
    _, _, cache = rnn_layers.lstm_step_forward(x, h, c, Wx, Wh, b)
    _, _, grads = oracles.torch_recurrent(
        "lstm", x[:, None], h, Wx, Wh, b, c0=c, dh=dnh[:, None], dc=dnc
    )
    got = rnn_layers.lstm_step_backward(dnh, dnc, cache)
    np.testing.assert_allclose(got[2], grads["dc0"], atol=1e-12)
    np.testing.assert_allclose(got[3], grads["dWx"], atol=1e-12)


def test_gru_keeps_the_state_when_the_update_gate_is_closed():
    rng = np.random.default_rng(2)
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    Wx, Wh, b = rng.normal(size=(3, 12)), rng.normal(size=(4, 12)), np.zeros(12)
    b[4:8] = -60
    np.testing.assert_allclose(
        rnn_layers.gru_step_forward(x, h, Wx, Wh, b)[0], h, atol=1e-12
    )


def test_embedding_backward_adds_repeated_tokens():
    x = np.array([[1, 1, 0]])
    dW = rnn_layers.word_embedding_backward(np.ones((1, 3, 2)), (x, (3, 2)))
    np.testing.assert_array_equal(dW, [[1, 1], [2, 2], [0, 0]])


def test_temporal_softmax_loss_ignores_masked_positions_and_matches_a_gradient():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(2, 4, 5))
    y = rng.integers(0, 5, size=(2, 4))
    mask = np.array([[1, 1, 1, 0], [1, 0, 0, 0]], bool)
    loss, dscores = sequence.temporal_softmax_loss(scores, y, mask)
    log_p = scores - np.log(np.exp(scores).sum(-1, keepdims=True))
    picked = np.take_along_axis(log_p, y[..., None], -1)[..., 0]
    assert loss == pytest.approx(-picked[mask].mean())
    assert np.all(dscores[~mask] == 0)
    checks.check_gradient(
        "dscores",
        lambda s: sequence.temporal_softmax_loss(s, y, mask)[0],
        scores,
        dscores,
    )


def test_char_rnn_gradients_and_sampling():
    model = char_rnn.CharRNN(
        6, wordvec_dim=3, hidden_dim=4, cell_type="lstm", dtype=np.float64
    )
    ids = np.array([[1, 3, 4, 2, 0], [1, 5, 5, 3, 2]])
    loss, grads = model.loss(ids)
    assert loss == pytest.approx(np.log(6), abs=0.3)
    for k, p in model.params.items():
        checks.check_gradient(
            k, lambda _: model.loss(ids)[0], p, grads[k], tol=1e-5, atol=1e-9
        )
    rows = model.sample(5, max_length=6, seed=0)
    assert rows.shape == (5, 6) and not np.isin(rows, [0, 1]).any()
    np.testing.assert_array_equal(rows, model.sample(5, max_length=6, seed=0))


def test_torch_gru_step_and_recurrent_step_match_the_references():
    rng = np.random.default_rng(4)
    x, h = rng.normal(size=(3, 4)), rng.normal(size=(3, 5))
    Wx, Wh, b = rng.normal(size=(4, 15)), rng.normal(size=(5, 15)), rng.normal(size=15)
    np.testing.assert_allclose(
        oracles.torch_gru_step(x, h, Wx, Wh, b),
        rnn_layers.gru_step_forward(x, h, Wx, Wh, b)[0],
        rtol=1e-12,
        atol=1e-12,
    )
    Wx, Wh, b = rng.normal(size=(4, 5)), rng.normal(size=(5, 5)), rng.normal(size=5)
    next_h, c, grads = oracles.torch_recurrent_step("rnn", x, h, Wx, Wh, b)
    np.testing.assert_allclose(
        next_h, rnn_layers.rnn_step_forward(x, h, Wx, Wh, b)[0], rtol=1e-12
    )
    assert c is None and grads["dx"].shape == x.shape
