"""Unit 07's held-out images stay with the grader (grading/classroom/heldout.py,
lib/design.py): the sandbox's dataset file has them blank, and a design that
looks the images up in that file, which would score full marks without the
sandbox, gains nothing from it there."""

from __future__ import annotations

import numpy as np
import pytest
from class_submissions import _notebooks
from test_boundary import LIMITS, NEEDS_SANDBOX, _with_answers

from grading import notebook
from grading.classroom import heldout, protocol, runner
from lib import data, design

# A "network" that finds each image in the dataset file it can read and answers
# that row's label: the student's process knows which rows the test split holds
# (the course's code is public) and what is in them, unless they are blank.
LOOKUP = '''\
def design_model(in_channels, image_size, num_classes):
    """Answers the label of the matching image in the dataset file."""
    from lib import data as course_data

    split = course_data.load_mnist_5k()
    arrays = course_data.standardize(split, images=True)
    table = {}
    for part in ("train", "val", "test"):
        for x, y in zip(arrays[f"X_{part}"], arrays[f"y_{part}"]):
            table[np.asarray(x, dtype=np.float32).round(3).tobytes()] = int(y)

    class Lookup(nn.Module):
        def __init__(self):
            super().__init__()
            self.bias = nn.Parameter(torch.zeros(num_classes))

        def forward(self, x):
            rows = []
            for image in x.detach().cpu().numpy().astype(np.float32).round(3):
                label = table.get(image.tobytes(), 0)
                rows.append(torch.nn.functional.one_hot(
                    torch.tensor(label), num_classes).float() * 10)
            return torch.stack(rows).to(x.device) + self.bias

    return Lookup()
'''


def test_the_blank_rows_are_the_test_split_and_nothing_else(tmp_path, monkeypatch):
    real = data.load_mnist_5k()
    blank = heldout.blanked_file()
    monkeypatch.setattr(data, "_package_file", lambda *a, **k: blank)
    seen = data.load_mnist_5k()
    assert not seen.X_test.any() and not seen.y_test.any()
    assert np.array_equal(seen.X_train, real.X_train)
    assert np.array_equal(seen.X_val, real.X_val)
    assert real.X_test.any()


def test_only_the_units_that_count_held_out_accuracy_get_the_blank_file():
    assert heldout.binds("07_pytorch") == [
        (str(heldout.blanked_file()), str(heldout.dataset_file()))
    ]
    assert heldout.binds("02_linear") == []


def test_only_listed_course_functions_may_be_called_there():
    assert {
        "lib.design.train_and_predict",
        "lib.design.describe_model",
    } == protocol.COURSE_CALLS
    assert "course_call" in protocol.STUDENT_SERVES
    assert "course_call" not in protocol.GRADER_SERVES


@pytest.fixture(scope="module")
def lookup_namespace():
    import torch
    import torch.nn as nn

    namespace = {"np": np, "torch": torch, "nn": nn}
    exec(LOOKUP, namespace)
    return namespace


@pytest.mark.slow
def test_without_the_sandbox_the_lookup_would_score_full_marks(lookup_namespace):
    """What the sandbox is for: read from the real file, the lookup is right."""
    found = design.scores(
        lookup_namespace["design_model"],
        {
            "optimizer": "sgd",
            "lr": 1e-3,
            "weight_decay": 0.0,
            "momentum": 0.0,
            "batch_size": 500,
            "epochs": 1,
        },
    )
    assert found["held_out"] > 0.99, found


@NEEDS_SANDBOX
@pytest.mark.slow
def test_in_the_sandbox_the_lookup_finds_no_held_out_label(tmp_path):
    _, solution, _ = _notebooks("07_pytorch")
    hparams = notebook.solution_sources(solution)["design_hparams"]
    hparams = hparams.replace(
        '"batch_size": 64, "epochs": 8', '"batch_size": 500, "epochs": 1'
    )
    submitted = tmp_path / "submitted"
    nb = _with_answers(
        "07_pytorch", {"design_model": LOOKUP, "design_hparams": hparams}
    )
    notebook.write(nb, submitted / "mallory" / "07_pytorch" / "pytorch.ipynb")
    results = runner.grade_class(
        tmp_path, tmp_path / "graded", jobs=1, limits=LIMITS, progress=False
    )
    (result,) = results
    assert result["status"] == "graded", result
    scores = result["scores"]
    assert scores["test_design_hparams_hidden"] == 0, scores
    # The scan reports the cell (it imports lib), which zeroes the tests after it
    # anyway; what the tests printed shows the boundary: the lookup worked where
    # the labels are the student's to see, and found nothing held out.
    graded = notebook.read(
        tmp_path / "graded" / "07_pytorch" / "mallory" / "graded.ipynb"
    )
    shown = "".join(
        str(o.get("text", "")) + str(o.get("evalue", ""))
        for c in graded.cells
        for o in c.get("outputs", [])
    )
    assert "validation 1.000" in shown, shown[-2000:]
    accuracy = float(shown.split("accuracy on the held-out images:")[1].split(",")[0])
    assert accuracy < 0.2, shown[-2000:]
