"""lib.layers against torch: forward values and autograd gradients, held to the
tolerances the notebooks hold students to (relative error 1e-12 for layers,
1e-10 for losses) rather than np.allclose's defaults (1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lib import layers

rng = np.random.default_rng(0)


def close(got, expected, tol=1e-12):
    """Relative error within tol (an absolute 1e-15 for values at zero)."""
    np.testing.assert_allclose(got, expected, rtol=tol, atol=1e-15)


def _torch_grads(fn, *arrays, dout):
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = fn(*tensors)
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), [t.grad.numpy() for t in tensors]


@pytest.mark.parametrize(
    ("name", "torch_fn"),
    [
        ("relu", torch.relu),
        ("sigmoid", torch.sigmoid),
        ("tanh", torch.tanh),
        ("leaky_relu", lambda t: F.leaky_relu(t, 0.01)),
    ],
)
def test_activations_match_torch(name, torch_fn):
    x = 3 * rng.normal(size=(4, 5))
    dout = rng.normal(size=(4, 5))
    out, cache = getattr(layers, f"{name}_forward")(x)
    expected, (dx,) = _torch_grads(torch_fn, x, dout=dout)
    close(out, expected)
    close(getattr(layers, f"{name}_backward")(dout, cache), dx)


def test_sigmoid_is_finite_for_huge_inputs():
    out, _ = layers.sigmoid_forward(np.array([-1000.0, 0.0, 1000.0]))
    assert np.all(np.isfinite(out))
    close(out, [0.0, 0.5, 1.0])


def test_affine_matches_torch_and_reshapes():
    x, w, b = rng.normal(size=(3, 2, 4)), rng.normal(size=(8, 5)), rng.normal(size=5)
    dout = rng.normal(size=(3, 5))
    out, cache = layers.affine_forward(x, w, b)
    expected, grads = _torch_grads(
        lambda a, c, d: a.reshape(3, -1) @ c + d, x, w, b, dout=dout
    )
    close(out, expected)
    for ours, theirs in zip(layers.affine_backward(dout, cache), grads, strict=True):
        assert ours.shape == theirs.shape
        close(ours, theirs)


@pytest.mark.parametrize(
    ("name", "torch_loss"),
    [
        ("softmax_loss", F.cross_entropy),
        ("svm_loss", lambda s, t: s.shape[1] * F.multi_margin_loss(s, t)),
    ],
)
def test_classification_losses_match_torch(name, torch_loss):
    x, y = rng.normal(size=(6, 4)), rng.integers(0, 4, 6)
    xt = torch.tensor(x, requires_grad=True)
    expected = torch_loss(xt, torch.tensor(y))
    expected.backward()
    loss, dx = getattr(layers, name)(x, y)
    close(loss, expected.item(), tol=1e-10)
    close(dx, xt.grad.numpy(), tol=1e-10)


def test_bce_with_logits_matches_torch_even_for_huge_logits():
    x = np.array([[-800.0, -2.0], [0.5, 900.0]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    xt = torch.tensor(x, requires_grad=True)
    expected = F.binary_cross_entropy_with_logits(xt, torch.tensor(y))
    expected.backward()
    loss, dx = layers.bce_with_logits_loss(x, y)
    close(loss, expected.item(), tol=1e-10)
    close(dx, xt.grad.numpy(), tol=1e-10)


def test_the_notes_mix_two_cross_entropies_whose_gradients_differ():
    """Unit 04's erratum on the notes' losses, checked: softmax cross-entropy has
    gradient p - y on the logits, binary cross-entropy of sigmoids has
    sigmoid(x) - y, and binary cross-entropy applied to softmax outputs (the
    notes' mix) has neither."""
    from lib.gradcheck import eval_numerical_gradient as numerical_gradient

    rng = np.random.default_rng(7)
    z, y = rng.normal(size=5), np.eye(5)[2]

    def softmax(v):
        e = np.exp(v - v.max())
        return e / e.sum()

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    def softmax_ce(v):
        return -np.log(softmax(v)[2])

    def bce_of_sigmoids(v):
        s = sigmoid(v)
        return -np.sum(y * np.log(s) + (1 - y) * np.log(1 - s))

    def bce_of_softmax(v):
        p = softmax(v)
        return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))

    p = softmax(z)
    np.testing.assert_allclose(
        numerical_gradient(softmax_ce, z.copy()), p - y, atol=1e-7
    )
    np.testing.assert_allclose(
        numerical_gradient(bce_of_sigmoids, z.copy()), sigmoid(z) - y, atol=1e-7
    )
    mixed = numerical_gradient(bce_of_softmax, z.copy())
    assert not np.allclose(mixed, p - y, atol=1e-3)
