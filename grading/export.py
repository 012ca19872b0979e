"""``nbgrader export`` for this course: nbgrader's CSV columns, plus what a plain
0 would hide. Set in nbgrader_config.py (``ExportApp.plugin_class``).

- ``status``: ``scored``, ``not graded`` (course.py grade could not grade the
  submission; ``reason`` says why, and ``score`` is left empty rather than 0),
  ``needs manual grading`` (a written answer or a flagged cell still waits for a
  grader: the score so far counts what is graded) or ``not submitted``;
- ``manual_score``: the points given by hand so far (written answers, overrides).
"""

from __future__ import annotations

import csv

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins.export import ExportPlugin

from grading.classroom.gradebook import NOT_GRADED

COLUMNS = [
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
    "status",
    "reason",
    "manual_score",
]


def _reason(submission) -> str:
    for notebook in submission.notebooks:
        for comment in notebook.comments:
            if (comment.auto_comment or "").startswith(NOT_GRADED):
                return comment.auto_comment[len(NOT_GRADED) :]
    return ""


def row(gradebook: Gradebook, assignment, student) -> dict:
    """One line of the export: ``student``'s result on ``assignment``."""
    found = {
        "assignment": assignment.name,
        "duedate": assignment.duedate or "",
        "student_id": student.id,
        "last_name": student.last_name or "",
        "first_name": student.first_name or "",
        "email": student.email or "",
        "max_score": assignment.max_score,
        "reason": "",
    }
    try:
        submission = gradebook.find_submission(assignment.name, student.id)
    except MissingEntry:
        return {
            **found,
            "timestamp": "",
            "raw_score": 0.0,
            "late_submission_penalty": 0.0,
            "score": 0.0,
            "status": "not submitted",
            "manual_score": "",
        }
    reason = _reason(submission)
    penalty = submission.late_submission_penalty or 0.0
    manual = [
        g.manual_score
        for nb in submission.notebooks
        for g in nb.grades
        if g.manual_score is not None
    ]
    if reason:
        status = "not graded"
    elif submission.needs_manual_grade:
        status = "needs manual grading"
    else:
        status = "scored"
    return {
        **found,
        "timestamp": submission.timestamp or "",
        "raw_score": "" if reason else submission.score,
        "late_submission_penalty": "" if reason else penalty,
        "score": "" if reason else max(0.0, submission.score - penalty),
        "status": status,
        "reason": reason,
        "manual_score": sum(manual) if manual else "",
    }


class CourseCsvExport(ExportPlugin):
    """nbgrader's CSV export with status, reason and manual_score columns."""

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades.csv"
        students = {str(s) for s in self.student}
        assignments = {str(a) for a in self.assignment}
        self.log.info("Exporting grades to %s", dest)
        with open(dest, "w", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS)
            writer.writeheader()
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    writer.writerow(row(gradebook, assignment, student))
