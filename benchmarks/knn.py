"""Unit 01_knn: the three L2 distance versions, and no-loop vs one matrix product."""

from __future__ import annotations

import numpy as np

from grading import notebook
from grading.layout import ROOT as REPO
from lib import data
from lib.timing import best_of

RATIO_TARGET = 1.5  # no-loop time / one float64 matrix product of the same size


def rows() -> list[tuple[str, float, str]]:
    versions = ("two_loops", "one_loop", "no_loops")
    answers = notebook.load_answers(
        REPO / "solutions" / "01_knn" / "knn.ipynb",
        [f"compute_distances_{v}" for v in versions],
    )
    split = data.load_mnist_5k()
    small = (split.X_val[:100], split.X_train[:1000])
    found = []
    for version, repeats in (("two_loops", 1), ("one_loop", 3), ("no_loops", 5)):
        fn = answers[f"compute_distances_{version}"]
        found.append(
            (
                f"01_knn: {version} 100x1000 (ms)",
                1e3 * best_of(fn, *small, repeats=repeats),
                "",
            )
        )
    X_test, X_train = split.X_test, split.X_train
    no_loops = best_of(
        answers["compute_distances_no_loops"], X_test, X_train, repeats=7
    )
    product = best_of(lambda a, b: a @ b.T, X_test, X_train, repeats=7)
    label = f"{len(X_test)}x{len(X_train)}x{X_train.shape[1]}"
    found.append((f"01_knn: no_loops {label} (ms)", 1e3 * no_loops, ""))
    found.append((f"01_knn: matrix product {label} (ms)", 1e3 * product, ""))
    found.append(
        ("01_knn: no_loops / matrix product", no_loops / product, f"<= {RATIO_TARGET}")
    )
    assert np.allclose(
        answers["compute_distances_no_loops"](*small),
        answers["compute_distances_one_loop"](*small),
    )
    return found
