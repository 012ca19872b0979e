"""Mutants of unit 07_pytorch's answers that compute the same thing as the
solution where the tests run (grading/mutation.py); `course.py mutants
07_pytorch` lists them as equivalent."""

_SYMMETRIC = "min and max are symmetric in their two arguments: the same box edge"

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
}
