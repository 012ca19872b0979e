"""Typical wrong answers for unit 01_knn; each must lose points in its own tests only.

Each case is applied to the solution's code for that answer (see
wrong_answer.WrongAnswer) and graded through nbgrader with the other answers
correct.
"""

from wrong_answer import WrongAnswer

# best_k is checked against the student's own k_to_accuracies, which their
# cross_validate_k computes with their distances and predict_labels.
DEPENDS_ON = {
    "best_k": {
        "cross_validate_k",
        "predict_labels",
        "compute_distances_no_loops",
        "compute_distances_two_loops",
        "compute_distances_one_loop",
    }
}

CASES = [
    WrongAnswer(
        "compute_distances_two_loops",
        "forgets the square root",
        replace=[("np.sqrt(np.sum(diff * diff))", "np.sum(diff * diff)")],
        says="Hint: your result is the square of the expected one: a missing",
    ),
    WrongAnswer(
        "compute_distances_two_loops",
        "subtracts uint8 pixels without casting",
        replace=[
            ("    X_test = X_test.astype(np.float64)\n", ""),
            ("    X_train = X_train.astype(np.float64)\n", ""),
        ],
        says="Hint: uint8 subtraction wraps around; convert to float64 first.",
    ),
    WrongAnswer(
        "compute_distances_one_loop",
        "sums over the training rows (axis 0)",
        replace=[
            (
                "np.sum(diff * diff, axis=1)",
                "np.sum(diff * diff, axis=0).sum() * np.ones(num_train)",
            )
        ],
        says="CheckFailed: compute_distances_one_loop(A, B):",
    ),
    WrongAnswer(
        "compute_distances_one_loop",
        "returns squared distances",
        replace=[
            ("np.sqrt(np.sum(diff * diff, axis=1))", "np.sum(diff * diff, axis=1)")
        ],
        says="Hint: your result is the square of the expected one: a missing",
    ),
    WrongAnswer(
        "compute_distances_no_loops",
        "calls the one-loop version",
        source="def compute_distances_no_loops(X_test, X_train):\n"
        "    return compute_distances_one_loop(X_test, X_train)\n",
        says="Hint: express the whole computation with array operations",
    ),
    WrongAnswer(
        "compute_distances_no_loops",
        "no clipping before the square root",
        replace=[("    np.maximum(dists, 0.0, out=dists)\n", "")],
        says="Hint: clip the squared distances at 0 before the square root.",
    ),
    WrongAnswer(
        "compute_distances_no_loops",
        "adds the cross term instead of subtracting",
        replace=[("dists *= -2.0", "dists *= 2.0")],
        says="CheckFailed: compute_distances_no_loops(A, B):",
    ),
    WrongAnswer(
        "compute_distances_no_loops",
        "delegates to scipy's cdist",
        source="from scipy.spatial.distance import cdist\n\n"
        "def compute_distances_no_loops(X_test, X_train):\n"
        "    return cdist(X_test.astype(float), X_train.astype(float))\n",
        says="Hint: an answer that hands its work to a library or to the",
    ),
    WrongAnswer(
        "compute_distances_l1",
        "forgets the absolute value",
        replace=[
            (
                "np.abs(X_train - X_test[i]).sum(axis=1)",
                "(X_test[i] - X_train).sum(axis=1)",
            )
        ],
        says="CheckFailed: compute_distances_l1(A, B):",
    ),
    WrongAnswer(
        "compute_distances_l1",
        "abs of uint8 differences (wraps around)",
        replace=[
            ("    X_test = X_test.astype(np.float64)\n", ""),
            ("    X_train = X_train.astype(np.float64)\n", ""),
        ],
        says="Hint: uint8 subtraction wraps around; convert to float64 first.",
    ),
    WrongAnswer(
        "predict_labels",
        "breaks ties by the nearest neighbour (Counter)",
        replace=[
            (
                "        y_pred[i] = np.argmax(np.bincount(y_train[nearest[i]]))",
                "        from collections import Counter\n"
                "        votes = Counter(y_train[nearest[i]].tolist())\n"
                "        y_pred[i] = votes.most_common(1)[0][0]",
            )
        ],
        says="Hint: with k=4 the votes are two 3s and two 1s: a tie, which goes",
    ),
    WrongAnswer(
        "predict_labels",
        "ignores k (always the nearest neighbour)",
        replace=[("[:, :k]", "[:, :1]")],
        says="Hint: take the labels of the k columns with the smallest",
    ),
    WrongAnswer(
        "predict_labels",
        "sorts along the wrong axis",
        replace=[
            (
                'np.argsort(dists, axis=1, kind="stable")[:, :k]',
                'np.argsort(dists, axis=0, kind="stable").T[:, :k]',
            )
        ],
        says="Hint: take the labels of the k columns with the smallest",
    ),
    WrongAnswer(
        "cross_validate_k",
        "validates on data it was trained on",
        replace=[
            (
                "X_rest = np.concatenate(X_folds[:i] + X_folds[i + 1:])",
                "X_rest = np.concatenate(X_folds)",
            ),
            (
                "y_rest = np.concatenate(y_folds[:i] + y_folds[i + 1:])",
                "y_rest = np.concatenate(y_folds)",
            ),
        ],
        says="Hint: fold i is np.array_split(X, num_folds)[i]; train on the",
    ),
    WrongAnswer(
        "cross_validate_k",
        "reports one mean accuracy instead of one per fold",
        replace=[
            (
                "    return k_to_accuracies",
                "    return {k: [float(np.mean(v))] for k, v in "
                "k_to_accuracies.items()}",
            )
        ],
        says="Hint: fold i is np.array_split(X, num_folds)[i]; train on the",
    ),
    WrongAnswer(
        "best_k",
        "hard-codes k = 100",
        source="best_k = 100\n",
        says="Hint: that k has the lowest mean accuracy",
    ),
    WrongAnswer(
        "best_k",
        "picks the lowest mean accuracy",
        replace=[("best_k = max(", "best_k = min(")],
        says="Hint: that k has the lowest mean accuracy",
    ),
    WrongAnswer(
        "best_k",
        "takes the position of the best k instead of k itself",
        source="means = [np.mean(k_to_accuracies[k]) for k in k_choices]\n"
        "best_k = int(np.argmax(means))\n",
        says="Hint: 0 is a position in k_choices",
    ),
    WrongAnswer(
        "compute_distances_no_loops",
        "expands the square without converting uint8 pixels",
        source="def compute_distances_no_loops(X_test, X_train):\n"
        "    squared = (np.sum(X_test**2, axis=1)[:, None]\n"
        "               + np.sum(X_train**2, axis=1)[None, :]\n"
        "               - 2 * X_test @ X_train.T)\n"
        "    return np.sqrt(np.maximum(squared, 0.0))\n",
        says="Hint: uint8 products and differences wrap around",
    ),
    WrongAnswer(
        "predict_labels",
        "breaks ties in the order of a set",
        replace=[
            (
                "y_pred[i] = np.argmax(np.bincount(y_train[nearest[i]]))",
                "votes = list(y_train[nearest[i]])\n"
                "        y_pred[i] = max(set(votes), key=votes.count)",
            )
        ],
        says="Hint: ties go to the smallest label, whatever the order of the",
    ),
]

# (hidden test, the hint's first words) -> why no typical wrong answer shows it.
HINTS_NO_CASE_REACHES = {
    ("test_best_k_hidden", "compute k_to_accuracies with"): (
        "k_to_accuracies is computed by a course cell (not an answer cell) from "
        "the student's cross_validate_k: only editing that cell shows the hint, and "
        "no case edits it. The class grader's merge restores the course's cell."
    ),
}
