"""lib.conv's fast layers against torch: values and autograd gradients, for several
strides, paddings and pool sizes; clear errors for shapes that do not fit."""

from __future__ import annotations

import numpy as np
import pytest
import torch.nn.functional as F

from lib import conv, oracles

rng = np.random.default_rng(0)


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "stride", "pad"),
    [
        ((2, 3, 7, 7), (4, 3, 3, 3), 1, 1),
        ((3, 2, 9, 9), (5, 2, 3, 3), 2, 0),
        ((2, 3, 8, 8), (2, 3, 5, 5), 1, 2),
        ((1, 1, 6, 4), (3, 1, 2, 2), 2, 0),
        ((2, 2, 8, 7), (3, 2, 3, 3), 2, 0),  # floor: a leftover column
    ],
)
def test_conv_matches_torch(x_shape, w_shape, stride, pad):
    x, w, b = (
        rng.normal(size=x_shape),
        rng.normal(size=w_shape),
        rng.normal(size=w_shape[0]),
    )
    out, cache = conv.conv_forward_fast(x, w, b, {"stride": stride, "pad": pad})
    dout = rng.normal(size=out.shape)
    expected, grads = oracles.torch_backward(
        lambda x, w, b: F.conv2d(x, w, b, stride=stride, padding=pad),
        x,
        w,
        b,
        dout=dout,
    )
    assert np.allclose(out, expected, atol=1e-12)
    for ours, theirs in zip(conv.conv_backward_fast(dout, cache), grads, strict=True):
        assert ours.shape == theirs.shape
        assert np.allclose(ours, theirs, atol=1e-12)


@pytest.mark.parametrize(("size", "stride"), [(2, 2), (3, 2), (2, 1)])
def test_max_pool_matches_torch(size, stride):
    x = rng.normal(size=(2, 3, 7, 7)) if size == 3 else rng.normal(size=(2, 3, 8, 8))
    param = {"pool_height": size, "pool_width": size, "stride": stride}
    out, cache = conv.max_pool_forward_fast(x, param)
    dout = rng.normal(size=out.shape)
    expected, (dx,) = oracles.torch_backward(
        lambda t: F.max_pool2d(t, size, stride), x, dout=dout
    )
    assert np.array_equal(out, expected)
    assert np.allclose(conv.max_pool_backward_fast(dout, cache), dx, atol=1e-12)


def test_float32_stays_float32():
    x = rng.normal(size=(2, 3, 6, 6)).astype(np.float32)
    w = rng.normal(size=(4, 3, 3, 3)).astype(np.float32)
    out, cache = conv.conv_forward_fast(x, w, np.zeros(4, np.float32), {"pad": 1})
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv.conv_backward_fast(out, cache))


def test_shapes_that_do_not_fit_raise_clear_errors():
    x = np.zeros((1, 3, 6, 6))
    with pytest.raises(ValueError, match="channels"):
        conv.conv_forward_fast(x, np.zeros((2, 4, 3, 3)), np.zeros(2), {})
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv.conv_forward_fast(x, np.zeros((2, 3, 9, 9)), np.zeros(2), {"pad": 1})
    with pytest.raises(ValueError, match="height"):
        conv.max_pool_forward_fast(x, {"pool_height": 7, "pool_width": 2, "stride": 1})


def test_measured_receptive_field_matches_the_recurrence():
    from lib import oracles

    assert oracles.measured_receptive_field([3], [1]) == 3
    assert oracles.measured_receptive_field([3, 3], [2, 2]) == 7
    assert oracles.measured_receptive_field([5, 2, 3], [2, 2, 1]) == 1 + 4 + 2 + 8
