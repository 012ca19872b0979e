"""Every hint of a hidden test is either shown by a typical wrong answer (whose
message test then proves that the hint fits that mistake) or comes with the reason
no wrong answer can reach it, in the unit's tests/wrong_answers file."""

from __future__ import annotations

import ast

import pytest

from conftest import REPO, UNITS, unit_notebooks, wrong_answer_file, wrong_answers
from grading import notebook

HIDDEN_MARK = "### BEGIN HIDDEN TESTS"
SHORTEST = 15  # shorter string pieces are parts of an f-string, not a hint


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def hidden_hints(source: str) -> list[str]:
    """The literal texts passed as ``hint=`` below a test cell's hidden mark."""
    if HIDDEN_MARK not in source:
        return []
    mark = source[: source.index(HIDDEN_MARK)].count("\n") + 1
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg == "hint":
            found += [
                _squeeze(piece.value)
                for piece in ast.walk(node.value)
                if isinstance(piece, ast.Constant)
                and isinstance(piece.value, str)
                and len(piece.value) >= SHORTEST
                and piece.lineno > mark
            ]
    return found


def reached(hint: str, says: list[str]) -> bool:
    """Some case's expected message holds the hint's start, or the hint holds the
    message (a ``says`` may quote only the hint's first words)."""
    return any(hint[:40] in text or text[:40] in hint for text in says if text)


def _unreached(unit) -> dict[tuple[str, str], str]:
    says = [_squeeze(case.says.removeprefix("Hint: ")) for case in wrong_answers(unit)]
    found = {}
    for name in unit_notebooks(unit):
        nb = notebook.read(REPO / "solutions" / unit / name)
        for cell in nb.cells:
            if notebook.is_test_cell(cell):
                test = cell.metadata["nbgrader"]["grade_id"]
                for hint in hidden_hints(cell.source):
                    if not reached(hint, says):
                        found[test, hint] = hint
    return found


def test_hidden_hints_are_read_from_the_hidden_part_only():
    source = (
        'checks.check_close("a", 1, 1, hint="visible hint, long enough")\n'
        f"{HIDDEN_MARK}\n"
        'checks.check_close("b", 1, 1, hint="hidden hint, "\n'
        '                   "in two pieces" if x else "the other hidden hint")\n'
        'checks.check_close(f"c {x}", 1, 1, hint=f"{x} is short")\n'
    )
    assert hidden_hints(source) == [
        "hidden hint, in two pieces",
        "the other hidden hint",
    ]
    assert reached("keep the trial with the maximum score.", ["keep the trial with"])
    assert not reached("keep the trial with the maximum score.", ["drop the trial"])


@pytest.mark.parametrize("unit", UNITS)
def test_every_hidden_hint_is_reached_by_a_wrong_answer_or_says_why_not(unit):
    """HINTS_NO_CASE_REACHES in tests/wrong_answers/<unit>.py maps (test, the
    hint's first words) -> why no typical wrong answer shows it; every other hint
    of a hidden test must be some case's ``says``."""
    explained = wrong_answer_file(unit).get("HINTS_NO_CASE_REACHES", {})
    unreached = _unreached(unit)
    missing = [
        f"{test}: {hint!r}"
        for (test, hint) in unreached
        if not any(t == test and hint.startswith(start) for t, start in explained)
    ]
    assert not missing, (
        "hidden-test hints that no wrong answer shows and no reason explains "
        "(add a WrongAnswer whose says= quotes the hint, or a HINTS_NO_CASE_REACHES "
        "entry):\n" + "\n".join(missing)
    )
    stale = [
        key
        for key in explained
        if not any(t == key[0] and hint.startswith(key[1]) for t, hint in unreached)
    ]
    assert not stale, f"HINTS_NO_CASE_REACHES entries that match no hint: {stale}"
    assert all(len(why) > 40 for why in explained.values()), "give each a reason"
