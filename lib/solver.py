"""Solver: trains any model with ``params`` and ``loss(X, y=None)`` using lib.optim.

The model contract (as in the course's networks):
    model.params: dict name -> array, updated in place by the solver;
    model.loss(X): scores (N, C); model.loss(X, y): (loss, grads) with grads a dict
    with the same keys as params.

Shapes: N examples, C classes. Training is reproducible: the mini-batches come from
``np.random.default_rng(seed)``. ``EarlyStopping`` (unit 05's answer; this is the
course's version) ends training when the validation accuracy stops improving.
"""

from __future__ import annotations

import copy
import sys
import time

import numpy as np

from lib import optim


class EarlyStopping:
    """Stop when the metric (higher is better) has not improved on its best by
    more than ``min_delta`` for ``patience`` epochs in a row.

    ``update(epoch, metric)`` records one epoch and returns True when it is time
    to stop; ``best_metric`` and ``best_epoch`` say where the best was."""

    def __init__(self, patience=5, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_metric = -np.inf
        self.best_epoch = None
        self.bad_epochs = 0

    def update(self, epoch, metric) -> bool:
        if metric > self.best_metric + self.min_delta:
            self.best_metric, self.best_epoch, self.bad_epochs = metric, epoch, 0
        else:
            self.bad_epochs += 1
        return self.bad_epochs >= self.patience


class Solver:
    """Mini-batch training with an update rule, learning-rate decay and early best.

    Args:
        model: object with ``params`` and ``loss`` as above.
        data: dict with X_train, y_train, X_val, y_val.
        update_rule: a name from ``lib.optim.RULES`` or a rule function.
        optim_config: hyperparameters for the rule (e.g. learning_rate); each
            parameter gets its own copy, which also holds that parameter's state.
        lr_decay: the learning rate is multiplied by this after every epoch.
        batch_size: examples per step.
        num_epochs: passes over the training data.
        num_train_samples: training examples used to measure training accuracy
            each epoch (None: all).
        num_val_samples: validation examples used per check (None: all).
        seed: seed for the mini-batch order and the accuracy samples.
        progress: print one line per epoch, with a bar, to ``stream``.
        early_stopping: an object with ``update(epoch, val_acc) -> bool`` and
            ``best_metric`` / ``best_epoch`` (``EarlyStopping``): training ends
            after the first epoch for which it returns True. ``stopped_epoch`` and
            ``stop_reason`` then say when and why (None and "" otherwise).
    """

    def __init__(
        self,
        model,
        data,
        update_rule="sgd",
        optim_config=None,
        lr_decay=1.0,
        batch_size=100,
        num_epochs=10,
        num_train_samples=1000,
        num_val_samples=None,
        seed=0,
        progress=True,
        stream=None,
        early_stopping=None,
    ):
        missing = {"X_train", "y_train", "X_val", "y_val"} - set(data)
        if missing:
            raise ValueError(f"data is missing {sorted(missing)}")
        self.model = model
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]
        if isinstance(update_rule, str):
            if update_rule not in optim.RULES:
                raise ValueError(
                    f"unknown update rule {update_rule!r}; choose one of "
                    f"{sorted(optim.RULES)}"
                )
            update_rule = optim.RULES[update_rule]
        self.update_rule = update_rule
        self.optim_config = dict(optim_config or {})
        self.lr_decay = lr_decay
        self.batch_size = batch_size
        self.num_epochs = num_epochs
        self.num_train_samples = num_train_samples
        self.num_val_samples = num_val_samples
        self.rng = np.random.default_rng(seed)
        self.progress = progress
        self.stream = stream or sys.stdout
        self.configs = {name: dict(self.optim_config) for name in model.params}
        self.loss_history: list[float] = []
        self.train_acc_history: list[float] = []
        self.val_acc_history: list[float] = []
        self.best_val_acc = -1.0
        self.best_params: dict = {}
        self.early_stopping = early_stopping
        self.stopped_epoch: int | None = None
        self.stop_reason = ""

    def _step(self) -> None:
        batch = self.rng.integers(0, len(self.X_train), self.batch_size)
        loss, grads = self.model.loss(self.X_train[batch], self.y_train[batch])
        self.loss_history.append(float(loss))
        optim.update_params(self.model.params, grads, self.update_rule, self.configs)

    def check_accuracy(self, X, y, num_samples=None, batch_size=100) -> float:
        """Fraction of (a random sample of num_samples of) X classified as y."""
        if num_samples is not None and len(X) > num_samples:
            pick = self.rng.choice(len(X), num_samples, replace=False)
            X, y = X[pick], y[pick]
        predictions = [
            np.argmax(self.model.loss(X[i : i + batch_size]), axis=1)
            for i in range(0, len(X), batch_size)
        ]
        return float(np.mean(np.concatenate(predictions) == y))

    def train(self) -> Solver:
        """Run num_epochs epochs; keep the parameters with the best validation
        accuracy in ``best_params`` and put them into the model at the end."""
        steps_per_epoch = max(len(self.X_train) // self.batch_size, 1)
        start = time.perf_counter()
        for epoch in range(1, self.num_epochs + 1):
            for _ in range(steps_per_epoch):
                self._step()
            for config in self.configs.values():
                if "learning_rate" in config:
                    config["learning_rate"] *= self.lr_decay
            train_acc = self.check_accuracy(
                self.X_train, self.y_train, self.num_train_samples
            )
            val_acc = self.check_accuracy(self.X_val, self.y_val, self.num_val_samples)
            self.train_acc_history.append(train_acc)
            self.val_acc_history.append(val_acc)
            if val_acc > self.best_val_acc:
                self.best_val_acc = val_acc
                self.best_params = copy.deepcopy(self.model.params)
            if self.progress:
                done = int(20 * epoch / self.num_epochs)
                print(
                    f"epoch {epoch:3d}/{self.num_epochs} [{'#' * done}"
                    f"{'.' * (20 - done)}] loss {self.loss_history[-1]:.4f} "
                    f"train {train_acc:.3f} val {val_acc:.3f} "
                    f"({time.perf_counter() - start:.1f} s)",
                    file=self.stream,
                )
            stopper = self.early_stopping
            if stopper is not None and stopper.update(epoch, val_acc):
                self.stopped_epoch = epoch
                self.stop_reason = (
                    f"stopped early after epoch {epoch} of {self.num_epochs}: the "
                    f"validation accuracy has not beaten {stopper.best_metric:.4f} "
                    f"(epoch {stopper.best_epoch}) for {epoch - stopper.best_epoch} "
                    "epochs"
                )
                if self.progress:
                    print(self.stop_reason, file=self.stream)
                break
        self.model.params.update(copy.deepcopy(self.best_params))
        return self
