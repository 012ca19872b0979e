"""What each failing test said, read from a graded notebook's outputs: the data
behind the misconception report (grading.insight). The same function reads the
notebook ``course.py grade`` ran and the one ``nbgrader autograde`` left, so the
two paths give the same verdicts. Only the error's name and message are kept:
a check's message (what failed, expected vs got, a hint), never a line of test
code, hidden or not."""

from __future__ import annotations

import re

from grading import notebook

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
MESSAGE_CHARS = 300


def _hint(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Hint:"):
            return line.removeprefix("Hint:").strip()[:MESSAGE_CHARS]
    return ""


def verdicts(nb) -> dict[str, dict]:
    """test grade_id -> {"error", "message", "hint"} for each test cell that
    failed (raised an error) in the run notebook ``nb``."""
    found = {}
    for cell in nb.cells:
        if not notebook.is_test_cell(cell):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if not errors:
            continue
        error = errors[0]
        text = _ANSI.sub("", str(error.get("evalue", "")))
        first = text.strip().splitlines()[0] if text.strip() else ""
        name = str(error.get("ename", ""))[:80]
        if name == "NotImplementedError" and not first:
            first = "the answer is not written yet (it raises NotImplementedError)"
        found[cell.metadata["nbgrader"]["grade_id"]] = {
            "error": name,
            "message": (first or name)[:MESSAGE_CHARS],
            "hint": _hint(text),
        }
    return found
