"""Where a student stands: ``checks.summary()``, the last cell of every notebook.

Every test cell that runs in this kernel is recorded (after it runs, through
IPython's ``post_run_cell`` event): which answer it tests (the first word of its
docstring, as every test cell of the course starts), and whether it passed or, if
not, the first line of what it said. ``summary()`` then lists every answer of the
notebook with its points (read from the notebook file when the kernel knows it)
and where it stands: passed, failing (with the first message), or not run yet.
Only the tests this kernel ran count: hidden tests run when the notebook is
graded."""

from __future__ import annotations

import json
import os
import re

_TEST = re.compile(r'^\s*(?:[rRuU])?"""\s*([A-Za-z_][A-Za-z0-9_]*)\b')
# answer -> {cell source: (passed, first line of the failure)}
_RUNS: dict[str, dict[str, tuple[bool, str]]] = {}


def _first_line(error) -> str:
    if error is None:
        return ""
    lines = [ln.strip() for ln in str(error).splitlines() if ln.strip()]
    text = lines[0] if lines else type(error).__name__
    if isinstance(error, NotImplementedError) and not str(error).strip():
        text = "not written yet (it raises NotImplementedError)"
    return text[:160]


def record(result) -> None:
    """IPython's post_run_cell callback: note a test cell's outcome."""
    source = getattr(getattr(result, "info", None), "raw_cell", "") or ""
    found = _TEST.match(source)
    if found is None or "checks." not in source:
        return
    answer = found.group(1)
    error = result.error_before_exec or result.error_in_exec
    _RUNS.setdefault(answer, {})[source] = (error is None, _first_line(error))


def _notebook_answers() -> dict[str, float] | None:
    """answer -> its autograded points, from the notebook this kernel runs (None
    when the kernel does not know its notebook)."""
    path = os.environ.get("JPY_SESSION_NAME", "")  # set by Jupyter Server
    if not path.endswith(".ipynb"):
        return None
    if not os.path.isfile(path):  # a path relative to the server: the kernel
        path = os.path.basename(path)  # runs in the notebook's folder
        if not os.path.isfile(path):
            return None
    try:
        with open(path, encoding="utf-8") as f:
            cells = json.load(f)["cells"]
    except (OSError, ValueError, KeyError):
        return None
    answers, points = [], {}
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if meta.get("solution") and cell.get("cell_type") == "code":
            answers.append(grade_id)
        elif meta.get("grade") and not meta.get("solution"):
            owner = max(
                (a for a in answers if grade_id.startswith(f"test_{a}")),
                key=len,
                default=None,
            )
            if owner:
                points[owner] = points.get(owner, 0.0) + float(meta.get("points", 0))
    return {a: points.get(a, 0.0) for a in answers}


def standing(answers: dict[str, float] | None = None) -> list[tuple]:
    """(answer, points or None, "passed" | "failing" | "not run yet", message)."""
    answers = answers if answers is not None else _notebook_answers()
    names = list(answers) if answers else list(_RUNS)
    rows = []
    for name in names:
        runs = _RUNS.get(name, {})
        failing = [message for ok, message in runs.values() if not ok]
        state = "not run yet" if not runs else "failing" if failing else "passed"
        points = answers.get(name) if answers else None
        rows.append((name, points, state, failing[0] if failing else ""))
    return rows


def summary(answers: dict[str, float] | None = None) -> None:
    """Print every answer, its points, and where it stands (see the module)."""
    rows = standing(answers)
    if not rows:
        print("No test cell has run in this kernel yet: run the notebook from the top.")
        return
    width = max(len(r[0]) for r in rows)
    passed = sum(r[2] == "passed" for r in rows)
    total = sum(r[1] or 0 for r in rows)
    got = sum(r[1] or 0 for r in rows if r[2] == "passed")
    print(
        f"{passed} of {len(rows)} answers pass their visible tests"
        + (
            f" ({got:g} of {total:g} points, if the hidden tests agree)"
            if total
            else ""
        )
        + ":"
    )
    marks = {"passed": "ok  ", "failing": "FAIL", "not run yet": "--  "}
    for name, points, state, message in rows:
        worth = f"{points:>4g} pts  " if points is not None else ""
        line = f"  {marks[state]} {name:<{width}}  {worth}{state}"
        print(line + (f": {message}" if message else ""))


def install() -> None:
    """Record test cells in this IPython kernel (once)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_course_progress", False):
        return
    shell.events.register("post_run_cell", record)
    shell._course_progress = True
