"""lib.gradcheck against torch autograd, on NumPy arrays and torch tensors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lib import gradcheck


def _loss_np(x):
    return np.sum(np.tanh(x) ** 2 * np.arange(1, x.size + 1).reshape(x.shape))


def _loss_torch(x):
    return torch.sum(
        torch.tanh(x) ** 2
        * torch.arange(1, x.numel() + 1, dtype=x.dtype).reshape(x.shape)
    )


def _autograd(fn, x: np.ndarray, dout=None) -> np.ndarray:
    t = torch.tensor(x, requires_grad=True)
    out = fn(t)
    out.backward(None if dout is None else torch.tensor(dout))
    return t.grad.numpy()


def test_scalar_gradient_matches_autograd_and_restores_x():
    """The numerical gradient of a scalar function equals autograd's; x is unchanged."""
    x = np.random.default_rng(0).normal(size=(3, 4))
    before = x.copy()
    numeric = gradcheck.eval_numerical_gradient(_loss_np, x)
    assert gradcheck.rel_error(numeric, _autograd(_loss_torch, x)) < 1e-8
    assert np.array_equal(x, before)


def test_array_gradient_with_upstream_matches_autograd():
    """Backprop of an upstream gradient through an array function equals autograd's."""
    rng = np.random.default_rng(1)
    x, w, dout = (
        rng.normal(size=(4, 5)),
        rng.normal(size=(5, 3)),
        rng.normal(size=(4, 3)),
    )
    numeric = gradcheck.eval_numerical_gradient_array(lambda a: np.tanh(a @ w), x, dout)
    expected = _autograd(lambda a: torch.tanh(a @ torch.tensor(w)), x, dout)
    assert gradcheck.rel_error(numeric, expected) < 1e-8


def test_works_on_torch_tensors():
    """Tensors in, tensors out, same answer as autograd (on the CPU here)."""
    x = torch.randn(
        2, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0)
    )
    numeric = gradcheck.eval_numerical_gradient(_loss_torch, x)
    assert isinstance(numeric, torch.Tensor)
    assert gradcheck.rel_error(numeric, _autograd(_loss_torch, x.numpy())) < 1e-8
    dout = torch.ones(2, 3, dtype=torch.float64)
    numeric = gradcheck.eval_numerical_gradient_array(torch.sin, x, dout)
    assert gradcheck.rel_error(numeric, torch.cos(x)) < 1e-8


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_works_on_cuda_tensors():
    x = torch.randn(2, 3, dtype=torch.float64, device="cuda")
    numeric = gradcheck.eval_numerical_gradient(_loss_torch, x)
    assert numeric.device == x.device
    assert gradcheck.rel_error(numeric, _autograd(_loss_torch, x.cpu().numpy())) < 1e-8


def test_sparse_check_is_small_for_right_and_large_for_wrong_gradients():
    """grad_check_sparse: tiny errors for the true gradient, big for a wrong one."""
    x = np.random.default_rng(2).normal(size=(20, 10))
    true = _autograd(_loss_torch, x)
    assert gradcheck.grad_check_sparse(_loss_np, x, true, num_checks=8).max() < 1e-7
    assert (
        gradcheck.grad_check_sparse(_loss_np, x, 0.5 * true, num_checks=8).min() > 0.1
    )


def test_rejects_float32_and_array_valued_scalar_functions():
    """Clear errors instead of silently meaningless numbers."""
    with pytest.raises(TypeError, match="float64"):
        gradcheck.eval_numerical_gradient(_loss_np, np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="upstream"):
        gradcheck.eval_numerical_gradient(np.sin, np.ones(3))


def test_rel_error():
    """0 for equal inputs (infinities too), inf whenever a NaN appears."""
    assert gradcheck.rel_error(np.array([1.0, np.inf]), np.array([1.0, np.inf])) == 0.0
    assert gradcheck.rel_error(np.array([1.0]), np.array([np.nan])) == np.inf
    assert gradcheck.rel_error(1.0, 1.1) == pytest.approx(0.1 / 2.1)
    assert gradcheck.rel_error(torch.ones(2), np.ones(2)) == 0.0
