"""The release is what nbgrader generates. (That solutions pass nbgrader validate
and releases fail it is checked in test_grading.py, on the notebooks autograde
runs.)"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from conftest import REPO, UNITS


def _ignored_patterns() -> list[str]:
    """What nbgrader ignores in an assignment folder (the course's config)."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    return list(config.CourseDirectory.ignore)


def released_files(folder: Path) -> list[Path]:
    """The files of a release folder, as nbgrader sees them: without what it
    ignores (a student who opens a notebook leaves .ipynb_checkpoints/)."""
    patterns = _ignored_patterns()
    return sorted(
        p.relative_to(folder)
        for p in folder.rglob("*")
        if p.is_file()
        and not any(
            fnmatch.fnmatch(part, pat)
            for part in p.relative_to(folder).parts
            for pat in patterns
        )
    )


def test_what_nbgrader_ignores_is_not_part_of_the_release(tmp_path):
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "knn-checkpoint.ipynb").write_text("{}")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_text("")
    (tmp_path / "knn.ipynb").write_text("{}")
    assert released_files(tmp_path) == [Path("knn.ipynb")]


@pytest.mark.slow
@pytest.mark.parametrize("unit", UNITS)
def test_release_equals_fresh_generation(unit, scratch_course):
    """assignments/<unit> is byte for byte what generate_assignment makes today."""
    fresh = scratch_course(unit).root / "assignments" / unit
    committed = REPO / "assignments" / unit
    fresh_files = released_files(fresh)
    committed_files = released_files(committed)
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
