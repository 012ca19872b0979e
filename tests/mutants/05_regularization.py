"""Mutants of unit 05_regularization's answers that compute the same thing as the
solution (grading/mutation.py); `course.py mutants 05_regularization` lists
them."""

_STARTING_STATE = (
    "the starting value is overwritten before it is read: the first metric always "
    "improves on best_metric = -inf, which sets best_epoch and the count of bad "
    "epochs"
)
_SEED_RANGE = (
    "a different range for the dropout seeds (2 * 31, 3**31, 2**32, ...): still a "
    "fresh seed from the net's own generator for every dropout call"
)

# A tuning answer is a choice, not a computation: a mutant that nudges one of its
# numbers is another choice, right when it still reaches the targets (the tests
# grade the trained result, never the numbers themselves).
_ANOTHER_CHOICE = (
    "a neighbouring setting (one number nudged) that still reaches both targets: "
    "another valid choice, not a bug"
)

EQUIVALENT = {
    ("dropout_forward", "comparison: `rng.random(x.shape) < p`#0/0"): (
        "< p and <= p differ only when a uniform draw equals p exactly, which has "
        "probability 0 (and never happens in the tests' draws)"
    ),
    ("EarlyStopping", "statement: `self.best_epoch = None`#0/0"): _STARTING_STATE,
    ("EarlyStopping", "statement: `self.bad_epochs = 0`#0/0"): _STARTING_STATE,
    ("EarlyStopping", "constant: `0`#0/0"): _STARTING_STATE,
    ("EarlyStopping", "constant: `0`#0/1"): _STARTING_STATE,
    ("FullyConnectedNet", "arithmetic: `2**31`#0/0"): _SEED_RANGE,
    ("FullyConnectedNet", "constant: `2`#2/0"): _SEED_RANGE,
    ("FullyConnectedNet", "constant: `2`#2/1"): _SEED_RANGE,
    ("FullyConnectedNet", "constant: `31`#0/0"): _SEED_RANGE,
    ("FullyConnectedNet", "constant: `31`#0/1"): _SEED_RANGE,
    ("fc_hparams", "constant: `1e-3`#0/0"): _ANOTHER_CHOICE,
    ("fc_hparams", "constant: `1e-2`#0/0"): _ANOTHER_CHOICE,
    ("fc_hparams", "constant: `10`#0/1"): _ANOTHER_CHOICE,
    ("fc_hparams", "constant: `100`#0/0"): _ANOTHER_CHOICE,
    ("fc_hparams", "constant: `256`#0/0"): _ANOTHER_CHOICE,
    ("fc_hparams", "constant: `256`#0/1"): _ANOTHER_CHOICE,
    ("fc_hparams", "constant: `256`#1/0"): _ANOTHER_CHOICE,
    ("fc_hparams", "constant: `256`#1/1"): _ANOTHER_CHOICE,
}
