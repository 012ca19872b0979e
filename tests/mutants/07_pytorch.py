"""Mutants of unit 07_pytorch's answers that compute the same thing as the
solution where the tests run (grading/mutation.py); `course.py mutants
07_pytorch` lists them as equivalent."""

_SYMMETRIC = "min and max are symmetric in their two arguments: the same box edge"

# A design is a choice, not a computation: a mutant that nudges one of its numbers
# is another design, right when it still has the shapes and reaches the targets
# (the tests grade the trained result, never the numbers themselves).
_ANOTHER_CHOICE = (
    "a neighbouring design or setting (one number nudged: a kernel size, a "
    "padding, a dropout rate) that still has the right shapes and reaches both "
    "targets: another valid choice, not a bug"
)

EQUIVALENT = {
    ("cutmix_batch", "term: `1 - lam`#0/2"): (
        "sqrt(lam) instead of sqrt(1 - lam): lam ~ Beta(alpha, alpha) is symmetric, "
        "so lam and 1 - lam have the same distribution and the boxes drawn are "
        "distributed the same; the labels follow the box actually pasted"
    ),
    ("cutmix_batch", "arguments: `max(cy - cut_h // 2, 0)`#0/0"): _SYMMETRIC,
    ("cutmix_batch", "arguments: `min(cy + cut_h // 2, H)`#0/0"): _SYMMETRIC,
    ("cutmix_batch", "arguments: `max(cx - cut_w // 2, 0)`#0/0"): _SYMMETRIC,
    ("cutmix_batch", "arguments: `min(cx + cut_w // 2, W)`#0/0"): _SYMMETRIC,
    ("train_model", "statement: `x, y = x.to(device), y.to(device)`#0/0"): (
        "moving each batch to the device does nothing on the CPU, where the tests "
        "and CI run (the batches are on it already); on a GPU this mutant fails "
        "with a device mismatch"
    ),
    ("design_model", "constant: `3`#0/1"): _ANOTHER_CHOICE,
    ("design_model", "constant: `3`#1/1"): _ANOTHER_CHOICE,
    ("design_model", "constant: `0.25`#0/0"): _ANOTHER_CHOICE,
    ("design_model", "constant: `1`#0/0"): _ANOTHER_CHOICE,
    ("design_hparams", "constant: `2e-3`#0/0"): _ANOTHER_CHOICE,
    ("design_hparams", "constant: `0.05`#0/0"): _ANOTHER_CHOICE,
    ("design_hparams", "constant: `64`#0/0"): _ANOTHER_CHOICE,
    ("design_hparams", "constant: `64`#0/1"): _ANOTHER_CHOICE,
    ("design_hparams", "constant: `8`#0/0"): _ANOTHER_CHOICE,
    ("design_hparams", "constant: `8`#0/1"): _ANOTHER_CHOICE,
}
