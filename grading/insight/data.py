"""A graded class, read back: from what ``course.py grade`` wrote (``result.json``
beside each graded notebook), or from an nbgrader course folder graded with
``nbgrader autograde`` (the gradebook's scores, the autograded notebooks' verdicts).
Both give the same ``Graded`` records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from grading import layout, notebook, verdicts


@dataclass
class Graded:
    student: str
    unit: str
    status: str  # "graded" or "not graded"
    reason: str = ""
    scores: dict[str, float] = field(default_factory=dict)  # test -> points
    verdicts: dict[str, dict] = field(default_factory=dict)  # failed test -> said
    seconds: float | None = None  # grading time (course.py grade only)
    page: str = ""  # the feedback page, relative to the graded folder


@dataclass
class UnitClass:
    unit: str
    points: dict[str, float]  # test -> its points
    answers: dict[str, list[str]]  # answer -> its tests
    graded: list[Graded]
    source: str  # "course.py grade" or "nbgrader autograde"


def _structure(unit: str, repo: Path) -> tuple[dict, dict]:
    solution = notebook.read(layout.solution(unit, root=repo))
    return notebook.test_points(solution), notebook.tests_by_answer(solution)


def load(folder: Path, units: list[str] | None = None, repo: Path = layout.ROOT):
    """unit -> UnitClass for every unit graded under ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of graded work")
    known = layout.units(repo)
    if (folder / "gradebook.db").exists() and not any(
        (folder / u).is_dir() and any((folder / u).glob("*/result.json")) for u in known
    ):
        found = _from_gradebook(folder, known, repo)
    else:
        found = _from_results(folder, known, repo)
    if units:
        found = {u: c for u, c in found.items() if u in units}
    if not found:
        raise FileNotFoundError(
            f"no graded work in {folder}: give the --out folder of course.py grade, "
            "or an nbgrader course folder after nbgrader autograde"
        )
    return found


def _from_results(folder: Path, known: list[str], repo: Path) -> dict:
    found = {}
    for unit in known:
        results = sorted((folder / unit).glob("*/result.json"))
        if not results:
            continue
        points, answers = _structure(unit, repo)
        graded = [_read_result(path, folder) for path in results]
        found[unit] = UnitClass(unit, points, answers, graded, "course.py grade")
    return found


def _read_result(path: Path, folder: Path) -> Graded:
    r = json.loads(path.read_text())
    said = r.get("verdicts")
    ran = path.parent / "graded.ipynb"
    if said is None and ran.exists():  # graded before verdicts were recorded
        said = verdicts.verdicts(notebook.read(ran))
    page = path.parent / "feedback.html"
    return Graded(
        student=str(r.get("student", path.parent.name)),
        unit=str(r.get("unit", path.parent.parent.name)),
        status="graded" if r.get("status") == "graded" else "not graded",
        reason=str(r.get("reason", "")),
        scores={k: float(v) for k, v in r.get("scores", {}).items()},
        verdicts=said or {},
        seconds=r.get("wall_seconds", r.get("seconds")),
        page=str(page.relative_to(folder)) if page.exists() else "",
    )


def _from_gradebook(course: Path, known: list[str], repo: Path) -> dict:
    """nbgrader autograde's class: scores from the gradebook, verdicts from the
    autograded notebooks, feedback pages where generate_feedback made them."""
    from nbgrader.api import Gradebook, MissingEntry

    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for unit in known:
            try:
                submissions = gb.assignment_submissions(unit)
            except MissingEntry:
                continue
            points, answers = _structure(unit, repo)
            graded = []
            for sub in submissions:
                scores = {}
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if grade.name in points:
                            scores[grade.name] = float(grade.auto_score or 0.0)
                student = sub.student.id
                said = {}
                for path in (course / "autograded" / student / unit).glob("*.ipynb"):
                    said |= verdicts.verdicts(notebook.read(path))
                page = next(
                    iter(sorted((course / "feedback" / student / unit).glob("*.html"))),
                    None,
                )
                graded.append(
                    Graded(
                        student,
                        unit,
                        "graded",
                        scores=scores,
                        verdicts=said,
                        page=str(page.relative_to(course)) if page else "",
                    )
                )
            if graded:
                found[unit] = UnitClass(
                    unit, points, answers, graded, "nbgrader autograde"
                )
    return found
