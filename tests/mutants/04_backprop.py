"""Mutants of unit 04_backprop's answers that compute the same thing as the
solution (grading/mutation.py); `course.py mutants 04_backprop` lists them."""

_SYMMETRIC = "np.maximum is symmetric in its two inputs: the same values"
_RESHAPE = (
    "reshape(N, -2) instead of reshape(N, -1): NumPy takes any negative size as "
    "the one it infers, so the shape is the same"
)
_KINK = (
    "the two branches agree at x == 0 (both give {value}), so moving the point 0 "
    "from one branch to the other changes nothing"
)

_ANOTHER_SETTING = (
    "a tuning answer: 1.5 times one of the chosen settings is still inside the "
    "region where plain SGD takes the net to 100% in 20 epochs from every tested "
    "initialisation, so it is another right answer (the tests train it)"
)

EQUIVALENT = {
    ("overfit_hparams", "constant: `0.02`#0/0"): _ANOTHER_SETTING,
    ("overfit_hparams", "constant: `0.1`#0/0"): _ANOTHER_SETTING,
    ("overfit_hparams", "constant: `0.05`#0/0"): _ANOTHER_SETTING,
    ("overfit_hparams", "constant: `0.1`#1/0"): _ANOTHER_SETTING,
    ("affine_forward", "constant: `1`#0/0"): _RESHAPE,
    ("affine_backward", "constant: `1`#0/0"): _RESHAPE,
    ("relu_forward", "arguments: `np.maximum(0.0, x)`#0/0"): _SYMMETRIC,
    ("svm_loss", "arguments: `np.maximum(0.0, x - x[rows, y][:, None] + 1.0)`#0/0"): (
        _SYMMETRIC
    ),
    ("bce_with_logits_loss", "arguments: `np.maximum(x, 0)`#0/0"): _SYMMETRIC,
    ("leaky_relu_forward", "comparison: `x > 0`#0/0"): _KINK.format(value="0"),
    ("sigmoid_forward", "comparison: `x >= 0`#0/0"): _KINK.format(value="1/2"),
    ("bce_with_logits_loss", "comparison: `x >= 0`#0/0"): _KINK.format(value="1/2"),
    ("maxout_forward", "constant: `0`#0/1"): (
        "take_along_axis with winner[:, None, :] leaves an axis of length 1, whose "
        "index 0 and index -1 are the same entry"
    ),
}
