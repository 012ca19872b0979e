"""How strong each unit's tests are: every mutant of every answer graded
(`course.py mutants`, grading/mutation_run.py), one row per unit with the share of
non-equivalent mutants killed over the whole unit and for its weakest answer, both
against the 90% target, then the unit's survivors. The full run takes minutes per
unit (01_knn: 91 mutants in about 40 s on 2 cores with 2 jobs)."""

from __future__ import annotations

import os

from grading import layout, mutation_run


def rows() -> list[tuple[str, float, str]]:
    jobs = max(1, min(2, os.cpu_count() or 1))
    found = []
    for unit in layout.units():
        mutants = mutation_run.unit_mutants(unit)
        outcomes = mutation_run.grade(unit, mutants, jobs=jobs)
        table = mutation_run.table(outcomes)
        live = [o for o in outcomes if o.verdict != "equivalent"]
        killed = sum(o.verdict in ("killed", "timed out") for o in live)
        shares = [share for _, _, share in table if share is not None]
        found += [
            (
                f"mutants {unit}: {len(mutants)}, killed share",
                killed / len(live),
                f">= {mutation_run.TARGET}",
            ),
            (
                f"mutants {unit}: weakest answer's share",
                min(shares),
                f">= {mutation_run.TARGET}",
            ),
        ]
        for o in outcomes:
            if o.verdict == "survived":
                print(
                    f"  survivor {unit} {o.mutant.answer} {o.mutant.ident}: "
                    f"{o.mutant.description}",
                    flush=True,
                )
    return found
