"""Mutants of unit 10_generative's answers that compute the same thing as the
solution (grading/mutation.py); `course.py mutants 10_generative` lists them."""

EQUIVALENT: dict[tuple[str, str], str] = {
    ("ddpm_loss", "arguments: `F.mse_loss(model(x_t, t), noise)`#0/0"): (
        "the mean squared error is symmetric in its two arguments: the same loss "
        "and the same gradient"
    ),
}
