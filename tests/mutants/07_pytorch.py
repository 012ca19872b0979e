"""Mutants of unit 07_pytorch's answers that compute the same thing as the
solution where the tests run (grading/mutation.py); `course.py mutants
07_pytorch` lists them as equivalent."""

EQUIVALENT = {
    ("train_model", "statement: `x, y = x.to(device), y.to(device)`#0/0"): (
        "moving each batch to the device does nothing on the CPU, where the tests "
        "and CI run (the batches are on it already); on a GPU this mutant fails "
        "with a device mismatch"
    ),
}
