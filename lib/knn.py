"""Reference k-nearest-neighbour pieces, for the tests of unit 01.

Shapes: M query points, N training points, D features.

Tests of one answer plug these in for the answers it depends on, so that one bug
costs points once. Graded answers must not call this module (the checks refuse it).
"""

from __future__ import annotations

import numpy as np


def pairwise_l2(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Euclidean distances between rows: X (M, D), Y (N, D) -> (M, N)."""
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    squared = (X * X).sum(1)[:, None] + (Y * Y).sum(1)[None, :] - 2.0 * X @ Y.T
    # Rounding can leave tiny negatives where a distance is 0.
    return np.sqrt(np.maximum(squared, 0.0))


def pairwise_l1(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Manhattan distances between rows: X (M, D), Y (N, D) -> (M, N)."""
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    return np.abs(X[:, None, :] - Y[None, :, :]).sum(-1)


def vote(dists: np.ndarray, y_train: np.ndarray, k: int = 1) -> np.ndarray:
    """Majority label of the k nearest training points; ties go to the smaller label.

    Args:
        dists: (M, N) distances from M queries to N training points.
        y_train: (N,) non-negative integer labels.
        k: number of neighbours.

    Returns:
        (M,) int64 predicted labels.
    """
    nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]
    labels = np.asarray(y_train)[nearest]
    counts = np.zeros((len(dists), int(np.max(y_train)) + 1), dtype=np.int64)
    np.add.at(counts, (np.arange(len(dists))[:, None], labels), 1)
    return counts.argmax(axis=1)  # argmax returns the first (smallest) of ties


def cross_validate(
    X: np.ndarray, y: np.ndarray, k_choices, num_folds: int = 5
) -> dict[int, list[float]]:
    """Accuracy of kNN (L2) on each of ``num_folds`` contiguous folds, for each k."""
    X_folds, y_folds = np.array_split(X, num_folds), np.array_split(y, num_folds)
    results: dict[int, list[float]] = {k: [] for k in k_choices}
    for i in range(num_folds):
        X_tr = np.concatenate(X_folds[:i] + X_folds[i + 1 :])
        y_tr = np.concatenate(y_folds[:i] + y_folds[i + 1 :])
        dists = pairwise_l2(X_folds[i], X_tr)
        for k in k_choices:
            results[k].append(float(np.mean(vote(dists, y_tr, k) == y_folds[i])))
    return results
