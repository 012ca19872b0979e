"""Graded tuning (lib/tuning.py): what a dict may hold, the budget, the same score
on every run, the hints, and the figures the prose quotes."""

from __future__ import annotations

import re

import pytest

from benchmarks import tuning as bench
from grading import notebook
from grading.layout import ROOT as REPO
from lib import design, tuning
from lib.checks import CheckFailed

LINEAR = dict(tuning.DEFAULTS["linear_hparams"])
FC = dict(tuning.DEFAULTS["fc_hparams"])


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"num_iters": 2000, "batch_size": 200}, "the budget is 300,000"),
        ({"learning_rate": True}, "must be a number, got True"),
        ({"learning_rate": float("nan")}, "is outside"),
        ({"num_iters": 10.0}, "must be a whole number"),
        ({"loss": "hinge"}, "must be one of ['svm', 'softmax']"),
        ({"momentum": 0.9}, "not used: 'momentum'"),
    ],
)
def test_a_linear_dict_the_course_cannot_train_says_what_to_change(change, says):
    with pytest.raises(tuning.TuningError) as error:
        tuning.check_linear(LINEAR | change)
    assert says in str(error.value)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"hidden_dims": [1024, 512]}, "the budget is 420,000"),
        ({"hidden_dims": 100}, "must be a list of 1 to 6 layer widths"),
        ({"hidden_dims": [100, True]}, "must be a list of 1 to 6 layer widths"),
        ({"num_epochs": 11}, "outside [1, 10]"),
        ({"batch_size": 10}, "outside [50, 4000]"),
        ({"update_rule": "lbfgs"}, "must be one of"),
    ],
)
def test_a_network_dict_the_course_cannot_train_says_what_to_change(change, says):
    with pytest.raises(tuning.TuningError) as error:
        tuning.check_fc(FC | change)
    assert says in str(error.value)


def test_not_a_dict_fails_the_test_with_the_keys_it_needs():
    with pytest.raises(CheckFailed, match="must be a dict with keys"):
        tuning.graded_scores("linear_hparams", [("loss", "svm")])


def test_the_same_dict_gets_the_same_scores_on_three_runs():
    """Seeded: three fresh trainings, no memo, the same accuracies (with dropout,
    whose masks come from the seed too; 07's held-out images in three different
    secret orders)."""
    small = FC | {
        "hidden_dims": [64],
        "num_epochs": 2,
        "dropout_keep_ratio": 0.7,
        "update_rule": "adam",
        "learning_rate": 1e-3,
    }
    assert len({repr(tuning.fc_scores(small)) for _ in range(3)}) == 1
    short = LINEAR | {"num_iters": 200, "learning_rate": 0.5}
    assert len({repr(tuning.linear_scores(short)) for _ in range(3)}) == 1
    # 07: a small conv net with dropout, trained by the course in this process.
    answers = bench.solution_answers("design_hparams")
    quick = answers["design_hparams"] | {"epochs": 1, "batch_size": 256}
    runs = {
        repr(design.scores(answers["design_model"], quick)) for _ in range(3)
    }
    assert len(runs) == 1, runs


def test_hints_follow_the_record():
    base = {"train": 0.95, "val": 0.89, "held_out": 0.87, "diverged": False}
    assert "diverged" in tuning.diagnosis("fc_hparams", base | {"diverged": True}, 0.9)
    assert "barely learned" in tuning.diagnosis(
        "fc_hparams", base | {"train": 0.2, "val": 0.2}, 0.9
    )
    assert "overfits" in tuning.diagnosis("fc_hparams", base | {"val": 0.85}, 0.9)
    assert "clears 0.88" in tuning.diagnosis("linear_hparams", base, 0.88)
    assert "underfits" in tuning.diagnosis("linear_hparams", base | {"val": 0.92}, 0.93)


@pytest.mark.parametrize("name", sorted(bench.NOTEBOOKS))
def test_the_prose_quotes_what_the_targets_and_runs_say(name):
    """The starting point misses both targets, the solution reaches both, and the
    prose states the targets and both figures (within 0.01, five images)."""
    unit, file = bench.NOTEBOOKS[name]
    nb = notebook.read(REPO / "solutions" / unit / file)
    prose = next(
        c.source
        for c in nb.cells
        if c.cell_type == "markdown"
        and re.search(rf"### Exercise \d+: .*`{name}`", c.source)
    )
    start = bench.scores(name, bench.starting_point(name))["held_out"]
    solved = bench.scores(name, bench.solution_answers(name))["held_out"]
    partial, full = tuning.TARGETS[name]
    assert start < partial and solved >= full, (start, solved)
    assert f"**{partial:.2f}**" in prose and f"**{full}**" in prose
    # "... 0.732 on the held-out images", then "... reaches 0.894": in that order.
    quoted = [float(x) for x in re.findall(r"(0\.\d+) on the held-out images", prose)]
    quoted += [float(x) for x in re.findall(r"reaches (0\.\d+)\b(?! on)", prose)]
    assert len(quoted) == 2, quoted
    assert abs(quoted[0] - start) <= 0.01 and abs(quoted[1] - solved) <= 0.01, (
        quoted,
        start,
        solved,
    )
