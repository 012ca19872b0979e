"""Unit 05_regularization: training across weight scales with and without batch
norm, the dropout train/validation loss gap, and the closed-form batch-norm backward
against the step-by-step one (reference implementations, the notebook's settings)."""

from __future__ import annotations

import numpy as np

from benchmarks.training import solution_namespace, train
from lib import data, layers, networks
from lib.timing import best_of

SCALES = np.logspace(-4, 0, 9)
TRAINS = 0.5  # best validation accuracy that counts as "trains"


def _best_val(mnist, normalization_kind, scale) -> float:
    net = networks.FullyConnectedNet(
        [100] * 5, weight_scale=scale, normalization=normalization_kind
    )
    run = train(net, data.first_train(mnist, 1000), "adam", 1e-3, 50, 5)
    return run.best_val_acc


def _loss_gap(mnist, keep) -> float:
    tiny = data.first_train(mnist, 500)
    net = networks.FullyConnectedNet(
        [512, 512], weight_scale=0.05, dropout_keep_ratio=keep
    )
    train(net, tiny, "adam", 1e-3, 50, 20)
    losses = [
        layers.softmax_loss(net.loss(tiny[f"X_{part}"]), tiny[f"y_{part}"])[0]
        for part in ("train", "val")
    ]
    return float(losses[1] - losses[0])


def rows() -> list[tuple[str, float, str]]:
    mnist = data.standardize(data.load_images())
    trains = {
        kind: [_best_val(mnist, kind, s) >= TRAINS for s in SCALES]
        for kind in (None, "batchnorm")
    }
    only_bn = sum(
        b and not p for b, p in zip(trains["batchnorm"], trains[None], strict=True)
    )
    bn = solution_namespace(
        "05_regularization",
        "regularization.ipynb",
        ["batchnorm_forward", "batchnorm_backward", "batchnorm_backward_alt"],
    )
    rng = np.random.default_rng(0)
    x, dout = rng.normal(size=(500, 1000)), rng.normal(size=(500, 1000))
    _, cache = bn["batchnorm_forward"](
        x, np.ones(1000), np.zeros(1000), {"mode": "train"}
    )
    graph = best_of(bn["batchnorm_backward"], dout, cache, repeats=7)
    alt = best_of(bn["batchnorm_backward_alt"], dout, cache, repeats=7)
    n = len(SCALES)
    return [
        (
            f"05: weight scales (of {n}) that train, no norm",
            float(sum(trains[None])),
            "",
        ),
        (
            f"05: weight scales (of {n}) that train, batch norm",
            float(sum(trains["batchnorm"])),
            ">= 7",
        ),
        ("05: ... scales that train only with batch norm", float(only_bn), ">= 3"),
        ("05: val - train loss gap, no dropout", _loss_gap(mnist, 1.0), ""),
        ("05: val - train loss gap, keep 0.3", _loss_gap(mnist, 0.3), ""),
        ("05: batchnorm_backward, 500x1000 (ms)", graph * 1e3, ""),
        ("05: batchnorm_backward_alt speed-up (x)", graph / alt, ">= 1.0"),
    ]
