"""The release is what nbgrader generates; solutions pass validation, releases fail."""

from __future__ import annotations

import pytest
from nbgrader.validator import Validator
from traitlets.config import Config

from conftest import REPO, UNITS, unit_notebooks
from grading import notebook
from grading.scratch import in_nbgrader_env

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("unit", UNITS)
def test_release_equals_fresh_generation(unit, scratch_course):
    """assignments/<unit> is byte for byte what generate_assignment makes today."""
    fresh = scratch_course(unit).root / "assignments" / unit
    committed = REPO / "assignments" / unit
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(
        p.relative_to(committed) for p in committed.rglob("*") if p.is_file()
    )
    assert fresh_files == committed_files, (
        f"assignments/{unit} holds {committed_files}, a fresh release {fresh_files}."
    )
    stale = [
        str(f)
        for f in fresh_files
        if (fresh / f).read_bytes() != (committed / f).read_bytes()
    ]
    assert not stale, (
        f"assignments/{unit}: {stale} differ from a fresh release. Regenerate with "
        f"`nbgrader generate_assignment {unit} --force` (in the course root, venv "
        "active) and commit the result."
    )


def _validate(path, invert=False) -> dict:
    config = Config()
    config.Execute.timeout = 300
    config.Validator.invert = invert
    with in_nbgrader_env():
        return Validator(config=config).validate(str(path))


@pytest.mark.parametrize(
    ("unit", "name"), [(u, n) for u in UNITS for n in unit_notebooks(u)]
)
def test_solution_passes_validation(unit, name, tmp_path):
    """nbgrader validate on the solution (hidden tests included) reports no failure.

    Demo cells (training runs, plots) are left out: the full-marks test in
    test_grading.py already runs the whole notebook, and no test uses a demo.
    """
    solution = notebook.read(REPO / "solutions" / unit / name)
    solution.cells = [
        c
        for c in solution.cells
        if notebook.DEMO_TAG not in c.get("metadata", {}).get("tags", [])
    ]
    notebook.write(solution, tmp_path / name)
    result = _validate(tmp_path / name)
    assert result == {}, f"validating solutions/{unit}/{name}: {result}"


@pytest.mark.parametrize(
    ("unit", "name"), [(u, n) for u in UNITS for n in unit_notebooks(u)]
)
def test_release_fails_every_test(unit, name):
    """nbgrader validate on the untouched release: every test cell fails."""
    path = REPO / "assignments" / unit / name
    result = _validate(path)
    num_tests = len(notebook.test_points(notebook.read(path)))
    assert len(result.get("failed", [])) == num_tests, (
        f"{len(result.get('failed', []))} of {num_tests} test cells failed: {result}"
    )
