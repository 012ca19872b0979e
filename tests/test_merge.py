"""The merge (grading/classroom/template.py), case by case: the graded notebook is
the course's cells with the student's answers, whatever else the submission did,
and the notes say what it did. Small hand-made notebooks, no kernel."""

from __future__ import annotations

import copy

import nbformat
import pytest

from grading.classroom import template

HIDDEN = "    ### BEGIN HIDDEN TESTS\n    assert f(2) == 4\n    ### END HIDDEN TESTS"


def _cell(source, grade_id=None, answer=False, test=False, points=0, tags=()):
    cell = nbformat.v4.new_code_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {
            "grade_id": grade_id,
            "solution": answer,
            "grade": test,
            "locked": not answer,
            **({"points": points} if test else {}),
        }
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _course():
    """(solution, release) of a two-answer unit."""
    solution = nbformat.v4.new_notebook()
    solution.cells = [
        _cell("import numpy as np\nk = 2", "setup"),
        _cell("def f(x):\n    return x * x", "f", answer=True),
        _cell(f"assert f(3) == 9\nif True:\n{HIDDEN}", "test_f", test=True, points=2),
        _cell("print(f(4))", tags=("demo",)),
        _cell("def g(x):\n    return f(x) + 1", "g", answer=True),
        _cell("assert g(1) == 2", "test_g", test=True, points=3),
    ]
    release = copy.deepcopy(solution)
    release.cells[1].source = "def f(x):\n    raise NotImplementedError()"
    release.cells[2].source = "assert f(3) == 9"
    release.cells[4].source = "def g(x):\n    raise NotImplementedError()"
    return solution, release


def _submission(release, change=None):
    submitted = copy.deepcopy(release)
    submitted.cells[1].source = "def f(x):\n    return x ** 2"
    submitted.cells[4].source = "def g(x):\n    return f(x) + 1"
    if change:
        change(submitted)
    return submitted


def _by_id(nb):
    return {
        c.metadata.get("nbgrader", {}).get("grade_id"): c.source
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id")
    }


def _edit_test(nb):
    nb.cells[2].source = "pass"


def _delete_test(nb):
    del nb.cells[5]


def _copy_test(nb):
    nb.cells.append(copy.deepcopy(nb.cells[2]))


def _edit_setup(nb):
    nb.cells[0].source = "import numpy as np\nk = 100"


def _unknown_test(nb):
    nb.cells.append(_cell("assert True", "test_mine", test=True, points=10))


def _drop_answer(nb):
    del nb.cells[4]


def _answer_twice(nb):
    twice = copy.deepcopy(nb.cells[1])
    twice.source = "def f(x):\n    return 0"
    nb.cells.append(twice)


def _tamper(nb):
    nb.cells[4].source += "\nnp.allclose = lambda *a, **k: True"


CASES = {
    "honest": (None, [], {}),
    "an edited test": (_edit_test, ["test cell test_f was edited"], {}),
    "a deleted test": (_delete_test, ["test cell test_g was deleted"], {}),
    "a copied test": (_copy_test, ["test cell test_f was copied"], {}),
    "an edited read-only cell": (_edit_setup, ["read-only cell setup was edited"], {}),
    "a test cell of its own": (_unknown_test, ["unknown test cell test_mine"], {}),
    "a missing answer": (
        _drop_answer,
        ["answer cells missing (graded as blank): g"],
        {},
    ),
    "an answer twice": (_answer_twice, ["answer cell f appears twice"], {}),
    "tampering": (_tamper, [], {"g": ["patches np.allclose"]}),
}


@pytest.mark.parametrize(("change", "notes", "flags"), CASES.values(), ids=list(CASES))
def test_the_course_s_cells_are_graded_whatever_the_submission_did(
    change, notes, flags
):
    solution, release = _course()
    merged = template.merge(solution, release, _submission(release, change))
    assert len(merged.notes) == len(notes), merged.notes
    pairs = zip(merged.notes, notes, strict=True)
    assert all(note.startswith(want) for note, want in pairs), merged.notes
    assert merged.flags == flags
    assert merged.points == {"test_f": 2, "test_g": 3}
    cells = _by_id(merged.nb)
    # The course's own cells: setup and both tests, hidden part included.
    assert cells["setup"] == solution.cells[0].source
    assert cells["test_f"] == solution.cells[2].source and HIDDEN in cells["test_f"]
    assert cells["test_g"] == solution.cells[5].source
    assert not any(c.source == "print(f(4))" for c in merged.nb.cells), "demo kept"
    assert not any(c.source in ("pass", "assert True") for c in merged.nb.cells)
    # The student's answers (the first of two; the blank one when missing).
    f_answer = "def f(x):\n    return x ** 2"
    g_answer = (
        release.cells[4].source
        if change is _drop_answer
        else "def g(x):\n    return f(x) + 1"
    )
    if change is _tamper:
        g_answer += "\nnp.allclose = lambda *a, **k: True"
    assert cells["f"] == f"__grading_remote__.answer('f', {f_answer!r}, ['f'])"
    assert cells["g"] == f"__grading_remote__.answer('g', {g_answer!r}, ['g'])"
    assert len({c["id"] for c in merged.nb.cells}) == len(merged.nb.cells)


def test_course_cells_are_shared_and_answer_users_stay_with_the_tests():
    """A course cell that uses no answer runs on both sides; one that uses an
    answer runs on the grader's side, and only its definitions go to the student."""
    solution, release = _course()
    solution.cells.insert(5, _cell("value = g(2)\ndef helper():\n    return 1"))
    release.cells.insert(5, copy.deepcopy(solution.cells[5]))
    merged = template.merge(solution, release, _submission(release))
    sources = [c.source for c in merged.nb.cells]
    assert sources[0] == template.PREAMBLE
    setup = "import numpy as np\nk = 2"
    assert f"__grading_remote__.course({setup!r}, 'course cell 1')" in sources
    shared = [s for s in sources if s.startswith("__grading_remote__.course(")]
    assert len(shared) == 2
    assert "value = g(2)" not in shared[1] and "def helper" in shared[1]
    assert "value = g(2)\ndef helper():\n    return 1" in sources  # runs here


def _written(source):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["nbgrader"] = {
        "grade_id": "written_why",
        "solution": True,
        "grade": True,
        "locked": False,
        "points": 2,
    }
    return cell


@pytest.mark.parametrize("answer", ["Because of rounding.", None])
def test_a_written_answer_is_the_students_and_the_rubric_never_shows(answer):
    """The student's written answer (the release's blank when it is missing or
    untouched) replaces the model answer and rubric; the merge records it for
    manual grading, never scores it."""
    solution, release = _course()
    solution.cells.append(_written("**Model answer.** ...\n\n**Rubric (2 points).**"))
    release.cells.append(_written("YOUR ANSWER HERE"))

    def write(submitted):
        if answer is not None:
            submitted.cells[-1].source = answer

    merged = template.merge(solution, release, _submission(release, write))
    texts = [c.source for c in merged.nb.cells if c.cell_type == "markdown"]
    assert texts == [answer or "YOUR ANSWER HERE"]
    assert not any("Rubric" in c.source for c in merged.nb.cells)
    assert merged.written == {
        "written_why": {"points": 2.0, "answered": answer is not None}
    }
    assert "written_why" not in merged.points
