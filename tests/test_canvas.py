"""`course.py grades --canvas`: the gradebook's scores in a file Canvas imports,
students matched by login, and nobody dropped without a word."""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from grading import canvas
from grading.classroom.gradebook import NOT_GRADED, db_url
from grading.layout import ROOT
from grading.scratch import in_nbgrader_env, nbgrader_env

# A roster in the layout of Canvas's gradebook export: a BOM, identity columns,
# assignments as "Name (id)", read-only totals, a Points Possible row and Canvas's
# test student (no login).
READ_ONLY = ["Current Points", "Final Points", "Current Score", "Final Score"]
ROSTER = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,01_knn (4412),"
    "Quiz 1 (5521)," + ",".join(READ_ONLY) + "\n"
    "    Points Possible,,,,,34,10," + ",".join(["(read only)"] * 4) + "\n"
    '"Doe, Jane",101,S101,jdoe,Section A,,8,8,8,80,80\n'
    '"Lee, Sam",102,S102,slee,Section A,12,9,21,21,48,48\n'
    '"Roe, Kim",103,S103,kroe,Section B,,,0,0,0,0\n'
    '"Student, Test",104,,,Section A,,,0,0,0,0\n'
)


def _course(root):
    """A gradebook with 01_knn (6 + 2 written points) and 02_linear (4 points)."""
    with in_nbgrader_env(), Gradebook(db_url(root)) as gb:
        for unit, stem, cells in (
            ("01_knn", "knn", [("t1", 6, "code"), ("w", 2, "markdown")]),
            ("02_linear", "linear", [("t2", 4, "code")]),
        ):
            gb.add_assignment(unit)
            gb.add_notebook(stem, unit)
            for name, points, kind in cells:
                gb.add_grade_cell(name, stem, unit, max_score=points, cell_type=kind)
            gb.add_solution_cell("answer", stem, unit)

        def submit(student, unit, stem, scores, comment=None):
            gb.update_or_create_student(student)
            submission = gb.add_submission(unit, student)
            notebook = next(nb for nb in submission.notebooks if nb.name == stem)
            for grade in notebook.grades:
                grade.auto_score = scores.get(grade.name)
                grade.needs_manual_grade = grade.auto_score is None
            for c in notebook.comments:
                c.auto_comment = comment
            gb.db.commit()

        submit("jdoe", "01_knn", "knn", {"t1": 5, "w": 0})
        submit("jdoe", "02_linear", "linear", {"t2": 3})
        submit("slee", "01_knn", "knn", {"t1": 6})  # written answer still open
        submit("kroe", "01_knn", "knn", {}, NOT_GRADED + "it ran over the limit")
        submit("zed", "01_knn", "knn", {"t1": 2, "w": 0})  # not in Canvas


def check_canvas_import(path):
    """What Canvas's gradebook import requires of a file: a header naming the
    students by Student and ID or SIS Login ID, unique columns, rows as wide as
    the header, a Points Possible row (if any) right under it, and scores that are
    numbers, EX or blank. Returns (header, points row, student rows)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header[0] == "Student" and "ID" in header and "SIS Login ID" in header
    assert len(set(header)) == len(header), "duplicate columns"
    assert all(len(r) == len(header) for r in body), "ragged rows"
    points = body[0] if body and body[0][0].strip() == "Points Possible" else None
    students = body[1:] if points else body
    scores = [c for c in header if c not in canvas.IDENTITY]
    for row in students:
        assert row[header.index("ID")] or row[header.index("SIS Login ID")]
        for column in scores:
            cell = row[header.index(column)]
            assert cell in ("", "EX") or re.fullmatch(r"\d+(\.\d+)?", cell), cell
    return header, points, students


def test_the_upload_fills_one_column_per_unit_matched_by_login(tmp_path):
    _course(tmp_path)
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    out = tmp_path / "upload.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grading.canvas",
            "--canvas",
            tmp_path / "roster.csv",
            "--out",
            out,
            "--course",
            tmp_path,
        ],
        cwd=ROOT,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    header, points, students = check_canvas_import(out)
    assert header == [*canvas.IDENTITY[:4], "Section", "01_knn (4412)", "02_linear"]
    assert points[-2:] == ["34", "4"]  # Canvas's own figure kept; the new one given
    by_login = {row[3]: row[-2:] for row in students}
    assert by_login == {
        "jdoe": ["5", "3"],
        "slee": ["6", ""],  # the score so far; the written answer is noted
        "kroe": ["", ""],  # not graded: blank changes nothing in Canvas
        "": ["", ""],  # Canvas's test student
    }
    assert "slee 01_knn: written answers not graded yet" in done.stdout
    assert "kroe 01_knn: left blank, not graded: it ran over the limit" in done.stdout
    assert "not in the roster" in done.stdout and "zed" in done.stdout
    again = canvas.read_roster(out)  # it reads back as a roster too
    assert [s["SIS Login ID"] for s in again.students] == ["jdoe", "slee", "kroe", ""]


@pytest.mark.parametrize(
    "text, says",
    [("", "is empty"), ("name,score\nada,3\n", "has no column Student, ID, SIS")],
)
def test_a_file_that_is_not_a_canvas_export_is_refused(tmp_path, text, says):
    (tmp_path / "roster.csv").write_text(text)
    with pytest.raises(canvas.RosterError, match=says):
        canvas.read_roster(tmp_path / "roster.csv")
