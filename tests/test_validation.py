"""nbgrader's Validate lists each failing answer once, with its whole message, and
never changes what autograding sees (grading/validation.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import REPO
from grading import validation


def _cell(grade_id: str, message: str | None):
    cell = nbformat.v4.new_code_cell("pass")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 1}
    if message is not None:
        error = nbformat.v4.new_output(
            "error", ename="CheckFailed", evalue=message, traceback=[message]
        )
        cell.outputs = [error]
    return cell


def _run(hooks, cells):
    for cell in cells:
        hooks.cell_start(cell=cell, cell_index=0)
        if cell.outputs:
            hooks.cell_error(cell=cell, cell_index=0, execute_reply={})


@pytest.fixture
def validating(monkeypatch):
    monkeypatch.setenv("NBGRADER_VALIDATING", "1")


def test_a_repeated_failure_is_folded_into_the_visible_cell(validating):
    visible, hidden = (
        _cell("test_f", "f is not written yet"),
        _cell("test_f_hidden", "f is not written yet"),
    )
    hooks = validation.RepeatedFailures()
    _run(hooks, [visible, hidden])
    assert hidden.outputs == []
    assert visible.outputs[0].traceback[-1] == validation.FOLDED_NOTE
    assert hooks.folded == 1


def test_a_different_failure_of_the_hidden_cell_is_still_listed(validating):
    visible, hidden = (
        _cell("test_f", "wrong shape"),
        _cell("test_f_hidden", "wrong values on 1x1 inputs"),
    )
    _run(validation.RepeatedFailures(), [visible, hidden])
    assert hidden.outputs and visible.outputs[0].traceback == ["wrong shape"]


def test_a_visible_cell_that_passes_on_a_rerun_is_forgotten(validating):
    hooks = validation.RepeatedFailures()
    _run(hooks, [_cell("test_f", "boom")])
    visible, hidden = _cell("test_f", None), _cell("test_f_hidden", "boom")
    _run(hooks, [visible, hidden])
    assert hidden.outputs, "folded into a failure of an earlier run"


def test_autograding_is_untouched(monkeypatch):
    monkeypatch.delenv("NBGRADER_VALIDATING", raising=False)
    visible, hidden = _cell("test_f", "boom"), _cell("test_f_hidden", "boom")
    _run(validation.RepeatedFailures(), [visible, hidden])
    assert hidden.outputs and visible.outputs[0].traceback == ["boom"]


def test_validate_lists_each_blank_answer_once_with_its_whole_message(tmp_path):
    notebook = tmp_path / "knn.ipynb"
    shutil.copy(REPO / "assignments" / "01_knn" / "knn.ipynb", notebook)
    nbgrader = Path(sys.executable).parent / "nbgrader"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [nbgrader, "validate", notebook],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout
    listed = re.findall(r'The following cell failed:\n\n\s+"""([^\n]*)', out)
    answers = [line.split(":")[0] for line in listed]
    assert len(answers) == len(set(answers)) >= 7, answers
    assert not [line for line in listed if "(hidden)" in line], listed
    assert out.count(validation.FOLDED_NOTE) >= 6, out[:2000]
    # The blank written answer is listed too ("You did not provide a response").
    assert "YOUR ANSWER HERE" in out
    assert f"{len(listed) + 1} test cell(s) fail" in out
    assert "then run this one again." in out, "a message was cut short"
