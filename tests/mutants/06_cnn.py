"""Mutants of unit 06_cnn's answers that compute the same thing as the solution
(grading/mutation.py); `course.py mutants 06_cnn` lists them as equivalent."""

_RESHAPE = (
    "reshape(-2, C) instead of reshape(-1, C): NumPy takes any negative size as the "
    "one it infers, so the shape is the same"
)

_GROUP_RESHAPE = (
    "reshape(N, G, -2) instead of reshape(N, G, -1): NumPy takes any negative size "
    "as the one it infers, so the groups are the same"
)

EQUIVALENT = {
    ("spatial_groupnorm_forward", "arguments: `x.reshape(N, G, -1)`#0/0"): (
        "reshape(G, N, -1) cuts the same contiguous runs of C / G channels as "
        "reshape(N, G, -1), only labelled in another order; each run is normalised "
        "by its own statistics and reshaped back in memory order, so the output is "
        "the same (the cache's layout is the answer's own choice)"
    ),
    ("spatial_groupnorm_forward", "constant: `1`#0/0"): _GROUP_RESHAPE,
    ("spatial_groupnorm_backward", "constant: `1`#0/0"): _GROUP_RESHAPE,
    ("spatial_groupnorm_backward", "constant: `1`#1/0"): _GROUP_RESHAPE,
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
