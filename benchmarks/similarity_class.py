"""A synthetic class of 01_knn for `course.py similar`: independent authors, each
with a style of their own (written separately, as students would), and planted
copies of some of them: renamed and recommented, reordered with new literals,
and one with a function rewritten. ``build`` returns student -> answer -> source;
``PLANTED`` lists the copied pairs."""

from __future__ import annotations

import re

AUTHORS = {
    "ana": {
        "compute_distances_two_loops": """
def compute_distances_two_loops(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    # compare every test row with every training row
    for i in range(num_test):
        row = X_test[i].astype(float)
        for j in range(num_train):
            gap = row - X_train[j]
            dists[i, j] = np.sqrt(gap.dot(gap))
    return dists
""",
        "compute_distances_one_loop": """
def compute_distances_one_loop(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    train = X_train.astype(float)
    for i in range(num_test):
        squared = (train - X_test[i].astype(float)) ** 2
        dists[i, :] = np.sqrt(squared.sum(axis=1))
    return dists
""",
        "compute_distances_no_loops": """
def compute_distances_no_loops(X_test, X_train):
    a = X_test.astype(float)
    b = X_train.astype(float)
    cross = a @ b.T
    sq_a = (a * a).sum(axis=1).reshape(-1, 1)
    sq_b = (b * b).sum(axis=1).reshape(1, -1)
    d2 = sq_a - 2 * cross + sq_b
    d2[d2 < 0] = 0
    dists = np.sqrt(d2)
    return dists
""",
        "predict_labels": """
def predict_labels(dists, y_train, k=1):
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=np.int64)
    for i in range(num_test):
        order = np.argsort(dists[i], kind="stable")
        closest = y_train[order[:k]]
        counts = np.bincount(closest)
        y_pred[i] = int(np.argmax(counts))
    return y_pred
""",
        "cross_validate_k": """
def cross_validate_k(X, y, k_choices, num_folds=5):
    k_to_accuracies = {k: [] for k in k_choices}
    parts_x = np.array_split(X, num_folds)
    parts_y = np.array_split(y, num_folds)
    for fold in range(num_folds):
        train_x = np.vstack([p for n, p in enumerate(parts_x) if n != fold])
        train_y = np.hstack([p for n, p in enumerate(parts_y) if n != fold])
        d = compute_distances_no_loops(parts_x[fold], train_x)
        for k in k_choices:
            guess = predict_labels(d, train_y, k)
            k_to_accuracies[k].append(np.mean(guess == parts_y[fold]))
    return k_to_accuracies
""",
    },
    "ben": {
        "compute_distances_two_loops": """
def compute_distances_two_loops(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for a in range(num_test):
        for b in range(num_train):
            total = 0.0
            for p in range(X_test.shape[1]):
                delta = float(X_test[a, p]) - float(X_train[b, p])
                total += delta * delta
            dists[a, b] = total ** 0.5
    return dists
""",
        "compute_distances_one_loop": """
def compute_distances_one_loop(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for a in range(num_test):
        dists[a] = np.linalg.norm(X_train.astype(np.float64) - X_test[a], axis=1)
    return dists
""",
        "compute_distances_no_loops": """
def compute_distances_no_loops(X_test, X_train):
    test = np.asarray(X_test, dtype=np.float64)
    train = np.asarray(X_train, dtype=np.float64)
    inner = np.matmul(test, np.transpose(train))
    norms_test = np.sum(np.square(test), axis=1)
    norms_train = np.sum(np.square(train), axis=1)
    result = norms_test[:, np.newaxis] + norms_train[np.newaxis, :] - 2.0 * inner
    return np.sqrt(np.clip(result, 0.0, None))
""",
        "predict_labels": """
def predict_labels(dists, y_train, k=1):
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=np.int64)
    neighbours = np.argsort(dists, axis=1, kind="stable")[:, :k]
    for a in range(num_test):
        votes = {}
        for label in y_train[neighbours[a]]:
            votes[label] = votes.get(label, 0) + 1
        best = max(votes.values())
        y_pred[a] = min(label for label, n in votes.items() if n == best)
    return y_pred
""",
        "cross_validate_k": """
def cross_validate_k(X, y, k_choices, num_folds=5):
    k_to_accuracies = {k: [] for k in k_choices}
    bounds = np.array_split(np.arange(len(X)), num_folds)
    for held in bounds:
        mask = np.ones(len(X), dtype=bool)
        mask[held] = False
        table = compute_distances_no_loops(X[held], X[mask])
        for k in k_choices:
            right = predict_labels(table, y[mask], k=k) == y[held]
            k_to_accuracies[k].append(right.sum() / len(held))
    return k_to_accuracies
""",
    },
    "cai": {
        "compute_distances_two_loops": """
import math

def compute_distances_two_loops(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for t, test_row in enumerate(X_test):
        for r, train_row in enumerate(X_train):
            s = np.sum((test_row.astype(np.float64) - train_row) ** 2)
            dists[t][r] = math.sqrt(s)
    return dists
""",
        "compute_distances_one_loop": """
def compute_distances_one_loop(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for t, test_row in enumerate(X_test.astype(np.float64)):
        gap = X_train - test_row
        dists[t] = np.sqrt(np.einsum("ij,ij->i", gap, gap))
    return dists
""",
        "compute_distances_no_loops": """
def compute_distances_no_loops(X_test, X_train):
    X_test = X_test.astype(np.float64)
    X_train = X_train.astype(np.float64)
    squares = np.einsum("nd,nd->n", X_test, X_test)[:, None] + np.einsum(
        "md,md->m", X_train, X_train)[None, :]
    squares -= 2 * np.einsum("nd,md->nm", X_test, X_train)
    return np.sqrt(np.maximum(squares, 0))
""",
        "predict_labels": """
from collections import Counter

def predict_labels(dists, y_train, k=1):
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=np.int64)
    for t, row in enumerate(dists):
        idx = sorted(range(len(row)), key=lambda j: (row[j], j))[:k]
        tally = Counter(int(y_train[j]) for j in idx)
        top = max(tally.values())
        y_pred[t] = sorted(lab for lab in tally if tally[lab] == top)[0]
    return y_pred
""",
        "cross_validate_k": """
def cross_validate_k(X, y, k_choices, num_folds=5):
    k_to_accuracies = {k: [] for k in k_choices}
    folds = list(zip(np.array_split(X, num_folds), np.array_split(y, num_folds)))
    for t, (x_val, y_val) in enumerate(folds):
        x_fit = np.concatenate([fx for s, (fx, _) in enumerate(folds) if s != t])
        y_fit = np.concatenate([fy for s, (_, fy) in enumerate(folds) if s != t])
        matrix = compute_distances_no_loops(x_val, x_fit)
        for k in k_choices:
            hit = predict_labels(matrix, y_fit, k) == y_val
            k_to_accuracies[k].append(float(hit.mean()))
    return k_to_accuracies
""",
    },
    "dee": {
        "compute_distances_two_loops": """
def compute_distances_two_loops(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    i = 0
    while i < num_test:
        j = 0
        while j < num_train:
            u, w = X_test[i].astype(float), X_train[j].astype(float)
            dists[i, j] = np.linalg.norm(u - w)
            j += 1
        i += 1
    return dists
""",
        "compute_distances_one_loop": """
def compute_distances_one_loop(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    Xtr = X_train.astype(float)
    i = 0
    while i < num_test:
        dists[i] = np.sqrt(np.square(Xtr - X_test[i]).sum(-1))
        i += 1
    return dists
""",
        "compute_distances_no_loops": """
def compute_distances_no_loops(X_test, X_train):
    from numpy import sqrt, maximum
    P = X_test.astype(float)
    Q = X_train.astype(float)
    G = P.dot(Q.T)
    out = -2 * G + (P ** 2).sum(1)[:, None] + (Q ** 2).sum(1)
    return sqrt(maximum(out, 0))
""",
        "predict_labels": """
def predict_labels(dists, y_train, k=1):
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=np.int64)
    i = 0
    while i < num_test:
        nn_labels = y_train[np.argsort(dists[i], kind="mergesort")[:k]]
        values, counts = np.unique(nn_labels, return_counts=True)
        y_pred[i] = values[np.argmax(counts)]
        i += 1
    return y_pred
""",
        "cross_validate_k": """
def cross_validate_k(X, y, k_choices, num_folds=5):
    k_to_accuracies = {k: [] for k in k_choices}
    edges = np.linspace(0, len(X), num_folds + 1).astype(int)
    i = 0
    while i < num_folds:
        lo, hi = edges[i], edges[i + 1]
        Xv, yv = X[lo:hi], y[lo:hi]
        Xt = np.concatenate([X[:lo], X[hi:]])
        yt = np.concatenate([y[:lo], y[hi:]])
        D = compute_distances_no_loops(Xv, Xt)
        for k in k_choices:
            k_to_accuracies[k].append(np.mean(predict_labels(D, yt, k) == yv))
        i += 1
    return k_to_accuracies
""",
    },
    "eli": {
        "compute_distances_two_loops": """
def compute_distances_two_loops(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i, j in np.ndindex(num_test, num_train):
        v = np.subtract(X_test[i], X_train[j], dtype=np.float64)
        dists[i, j] = np.sqrt(np.inner(v, v))
    return dists
""",
        "compute_distances_one_loop": """
def compute_distances_one_loop(X_test, X_train):
    num_test, num_train = X_test.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i in range(num_test):
        v = np.subtract(X_train, X_test[i], dtype=np.float64)
        dists[i] = np.sqrt(np.einsum("ab,ab->a", v, v))
    return dists
""",
        "compute_distances_no_loops": """
def compute_distances_no_loops(X_test, X_train):
    diff = X_test[:, None, :].astype(np.float64) - X_train[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
""",
        "predict_labels": """
def predict_labels(dists, y_train, k=1):
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=np.int64)
    part = np.argsort(dists, axis=1, kind="stable")[:, :k]
    labels = y_train[part]
    counts = np.zeros((num_test, y_train.max() + 1), dtype=int)
    np.add.at(counts, (np.arange(num_test)[:, None], labels), 1)
    y_pred[:] = counts.argmax(axis=1)
    return y_pred
""",
        "cross_validate_k": """
def cross_validate_k(X, y, k_choices, num_folds=5):
    k_to_accuracies = {k: [] for k in k_choices}
    ids = np.array_split(np.arange(X.shape[0]), num_folds)
    for v in ids:
        rest = np.setdiff1d(np.arange(X.shape[0]), v)
        dd = compute_distances_no_loops(X[v], X[rest])
        for k in k_choices:
            hits = np.count_nonzero(predict_labels(dd, y[rest], k=k) == y[v])
            k_to_accuracies[k].append(hits / v.size)
    return k_to_accuracies
""",
    },
}

_RENAMES = {
    "dists": "distance_matrix",
    "num_test": "n_te",
    "num_train": "n_tr",
    "row": "r0",
    "gap": "delta_vec",
    "train": "tr",
    "squared": "sq",
    "cross": "xy",
    "sq_a": "aa",
    "sq_b": "bb",
    "d2": "dd2",
    "order": "ranking",
    "closest": "near",
    "counts": "hist",
    "parts_x": "chunks_x",
    "parts_y": "chunks_y",
    "fold": "f",
    "train_x": "xfit",
    "train_y": "yfit",
    "guess": "yhat",
    "d": "dmat",
}


def _rename(source: str, renames: dict) -> str:
    for old, new in renames.items():
        source = re.sub(rf"\b{old}\b", new, source)
    return source


def _recomment(source: str) -> str:
    source = re.sub(r"#.*", "", source)
    return source.replace("    return", "    # done\n    return")


def planted() -> dict[str, dict[str, str]]:
    """The copies: student -> answer -> source."""
    ana, ben, cai = AUTHORS["ana"], AUTHORS["ben"], AUTHORS["cai"]
    copy1 = {a: _recomment(_rename(s, _RENAMES)) for a, s in ana.items()}
    # ben's, with a helper put first in each cell (reordered definitions) and new
    # literal values
    copy2 = {
        a: "def _unused_helper(z):\n    return z * 3\n\n"
        + s.replace("0.0", "0.").replace("2.0", "2.").replace("1", "1")
        for a, s in ben.items()
    }
    # cai's, renamed, with one function rewritten in its own way
    copy3 = {
        a: _rename(s, {"t": "q", "r": "w", "row": "line", "tally": "votes"})
        for a, s in cai.items()
    }
    copy3["compute_distances_no_loops"] = """
def compute_distances_no_loops(X_test, X_train):
    A = np.asarray(X_test, float)
    B = np.asarray(X_train, float)
    val = (A ** 2).sum(axis=1, keepdims=True) - 2 * A @ B.T + (B ** 2).sum(axis=1)
    return np.sqrt(val.clip(min=0))
"""
    return {"ana-copy": copy1, "ben-copy": copy2, "cai-copy": copy3}


PLANTED = [("ana", "ana-copy"), ("ben", "ben-copy"), ("cai", "cai-copy")]


def build() -> dict[str, dict[str, str]]:
    return {**AUTHORS, **planted()}
