"""Item analysis and misconceptions of one unit's class (data.UnitClass).

For each test cell and each answer: the share of students with full, partial and
no points; the item's *discrimination*, the correlation of its score with the
rest of the student's score (a good item is passed more often by students who do
well elsewhere); and flags for items almost nobody passes or whose
discrimination is near zero or negative, which usually means a broken or unfair
test. Misconceptions: each answer's failure messages and hints, ranked by the
number of students who met them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

HARD = 0.10  # at most this share of full marks: "almost nobody passes"
FLAT = 0.10  # discrimination below this: near zero or negative
MIN_STUDENTS = 5  # fewer scored students: no flags (too little evidence)


@dataclass
class Item:
    name: str  # a test cell, or an answer
    kind: str  # "test" or "answer"
    answer: str
    points: float
    full: float  # shares of the scored students
    partial: float
    none: float
    mean: float  # mean points
    discrimination: float | None  # None where the item or the rest is constant
    flags: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # students without full points


def items(unit_class) -> list[Item]:
    scored = [g for g in unit_class.graded if g.status == "graded"]
    points = unit_class.points
    totals = np.array([sum(g.scores.get(t, 0.0) for t in points) for g in scored])
    found = []
    for answer, tests in unit_class.answers.items():
        for name, group, kind in [
            *((t, [t], "test") for t in tests),
            (answer, tests, "answer"),
        ]:
            found.append(_item(name, kind, answer, group, scored, points, totals))
    return found


def _item(name, kind, answer, group, scored, points, totals) -> Item:
    worth = sum(points[t] for t in group)
    got = np.array([sum(g.scores.get(t, 0.0) for t in group) for g in scored])
    n = len(scored)
    full = float(np.mean(got >= worth)) if n else 0.0
    none = float(np.mean(got <= 0)) if n else 0.0
    item = Item(
        name=name,
        kind=kind,
        answer=answer,
        points=worth,
        full=full,
        partial=float(np.mean((got > 0) & (got < worth))) if n else 0.0,
        none=none,
        mean=float(got.mean()) if n else 0.0,
        discrimination=_correlation(got, totals - got) if n else None,
        failed=[g.student for g, s in zip(scored, got, strict=True) if s < worth],
    )
    if n >= MIN_STUDENTS:
        if full <= HARD:
            item.flags.append(f"almost nobody passes ({full:.0%} full marks)")
        if item.discrimination is not None and item.discrimination < FLAT:
            item.flags.append(
                f"discrimination {item.discrimination:+.2f}: it does not separate "
                "students who do well elsewhere from those who do not"
            )
    return item


def _correlation(a: np.ndarray, b: np.ndarray) -> float | None:
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


@dataclass
class Misconception:
    answer: str
    test: str
    message: str
    hint: str
    students: list[str]


def misconceptions(unit_class) -> list[Misconception]:
    """Each (answer, test, message, hint) the class triggered, most students first."""
    seen: dict[tuple, list[str]] = {}
    owner = {t: a for a, tests in unit_class.answers.items() for t in tests}
    for g in unit_class.graded:
        for test, said in g.verdicts.items():
            if test not in owner:
                continue
            key = (owner[test], test, said.get("message", ""), said.get("hint", ""))
            seen.setdefault(key, []).append(g.student)
    ranked = sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [Misconception(*key, students=sorted(s)) for key, s in ranked]


def not_graded(unit_class) -> Counter:
    return Counter(
        g.reason or "no reason" for g in unit_class.graded if g.status != "graded"
    )


def timing(unit_class) -> dict:
    """Grading times: their median and the outliers (over median + 3 MADs, and
    at least twice the median), and the submissions that hit a limit."""
    times = {g.student: g.seconds for g in unit_class.graded if g.seconds is not None}
    values = np.array(list(times.values()), dtype=float)
    if not len(values):
        return {"times": {}, "median": None, "outliers": [], "limits": []}
    median = float(np.median(values))
    mad = float(np.median(np.abs(values - median))) or 0.05 * median
    cut = max(median + 3 * mad, 2 * median)
    limits = [(g.student, g.reason) for g in unit_class.graded if "limit" in g.reason]
    return {
        "times": times,
        "median": median,
        "outliers": sorted((s, t) for s, t in times.items() if t > cut),
        "limits": limits,
    }
