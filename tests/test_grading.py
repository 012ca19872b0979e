"""The real nbgrader cycle: the solution scores full marks, the blank release zero,
and every typical wrong answer loses points in its own tests and nowhere else."""

from __future__ import annotations

import pytest

from conftest import REPO, UNITS, unit_notebooks, wrong_answers
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


CASES = [
    (unit, i, case) for unit in UNITS for i, case in enumerate(wrong_answers(unit))
]
# Each unit's cases are graded in this many batches, one nbgrader run per batch; the
# batches go to different test workers.
BATCHES = 2


@pytest.fixture(scope="session")
def wrong_answer_scores(scratch_course):
    """(unit, batch) -> student -> scores: one nbgrader run grades a whole batch."""
    cache: dict[tuple[str, int], dict] = {}

    def get(unit, batch):
        if (unit, batch) not in cache:
            course = scratch_course(unit)
            for i, case in enumerate(wrong_answers(unit)):
                if i % BATCHES != batch:
                    continue
                solution = notebook.read(
                    REPO / "solutions" / unit / _notebook_of(unit, case.answer)
                )
                code = case.code(notebook.solution_sources(solution)[case.answer])
                # Only what the wrong code can reach is graded: demo cells just show
                # things, and test cells before the answer run before it exists.
                reachable = notebook.tests_after(solution, case.answer)
                course.submit(
                    f"wrong{batch}-{i:02d}",
                    unit,
                    _notebooks(
                        unit,
                        overrides={case.answer: code},
                        keep_demo=False,
                        only_tests=reachable,
                    ),
                )
            course.nbgrader(
                "autograde", unit, "--student", f"wrong{batch}-*", "--force"
            )
            cache[unit, batch] = course.scores(unit)
        return cache[unit, batch]

    return get


def _notebook_of(unit, answer) -> str:
    for name in unit_notebooks(unit):
        if answer in notebook.answer_ids(
            notebook.read(REPO / "solutions" / unit / name)
        ):
            return name
    raise ValueError(f"{unit} has no answer cell named {answer!r}")


@pytest.mark.parametrize(
    ("unit", "index", "case"),
    [
        pytest.param(
            u,
            i,
            c,
            id=f"{u}-{c.answer}-{c.why}",
            marks=pytest.mark.xdist_group(f"wrong-{u}-{i % BATCHES}"),
        )
        for u, i, c in CASES
    ],
)
def test_wrong_answer_loses_points_only_in_its_tests(
    unit, index, case, wrong_answer_scores
):
    """A typical mistake costs points in that answer's tests, and nowhere else.

    Tests before the answer's cell are not graded for these cases: they run before
    the wrong code exists, and the full-marks test shows that they pass.
    """
    batch = index % BATCHES
    scores = wrong_answer_scores(unit, batch)[f"wrong{batch}-{index:02d}"]
    max_points = _max_points(unit)
    solution = notebook.read(
        REPO / "solutions" / unit / _notebook_of(unit, case.answer)
    )
    own = notebook.tests_by_answer(solution)[case.answer]
    reachable = notebook.tests_after(solution, case.answer)
    assert set(own) <= set(reachable), f"{own} must follow the {case.answer} cell"
    lost_own = sum(max_points[t] - scores[t] for t in own)
    lost_elsewhere = {
        t: scores[t] for t in reachable if t not in own and scores[t] < max_points[t]
    }
    assert lost_own > 0, f"{case.why!r} loses no points in {own}: {scores}"
    assert not lost_elsewhere, f"{case.why!r} also loses points in {lost_elsewhere}"
