"""`python3 course.py grade` as an instructor types it: from their own folder, with
relative paths (the README's example), into a course folder's gradebook."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest

from grading import layout, notebook
from grading.scratch import nbgrader_env

pytestmark = pytest.mark.slow
UNIT = "01_knn"
NAME = layout.notebooks(UNIT)[0]


def test_relative_paths_from_the_instructors_folder(tmp_path):
    solution = notebook.read(layout.solution(UNIT))
    release = notebook.read(layout.release(UNIT))
    right = notebook.submission(release, solution, keep_demo=False)
    notebook.write(right, tmp_path / "submitted" / "amy" / UNIT / NAME)
    (tmp_path / "submitted" / "ben" / UNIT).mkdir(parents=True)
    (tmp_path / "submitted" / "ben" / UNIT / NAME).write_text("not a notebook")
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(layout.ROOT / "nbgrader_config.py", course)
    (course / "solutions").symlink_to(layout.ROOT / "solutions")

    done = subprocess.run(
        [sys.executable, str(layout.ROOT / "course.py"), "grade", "submitted/"]
        + ["--unit", UNIT, "--jobs", "1", "--out", "graded/", "--course", "course"],
        cwd=tmp_path,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 submissions, 1 scored, 1 not graded" in done.stdout
    with open(tmp_path / "graded" / "grades.csv") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert float(rows["amy"]["score"]) == float(rows["amy"]["max_score"]) > 0
    assert rows["ben"]["status"] == "not graded"
    assert (course / "gradebook.db").exists()
    assert (course / "autograded" / "amy" / UNIT / NAME).exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["grade", "no-such-folder/"], "no-such-folder does not exist"),
        (["grades", "--canvas", "no-such.csv", "--out", "u.csv"], "no gradebook yet"),
        (["grdae", "x"], "Did you mean `python3 course.py grade`?"),
    ],
)
def test_input_errors_print_a_message_not_a_traceback(tmp_path, args, says):
    done = subprocess.run(
        [sys.executable, str(layout.ROOT / "course.py"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr, done.stderr
