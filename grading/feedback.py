"""Feedback that never shows hidden tests.

nbgrader's feedback HTML is the autograded notebook, hidden tests and their
tracebacks included. ``HideHiddenTests`` runs before the HTML export (see
nbgrader_config.py): it removes the hidden region from every test cell's source and
cuts each error in such a cell down to its last line, the check's own message
(what failed, expected vs got, a hint), which is what a student needs.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests ran here when the notebook was graded)"


def strip_hidden(source: str) -> tuple[str, bool]:
    """The source without its hidden-test region, and whether there was one."""
    kept, hiding, found = [], False, False
    for line in source.split("\n"):
        if BEGIN in line:
            hiding = found = True
            kept.append(line[: line.index(BEGIN)] + PLACEHOLDER)
        elif END in line:
            hiding = False
        elif not hiding:
            kept.append(line)
    return "\n".join(kept), found


class HideHiddenTests(Preprocessor):
    """Remove hidden test code, and the tracebacks that would quote it."""

    # nbconvert preprocessors are off unless enabled; this one always runs.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        cell.source, had_hidden = strip_hidden(cell.source)
        if had_hidden:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
        return cell, resources
