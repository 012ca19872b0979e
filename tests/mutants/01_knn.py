"""Mutants of unit 01_knn's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 01_knn` lists them as equivalent."""

_ONE_CAST = (
    "only one of the two inputs is cast to float64: the difference X_test[i] - "
    "X_train[j] of a float64 and a uint8 array is float64 already, so the values "
    "are the same (dropping both casts is killed by the hidden uint8 test)"
)

EQUIVALENT = {
    ("compute_distances_two_loops", "statement@15:4-15:38/0"): _ONE_CAST,
    ("compute_distances_two_loops", "statement@16:4-16:40/0"): _ONE_CAST,
    ("compute_distances_one_loop", "statement@14:4-14:38/0"): _ONE_CAST,
    ("compute_distances_one_loop", "statement@15:4-15:40/0"): _ONE_CAST,
    ("compute_distances_l1", "statement@15:4-15:38/0"): _ONE_CAST,
    ("compute_distances_l1", "statement@16:4-16:40/0"): _ONE_CAST,
    ("compute_distances_no_loops", "arguments@19:4-19:37/0"): (
        "np.maximum is symmetric in its two inputs: np.maximum(0.0, dists, "
        "out=dists) clips the same entries to 0"
    ),
}
