"""Mutants of unit 08_rnn's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 08_rnn` lists them as equivalent."""

EQUIVALENT = {
    ("conv1d_forward", "arguments: `np.result_type(x, w)`#0/0"): (
        "np.result_type(w, x) is np.result_type(x, w): type promotion is symmetric"
    ),
}
