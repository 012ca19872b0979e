"""`course.py similar` measured on a synthetic class of 01_knn
(benchmarks/similarity_class.py): where the planted copies rank (target: all in
the top ranks), how many independent pairs reach the flag threshold (target: 0),
and the time to compare 1,000 submissions of the unit (target: at most 60 s on 2
cores)."""

from __future__ import annotations

import random
import re
import time

from benchmarks import similarity_class
from grading.insight import similar

CLASS_SIZE = 1000


def _large_class(size: int, seed: int = 0) -> dict[str, dict[str, str]]:
    """``size`` students, each answer taken from one of the authors at random and
    its names changed at random: a class as varied as five styles allow."""
    rng = random.Random(seed)
    authors = list(similarity_class.AUTHORS.values())
    students = {}
    for n in range(size):
        sources = {}
        for answer in authors[0]:
            source = rng.choice(authors)[answer]
            for name in set(re.findall(r"\b[a-z_][a-z_0-9]*\b", source)):
                if rng.random() < 0.3 and name not in similar._KEEP:
                    source = re.sub(rf"\b{name}\b", f"{name}_{n}", source)
            sources[answer] = source
        students[f"student{n:04d}"] = sources
    return students


def measure() -> dict:
    starter = similar.starter_code("01_knn")
    answers = similarity_class.build()
    pairs, _ = similar.compare(answers, starter)
    planted = {tuple(sorted(p)) for p in similarity_class.PLANTED}
    ranks = [i + 1 for i, p in enumerate(pairs) if (p.a, p.b) in planted]
    independent = [p for p in pairs if (p.a, p.b) not in planted]
    false_flags = sum(
        p.score >= similar.FLAG or any(s >= similar.FLAG for s in p.answers.values())
        for p in independent
    )
    big = _large_class(CLASS_SIZE)
    start = time.perf_counter()
    similar.compare(big, starter)
    seconds = time.perf_counter() - start
    return {
        "planted": len(planted),
        "found": sum(r <= len(planted) for r in ranks),
        "worst_rank": max(ranks) if ranks else None,
        "highest_independent": max((p.score for p in independent), default=0.0),
        "false_flags": false_flags,
        "seconds": seconds,
    }


def rows() -> list[tuple[str, float, str]]:
    m = measure()
    return [
        (
            f"similar: planted copies in the top {m['planted']} ranks",
            m["found"],
            f"target {m['planted']} of {m['planted']}",
        ),
        (
            "similar: highest overall score of an independent pair",
            m["highest_independent"],
            f"flag at {similar.FLAG}",
        ),
        ("similar: independent pairs flagged", m["false_flags"], "target 0"),
        (
            f"similar: s to compare {CLASS_SIZE} submissions of 01_knn",
            m["seconds"],
            "target <= 60 on 2 cores",
        ),
    ]
