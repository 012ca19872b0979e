"""Mutants of unit 03_optimization's answers that compute the same thing as the
solution (grading/mutation.py); `course.py mutants 03_optimization` lists them."""

EQUIVALENT = {
    ("linear_warmup", "arguments: `min(1.0, step / warmup_steps)`#0/0"): (
        "min(step / warmup_steps, 1.0) is min(1.0, step / warmup_steps): min is "
        "symmetric in its arguments"
    ),
}
