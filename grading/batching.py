"""Many changed answers in one submission: how the wrong-answer tests and
``course.py mutants`` keep the number of graded notebooks (and kernel start-ups)
small.

A submission can hold one changed version of each answer, and never two changes
whose answers depend on each other (an answer whose tests use another answer's
results, DEPENDS_ON in tests/wrong_answers/<unit>.py).
"""

from __future__ import annotations

import math


def pack(
    answers: list[str], depends: dict[str, set[str]], size: int
) -> list[list[int]]:
    """Indices into ``answers`` (the answer each change is of), grouped: at most
    ``size`` per group, no answer twice, no two that depend on each other; the
    changes are spread over the groups in order."""

    def clash(a: str, b: str) -> bool:
        return a == b or a in depends.get(b, ()) or b in depends.get(a, ())

    found: list[list[int]] = [[] for _ in range(math.ceil(len(answers) / size))]
    for i, answer in enumerate(answers):
        start = i % len(found)  # spread the changes, over every group made so far
        for g in [*range(start, len(found)), *range(start)]:
            if len(found[g]) < size and not any(
                clash(answers[j], answer) for j in found[g]
            ):
                found[g].append(i)
                break
        else:
            found.append([i])
    return found
