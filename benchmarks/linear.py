"""Unit 02_linear: test accuracy of both classifiers on the embedded MNIST-5k."""

from __future__ import annotations

import numpy as np

from grading import notebook
from grading.layout import ROOT as REPO
from lib import data, tuning

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
    # The notebook's preprocessing (the same as the graded tuning's).
    arrays = tuning.linear_preprocess(data.load_mnist_5k())
    found = []
    for kind, settings in SETTINGS.items():
        clf = answers["LinearClassifier"](loss=kind, seed=0)
        clf.train(
            arrays["X_train"],
            arrays["y_train"],
            num_iters=1500,
            batch_size=200,
            **settings,
        )
        accuracy = float(np.mean(clf.predict(arrays["X_test"]) == arrays["y_test"]))
        found.append(
            (f"02_linear: {kind} test accuracy", accuracy, f">= {ACCURACY_TARGET}")
        )
    return found
