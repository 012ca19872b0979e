"""The real nbgrader cycle: the solution scores full marks, the blank release zero,
and every typical wrong answer loses points in its own tests and nowhere else."""

from __future__ import annotations

import fcntl
import json
import math
import os

import pytest

from conftest import (
    REPO,
    UNITS,
    unit_notebooks,
    wrong_answer_dependencies,
    wrong_answers,
)
from grading import notebook

pytestmark = pytest.mark.slow


def _grade(course, unit, students: dict[str, dict]) -> dict[str, dict[str, float]]:
    """Submit student -> {notebook name: notebook}, autograde them, read scores."""
    for student, notebooks in students.items():
        course.submit(student, unit, notebooks)
    for student in students:
        course.nbgrader("autograde", unit, "--student", student, "--force")
    return course.scores(unit)


def _notebooks(unit, overrides=None, keep_demo=True, blank=False, only_tests=None):
    made = {}
    for name in unit_notebooks(unit):
        release = notebook.read(REPO / "assignments" / unit / name)
        solution = notebook.read(REPO / "solutions" / unit / name)
        made[name] = (
            release
            if blank
            else notebook.submission(
                release, solution, overrides, keep_demo, only_tests=only_tests
            )
        )
    return made


def _max_points(unit) -> dict[str, float]:
    points = {}
    for name in unit_notebooks(unit):
        points.update(
            notebook.test_points(notebook.read(REPO / "solutions" / unit / name))
        )
    return points


@pytest.mark.parametrize("unit", UNITS)
def test_solution_gets_full_marks_and_runs_clean(unit, scratch_course):
    """The solution, submitted whole, scores every point and no cell errors."""
    course = scratch_course(unit)
    scores = _grade(course, unit, {"solution": _notebooks(unit)})["solution"]
    assert scores == _max_points(unit)
    for name in unit_notebooks(unit):
        graded = notebook.read(course.root / "autograded" / "solution" / unit / name)
        errors = [
            c.id
            for c in graded.cells
            if c.cell_type == "code"
            and any(o.output_type == "error" for o in c.get("outputs", []))
        ]
        assert not errors, f"{unit}/{name}: cells {errors} raised an error"


@pytest.mark.parametrize("unit", UNITS)
def test_blank_release_gets_zero(unit, scratch_course):
    """The untouched release, submitted as is, scores 0 in every test cell."""
    course = scratch_course(unit)
    scores = _grade(course, unit, {"blank": _notebooks(unit, blank=True)})["blank"]
    assert scores == {test_id: 0.0 for test_id in _max_points(unit)}


def test_a_warning_costs_no_points_under_nbgrader(scratch_course):
    """A correct answer that emits a UserWarning keeps its points under plain
    ``nbgrader autograde`` (nbgrader alone zeroes a cell with any stderr text; the
    course's config re-labels it, so only errors cost points, as in ``course.py
    grade``), and the warning's text stays in the graded notebook."""
    unit, answer = "01_knn", "compute_distances_no_loops"
    solution = _solution_of(unit, answer)
    code = notebook.solution_sources(solution)[answer]
    warned = "import warnings\n" + code.replace(
        "    return", '    warnings.warn("checking the shapes")\n    return', 1
    )
    assert warned != "import warnings\n" + code
    own = notebook.tests_by_answer(solution)[answer]
    course = scratch_course(unit)
    submitted = _notebooks(unit, {answer: warned}, keep_demo=False, only_tests=own)
    scores = _grade(course, unit, {"warns": submitted})["warns"]
    max_points = _max_points(unit)
    assert {t: scores[t] for t in own} == {t: max_points[t] for t in own}
    graded = notebook.read(
        course.root / "autograded" / "warns" / unit / unit_notebooks(unit)[0]
    )
    texts = [
        o.get("text", "")
        for c in graded.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    ]
    assert any("checking the shapes" in t for t in texts), "the warning was lost"


# Wrong answers are graded a few at a time: one submission holds up to GROUP_SIZE
# cases, each in a different answer and spread over the notebook, so a unit needs an
# eighth of the kernel start-ups. Each unit's submissions are graded in BATCHES
# nbgrader runs, which go to different test workers.
GROUP_SIZE = 8
BATCHES = 2


def _groups(unit) -> list[list[int]]:
    """Case indices of each submission: never two cases of the same answer, nor of
    an answer and one whose results its tests use."""
    cases = wrong_answers(unit)
    depends = wrong_answer_dependencies(unit)

    def clash(a: str, b: str) -> bool:
        return a == b or a in depends.get(b, ()) or b in depends.get(a, ())

    count = math.ceil(len(cases) / GROUP_SIZE)
    groups: list[list[int]] = [[] for _ in range(count)]
    for i, case in enumerate(cases):
        for g in [*range(i % count, count), *range(i % count)]:
            if len(groups[g]) < GROUP_SIZE and not any(
                clash(cases[j].answer, case.answer) for j in groups[g]
            ):
                groups[g].append(i)
                break
        else:
            groups.append([i])
    return groups


def _group_of(unit, index) -> int:
    return next(g for g, members in enumerate(_groups(unit)) if index in members)


def _solution_of(unit, answer):
    for name in unit_notebooks(unit):
        solution = notebook.read(REPO / "solutions" / unit / name)
        if answer in notebook.answer_ids(solution):
            return solution
    raise ValueError(f"{unit} has no answer cell named {answer!r}")


@pytest.fixture(scope="session")
def wrong_answer_scores(scratch_course, tmp_path_factory):
    """(unit, batch) -> student -> scores: one nbgrader run grades a whole batch.

    The scores are kept in a file that every test worker sees: xdist's loadgroup
    does not always keep a batch's tests on one worker, and then the second worker
    waits for the first one's scores instead of grading the batch again.
    """
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker has its own basetemp inside one folder per run.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    cache: dict[tuple[str, int], dict] = {}

    def grade(unit, batch):
        course = scratch_course(unit)
        cases = wrong_answers(unit)
        for g, members in enumerate(_groups(unit)):
            if g % BATCHES != batch:
                continue
            overrides, reachable = {}, set()
            for i in members:
                case = cases[i]
                solution = _solution_of(unit, case.answer)
                overrides[case.answer] = case.code(
                    notebook.solution_sources(solution)[case.answer]
                )
                # Demo cells just show things, and test cells before an answer
                # run before its wrong code exists: neither is graded.
                reachable |= set(notebook.tests_after(solution, case.answer))
            course.submit(
                f"wrong{batch}-{g:02d}",
                unit,
                _notebooks(
                    unit,
                    overrides=overrides,
                    keep_demo=False,
                    only_tests=sorted(reachable),
                ),
            )
        course.nbgrader("autograde", unit, "--student", f"wrong{batch}-*", "--force")
        return course.scores(unit)

    def get(unit, batch):
        if (unit, batch) not in cache:
            path = shared / f"wrong-answer-scores-{unit}-{batch}.json"
            with open(path.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not path.exists():
                    path.write_text(json.dumps(grade(unit, batch)))
                cache[unit, batch] = json.loads(path.read_text())
        return cache[unit, batch]

    return get


CASES = [
    (unit, i, case) for unit in UNITS for i, case in enumerate(wrong_answers(unit))
]


@pytest.mark.parametrize(
    ("unit", "index", "case"),
    [
        pytest.param(
            u,
            i,
            c,
            id=f"{u}-{c.answer}-{c.why}",
            marks=pytest.mark.xdist_group(f"wrong-{u}-{_group_of(u, i) % BATCHES}"),
        )
        for u, i, c in CASES
    ],
)
def test_wrong_answer_loses_points_only_in_its_tests(
    unit, index, case, wrong_answer_scores
):
    """A typical mistake costs points in that answer's tests, and in no test of an
    answer that is right in the same submission (except answers declared to use its
    results, DEPENDS_ON in the unit's wrong-answer file).

    Tests before the answer's cell are not graded for these cases: they run before
    the wrong code exists, and the full-marks test shows that they pass.
    """
    group = _group_of(unit, index)
    batch = group % BATCHES
    scores = wrong_answer_scores(unit, batch)[f"wrong{batch}-{group:02d}"]
    max_points = _max_points(unit)
    solution = _solution_of(unit, case.answer)
    own = notebook.tests_by_answer(solution)[case.answer]
    reachable = notebook.tests_after(solution, case.answer)
    assert set(own) <= set(reachable), f"{own} must follow the {case.answer} cell"
    cases = wrong_answers(unit)
    wrong_here = {cases[i].answer for i in _groups(unit)[group]}
    owners = {
        test: answer
        for name in unit_notebooks(unit)
        for answer, tests in notebook.tests_by_answer(
            notebook.read(REPO / "solutions" / unit / name)
        ).items()
        for test in tests
    }
    # Tests of answers that use a wrong answer's results (DEPENDS_ON) may lose too.
    depends = wrong_answer_dependencies(unit)
    users = {a for a, used in depends.items() if used & wrong_here}
    lost_own = sum(max_points[t] - scores[t] for t in own)
    lost_elsewhere = {
        t: scores[t]
        for t in reachable
        if owners.get(t) not in wrong_here | users and scores[t] < max_points[t]
    }
    assert lost_own > 0, f"{case.why!r} loses no points in {own}: {scores}"
    assert not lost_elsewhere, (
        f"{case.why!r} (graded with wrong {sorted(wrong_here)}) also loses points "
        f"in {lost_elsewhere}"
    )
