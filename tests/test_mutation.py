"""The mutator (grading/mutation.py) changes one thing at a time, only in the
solution, into code that still compiles; the equivalent-mutant lists name real
mutants with reasons; and a fixed, seeded sample of every unit's mutants is
killed by the tests (the full run is `course.py bench mutants`)."""

from __future__ import annotations

import ast

import pytest

from conftest import UNITS
from grading import mutation, mutation_run

CELL = '''def f(x, y, eps=1e-5):
    """Docstring: 1 + 2 stays."""
    ### BEGIN SOLUTION
    total = x.T @ y + 1
    for i in range(3):
        total[1:4] -= x.sum(axis=0, keepdims=True) / 2.0
    if i < 2 and not total:
        print(x, y)
    return -total
    ### END SOLUTION
'''


def _changed(answer="f"):
    return {m.description.split(": ", 1)[1] for m in mutation.mutants(answer, CELL)}


def test_every_operator_makes_its_change():
    changed = _changed()
    expected = {
        "`x.T @ y + 1` -> `x.T @ y - 1`",  # arithmetic
        "`x.T @ y + 1` -> `x.T @ y`",  # term
        "`x.T @ y` -> `x.T * y`",  # @ -> *
        "`x.T` -> `x`",  # transpose
        "`1` -> `2`",  # constant
        "`range(3)` -> `range(2)`",  # range
        "`1:4` -> `2:4`",  # slice, lower
        "`1:4` -> `1:3`",  # slice, upper
        "`axis=0` -> `axis=1`",  # axis
        "`keepdims=True` -> `keepdims=False`",
        "`2.0` -> `3.0`",  # a float x 1.5
        "`i < 2` -> `i <= 2`",  # comparison
        "`i < 2 and not total` -> `i < 2 or not total`",  # logic
        "`not total` -> `total`",  # sign
        "`-total` -> `total`",
        "`print(x, y)` -> `print(y, x)`",  # arguments
        "`print(x, y)` -> `pass`",  # statement
    }
    assert expected <= changed, sorted(expected - changed)


def test_only_the_solution_is_mutated_and_every_mutant_compiles():
    found = mutation.mutants("f", CELL)
    for m in found:
        tree = ast.parse(m.code)
        function = tree.body[0]
        assert ast.get_docstring(function) == "Docstring: 1 + 2 stays."
        assert [a.arg for a in function.args.args] == ["x", "y", "eps"]
        assert function.args.defaults[0].value == 1e-5  # outside the solution
        compile(m.code, "<mutant>", "exec")
    assert len({m.ident for m in found}) == len(found), "idents must be unique"
    assert [m.ident for m in mutation.mutants("f", CELL)] == [m.ident for m in found]


def test_a_cell_without_markers_is_refused():
    with pytest.raises(ValueError, match="BEGIN SOLUTION"):
        mutation.mutants("f", "def f():\n    return 1\n")


def test_a_tiny_constant_becomes_tinier():
    cell = "def g():\n    ### BEGIN SOLUTION\n    return 1e-5\n    ### END SOLUTION\n"
    assert any(
        "`1e-5` -> `1e-08`" in m.description for m in mutation.mutants("g", cell)
    )


def test_the_sample_is_seeded_and_per_answer():
    mutants = mutation_run.unit_mutants("01_knn")
    one = mutation_run.sample(mutants, 2, seed=3)
    assert one == mutation_run.sample(mutants, 2, seed=3)
    answers = {m.answer for m in mutants}
    counts = {a: sum(m.answer == a for m in one) for a in answers}
    assert all(
        c == min(2, sum(m.answer == a for m in mutants)) for a, c in counts.items()
    )


@pytest.mark.parametrize("unit", UNITS)
def test_every_listed_equivalent_mutant_exists_and_says_why(unit):
    listed = mutation_run.equivalents(unit)
    idents = {(m.answer, m.ident) for m in mutation_run.unit_mutants(unit)}
    stale = sorted(set(listed) - idents)
    assert not stale, (
        f"tests/mutants/{unit}.py lists mutants that no longer exist: {stale}"
    )
    short = [key for key, why in listed.items() if len(why) < 30]
    assert not short, f"give each equivalent mutant its reason: {short}"


CI_SEED = 20261207


@pytest.mark.slow
@pytest.mark.parametrize("unit", UNITS)
def test_a_seeded_sample_of_mutants_is_killed(unit):
    """One mutant of every answer, drawn with a fixed seed, graded through real
    nbgrader: each is killed by its answer's tests or listed as equivalent."""
    mutants = mutation_run.sample(mutation_run.unit_mutants(unit), 1, CI_SEED)
    outcomes = mutation_run.grade(unit, mutants)
    survivors = [
        f"{o.mutant.answer} {o.mutant.ident}: {o.mutant.description} ({o.verdict})"
        for o in outcomes
        if o.verdict in ("survived", "not graded")
    ]
    assert not survivors, "survived their answer's tests:\n" + "\n".join(survivors)


def test_code_between_two_solution_regions_is_left_alone():
    cell = (
        "class C:\n"
        "    def __init__(self):\n"
        "        ### BEGIN SOLUTION\n"
        "        self.a = 1\n"
        "        ### END SOLUTION\n"
        "\n"
        "    def f(self, x):\n"
        "        x = x + 2\n"
        "        ### BEGIN SOLUTION\n"
        "        return x * 3\n"
        "        ### END SOLUTION\n"
    )
    changed = {m.description for m in mutation.mutants("C", cell)}
    assert any("`x * 3`" in d for d in changed) and any(
        "`1` -> `2`" in d for d in changed
    )
    assert not any("line 8" in d for d in changed), changed
