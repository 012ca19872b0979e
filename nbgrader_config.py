"""nbgrader settings for the course (read when nbgrader runs from this folder)."""

import os

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

_here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "dl-course"
# solutions/<unit>/ holds the instructor's notebooks; assignments/<unit>/ the release.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
# Only notebooks are released: no stray files from the instructor's folders.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.db"]

# A local exchange so that the assignment list works on a single machine; a shared
# JupyterHub sets its own root (e.g. /srv/nbgrader/exchange) instead.
c.Exchange.root = os.path.join(_here, ".exchange")

# Every notebook runs in <= 2 minutes; one cell may take at most this long.
c.Execute.timeout = 300

# Feedback shows each failed check's message but never the hidden tests' code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "grading.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Honest work gives no "checksum has changed" warning: nbgrader stores test cells
# with their hidden tests and students get them without (jupyter/nbgrader#1961);
# grading/hidden_checksums.py restores the hidden part where the cell is the
# release's, and OverwriteCells still warns about a cell the student changed.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "grading.hidden_checksums.RestoreHiddenTests",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# A test scores when it raises no error: text on stderr (a warning from a correct
# answer) costs nothing, as in `course.py grade`. nbgrader alone would score such a
# cell 0, so stderr becomes labelled stdout right after the notebook runs.
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "grading.stderr.StderrIsNotAnError",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    # last: what formgrader shows of the student's work cannot run script in the
    # grader's browser (grading/safe_html.py)
    "grading.safe_html.InertStudentWork",
]

# `nbgrader export` writes nbgrader's columns plus status, reason and manual_score,
# so a submission that could not be graded never shows as a plain 0.
c.ExportApp.plugin_class = "grading.export.CourseCsvExport"

# Late work: 10% of the notebook's score per day late (a part day counts as a day),
# at most 50%, counted from the unit's due date in the gradebook (set it in
# formgrader, or `nbgrader db assignment add 01_knn --duedate="2027-01-15 17:00 UTC"`).
# `nbgrader autograde` and `course.py grade` apply the same rule (grading/late.py).
c.AssignLatePenalties.plugin_class = "grading.plugins.PerDayPenalty"
c.PerDayPenalty.fraction_per_day = 0.1
c.PerDayPenalty.max_fraction = 0.5

# Validate lists each failing answer once (a hidden tests' cell that repeats its
# visible cell's error is folded into it), with lines long enough for the course's
# messages, and points to checks.summary(); see grading/validation.py.
import sys  # noqa: E402

sys.path.insert(0, _here)
from grading import validation  # noqa: E402

c.Execute.on_cell_start = validation.HOOKS.cell_start
c.Execute.on_cell_error = validation.HOOKS.cell_error
c.Validator.failed_warning = validation.FAILED_WARNING
c.Validator.width = validation.WIDTH
