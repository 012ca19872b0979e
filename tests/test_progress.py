"""checks.summary(): every answer of the notebook, its points and where it stands
after the test cells this kernel ran (passed, failing with the first message, or
not run yet)."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from IPython.core.interactiveshell import InteractiveShell

from conftest import REPO
from lib import progress


@pytest.fixture
def shell(monkeypatch):
    shell = InteractiveShell.instance()
    progress._RUNS.clear()
    shell._course_progress = False
    progress.install()
    yield shell
    shell.events.unregister("post_run_cell", progress.record)
    shell._course_progress = False


def _run(shell, source: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        shell.run_cell(source)
    return out.getvalue()


def test_the_summary_says_where_each_answer_stands(shell, tmp_path, monkeypatch):
    release = json.loads((REPO / "assignments" / "01_knn" / "knn.ipynb").read_text())
    path = tmp_path / "knn.ipynb"
    path.write_text(json.dumps(release))
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    _run(shell, "from lib import checks")
    _run(shell, '"""compute_distances_two_loops: a test."""\nchecks.passed("x")')
    _run(
        shell,
        '"""compute_distances_one_loop: a test."""\n'
        'checks.fail("dists of one_loop", "expected 1, got 2.")',
    )
    shown = _run(shell, "checks.summary()")
    lines = {ln.split()[1]: ln for ln in shown.splitlines()[1:]}
    assert "passed" in lines["compute_distances_two_loops"]
    assert "FAIL" in lines["compute_distances_one_loop"]
    assert "dists of one_loop:" in lines["compute_distances_one_loop"]
    assert "not run yet" in lines["best_k"]
    assert "pts" in lines["best_k"]  # points read from the notebook
    assert shown.startswith("1 of 7 answers pass their visible tests")


def test_a_rerun_that_passes_replaces_the_failure(shell):
    _run(shell, "from lib import checks")
    cell = '"""answer_a: a test."""\nchecks.check_number("a", VALUE, 1.0)'
    _run(shell, "VALUE = 2.0")
    _run(shell, cell)
    _run(shell, "VALUE = 1.0")
    _run(shell, cell)
    rows = progress.standing({"answer_a": 2.0})
    assert rows == [("answer_a", 2.0, "passed", "")]


def test_cells_that_are_not_tests_are_not_counted(shell):
    _run(shell, '"""Just a docstring."""\nx = 1')
    _run(shell, "def f():\n    return 1")
    assert progress._RUNS == {}
