"""Mutants of unit 07_pytorch's answers that compute the same thing as the
solution where the tests run (grading/mutation.py); `course.py mutants
07_pytorch` lists them as equivalent."""

_SYMMETRIC = "min and max are symmetric in their two arguments: the same box edge"

EQUIVALENT = {
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
