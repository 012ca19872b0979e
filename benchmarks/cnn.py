"""Unit 06_cnn: the fast layers (lib.conv) against the notebook's loop versions and
against torch on the CPU, and the convolutional network's test accuracy."""

from __future__ import annotations

import numpy as np

from benchmarks.training import solution_namespace, train
from lib import conv, data, layers
from lib.timing import best_of

# (x shape, number of filters, filter size): the two layers.
SHAPES = [((64, 3, 28, 28), 16, 5), ((64, 16, 14, 14), 32, 3)]


def _conv_pass(forward, backward, x, w, b, param):
    out, cache = forward(x, w, b, param)
    backward(np.ones_like(out), cache)


def _torch_pass(x, w, b, pad):
    import torch
    import torch.nn.functional as F

    tensors = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]

    def run():
        out = F.conv2d(*tensors, padding=pad)
        out.backward(torch.ones_like(out))

    return run


def rows() -> list[tuple[str, float, str]]:
    import torch

    naive = solution_namespace(
        "06_cnn", "cnn.ipynb", ["conv_forward_naive", "conv_backward_naive"]
    )
    found = []
    rng = np.random.default_rng(0)
    threads = torch.get_num_threads()
    cases = []
    for x_shape, filters, k in SHAPES:
        x = rng.normal(size=x_shape).astype(np.float32)
        w = rng.normal(size=(filters, x_shape[1], k, k)).astype(np.float32)
        cases.append(
            (x, w, np.zeros(filters, np.float32), {"stride": 1, "pad": (k - 1) // 2})
        )
    # NumPy first, torch after: torch's worker threads keep spinning for a while
    # after each call and would slow down whatever NumPy runs next.
    fast = [
        best_of(
            _conv_pass,
            conv.conv_forward_fast,
            conv.conv_backward_fast,
            *case,
            repeats=15,
        )
        for case in cases
    ]
    # The loops scale linearly with the batch: time 4 images, scale to the batch.
    slow = [
        best_of(
            _conv_pass,
            naive["conv_forward_naive"],
            naive["conv_backward_naive"],
            x[:4],
            w,
            b,
            param,
            repeats=1,
        )
        * (len(x) / 4)
        for x, w, b, param in cases
    ]
    reference = [
        best_of(_torch_pass(x, w, b, param["pad"]), repeats=15)
        for x, w, b, param in cases
    ]
    for (x_shape, filters, k), f, s_, r in zip(
        SHAPES, fast, slow, reference, strict=True
    ):
        label = f"06: conv {x_shape} x {filters} {k}x{k}, fwd+bwd"
        found += [
            (f"{label}, fast (ms)", f * 1e3, ""),
            (f"{label}, torch (ms)", r * 1e3, ""),
            (f"{label}, fast / torch", f / r, "<= 3"),
            (f"{label}, naive / fast", s_ / f, ">= 100"),
        ]
    pool_x = rng.normal(size=(64, 16, 28, 28)).astype(np.float32)
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}

    def pool_pass():
        out, cache = conv.max_pool_forward_fast(pool_x, pool_param)
        conv.max_pool_backward_fast(np.ones_like(out), cache)

    found.append(
        ("06: max pool (64, 16, 28, 28), fwd+bwd (ms)", best_of(pool_pass) * 1e3, "")
    )
    images = data.standardize(data.load_images(), images=True)
    net_ns = solution_namespace(
        "06_cnn", "cnn.ipynb", ["ThreeLayerConvNet"], conv=conv, layers=layers
    )
    net = net_ns["ThreeLayerConvNet"](
        input_dim=images["X_train"].shape[1:],
        num_filters=16,
        filter_size=5,
        hidden_dim=100,
        weight_scale=1e-2,
        reg=1e-4,
    )
    train(net, images, "adam", 1e-3, 50, 4)
    accuracy = float(
        np.mean(net.loss(images["X_test"]).argmax(axis=1) == images["y_test"])
    )
    found.append(
        ("06: ThreeLayerConvNet test accuracy (fast layers)", accuracy, ">= 0.90")
    )
    found.append(("06: torch CPU threads used for the comparison", float(threads), ""))
    return found
