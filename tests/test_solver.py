"""lib.solver: trains a model through the params/loss contract, reproducibly."""

from __future__ import annotations

import io

import numpy as np
import pytest

from lib import layers
from lib.solver import Solver


class SoftmaxRegression:
    """A one-layer model with the course's params/loss contract."""

    def __init__(self, dim, classes, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": 1e-3 * rng.normal(size=(dim, classes)),
            "b1": np.zeros(classes),
        }

    def loss(self, X, y=None):
        scores, cache = layers.affine_forward(X, self.params["W1"], self.params["b1"])
        if y is None:
            return scores
        loss, dscores = layers.softmax_loss(scores, y)
        _, dW, db = layers.affine_backward(dscores, cache)
        return loss, {"W1": dW, "b1": db}


def _data(seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=3, size=(3, 4))
    y = rng.integers(0, 3, 400)
    X = centres[y] + rng.normal(size=(400, 4))
    return {"X_train": X[:300], "y_train": y[:300], "X_val": X[300:], "y_val": y[300:]}


def _train(seed=0, **kwargs):
    model = SoftmaxRegression(4, 3)
    solver = Solver(
        model,
        _data(),
        update_rule="sgd_momentum",
        optim_config={"learning_rate": 0.1},
        num_epochs=5,
        batch_size=50,
        seed=seed,
        stream=io.StringIO(),
        **kwargs,
    )
    return model, solver.train()


def test_solver_learns_and_keeps_the_best_parameters():
    model, solver = _train()
    assert len(solver.loss_history) == 5 * 6 and len(solver.val_acc_history) == 5
    assert solver.loss_history[-1] < solver.loss_history[0]
    assert solver.best_val_acc == max(solver.val_acc_history) > 0.9
    assert solver.check_accuracy(_data()["X_val"], _data()["y_val"]) == (
        solver.best_val_acc
    )
    assert "epoch   5/5" in solver.stream.getvalue()


def test_solver_is_reproducible_and_decays_the_learning_rate():
    _, first = _train(seed=3, lr_decay=0.5)
    _, second = _train(seed=3, lr_decay=0.5)
    assert first.loss_history == second.loss_history
    assert first.configs["W1"]["learning_rate"] == pytest.approx(0.1 * 0.5**5)


def test_unknown_rules_and_missing_data_are_explained():
    with pytest.raises(ValueError, match="unknown update rule"):
        Solver(SoftmaxRegression(4, 3), _data(), update_rule="lion")
    with pytest.raises(ValueError, match="X_val"):
        Solver(SoftmaxRegression(4, 3), {"X_train": 0, "y_train": 0, "y_val": 0})


def test_early_stopping_counts_epochs_without_a_real_improvement():
    from lib.solver import EarlyStopping

    stopper = EarlyStopping(patience=2, min_delta=0.01)
    curve = [0.50, 0.505, 0.52, 0.525, 0.53, 0.52]
    stops = [stopper.update(epoch, acc) for epoch, acc in enumerate(curve, start=1)]
    # 0.505 is within min_delta of 0.50; 0.52 beats it; 0.525 and 0.53 do not beat
    # 0.52 by more than 0.01, so the second of them ends training.
    assert stops == [False, False, False, False, True, True]
    assert (stopper.best_metric, stopper.best_epoch) == (0.52, 3)


class _Scripted:
    """An early-stopping rule that stops at a given epoch (what Solver does with
    any object of that interface)."""

    best_metric, best_epoch = 0.5, 1

    def __init__(self, at):
        self.at, self.seen = at, []

    def update(self, epoch, metric):
        self.seen.append(epoch)
        return epoch == self.at


def test_solver_stops_when_told_and_says_why():
    stopper = _Scripted(at=3)
    stream = io.StringIO()
    run = Solver(
        SoftmaxRegression(4, 3),
        _data(),
        "sgd",
        {"learning_rate": 0.1},
        num_epochs=10,
        early_stopping=stopper,
        stream=stream,
    ).train()
    assert stopper.seen == [1, 2, 3] and len(run.val_acc_history) == 3
    assert run.stopped_epoch == 3
    assert run.stop_reason == (
        "stopped early after epoch 3 of 10: the validation accuracy has not beaten "
        "0.5000 (epoch 1) for 2 epochs"
    )
    assert run.stop_reason in stream.getvalue()
    full = Solver(SoftmaxRegression(4, 3), _data(), num_epochs=2, progress=False)
    assert full.train().stopped_epoch is None and full.stop_reason == ""
