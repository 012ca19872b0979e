"""Unit 02_linear: test accuracy of both classifiers on the embedded MNIST-5k."""

from __future__ import annotations

import numpy as np

from grading import notebook
from grading.layout import ROOT as REPO
from lib import data

ACCURACY_TARGET = 0.85
# Hyperparameters from the notebook's validation search (its heat maps).
SETTINGS = {
    "svm": dict(learning_rate=0.03, reg=1e-3),
    "softmax": dict(learning_rate=1.0, reg=1e-3),
}


def rows() -> list[tuple[str, float, str]]:
    answers = notebook.load_answers(
        REPO / "solutions" / "02_linear" / "linear.ipynb",
        ["svm_loss_vectorized", "softmax_loss_vectorized", "LinearClassifier"],
    )
    split = data.load_mnist_5k()
    mean = (split.X_train / 255.0).mean(axis=0)

    def prepare(images):
        return np.hstack([images / 255.0 - mean, np.ones((len(images), 1))])

    found = []
    for kind, settings in SETTINGS.items():
        clf = answers["LinearClassifier"](loss=kind, seed=0)
        clf.train(
            prepare(split.X_train),
            split.y_train,
            num_iters=1500,
            batch_size=200,
            **settings,
        )
        accuracy = float(np.mean(clf.predict(prepare(split.X_test)) == split.y_test))
        found.append(
            (f"02_linear: {kind} test accuracy", accuracy, f">= {ACCURACY_TARGET}")
        )
    return found
