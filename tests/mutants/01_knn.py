"""Mutants of unit 01_knn's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 01_knn` lists them as equivalent."""

_ONE_CAST = (
    "only one of the two inputs is cast to float64: the difference X_test[i] - "
    "X_train[j] of a float64 and a uint8 array is float64 already, so the values "
    "are the same (dropping both casts is killed by the hidden uint8 test)"
)

EQUIVALENT = {
    (
        "compute_distances_two_loops",
        "statement: `X_test = X_test.astype(np.float64)`#0/0",
    ): _ONE_CAST,
    (
        "compute_distances_two_loops",
        "statement: `X_train = X_train.astype(np.float64)`#0/0",
    ): _ONE_CAST,
    (
        "compute_distances_one_loop",
        "statement: `X_test = X_test.astype(np.float64)`#0/0",
    ): _ONE_CAST,
    (
        "compute_distances_one_loop",
        "statement: `X_train = X_train.astype(np.float64)`#0/0",
    ): _ONE_CAST,
    (
        "compute_distances_l1",
        "statement: `X_test = X_test.astype(np.float64)`#0/0",
    ): _ONE_CAST,
    (
        "compute_distances_l1",
        "statement: `X_train = X_train.astype(np.float64)`#0/0",
    ): _ONE_CAST,
    (
        "compute_distances_no_loops",
        "arguments: `np.maximum(dists, 0.0, out=dists)`#0/0",
    ): (
        "np.maximum is symmetric in its two inputs: np.maximum(0.0, dists, "
        "out=dists) clips the same entries to 0"
    ),
}
