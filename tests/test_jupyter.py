"""The course opens in JupyterLab with nbgrader's extensions working.

Starts the same server `python3 course.py open` starts (headless, on loopback) and
talks to it over HTTP: the nbgrader lab extension is installed, the formgrader
answers, the assignment list answers, and validation runs on the release.
"""

from __future__ import annotations

import json

import pytest

from conftest import REPO, lab_request
from grading import notebook, validation

pytestmark = pytest.mark.slow


def test_nbgrader_lab_extension_is_installed(lab_server):
    status, body = lab_request(lab_server, "/lab/api/extensions")
    names = {e["name"] for e in json.loads(body)}
    assert "jupyter-nbgrader" in names
    assert "jupyter-widgets-jupyterlab-manager" in names


def test_formgrader_and_assignment_list_answer(lab_server):
    for page in ("/formgrader", "/formgrader/manage_assignments"):
        status, body = lab_request(lab_server, page)
        assert status == 200, page
    status, body = lab_request(lab_server, "/courses")
    assert status == 200 and json.loads(body)["success"]


def test_validate_button_runs_on_the_release(lab_server):
    """The Validate button's endpoint executes the release: every answer's tests
    fail, each answer listed once (its hidden tests' cell, failing with the same
    message, is folded into the visible one: grading/validation.py), and the
    unanswered written question is listed too."""
    status, body = lab_request(
        lab_server,
        "/assignments/validate",
        {"path": "assignments/01_knn/knn.ipynb"},
        timeout=300,
    )
    result = json.loads(body)
    assert result["success"], result
    failed = result["value"]["failed"]
    release = notebook.read(REPO / "assignments" / "01_knn" / "knn.ipynb")
    visible = [t for t in notebook.test_points(release) if not t.endswith("_hidden")]
    expected = visible + list(notebook.written_points(release))
    assert len(failed) == len(expected), [f["source"][:60] for f in failed]
    folded = sum(validation.FOLDED_NOTE in f["raw_error"] for f in failed)
    assert folded == len(visible), "each answer's hidden cell repeats its message"
