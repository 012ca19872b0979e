"""What nbgrader's Validate (the toolbar button and `nbgrader validate`) reports.

Validate runs the notebook and lists every graded cell that fails, each with its
source and its error. Every answer here has two test cells, the visible tests and
the hidden tests' cell (which runs a visible part now), so a blank or broken answer
was listed twice with the same message. ``RepeatedFailures`` is installed as two
of nbclient's hooks (nbgrader_config.py): while nbgrader validates, and only then,
a hidden tests' cell that fails with exactly its answer's visible tests' error is
taken off the list, and the visible cell's message says so.
A hidden tests' cell that fails differently is listed as before. Autograding never
runs this: nbgrader sets NBGRADER_VALIDATING only inside its Validator.
"""

from __future__ import annotations

import os

HIDDEN_SUFFIX = "_hidden"
FOLDED_NOTE = "(the hidden tests' cell of this answer fails with the same message)"

# Validate's text in the terminal (the dialog in JupyterLab shows neither).
FAILED_WARNING = (
    "{num_failed} test cell(s) fail: each is listed below with its message.\n"
    "For every answer's points in one list, run the notebook's last cell "
    "(checks.summary()).\n"
)
WIDTH = 160  # nbgrader cuts longer lines with "..."; the course's messages fit


def _errors(cell) -> list:
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _tracebacks(cell) -> list:
    return [list(e.get("traceback", [])) for e in _errors(cell)]


class RepeatedFailures:
    """nbclient hooks (``on_cell_start`` and ``on_cell_error``) that fold a hidden
    tests' cell's error into its visible cell's when the two are the same.

    nbconvert runs the cells one by one with no notebook-level hook, so the
    visible cells' failures are remembered by grade id, and forgotten when the
    cell runs again (a passing rerun leaves nothing to fold into).
    """

    def __init__(self):
        self.failed = {}  # visible test cell's grade id -> that cell
        self.folded = 0

    def cell_start(self, cell, **_):
        self.failed.pop(_grade_id(cell), None)

    def cell_error(self, cell, **_):
        if os.environ.get("NBGRADER_VALIDATING") != "1":
            return
        grade_id = _grade_id(cell)
        if not grade_id.endswith(HIDDEN_SUFFIX):
            if grade_id:
                self.failed[grade_id] = cell
            return
        sibling = self.failed.get(grade_id[: -len(HIDDEN_SUFFIX)])
        if sibling is None or _tracebacks(sibling) != _tracebacks(cell):
            return
        cell.outputs = [o for o in cell.outputs if o.get("output_type") != "error"]
        _errors(sibling)[-1].setdefault("traceback", []).append(FOLDED_NOTE)
        self.folded += 1


HOOKS = RepeatedFailures()
