"""The release is what nbgrader generates. (That solutions pass nbgrader validate
and releases fail it is checked in test_grading.py, on the notebooks autograde
runs.)"""

from __future__ import annotations

import pytest

from conftest import REPO, UNITS

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
