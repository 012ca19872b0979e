"""The real nbgrader cycle: the solution scores full marks, the blank release zero,
and every typical wrong answer loses points in its own tests and nowhere else."""

from __future__ import annotations

import pytest
import wrong_answer_batches as batches
from nbgrader.validator import Validator
from traitlets.config import Config

from conftest import (
    REPO,
    UNITS,
    shared_folder,
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
        course.autograde(unit, student)
    return course.scores(unit)


def _notebooks(unit, overrides=None, keep_demo=True, blank=False, only_tests=None):
    made = {}
    for name in unit_notebooks(unit):
        release = notebook.read(REPO / "assignments" / unit / name)
        solution = notebook.read(REPO / "solutions" / unit / name)
        if blank:
            if not keep_demo:
                release.cells = [c for c in release.cells if not notebook.is_demo(c)]
            made[name] = release
        else:
            made[name] = notebook.submission(
                release, solution, overrides, keep_demo, only_tests=only_tests
            )
    return made


def _max_points(unit, of=notebook.test_points) -> dict[str, float]:
    """grade_id -> points over the unit's solution notebooks (autograded tests, or
    ``of=notebook.written_points`` for the written answers)."""
    points = {}
    for name in unit_notebooks(unit):
        points.update(of(notebook.read(REPO / "solutions" / unit / name)))
    return points


class _Validated(Validator):
    """``nbgrader validate``'s verdict on a notebook that autograde has just run
    (its Execute is the one validate runs): the same checks, without running the
    notebook a second time."""

    def _preprocess(self, nb):
        return nb


def _validate(course, student, unit, name) -> dict:
    path = course.root / "autograded" / student / unit / name
    return _Validated(config=Config()).validate(str(path))


@pytest.mark.parametrize("unit", UNITS)
def test_solution_gets_full_marks_and_runs_clean(unit, scratch_course):
    """The solution, submitted whole, scores every point, no cell errors, and
    nbgrader validate (hidden tests included) reports no failure; its written
    answers wait for a grader (formgrader lists them as needing manual grading)."""
    course = scratch_course(unit)
    scores = _grade(course, unit, {"solution": _notebooks(unit)})["solution"]
    assert scores == _max_points(unit)
    for name in unit_notebooks(unit):
        assert _validate(course, "solution", unit, name) == {}, f"{unit}/{name}"
        graded = notebook.read(course.root / "autograded" / "solution" / unit / name)
        errors = [
            c.id
            for c in graded.cells
            if c.cell_type == "code"
            and any(o.output_type == "error" for o in c.get("outputs", []))
        ]
        assert not errors, f"{unit}/{name}: cells {errors} raised an error"
    written = course.written(unit, "solution")
    assert written and all(w["needs_manual_grade"] for w in written.values()), written
    assert set(written) == set(_max_points(unit, of=notebook.written_points))


@pytest.mark.parametrize("unit", UNITS)
def test_blank_release_gets_zero(unit, scratch_course):
    """The untouched release scores 0 in every test cell, and nbgrader validate
    lists every test cell (and the unanswered written question) as failed. Its demo
    cells are left out: no later cell reads what they make (test_structure checks
    that), and the full-marks test runs them."""
    course = scratch_course(unit)
    blank = _notebooks(unit, blank=True, keep_demo=False)
    scores = _grade(course, unit, {"blank": blank})["blank"]
    assert scores == {test_id: 0.0 for test_id in _max_points(unit)}
    # A written answer left blank scores 0 and breaks nothing; it needs no grader.
    written = course.written(unit, "blank")
    assert set(written) == set(_max_points(unit, of=notebook.written_points))
    assert all(w["auto_score"] == 0 for w in written.values()), written
    for name in unit_notebooks(unit):
        failed = _validate(course, "blank", unit, name).get("failed", [])
        release = notebook.read(REPO / "assignments" / unit / name)
        # ... and the unanswered written question too, as nbgrader validate does.
        expected = notebook.test_points(release) | notebook.written_points(release)
        assert len(failed) == len(expected), f"{unit}/{name}"


def test_a_warning_costs_no_points_under_nbgrader(scratch_course):
    """A correct answer that emits a UserWarning keeps its points under plain
    ``nbgrader autograde`` (nbgrader alone zeroes a cell with any stderr text; the
    course's config re-labels it, so only errors cost points, as in ``course.py
    grade``), and the warning's text stays in the graded notebook."""
    unit, answer = "01_knn", "compute_distances_no_loops"
    solution = batches.solution_of(unit, answer)
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


@pytest.fixture(scope="session")
def wrong_answer_scores(scratch_course, tmp_path_factory):
    """(unit, batch) -> {"scores": student -> test -> points, "messages": student ->
    test -> the error a failed test showed}: one nbgrader run grades a batch."""

    def grade(unit, batch):
        course = scratch_course(unit)

        def make(overrides, only_tests):
            return _notebooks(
                unit, overrides=overrides, keep_demo=False, only_tests=only_tests
            )

        for student, notebooks in batches.submissions(unit, batch, make).items():
            course.submit(student, unit, notebooks)
        course.autograde(unit, f"wrong{batch}-*")
        scores = course.scores(unit)
        messages = {student: course.messages(unit, student) for student in scores}
        return {"scores": scores, "messages": messages}

    return batches.shared_scores(shared_folder(tmp_path_factory), grade)


CASES = [
    pytest.param(
        unit,
        i,
        case,
        id=f"{unit}-{case.answer}-{case.why}",
        # One worker grades a batch and runs its cases; no other waits for it.
        marks=pytest.mark.xdist_group(f"wrong-{unit}-{batches.batch_of(unit, i)}"),
    )
    for unit in UNITS
    for i, case in enumerate(wrong_answers(unit))
]


@pytest.mark.parametrize(("unit", "index", "case"), CASES)
def test_wrong_answer_loses_points_only_in_its_tests(
    unit, index, case, wrong_answer_scores
):
    """A typical mistake costs points in that answer's tests, and in no test of an
    answer that is right in the same submission (except answers declared to use its
    results, DEPENDS_ON in the unit's wrong-answer file).

    Tests before the answer's cell are not graded for these cases: they run before
    the wrong code exists, and the full-marks test shows that they pass.
    """
    graded = wrong_answer_scores(unit, batches.batch_of(unit, index))
    scores = graded["scores"][batches.student_of(unit, index)]
    max_points = _max_points(unit)
    solution = batches.solution_of(unit, case.answer)
    own = notebook.tests_by_answer(solution)[case.answer]
    reachable = notebook.tests_after(solution, case.answer)
    assert set(own) <= set(reachable), f"{own} must follow the {case.answer} cell"
    wrong_here = batches.wrong_in_submission(unit, index)
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


@pytest.mark.parametrize(("unit", "index", "case"), CASES)
def test_wrong_answer_message_points_to_its_mistake(
    unit, index, case, wrong_answer_scores
):
    """The first of the answer's tests that fails (the one a student reads first)
    says something that can be the cause of this mistake: the text the case lists
    in ``says``, usually its hint. A hint attached to the wrong failure, or a
    generic one where the test knows better, fails here."""
    assert case.says, f"{case.why!r} lists no text its failure must show (says=)"
    graded = wrong_answer_scores(unit, batches.batch_of(unit, index))
    student = batches.student_of(unit, index)
    solution = batches.solution_of(unit, case.answer)
    own = notebook.tests_by_answer(solution)[case.answer]
    failed = [t for t in own if t in graded["messages"][student]]
    assert failed, f"{case.why!r}: none of {own} showed an error"
    shown = graded["messages"][student][failed[0]]
    assert case.says in shown, (
        f"{case.why!r}: {failed[0]} showed\n{shown}\nwhich does not say {case.says!r}"
    )


def test_honest_work_gives_no_tampering_warning_under_nbgrader(scratch_course):
    """nbgrader stores test cells with their hidden tests, students get them
    without: plain nbgrader warns "checksum ... has changed" for every hidden-test
    cell of every honest submission (jupyter/nbgrader#1961). With
    grading.hidden_checksums an honest notebook gives no such warning, while a
    test cell the student did edit still does (and is restored)."""
    unit, name = "01_knn", "knn.ipynb"
    course = scratch_course(unit)
    release = notebook.read(REPO / "assignments" / unit / name)
    solution = notebook.read(REPO / "solutions" / unit / name)
    honest = notebook.submission(release, solution, keep_demo=False)
    edited = notebook.submission(release, solution, keep_demo=False)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_best_k_hidden":
            cell.source += "\n# my note"
    course.submit("checksum-honest", unit, {name: honest})
    course.submit("checksum-edited", unit, {name: edited})
    said = {}
    for student in ("checksum-honest", "checksum-edited"):
        done = course.nbgrader("autograde", unit, "--student", student, "--force")
        said[student] = done.stdout + done.stderr
    assert "has changed" not in said["checksum-honest"], said["checksum-honest"]
    assert "test_best_k_hidden" in said["checksum-edited"]
    assert (
        course.scores(unit)["checksum-edited"] == course.scores(unit)["checksum-honest"]
    )
