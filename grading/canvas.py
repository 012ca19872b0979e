"""Grades for Canvas: ``python3 course.py grades --canvas ROSTER.csv --out upload.csv``.

ROSTER.csv is the gradebook CSV that Canvas exports (Grades > Export): the
columns Student, ID, SIS User ID, SIS Login ID, (Integration ID,) Section, one
column per assignment named ``Name (id)``, read-only totals, and under the header
a "Points Possible" row (and sometimes a "Manual Posting" row).

The upload keeps the roster's student columns and rows and has one column per
unit, filled from the course's nbgrader gradebook (the score after any late
penalty). A student is matched by login: the nbgrader student id equals Canvas's
SIS Login ID. A unit whose assignment already exists in Canvas (a column named
``01_knn (1234)``) fills that column; otherwise a new column named after the unit
makes Canvas create the assignment, with the unit's points in Points Possible.
Other assignments and the read-only columns are left out: Canvas changes only the
columns an import holds.

A blank cell changes nothing in Canvas, so a student with nothing to record gets
one. Everything that did not go in is listed: students of the gradebook who are
not in the roster, submissions that could not be graded, and submissions whose
written answers still wait for a grader (their score so far goes in).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Section"]
LOGIN = "SIS Login ID"
META_ROWS = ("Points Possible", "Manual Posting")
_ASSIGNMENT = re.compile(r"^(?P<name>.*?) \((?P<id>\d+)\)$")


class RosterError(ValueError):
    """The roster is not a Canvas gradebook export."""


@dataclass
class Roster:
    header: list[str]
    meta: list[list[str]]  # Points Possible (and Manual Posting) rows
    students: list[dict[str, str]]

    @property
    def identity(self) -> list[str]:
        return [c for c in IDENTITY if c in self.header]

    def column_of(self, unit: str) -> str | None:
        """The roster's column for ``unit`` (``unit (id)``), if Canvas has one."""
        for name in self.header:
            match = _ASSIGNMENT.match(name)
            if match and match["name"].strip() == unit:
                return name
        return None


def read_roster(path: Path) -> Roster:
    with open(path, newline="", encoding="utf-8-sig") as f:  # Canvas writes a BOM
        rows = list(csv.reader(f))
    if not rows:
        raise RosterError(f"{path} is empty: export the gradebook from Canvas")
    header = rows[0]
    missing = [c for c in ("Student", "ID", LOGIN) if c not in header]
    if missing:
        raise RosterError(
            f"{path} has no column {', '.join(missing)}: export it from Canvas "
            "(Grades > Export > Export Entire Gradebook), and keep its columns"
        )
    meta = [r for r in rows[1:] if r and r[0].strip() in META_ROWS]
    students = [
        dict(zip(header, r, strict=False))
        for r in rows[1:]
        if r and r[0].strip() not in META_ROWS and any(cell.strip() for cell in r)
    ]
    return Roster(header, meta, students)


@dataclass
class Grade:
    score: float | None  # None: nothing to record
    max_score: float
    status: str  # grading.export's: scored, needs manual grading, not graded, ...
    reason: str = ""


@dataclass
class Upload:
    header: list[str]
    rows: list[list[str]]
    unmatched: list[str] = field(default_factory=list)  # in nbgrader, not Canvas
    notes: list[str] = field(default_factory=list)


def _number(value: float) -> str:
    return f"{value:g}"


def fill(roster: Roster, grades: dict[tuple[str, str], Grade], units) -> Upload:
    """The upload: ``grades`` maps (login, unit) to the student's grade."""
    columns = {unit: roster.column_of(unit) or unit for unit in units}
    identity = roster.identity
    header = [*identity, *columns.values()]
    rows = []
    for meta in roster.meta:
        by_name = dict(zip(roster.header, meta, strict=False))
        row = [by_name.get(c, "") for c in identity]
        for unit, column in columns.items():
            if meta[0].strip() == "Points Possible":
                points = [g.max_score for (_, u), g in grades.items() if u == unit]
                row.append(
                    by_name.get(column) or (_number(points[0]) if points else "")
                )
            else:
                row.append(by_name.get(column, ""))
        rows.append(row)
    logins = {s.get(LOGIN, "").strip() for s in roster.students}
    notes = []
    for student in roster.students:
        login = student.get(LOGIN, "").strip()
        row = [student.get(c, "") for c in identity]
        for unit in units:
            grade = grades.get((login, unit))
            if grade is None or grade.score is None:
                row.append("")
                if grade is not None and grade.status == "not graded":
                    notes.append(
                        f"{login} {unit}: left blank, not graded: {grade.reason}"
                    )
                continue
            if grade.status == "needs manual grading":
                notes.append(f"{login} {unit}: written answers not graded yet")
            row.append(_number(grade.score))
        rows.append(row)
    unmatched = sorted({login for login, _ in grades} - logins)
    return Upload(header, rows, unmatched, notes)


def write(upload: Upload, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(upload.header)
        writer.writerows(upload.rows)


def gradebook_grades(course: Path, units: list[str] | None = None):
    """(login, unit) -> Grade for every student and unit in the course's gradebook,
    read as ``nbgrader export`` reads it (grading.export)."""
    from nbgrader.api import Gradebook

    from grading.classroom.gradebook import db_url
    from grading.export import row

    found: dict[tuple[str, str], Grade] = {}
    names = []
    with Gradebook(db_url(course)) as gb:
        for assignment in gb.assignments:
            if units and assignment.name not in units:
                continue
            names.append(assignment.name)
            for student in gb.students:
                r = row(gb, assignment, student)
                score = (
                    None
                    if r["score"] == "" or r["status"] == "not submitted"
                    else r["score"]
                )
                found[student.id, assignment.name] = Grade(
                    None if score is None else float(score),
                    float(r["max_score"] or 0),
                    r["status"],
                    r["reason"],
                )
    return found, sorted(names)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="course.py grades",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--canvas",
        type=Path,
        required=True,
        metavar="ROSTER.csv",
        help="the gradebook CSV exported from Canvas",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="upload.csv",
        help="where to write the file to import into Canvas",
    )
    parser.add_argument(
        "--course",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="the nbgrader course folder (default: this course)",
    )
    parser.add_argument(
        "--unit",
        action="append",
        dest="units",
        help="only this unit (repeatable); default: every graded unit",
    )
    args = parser.parse_args(argv)
    from grading.classroom import gradebook

    if not gradebook.exists(args.course):
        print(
            f"{args.course} has no gradebook yet ({gradebook.db_url(args.course)}): "
            "grade the class first "
            "(python3 course.py grade SUBMISSIONS)",
            file=sys.stderr,
        )
        return 2
    try:
        roster = read_roster(args.canvas)
    except (OSError, RosterError) as error:
        print(f"cannot read the roster: {error}", file=sys.stderr)
        return 2
    grades, units = gradebook_grades(args.course, args.units)
    if not units:
        print("the gradebook holds none of the units asked for", file=sys.stderr)
        return 2
    upload = fill(roster, grades, units)
    try:
        write(upload, args.out)
    except OSError as error:
        print(f"cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(
        f"{args.out}: {len(roster.students)} students, columns "
        f"{', '.join(upload.header[len(roster.identity) :])}"
    )
    for note in upload.notes:
        print(f"  note: {note}")
    if upload.unmatched:
        print(
            f"{len(upload.unmatched)} student(s) of the gradebook are not in the "
            f"roster (no SIS Login ID matches), so not in the upload: "
            f"{', '.join(upload.unmatched)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
