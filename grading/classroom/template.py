"""The notebook a submission is graded as: the course's own cells (setup, helpers,
tests with their hidden part) with the student's answer cells, and nothing else of
the submission. Also what the submission did to the cells it should not touch."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import nbformat

from grading import notebook
from grading.classroom import scan

PREAMBLE = (
    "__grading_remote__ = __import__('grading.classroom.trusted', "
    "fromlist=['start']).start()"
)
ROLE = "grading_role"  # metadata of the cells the grader adds


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


@dataclass
class Merged:
    """The notebook to run, and what the merge found."""

    nb: nbformat.NotebookNode
    points: dict[str, float]  # test grade_id -> points
    notes: list[str] = field(default_factory=list)  # cells restored, ignored, ...
    flags: dict[str, list[str]] = field(default_factory=dict)  # answer -> tampering
    # written answer -> {"points": p, "answered": bool}: graded by hand, not here
    written: dict[str, dict] = field(default_factory=dict)


def merge(solution, release, submitted) -> Merged:
    """Build the graded notebook from the course's ``solution`` (hidden tests
    included), its ``release`` (the blank answers) and a ``submitted`` notebook.

    The tests run in the grader's kernel, the answers in the student's sandboxed
    process (trusted.py): each answer cell becomes a request to run it there, and
    each course cell that uses no answer runs in both places."""
    blanks = {
        _grade_id(c): c.source for c in release.cells if notebook.is_answer_cell(c)
    }
    answer_ids = notebook.answer_ids(solution)
    tests = {_grade_id(c): c.source for c in release.cells if notebook.is_test_cell(c)}
    locked = {
        _grade_id(c): c.source
        for c in release.cells
        if _grade_id(c)
        and not notebook.is_test_cell(c)
        and not notebook.is_answer_cell(c)
    }
    notes: list[str] = []
    given: dict[str, str] = {}
    seen_tests: dict[str, int] = {}
    written_blanks = {
        _grade_id(c): c.source for c in release.cells if notebook.is_written_cell(c)
    }
    written_given: dict[str, str] = {}
    for cell in submitted.cells:
        gid = _grade_id(cell)
        if notebook.is_written_cell(cell) and gid in written_blanks:
            written_given.setdefault(gid, cell.source)
        if cell.cell_type != "code" or gid is None:
            continue
        if gid in answer_ids and notebook.is_answer_cell(cell):
            if gid in given:
                notes.append(f"answer cell {gid} appears twice: the first is graded")
                continue
            given[gid] = cell.source
        elif gid in tests:
            seen_tests[gid] = seen_tests.get(gid, 0) + 1
            if cell.source != tests[gid]:
                notes.append(f"test cell {gid} was edited: the course's is used")
        elif gid in locked:
            if cell.source != locked[gid]:
                notes.append(f"read-only cell {gid} was edited: the course's is used")
        elif notebook.is_test_cell(cell) or gid.startswith("test_"):
            notes.append(f"unknown test cell {gid}: ignored")
    for gid in tests:
        if gid not in seen_tests:
            notes.append(f"test cell {gid} was deleted: the course's is used")
        elif seen_tests[gid] > 1:
            notes.append(f"test cell {gid} was copied: the copies are ignored")
    missing = [a for a in answer_ids if a not in given]
    if missing:
        notes.append(f"answer cells missing (graded as blank): {', '.join(missing)}")

    protected: set[str] = set()
    nb = copy.deepcopy(solution)
    written = _written_answers(nb, written_given, written_blanks)
    flags: dict[str, list[str]] = {}
    nb.cells = _graded_cells(nb, answer_ids, given, blanks, flags, protected)
    return _merged(nb, solution, notes, flags, written)


def _written_answers(nb, given: dict[str, str], blanks: dict[str, str]) -> dict:
    """Put the student's written answers (the release's blank where missing) in
    place of the solution's model answers and rubrics, which never reach the graded
    notebook; returns what the report needs of them."""
    found = {}
    for cell in nb.cells:
        if notebook.is_written_cell(cell):
            gid = _grade_id(cell)
            cell.source = given.get(gid, blanks.get(gid, ""))
            found[gid] = {
                "points": float(cell.metadata["nbgrader"]["points"]),
                "answered": cell.source.strip() != blanks.get(gid, "").strip(),
            }
    return found


def _merged(nb, solution, notes, flags, written) -> Merged:
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"graded-{i:03d}"
    return Merged(
        nb=nb,
        points=notebook.test_points(solution),
        notes=notes,
        flags=flags,
        written=written,
    )


def _kept_cells(nb):
    """The solution's cells without demo cells, outputs or attachments."""
    for cell in nb.cells:
        if notebook.is_demo(cell):
            continue
        cell.pop("attachments", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        yield cell


def _answer_source(gid, given, blanks, flags, protected) -> str:
    """The student's answer (the blank one when missing), read by the scan; what
    the scan finds goes into ``flags``."""
    source = given.get(gid, blanks.get(gid, ""))
    found = scan.scan(source, gid, protected)
    if found:
        flags[gid] = found
    return source


def _added(source: str, role: str, **meta) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata[ROLE] = role
    cell.metadata.update(meta)
    return cell


def _graded_cells(nb, answer_ids, given, blanks, flags, protected) -> list:
    """The cells of the graded notebook (see ``merge``)."""
    from grading.classroom import trusted

    solutions = notebook.solution_sources(nb)
    answer_names = {a: trusted.defined_names(solutions[a]) for a in answer_ids}
    every_answer_name = {n for names in answer_names.values() for n in names}
    cells = [_added(PREAMBLE, "preamble")]
    for cell in _kept_cells(nb):
        gid = _grade_id(cell)
        if notebook.is_answer_cell(cell) and gid in answer_ids:
            source = _answer_source(gid, given, blanks, flags, protected)
            cell.source = (
                f"__grading_remote__.answer({gid!r}, {source!r}, {answer_names[gid]!r})"
            )
            cell.metadata["grading_answer_source"] = source
            cells.append(cell)
        elif notebook.is_test_cell(cell) or cell.cell_type != "code":
            cells.append(cell)
        else:
            protected |= scan.defined_tools(cell.source)
            # A cell that uses no answer runs in both places; one that does runs
            # here, and only its imports and definitions go to the student too.
            shared, pushed = cell.source, []
            if trusted.loaded_names(cell.source) & every_answer_name:
                shared = trusted.definitions(cell.source)
                # what it binds reaches the student's process by value, once it
                # has run here (protocol.py: push, never pull)
                pushed = trusted.defined_names(cell.source)
            if shared.strip():
                label = f"course cell {len(cells)}"
                cells.append(
                    _added(
                        f"__grading_remote__.course({shared!r}, {label!r})", "course"
                    )
                )
            cells.append(cell)
            if pushed:
                cells.append(_added(f"__grading_remote__.push({pushed!r})", "push"))
    return cells
