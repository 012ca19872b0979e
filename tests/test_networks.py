"""lib.normalization and lib.networks against torch autograd and numerical
gradients; lib.data.standardize; lib.oracles.torch_backward."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lib import data, gradcheck, networks, normalization, oracles

rng = np.random.default_rng(0)


def test_torch_backward_returns_output_and_one_gradient_per_float_input():
    x, y = rng.normal(size=(4, 3)), np.array([0, 2, 1, 1])
    loss, (dx, dy) = oracles.torch_backward(F.cross_entropy, x, y)
    assert dy is None and dx.shape == x.shape
    assert np.isclose(loss, F.cross_entropy(torch.tensor(x), torch.tensor(y)).item())
    out, (dx,) = oracles.torch_backward(torch.tanh, x, dout=np.ones_like(x))
    assert np.allclose(out, np.tanh(x)) and np.allclose(dx, 1 - np.tanh(x) ** 2)


@pytest.mark.parametrize("kind", ["batchnorm", "layernorm"])
def test_normalization_layers_match_torch(kind):
    x = 3 + 2 * rng.normal(size=(7, 5))
    gamma, beta, dout = rng.normal(size=5), rng.normal(size=5), rng.normal(size=(7, 5))
    if kind == "batchnorm":
        out, cache = normalization.batchnorm_forward(x, gamma, beta, {"mode": "train"})
        grads = normalization.batchnorm_backward(dout, cache)

        def reference(x, g, b):
            return F.batch_norm(x, None, None, g, b, training=True, eps=1e-5)

    else:
        out, cache = normalization.layernorm_forward(x, gamma, beta)
        grads = normalization.layernorm_backward(dout, cache)

        def reference(x, g, b):
            return F.layer_norm(x, (5,), g, b, eps=1e-5)

    expected, expected_grads = oracles.torch_backward(
        reference, x, gamma, beta, dout=dout
    )
    assert np.allclose(out, expected, atol=1e-12)
    for ours, theirs in zip(grads, expected_grads, strict=True):
        assert np.allclose(ours, theirs, atol=1e-10)


def test_batchnorm_running_averages_and_test_mode():
    param = {"mode": "train"}
    for _ in range(200):
        normalization.batchnorm_forward(
            5 + 2 * rng.normal(size=(64, 3)), np.ones(3), np.zeros(3), param
        )
    assert np.allclose(param["running_mean"], 5, atol=0.2)
    assert np.allclose(param["running_var"], 4, atol=0.5)
    param["mode"] = "test"
    out, _ = normalization.batchnorm_forward(np.full((1, 3), 5.0), np.ones(3), 0, param)
    assert np.allclose(out, 0, atol=0.1)
    with pytest.raises(ValueError, match="mode"):
        normalization.batchnorm_forward(np.ones((2, 3)), 1, 0, {"mode": "eval"})


def test_dropout_keeps_p_scales_by_1_over_p_and_is_identity_at_test_time():
    x = np.ones((400, 500))
    out, cache = normalization.dropout_forward(
        x, {"mode": "train", "p": 0.3, "seed": 1}
    )
    assert abs((out != 0).mean() - 0.3) < 0.01
    assert np.allclose(out[out != 0], 1 / 0.3)
    assert np.array_equal(normalization.dropout_backward(x, cache), out)
    same, _ = normalization.dropout_forward(x, {"mode": "train", "p": 0.3, "seed": 1})
    assert np.array_equal(same, out)
    test_out, cache = normalization.dropout_forward(x, {"mode": "test", "p": 0.3})
    assert test_out is x and normalization.dropout_backward(x, cache) is x
    with pytest.raises(ValueError, match="keep probability"):
        normalization.dropout_forward(x, {"mode": "train", "p": 0.0})


def test_init_weights_scales_and_errors():
    for method, std in [("small", 0.01), ("xavier", 0.05), ("he", np.sqrt(2) * 0.05)]:
        W = networks.init_weights(400, 1000, method, np.random.default_rng(0))
        assert W.shape == (400, 1000) and abs(W.std() / std - 1) < 0.02
    with pytest.raises(ValueError, match="unknown method"):
        networks.init_weights(2, 2, "zeros", np.random.default_rng(0))


@pytest.mark.parametrize(
    ("normalization_kind", "keep"),
    [(None, 1.0), ("batchnorm", 1.0), ("layernorm", 1.0), (None, 0.6)],
)
def test_fully_connected_net_gradients(normalization_kind, keep):
    net = networks.FullyConnectedNet(
        [6, 5],
        input_dim=4,
        num_classes=3,
        reg=0.1,
        weight_scale=0.5,
        normalization=normalization_kind,
        dropout_keep_ratio=keep,
        seed=1,
    )
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
    for key in net.params:  # nonzero biases keep ReLU inputs off the kink at 0
        if key.startswith("b"):
            net.params[key] = 0.1 * rng.normal(size=net.params[key].shape)

    def loss(_):
        net._dropout_seeds = np.random.default_rng(7)  # the same masks every call
        return net.loss(X, y)[0]

    net._dropout_seeds = np.random.default_rng(7)
    _, grads = net.loss(X, y)
    assert set(grads) == set(net.params)
    for key, value in net.params.items():
        numeric = gradcheck.eval_numerical_gradient(loss, value)
        # A bias before batch norm has gradient 0: compare absolutely there.
        assert np.allclose(grads[key], numeric, rtol=1e-6, atol=1e-8), key


def test_fully_connected_net_test_mode_is_deterministic_and_dtype_is_kept():
    net = networks.FullyConnectedNet(
        [5], input_dim=3, num_classes=2, dropout_keep_ratio=0.5, dtype=np.float32
    )
    X = rng.normal(size=(4, 3))
    assert np.array_equal(net.loss(X), net.loss(X))
    assert all(v.dtype == np.float32 for v in net.params.values())
    with pytest.raises(ValueError, match="normalization"):
        networks.FullyConnectedNet([3], normalization="groupnorm")


def test_standardize_centres_on_the_training_mean_and_scales_to_unit_std():
    split = data.load_images()
    out = data.standardize(split)
    assert out["X_train"].shape == (len(split.X_train), 784)
    assert np.allclose(out["X_train"].mean(axis=0), 0, atol=1e-9)
    assert np.isclose(out["X_train"].std(), 1.0)
    assert np.array_equal(out["y_test"], split.y_test)


@pytest.mark.parametrize("kind", [None, "batchnorm", "layernorm"])
def test_torch_fc_loss_matches_the_reference_network(kind):
    net = networks.FullyConnectedNet(
        [6, 5],
        input_dim=4,
        num_classes=3,
        reg=0.1,
        weight_scale=0.7,
        normalization=kind,
        seed=1,
    )
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
    per_layer = ("W", "b") if kind is None else ("W", "b", "gamma", "beta")
    keys = [f"{p}{i}" for i in (1, 2) for p in per_layer] + ["W3", "b3"]
    loss, grads = net.loss(X, y)
    expected_loss, expected = oracles.torch_backward(
        oracles.torch_fc_loss(X, y, 0.1, kind), *(net.params[k] for k in keys)
    )
    assert np.isclose(loss, expected_loss, rtol=1e-12, atol=0)
    for key, e in zip(keys, expected, strict=True):
        np.testing.assert_allclose(grads[key], e, rtol=1e-8, atol=1e-12)
