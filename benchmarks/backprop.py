"""Unit 04_backprop: the two-layer net's test accuracy, overfitting 50 examples, and
the network loss-landscape slice, all with the course's reference networks on the
default dataset (the notebook's settings); and the universal-approximation
explorer's redraw after its width slider moves."""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np

from benchmarks.redraw import REDRAW_TARGET, slowest_redraw
from benchmarks.training import train
from lib import data, explorers, networks
from lib.explorers import render_png
from lib.timing import stopwatch


def rows() -> list[tuple[str, float, str]]:
    mnist = data.standardize(data.load_images())
    net = networks.FullyConnectedNet([100], reg=1e-3, weight_scale=1e-2)
    train(net, mnist, "sgd_momentum", 0.05, 50, 20, lr_decay=0.95)
    accuracy = float(
        np.mean(net.loss(mnist["X_test"]).argmax(axis=1) == mnist["y_test"])
    )
    deep = networks.FullyConnectedNet([100, 100, 100], weight_scale=0.1)
    run = train(deep, data.first_train(mnist, 50), "adam", 1e-2, 25, 20)
    first_perfect = next(
        (e + 1 for e, acc in enumerate(run.train_acc_history) if acc == 1.0), np.inf
    )

    def landscape():
        ax = explorers.plot_network_landscape(
            net,
            mnist["X_train"][:500],
            mnist["y_train"][:500],
            kind="2d",
            span=1.0,
            resolution=25,
        )
        render_png(ax.figure)

    seconds = stopwatch(landscape)
    plt.close("all")
    return [
        ("04: two-layer net, test accuracy", accuracy, ">= 0.92"),
        (
            "04: 3 hidden layers on 50 images, train accuracy",
            max(run.train_acc_history),
            ">= 1.0",
        ),
        (
            "04: ... first epoch at 100% train accuracy",
            float(first_perfect),
            "<= 20",
        ),
        ("04: 25x25 loss-landscape slice, 500 images (s)", seconds, "<= 5"),
        _approximation_row(),
        (
            "04: initialisation explorer, slowest of all controls (s)",
            slowest_redraw(explorers.interact_initialisation()),
            REDRAW_TARGET,
        ),
        (
            "04: approximation explorer, slowest of all controls (s)",
            slowest_redraw(explorers.interact_approximation()),
            REDRAW_TARGET,
        ),
        (
            "04: network-landscape explorer, slowest of all controls (s)",
            slowest_redraw(
                explorers.interact_network_landscape(
                    net, mnist["X_train"][:500], mnist["y_train"][:500]
                )
            ),
            REDRAW_TARGET,
        ),
    ]


def _approximation_row() -> tuple[str, float, str]:
    box = explorers.interact_approximation()
    width = box.controls["width"]
    times = []
    for value in (16, 128, 1, 64, 8, 100, 32):
        start = time.perf_counter()
        width.value = value  # refits, redraws both panels, renders the PNG
        times.append(time.perf_counter() - start)
    plt.close("all")
    return (
        "04: universal-approximation explorer redraw, slowest (s)",
        max(times),
        "<= 1",
    )
