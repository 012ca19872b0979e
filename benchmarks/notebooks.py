"""Per notebook: seconds to execute the solution, and to autograde it with nbgrader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from nbclient import NotebookClient

from grading import notebook
from grading.layout import ROOT as REPO
from lib.timing import stopwatch
from tests.scratch import ScratchCourse, in_nbgrader_env

# Seconds to execute one notebook on 2 CPU cores, per unit (the issues' targets).
EXECUTE_TARGET_S = {
    "04_backprop": 90.0,
    "05_regularization": 90.0,
    "06_cnn": 120.0,
    "07_pytorch": 120.0,
    "08_rnn": 120.0,
    "09_attention": 120.0,
}
DEFAULT_TARGET_S = 60.0


def _execute(path: Path) -> None:
    nb = notebook.read(path)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()


def rows(unit: str) -> list[tuple[str, float, str]]:
    """(label, seconds, target) for each notebook of ``unit``."""
    found = []
    for path in sorted((REPO / "solutions" / unit).glob("*.ipynb")):
        with in_nbgrader_env():
            seconds = stopwatch(_execute, path)
        found.append(
            (
                f"{unit}/{path.name}: execute (s)",
                seconds,
                f"<= {EXECUTE_TARGET_S.get(unit, DEFAULT_TARGET_S):.0f}",
            )
        )
        with tempfile.TemporaryDirectory() as tmp:
            course = ScratchCourse(Path(tmp))
            course.generate(unit)
            release = notebook.read(REPO / "assignments" / unit / path.name)
            course.submit(
                "solution",
                unit,
                {path.name: notebook.submission(release, notebook.read(path))},
            )
            seconds = stopwatch(course.autograde, unit)
        found.append((f"{unit}/{path.name}: autograde (s)", seconds, ""))
    return found
