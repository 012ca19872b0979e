"""Per notebook: seconds to execute the solution, the figures its demos recorded
(``lib.figures``), and seconds to autograde it with nbgrader."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from grading import notebook
from grading.layout import ROOT as REPO
from grading.scratch import ScratchCourse, in_nbgrader_env
from lib import figures
from lib.timing import stopwatch

# Seconds to execute one notebook on 2 CPU cores, per unit (the issues' targets).
EXECUTE_TARGET_S = {
    "04_backprop": 90.0,
    "05_regularization": 90.0,
    "06_cnn": 120.0,
    "07_pytorch": 120.0,
    "08_rnn": 120.0,
    "09_attention": 120.0,
    "10_generative": 90.0,
}
DEFAULT_TARGET_S = 60.0


FIGURES_CELL = "from lib import figures as _figures\nprint(_figures.as_json())"


def _execute(path: Path) -> list[tuple[str, float, str]]:
    """Run the notebook in a fresh kernel; return the figures its demos recorded."""
    nb = notebook.read(path)
    nb.cells.append(nbformat.v4.new_code_cell(FIGURES_CELL))
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return _figures_printed(nb.cells[-1])


def _figures_printed(cell) -> list[tuple[str, float, str]]:
    text = "".join(
        out.get("text", "") for out in cell.outputs if out.output_type == "stream"
    )
    if not text.strip():
        raise RuntimeError(f"the figures cell printed nothing: {cell.outputs}")
    return figures.from_json(text.strip().splitlines()[-1])


def rows(unit: str) -> list[tuple[str, float, str]]:
    """(label, seconds, target) for each notebook of ``unit``."""
    found = []
    for path in sorted((REPO / "solutions" / unit).glob("*.ipynb")):
        with in_nbgrader_env():
            start = time.perf_counter()
            demo_figures = _execute(path)
            seconds = time.perf_counter() - start
        found.append(
            (
                f"{unit}/{path.name}: execute (s)",
                seconds,
                f"<= {EXECUTE_TARGET_S.get(unit, DEFAULT_TARGET_S):.0f}",
            )
        )
        found += demo_figures
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
