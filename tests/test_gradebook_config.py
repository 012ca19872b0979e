"""The gradebook `course.py grade` records in is the one the course's nbgrader config
names: its database URL and its autograded folder, not fixed file names."""

from __future__ import annotations

import csv

from nbgrader.api import Gradebook

from grading import layout, notebook
from grading.classroom import gradebook, worker
from grading.scratch import ScratchCourse, in_nbgrader_env

UNIT = "01_knn"
NAME = layout.notebooks(UNIT)[0]


def test_without_settings_it_is_nbgraders_default(tmp_path):
    course = ScratchCourse(tmp_path / "course")
    root = course.root.resolve()
    assert gradebook.db_url(course.root) == f"sqlite:///{root / 'gradebook.db'}"
    assert gradebook.autograded_folder(course.root, "ada", UNIT) == (
        root / "autograded" / "ada" / UNIT
    )
    assert not gradebook.exists(course.root)


def test_a_configured_database_and_folder_are_where_grades_go(tmp_path):
    course = ScratchCourse(tmp_path / "course")
    shared = tmp_path / "shared" / "grades.db"
    shared.parent.mkdir()
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(
            f"c.CourseDirectory.db_url = 'sqlite:///{shared}'\n"
            "c.CourseDirectory.autograded_directory = 'graded'\n"
        )
    course.generate(UNIT)  # records the unit's cells in the configured database
    tests = [
        c.metadata["nbgrader"]["grade_id"]
        for c in notebook.read(layout.solution(UNIT)).cells
        if notebook.is_test_cell(c)
    ]
    out = tmp_path / "out"
    release = notebook.read(course.root / "assignments" / UNIT / NAME)
    notebook.write(release, out / UNIT / "ada" / worker.GRADED)
    result = {"unit": UNIT, "student": "ada", "status": "graded"}
    result["scores"] = {tests[0]: 2.0}

    with in_nbgrader_env():
        late = gradebook.record([result], course.root, out, {UNIT: NAME})

    assert late == {("ada", UNIT): {"seconds_late": 0.0, "late_penalty": 0.0}}
    assert gradebook.exists(course.root)
    assert not (course.root / "gradebook.db").exists()
    with Gradebook(f"sqlite:///{shared}") as gb:
        submission = gb.find_submission(UNIT, "ada")
        scores = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
    assert scores[tests[0]] == 2.0 and scores[tests[1]] == 0.0
    assert (course.root / "graded" / "ada" / UNIT / NAME).exists()
    assert not (course.root / "autograded").exists()
    # nbgrader itself, run in the course, reads the same record.
    course.nbgrader("export", "--to", "export.csv")
    with open(course.root / "export.csv") as f:
        rows = [r for r in csv.DictReader(f) if r["student_id"] == "ada"]
    assert [float(r["raw_score"]) for r in rows] == [2.0]
