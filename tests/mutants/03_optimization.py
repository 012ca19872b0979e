"""Mutants of unit 03_optimization's answers that compute the same thing as the
solution (grading/mutation.py); `course.py mutants 03_optimization` lists them."""

_SYMMETRIC = "min and max are symmetric in their two arguments: the same value"
_FIRST_STEP = (
    "the state's starting value is overwritten before it is read: the first "
    "metric always improves on best = inf, which sets the count of bad steps to "
    "0, and cooldown_left only matters after a cut"
)

EQUIVALENT = {
    ("linear_decay", "comparison: `step >= total_steps`#0/0"): (
        "at step == total_steps the line itself gives lr0 * (1 - 1) = 0, the value "
        "of the early return: > and >= give the same rate at every step"
    ),
    ("linear_warmup", "arguments: `min(1.0, step / warmup_steps)`#0/0"): _SYMMETRIC,
    ("cosine_annealing", "arguments: `min(step, total_steps)`#0/0"): _SYMMETRIC,
    (
        "noam_schedule",
        "arguments: `min(step**-0.5, step * warmup_steps**-1.5)`#0/0",
    ): _SYMMETRIC,
    (
        "PlateauScheduler",
        "arguments: `max(self.lr * self.factor, self.min_lr)`#0/0",
    ): _SYMMETRIC,
    ("PlateauScheduler", "statement: `self.bad_steps = 0`#0/0"): _FIRST_STEP,
    ("PlateauScheduler", "constant: `0`#0/0"): _FIRST_STEP,
    ("PlateauScheduler", "constant: `0`#0/1"): _FIRST_STEP,
    ("PlateauScheduler", "constant: `0`#1/0"): _FIRST_STEP,
    ("PlateauScheduler", "constant: `0`#1/1"): _FIRST_STEP,
    ("PlateauScheduler", "statement: `metric = float(metric)`#0/0"): (
        "float() only converts the metric's type (a NumPy scalar to a float): "
        "every comparison and the rates returned are the same"
    ),
}
