"""Mutants of unit 08_rnn's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 08_rnn` lists them as equivalent."""

EQUIVALENT = {
    ("conv1d_forward", "arguments@8:58-8:78/0"): (
        "np.result_type(w, x) is np.result_type(x, w): type promotion is symmetric"
    ),
}
