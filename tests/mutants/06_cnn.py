"""Mutants of unit 06_cnn's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 06_cnn` lists them as equivalent."""

_RESHAPE = (
    "reshape(-2, C) instead of reshape(-1, C): NumPy takes any negative size as the "
    "one it infers, so the shape is the same"
)

EQUIVALENT = {
    ("receptive_field", "constant: `True`#0/0"): (
        "zip(..., strict=False) instead of strict=True: the two lists always have "
        "the same length (the docstring asks for one stride per kernel), so the "
        "pairs are the same; strict only adds an error for unequal lengths"
    ),
    ("conv_forward_naive", "constant: `0`#1/0"): (
        "np.pad also appends one all-zero example after the batch; the loops only "
        "read examples 0 to N - 1 of the padded input, so the output is the same"
    ),
    ("spatial_batchnorm_forward", "constant: `1`#1/0"): _RESHAPE,
    ("spatial_batchnorm_backward", "constant: `1`#1/0"): _RESHAPE,
}
