"""Mutants of unit 02_linear's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 02_linear` lists them as equivalent."""

EQUIVALENT = {
    ("pca_fit", "arithmetic@12:32-12:60/0"): (
        "the covariance times N^2 instead of divided by N: a positive multiple of a "
        "matrix has the same eigenvectors in the same order, and pca_fit returns "
        "only the mean and the eigenvectors"
    ),
    ("kl_divergence", "constant@6:34-6:37/0"): (
        "the placeholder divisor where p = 0 (1.0 -> 1.5): those entries are "
        "replaced by 0.0 in the sum, so the value never reaches the result"
    ),
}
