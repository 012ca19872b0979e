"""Reading nbgrader notebooks: answers, tests, and submissions built from them.

An *answer* is an autograded-answer cell (``solution: true``) whose ``grade_id`` is
the answer's name; its *tests* are the graded cells whose ``grade_id`` starts with
``test_<name>`` (the longest matching answer name wins, so ``test_a_alt`` belongs to
``a_alt`` rather than ``a``). Code cells tagged ``demo`` only show things: nothing
later depends on them, so wrong-answer cases may leave them out.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

DEMO_TAG = "demo"
_MARKER = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


def read(path: Path | str) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def write(nb: nbformat.NotebookNode, path: Path | str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def is_demo(cell) -> bool:
    """A code cell tagged ``demo``: it only shows things, and grading may skip it."""
    return DEMO_TAG in cell.get("metadata", {}).get("tags", [])


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


# The two cell kinds below are nbgrader.utils' is_solution / is_grade, read here
# rather than imported: importing nbgrader costs 1.5 s (its package loads its server
# extensions), and the class grader's worker and kernel would pay it per submission.
# tests/test_structure.py checks that both readings agree on every course cell.


def is_answer_cell(cell) -> bool:
    """An autograded-answer cell (the student writes it): a solution cell that is
    not also a grade cell."""
    return bool(_meta(cell).get("solution")) and not _meta(cell).get("grade")


def is_test_cell(cell) -> bool:
    """An autograded test cell (read-only, with points): a grade cell that is not
    also a solution cell."""
    return bool(_meta(cell).get("grade")) and not _meta(cell).get("solution")


def is_written_cell(cell) -> bool:
    """A written answer, graded by hand (nbgrader's "manually graded answer"): a
    markdown cell that is both a solution and a grade cell."""
    return (
        cell.get("cell_type") == "markdown"
        and bool(_meta(cell).get("solution"))
        and bool(_meta(cell).get("grade"))
    )


def written_points(nb) -> dict[str, float]:
    """grade_id -> points of every written answer, in notebook order."""
    return {
        _meta(c)["grade_id"]: float(_meta(c)["points"])
        for c in nb.cells
        if is_written_cell(c)
    }


def answer_ids(nb) -> list[str]:
    """grade_ids of the autograded-answer cells, in notebook order."""
    return [_meta(c)["grade_id"] for c in nb.cells if is_answer_cell(c)]


def test_points(nb) -> dict[str, float]:
    """grade_id -> points of every autograded test cell, in notebook order."""
    return {
        _meta(c)["grade_id"]: float(_meta(c)["points"])
        for c in nb.cells
        if is_test_cell(c)
    }


def answer_of(test_id: str, answers: list[str]) -> str:
    """The answer a test cell belongs to (longest ``test_<answer>`` prefix)."""
    matches = [
        a for a in answers if test_id == f"test_{a}" or test_id.startswith(f"test_{a}_")
    ]
    if not matches:
        raise ValueError(f"test cell {test_id!r} matches no answer of {answers}")
    return max(matches, key=len)


def tests_by_answer(nb) -> dict[str, list[str]]:
    """answer name -> grade_ids of its test cells."""
    answers = answer_ids(nb)
    grouped: dict[str, list[str]] = {a: [] for a in answers}
    for test_id in test_points(nb):
        grouped[answer_of(test_id, answers)].append(test_id)
    return grouped


def strip_markers(source: str) -> str:
    """The source without nbgrader's BEGIN/END SOLUTION and HIDDEN TESTS lines."""
    return "\n".join(line for line in source.splitlines() if not _MARKER.match(line))


def solution_sources(solution_nb) -> dict[str, str]:
    """answer name -> the solution cell's code, markers removed."""
    return {
        _meta(c)["grade_id"]: strip_markers(c.source)
        for c in solution_nb.cells
        if is_answer_cell(c)
    }


def tests_after(nb, answer: str) -> list[str]:
    """grade_ids of the test cells that come after ``answer``'s cell.

    Only these can see a wrong version of the answer: the cells before it run
    before it exists.
    """
    ids = [_meta(c).get("grade_id") for c in nb.cells]
    if answer not in ids:
        raise ValueError(f"no answer cell named {answer!r}")
    later = nb.cells[ids.index(answer) + 1 :]
    return [_meta(c)["grade_id"] for c in later if is_test_cell(c)]


def submission(
    release_nb,
    solution_nb,
    overrides: dict[str, str] | None = None,
    keep_demo: bool = True,
    only_tests: list[str] | None = None,
):
    """A student's notebook: the release with every answer cell filled in (written
    answers with the solution's model answer).

    Args:
        release_nb: the released notebook.
        solution_nb: the instructor's notebook, for the correct answers.
        overrides: answer name -> code to submit instead of the solution.
        keep_demo: False drops the code cells tagged ``demo``.
        only_tests: keep only these test cells (None keeps all); nbgrader leaves
            the others ungraded.
    """
    overrides = overrides or {}
    solutions = solution_sources(solution_nb)
    written = {
        _meta(c)["grade_id"]: c.source for c in solution_nb.cells if is_written_cell(c)
    }
    unknown = set(overrides) - set(solutions)
    if unknown:
        raise ValueError(f"no answer cell named {sorted(unknown)}")
    nb = copy.deepcopy(release_nb)
    cells = []
    for cell in nb.cells:
        if not keep_demo and is_demo(cell):
            continue
        meta = _meta(cell)
        if (
            is_test_cell(cell)
            and only_tests is not None
            and meta["grade_id"] not in only_tests
        ):
            continue
        if meta.get("grade_id") in solutions:
            cell.source = overrides.get(meta["grade_id"], solutions[meta["grade_id"]])
        elif is_written_cell(cell):
            cell.source = written[meta["grade_id"]]  # the model answer
        cells.append(cell)
    nb.cells = cells
    return nb


def load_answers(path: Path | str, names, preamble: str = "import numpy as np") -> dict:
    """Run the named answer cells of a solution notebook after ``preamble``.

    For benchmarks that time the functions a unit teaches, without running the
    notebook's data loading and demos. Returns the resulting namespace.
    """
    sources = solution_sources(read(path))
    namespace: dict = {}
    exec(preamble, namespace)
    for name in names:
        exec(compile(sources[name], f"{path}:{name}", "exec"), namespace)
    return namespace
