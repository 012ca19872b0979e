"""Mutants of unit 10_generative's answers that compute the same thing as the
solution (grading/mutation.py); `course.py mutants 10_generative` lists them."""

# The probe's recipe (standardise, a small L2 penalty, L-BFGS for 300 iterations,
# biases) is the prose's example; what is graded is the accuracy of a converged
# linear probe, within 0.03 of scikit-learn's.
_PROBE_RECIPE = (
    "another recipe for the same converged softmax regression (no standardising, "
    "no or another penalty, no biases, an iteration more or less, an extra class "
    "that never occurs): its accuracy stays within the stated 0.03 of "
    "scikit-learn's, which is all the prose asks of the probe"
)

EQUIVALENT: dict[tuple[str, str], str] = {
    ("ddpm_loss", "arguments: `F.mse_loss(model(x_t, t), noise)`#0/0"): (
        "the mean squared error is symmetric in its two arguments: the same loss "
        "and the same gradient"
    ),
    ("ddpm_schedule", "constant: `0`#0/1"): (
        "torch.cumprod over dim -1 instead of 0: the schedule's tensors are 1-D, so "
        "both are the same dimension"
    ),
    (
        "ddpm_sample",
        "statement: `noise = torch.zeros(shape, device=where)`#0/0",
    ): (
        "without it the last step gets the previous step's noise instead of zeros, "
        "and the step t = 0 adds no noise whatever it is given"
    ),
    **{
        ("linear_probe_accuracy", ident): _PROBE_RECIPE
        for ident in (
            "statement: `X, X_test = (X - mean) / std, (X_test - mean) / std`#0/0",
            "term: `F.cross_entropy(X @ W + b, y) + 1e-4 * (W**2).sum()`#0/1",
            "constant: `0`#0/0",
            "constant: `1`#1/0",
            "constant: `True`#1/0",
            "constant: `300`#0/0",
            "constant: `300`#0/1",
            "term: `X @ W + b`#0/1",
            "constant: `1e-4`#0/0",
            "term: `X_test @ W + b`#0/1",
            "constant: `2`#0/0",
        )
    },
}
