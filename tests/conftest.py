"""Shared fixtures: the course's units, scratch nbgrader courses, wrong-answer cases."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

from grading import notebook
from grading.scratch import ScratchCourse

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("COURSE_DEVICE", "cpu")  # CI has no GPU; tests never need one

REPO = Path(__file__).resolve().parent.parent
UNITS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())


def unit_notebooks(unit: str) -> list[str]:
    """File names of a unit's notebooks."""
    return sorted(p.name for p in (REPO / "solutions" / unit).glob("*.ipynb"))


def wrong_answers(unit: str) -> list[notebook.WrongAnswer]:
    """The unit's typical wrong answers, from tests/wrong_answers/<unit>.py."""
    path = REPO / "tests" / "wrong_answers" / f"{unit}.py"
    return runpy.run_path(str(path))["CASES"] if path.exists() else []


@pytest.fixture(scope="session")
def scratch_course(tmp_path_factory):
    """unit -> a scratch nbgrader course with that unit generated (once per worker)."""
    courses: dict[str, ScratchCourse] = {}

    def get(unit: str) -> ScratchCourse:
        if unit not in courses:
            course = ScratchCourse(tmp_path_factory.mktemp(f"course-{unit}"))
            course.generate(unit)
            courses[unit] = course
        return courses[unit]

    return get
