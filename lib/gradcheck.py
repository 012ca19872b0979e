"""Numerical gradients by centred differences, and the relative error between arrays.

Every function works on NumPy arrays and on torch tensors (CPU or CUDA). Checks need
float64: in float32 the rounding error of a centred difference swamps the answer.
While probing, ``x`` is changed in place one element at a time and each element is
restored before the function returns, so ``f`` must read ``x`` each time it is
called (as a closure like ``lambda x: loss(x, y)[0]`` does).
"""

from __future__ import annotations

import itertools

import numpy as np


def _is_torch(x) -> bool:
    return type(x).__module__.startswith("torch")


def _require_float64(x, what: str) -> None:
    if str(x.dtype) not in ("float64", "torch.float64"):
        raise TypeError(
            f"{what} must be float64 for a gradient check, got {x.dtype}. "
            "Convert it first: x.astype(np.float64) for NumPy, x.double() for torch."
        )


def _scalar(value, what: str = "f(x)") -> float:
    shape = tuple(getattr(value, "shape", ()))
    if shape != ():
        raise ValueError(
            f"{what} must return a scalar, got an array of shape {shape}. For an "
            "array-valued function use eval_numerical_gradient_array with an upstream "
            "gradient."
        )
    return float(value)


def _zeros_like(x):
    if _is_torch(x):
        import torch

        return torch.zeros_like(x)
    return np.zeros_like(x, dtype=np.float64)


def _indices(shape):
    return itertools.product(*(range(n) for n in shape))


def _probe(f, x, ix, h: float) -> tuple:
    """f evaluated at x with x[ix] moved by +h and by -h; x[ix] is restored."""
    old = float(x[ix])
    x[ix] = old + h
    plus = f(x)
    x[ix] = old - h
    minus = f(x)
    x[ix] = old
    return plus, minus


def eval_numerical_gradient(f, x, h: float = 1e-5):
    """Gradient of a scalar function by centred differences.

    Args:
        f: maps an array shaped like ``x`` to a scalar.
        x: float64 array or tensor, any shape.
        h: step size.

    Returns:
        Array (or tensor) shaped like ``x``.
    """
    _require_float64(x, "x")
    grad = _zeros_like(x)
    for ix in _indices(x.shape):
        plus, minus = _probe(f, x, ix, h)
        grad[ix] = (_scalar(plus) - _scalar(minus)) / (2 * h)
    return grad


def eval_numerical_gradient_array(f, x, dout, h: float = 1e-5):
    """Gradient of ``sum(f(x) * dout)`` with respect to ``x``: backprop of ``dout``.

    Args:
        f: maps an array shaped like ``x`` to an array shaped like ``dout``.
        x: float64 array or tensor, any shape.
        dout: upstream gradient, shaped like ``f(x)``.
        h: step size.

    Returns:
        Array (or tensor) shaped like ``x``.
    """
    _require_float64(x, "x")
    grad = _zeros_like(x)
    for ix in _indices(x.shape):
        plus, minus = _probe(f, x, ix, h)
        grad[ix] = float(((plus - minus) * dout).sum()) / (2 * h)
    return grad


def grad_check_sparse(
    f, x, analytic_grad, num_checks: int = 10, h: float = 1e-5, seed: int = 0
) -> np.ndarray:
    """Compare ``analytic_grad`` with centred differences at a few random elements.

    For large inputs where a full numerical gradient would be slow.

    Args:
        f: maps an array shaped like ``x`` to a scalar.
        x: float64 array or tensor.
        analytic_grad: the gradient to check, shaped like ``x``.
        num_checks: how many elements to probe (drawn with ``seed``).
        h: step size.
        seed: seed for choosing the elements.

    Returns:
        The relative error at each probed element, shape (num_checks,).
    """
    _require_float64(x, "x")
    rng = np.random.default_rng(seed)
    errors = np.empty(num_checks)
    for i in range(num_checks):
        ix = tuple(int(rng.integers(n)) for n in x.shape)
        plus, minus = _probe(f, x, ix, h)
        numeric = (_scalar(plus) - _scalar(minus)) / (2 * h)
        errors[i] = rel_error(numeric, float(analytic_grad[ix]))
    return errors


def to_numpy(x) -> np.ndarray:
    """A NumPy copy of an array, tensor (any device) or number."""
    if _is_torch(x):
        return x.detach().cpu().numpy()
    return np.array(x)


def rel_error(x, y) -> float:
    """Largest elementwise relative error ``|x - y| / max(1e-8, |x| + |y|)``.

    Equal entries (infinities included) count as 0; a NaN on either side counts as
    infinitely wrong, so a NaN can never pass a tolerance.
    """
    x, y = to_numpy(x).astype(np.float64), to_numpy(y).astype(np.float64)
    with np.errstate(all="ignore"):
        err = np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))
        err = np.where(x == y, 0.0, err)
    err = np.where(np.isnan(err), np.inf, err)
    return float(np.max(err)) if err.size else 0.0


def torch_jacobians(fn, inputs, eps: float = 1e-6):
    """(numerical, analytical) Jacobians of ``fn(*inputs)`` with respect to each
    input, as float64 arrays of shape (output size, input size). ``inputs`` are
    float64 tensors; ``fn`` gets fresh copies of them on every call (what it does
    to them changes nothing here). The analytical Jacobian comes from one backward
    pass per output element, the numerical one from centred differences with step
    ``eps`` (torch.autograd.gradcheck's). Only tensor methods are used on the
    output, so an output that lives in another process (the class grader's)
    works the same way."""
    import torch

    base = [x.detach().clone() for x in inputs]
    leaves = [x.clone().requires_grad_() for x in base]
    out = fn(*leaves)
    shape, size = tuple(out.shape), int(out.numel())
    analytic = [np.zeros((size, int(x.numel()))) for x in base]
    so_far = [np.zeros(int(x.numel())) for x in base]
    for k in range(size):
        seed = torch.zeros(size, dtype=out.dtype)
        seed[k] = 1.0
        out.backward(seed.reshape(shape).to(out.device), retain_graph=True)
        for x, rows, total in zip(leaves, analytic, so_far, strict=True):
            now = np.zeros(total.shape) if x.grad is None else to_numpy(x.grad).ravel()
            rows[k] = now - total  # the gradients add up over the passes
            total[:] = now

    def at(i, j, step):
        moved = [x.clone() for x in base]
        moved[i].view(-1)[j] += step
        return to_numpy(fn(*moved)).ravel()

    numeric = []
    with torch.no_grad():
        for i, x in enumerate(base):
            columns = np.zeros((size, int(x.numel())))
            for j in range(columns.shape[1]):
                columns[:, j] = (at(i, j, eps) - at(i, j, -eps)) / (2 * eps)
            numeric.append(columns)
    return numeric, analytic
