"""How the suite grades typical wrong answers: many in one submission, few runs.

One submission holds up to ``GROUP_SIZE`` wrong-answer cases, each in a different
answer and spread over the notebook, so a unit needs a fraction of the kernel
start-ups. A unit's submissions are graded in ``BATCHES`` nbgrader runs, which can
go to different test workers. The scores of a batch are kept in a file every test
worker sees, so a batch is graded once whichever worker asks first.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

from conftest import REPO, unit_notebooks, wrong_answer_dependencies, wrong_answers
from grading import batching, notebook

GROUP_SIZE = 12
BATCHES = 2


def groups(unit) -> list[list[int]]:
    """Case indices of each submission: never two cases of the same answer, nor of
    an answer and one whose results its tests use."""
    answers = [case.answer for case in wrong_answers(unit)]
    return batching.pack(answers, wrong_answer_dependencies(unit), GROUP_SIZE)


def group_of(unit, index) -> int:
    return next(g for g, members in enumerate(groups(unit)) if index in members)


def batch_of(unit, index) -> int:
    return group_of(unit, index) % BATCHES


def student_of(unit, index) -> str:
    """The name of the submission that holds the case."""
    return f"wrong{batch_of(unit, index)}-{group_of(unit, index):02d}"


def wrong_in_submission(unit, index) -> set[str]:
    """The answers that are wrong in the case's submission."""
    cases = wrong_answers(unit)
    return {cases[i].answer for i in groups(unit)[group_of(unit, index)]}


def solution_of(unit, answer):
    """The solution notebook of the unit that holds ``answer``."""
    for name in unit_notebooks(unit):
        solution = notebook.read(REPO / "solutions" / unit / name)
        if answer in notebook.answer_ids(solution):
            return solution
    raise ValueError(f"{unit} has no answer cell named {answer!r}")


def submissions(unit, batch, make_notebooks) -> dict[str, dict]:
    """student -> notebooks of the batch. ``make_notebooks(overrides, only_tests)``
    builds a unit's submission with those answers replaced."""
    cases = wrong_answers(unit)
    found = {}
    for g, members in enumerate(groups(unit)):
        if g % BATCHES != batch:
            continue
        overrides, reachable = {}, set()
        for i in members:
            case = cases[i]
            solution = solution_of(unit, case.answer)
            overrides[case.answer] = case.code(
                notebook.solution_sources(solution)[case.answer]
            )
            # Demo cells just show things, and test cells before an answer run
            # before its wrong code exists: neither is graded.
            reachable |= set(notebook.tests_after(solution, case.answer))
        found[f"wrong{batch}-{g:02d}"] = make_notebooks(overrides, sorted(reachable))
    return found


def shared_scores(shared: Path, grade):
    """``get(unit, batch)``: the batch's scores, graded by ``grade(unit, batch)``
    in whichever test worker asks first, read from a file in ``shared`` (a folder
    every worker sees) by the others."""
    cache: dict[tuple[str, int], dict] = {}

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
