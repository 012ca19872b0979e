"""lib.linear against torch's losses and autograd."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from lib import linear, oracles


def _data(seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    W, X = scale * rng.normal(size=(6, 4)), rng.normal(size=(9, 6))
    return W, X, rng.integers(0, 4, 9)


def _torch(loss_fn, W, X, y, reg):
    Wt = torch.tensor(W, requires_grad=True)
    loss = loss_fn(torch.tensor(X) @ Wt, torch.tensor(y)) + reg * (Wt * Wt).sum()
    loss.backward()
    return loss.item(), Wt.grad.numpy()


def test_svm_loss_matches_torch_multi_margin_loss():
    W, X, y = _data()
    # torch divides the hinge sum by C as well as by N.
    expected = _torch(lambda s, t: 4 * F.multi_margin_loss(s, t), W, X, y, 0.1)
    loss, dW = linear.svm_loss(W, X, y, 0.1)
    assert np.isclose(loss, expected[0]) and np.allclose(dW, expected[1])


def test_softmax_loss_matches_torch_cross_entropy_even_for_huge_scores():
    for scale in (1.0, 1000.0):
        W, X, y = _data(1, scale)
        expected = _torch(F.cross_entropy, W, X, y, 0.01)
        loss, dW = linear.softmax_loss(W, X, y, 0.01)
        assert np.isfinite(loss) and np.isclose(loss, expected[0])
        assert np.allclose(dW, expected[1])


def test_torch_oracles_agree_with_the_reference_losses():
    W, X, y = _data(2)
    for ours, theirs in [
        (linear.svm_loss, oracles.torch_svm_loss),
        (linear.softmax_loss, oracles.torch_softmax_loss),
    ]:
        loss, dW = ours(W, X, y, 0.05)
        expected_loss, expected_dW = theirs(W, X, y, 0.05)
        assert np.isclose(loss, expected_loss) and np.allclose(dW, expected_dW)
