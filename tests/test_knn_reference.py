"""lib.knn against SciPy and plain loops."""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist

from lib import knn


def test_distances_match_scipy_including_repeated_points():
    rng = np.random.default_rng(0)
    X, Y = rng.uniform(0, 255, (6, 50)), rng.uniform(0, 255, (4, 50))
    Y[0] = X[0]
    l2 = knn.pairwise_l2(X, Y)
    assert np.all(np.isfinite(l2)) and np.allclose(l2, cdist(X, Y), atol=1e-4)
    assert np.allclose(knn.pairwise_l1(X, Y), cdist(X, Y, "cityblock"))


def _vote_by_loops(dists, y, k):
    out = []
    for row in dists:
        labels = y[np.argsort(row, kind="stable")[:k]]
        counts = {c: int(np.sum(labels == c)) for c in set(labels.tolist())}
        top = max(counts.values())
        out.append(min(c for c, n in counts.items() if n == top))
    return np.array(out)


def test_vote_breaks_ties_towards_the_smallest_label():
    rng = np.random.default_rng(1)
    dists, y = rng.uniform(size=(40, 9)), rng.integers(0, 4, 9)
    for k in (1, 2, 4, 9):
        assert np.array_equal(knn.vote(dists, y, k), _vote_by_loops(dists, y, k))


def test_cross_validate_uses_contiguous_folds():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(23, 3)), rng.integers(0, 3, 23)
    result = knn.cross_validate(X, y, [1, 3], num_folds=4)
    folds = np.array_split(np.arange(23), 4)
    for i, fold in enumerate(folds):
        rest = np.setdiff1d(np.arange(23), fold)
        pred = _vote_by_loops(cdist(X[fold], X[rest]), y[rest], 3)
        assert result[3][i] == np.mean(pred == y[fold])
