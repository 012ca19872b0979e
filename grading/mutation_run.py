"""``python3 course.py mutants UNIT [ANSWER ...]``: how strong each answer's tests
are, measured by the mutants they fail to tell from the solution.

Every mutant of an answer (grading/mutation.py) is graded the way the suite grades
typical wrong answers: several mutants of different answers in one submission
(grading/batching.py), each submission the release with the solution's answers
and those mutants, without demo cells and with only the mutated answers' own test
cells, autograded by real nbgrader in a scratch course. A mutant is

    killed      its answer's tests lose points;
    timed out   one of its tests ran past --timeout seconds (a loop that no
                longer ends): counted as killed;
    equivalent  listed in tests/mutants/<unit>.py, with the reason it computes
                the same thing (not graded);
    survived    full marks: a test to add or strengthen, or an equivalent mutant
                to list;
    not graded  its notebook's kernel did not start, even on a second try
                (reported; run again).

The table gives, per answer, each count and the share killed of the mutants that
are not equivalent; an answer under 90% misses the target, and the command then
exits with status 1. ``--sample N`` grades N mutants per answer, drawn with
``--seed`` (what CI runs); without it every mutant is graded (the benchmark,
``course.py bench mutants``).
"""

from __future__ import annotations

import argparse
import random
import runpy
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grading import batching, layout, mutation, notebook
from grading.scratch import ScratchCourse

TARGET = 0.9
GROUP_SIZE = 16
TIMEOUT_S = 30
TIMED_OUT = "CellTimeoutError"


@dataclass
class Outcome:
    mutant: mutation.Mutant
    verdict: str  # killed, timed out, survived, equivalent or not graded
    detail: str = ""  # the reason (equivalent) or the first message (killed)


def unit_file(folder: str, unit: str) -> dict:
    """The names tests/<folder>/<unit>.py defines ({} when there is none); the
    files import tests/wrong_answer.py as ``wrong_answer``."""
    path = layout.ROOT / "tests" / folder / f"{unit}.py"
    if not path.exists():
        return {}
    tests = str(layout.ROOT / "tests")
    added = tests not in sys.path
    if added:
        sys.path.insert(0, tests)
    try:
        return runpy.run_path(str(path))
    finally:
        if added:
            sys.path.remove(tests)


def equivalents(unit: str) -> dict[tuple[str, str], str]:
    """(answer, mutant ident) -> why it computes the same thing, from
    tests/mutants/<unit>.py (EQUIVALENT)."""
    return unit_file("mutants", unit).get("EQUIVALENT", {})


def dependencies(unit: str) -> dict[str, set[str]]:
    """answer -> answers whose results its tests use (tests/wrong_answers)."""
    return unit_file("wrong_answers", unit).get("DEPENDS_ON", {})


def solutions(unit: str) -> dict[str, object]:
    """notebook file name -> the unit's solution notebook."""
    folder = layout.ROOT / "solutions" / unit
    return {p.name: notebook.read(p) for p in sorted(folder.glob("*.ipynb"))}


def unit_mutants(unit: str, answers=None) -> list[mutation.Mutant]:
    """Every mutant of the unit's answers (or of ``answers`` only), in order."""
    found = []
    for nb in solutions(unit).values():
        for cell in nb.cells:
            if notebook.is_answer_cell(cell):
                answer = cell.metadata["nbgrader"]["grade_id"]
                if answers is None or answer in answers:
                    found += mutation.mutants(answer, cell.source)
    return found


def sample(mutants: list, per_answer: int, seed: int) -> list:
    """``per_answer`` mutants of each answer, drawn with ``seed``, in order."""
    rng = random.Random(seed)
    by_answer: dict[str, list[int]] = {}
    for i, m in enumerate(mutants):
        by_answer.setdefault(m.answer, []).append(i)
    chosen = set()
    for indices in by_answer.values():
        chosen |= set(rng.sample(indices, min(per_answer, len(indices))))
    return [m for i, m in enumerate(mutants) if i in chosen]


def _submissions(unit: str, mutants: list) -> tuple[dict, list, dict]:
    """(student -> notebooks, one group of mutants of different answers each;
    the groups; answer -> its own test cells)."""
    sols = solutions(unit)
    releases = {
        name: notebook.read(layout.ROOT / "assignments" / unit / name) for name in sols
    }
    own = {
        answer: tests
        for nb in sols.values()
        for answer, tests in notebook.tests_by_answer(nb).items()
    }
    groups = batching.pack([m.answer for m in mutants], dependencies(unit), GROUP_SIZE)
    found = {}
    for g, members in enumerate(groups):
        overrides = {mutants[i].answer: mutants[i].code for i in members}
        tests = sorted({t for i in members for t in own[mutants[i].answer]})
        found[f"mutant-{g:03d}"] = {
            name: notebook.submission(
                releases[name],
                sol,
                {a: c for a, c in overrides.items() if a in notebook.answer_ids(sol)},
                keep_demo=False,
                only_tests=tests,
            )
            for name, sol in sols.items()
        }
    return found, groups, own


def _grade_part(root: Path, unit: str, students: dict, timeout_s: int) -> dict:
    """Autograde some submissions in their own scratch course; returns
    student -> (scores, messages)."""
    course = ScratchCourse(root)
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Execute.timeout = {int(timeout_s)}\n")
    course.generate(unit)
    for student, notebooks in students.items():
        course.submit(student, unit, notebooks)
    # A kernel that fails to start (two runs can race for a port) leaves its
    # submission ungraded and the run's status non-zero: grade those again, one
    # at a time, twice at most; what is still missing is reported as not graded.
    pending = list(students)
    for attempt in range(3):
        try:
            if attempt == 0:
                course.nbgrader("autograde", unit, "--force", timeout=24 * 3600)
            else:
                for student in pending:
                    course.nbgrader(
                        "autograde", unit, "--force", "--student", student, timeout=3600
                    )
        except RuntimeError:
            pass
        scores = course.scores(unit)
        pending = [s for s in students if s not in scores]
        if not pending:
            break
    return {
        s: (scores[s], course.messages(unit, s)) if s in scores else None
        for s in students
    }


def grade(
    unit: str, mutants: list, jobs: int = 1, timeout_s: int = TIMEOUT_S
) -> list[Outcome]:
    """Grade the mutants (equivalent ones are listed, not graded)."""
    known = equivalents(unit)
    outcomes = {
        i: Outcome(m, "equivalent", known[m.answer, m.ident])
        for i, m in enumerate(mutants)
        if (m.answer, m.ident) in known
    }
    graded = [i for i in range(len(mutants)) if i not in outcomes]
    todo = [mutants[i] for i in graded]
    if not todo:
        return [outcomes[i] for i in range(len(mutants))]
    students, groups, own = _submissions(unit, todo)
    max_points = {
        test: points
        for nb in solutions(unit).values()
        for test, points in notebook.test_points(nb).items()
    }
    names = sorted(students)
    parts = [names[k::jobs] for k in range(jobs) if names[k::jobs]]
    workdir = Path(tempfile.mkdtemp(prefix=f"mutants-{unit}-"))
    try:
        with ThreadPoolExecutor(len(parts)) as pool:
            results = {}
            for part in pool.map(
                lambda k: _grade_part(
                    workdir / f"course{k}",
                    unit,
                    {s: students[s] for s in parts[k]},
                    timeout_s,
                ),
                range(len(parts)),
            ):
                results.update(part)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for g, members in enumerate(groups):
        if results[f"mutant-{g:03d}"] is None:  # its kernel never started
            for i in members:
                outcomes[graded[i]] = Outcome(todo[i], "not graded")
            continue
        scores, messages = results[f"mutant-{g:03d}"]
        for i in members:
            m = todo[i]
            tests = own[m.answer]
            shown = [messages[t] for t in tests if t in messages]
            if any(text.startswith(TIMED_OUT) for text in shown):
                verdict = "timed out"
            elif sum(max_points[t] - scores.get(t, 0.0) for t in tests) > 0:
                verdict = "killed"
            else:
                verdict = "survived"
            outcomes[graded[i]] = Outcome(m, verdict, shown[0] if shown else "")
    return [outcomes[i] for i in range(len(mutants))]


def table(outcomes: list[Outcome]) -> list[tuple[str, dict, float | None]]:
    """(answer, counts per verdict, share killed of the non-equivalent) rows."""
    rows: dict[str, dict] = {}
    for o in outcomes:
        counts = rows.setdefault(
            o.mutant.answer,
            {
                "killed": 0,
                "timed out": 0,
                "survived": 0,
                "equivalent": 0,
                "not graded": 0,
            },
        )
        counts[o.verdict] += 1
    found = []
    for answer, counts in rows.items():
        live = counts["killed"] + counts["timed out"] + counts["survived"]
        share = (counts["killed"] + counts["timed out"]) / live if live else None
        found.append((answer, counts, share))
    return found


def report(unit: str, outcomes: list[Outcome], out=sys.stdout) -> int:
    """Print the table and the survivors; the number of answers under target."""
    print(
        f"{unit}: {'answer':<28} {'mutants':>7} {'killed':>6} {'timeout':>7} "
        f"{'survived':>8} {'equiv':>5} {'score':>6}",
        file=out,
    )
    missed = 0
    for answer, counts, share in table(outcomes):
        total = sum(counts.values())
        shown = "-" if share is None else f"{share:.0%}"
        missed += share is not None and share < TARGET
        print(
            f"{'':<{len(unit) + 1}} {answer:<28} {total:>7} {counts['killed']:>6} "
            f"{counts['timed out']:>7} {counts['survived']:>8} "
            f"{counts['equivalent']:>5} {shown:>6}",
            file=out,
        )
    lost = sum(o.verdict == "not graded" for o in outcomes)
    if lost:
        print(
            f"\n{lost} mutant(s) not graded: their kernel did not start (run again).",
            file=out,
        )
    survivors = [o for o in outcomes if o.verdict == "survived"]
    if survivors:
        print(
            f"\n{len(survivors)} survivor(s) (kill them with a test, or list "
            f"them in tests/mutants/{unit}.py with the reason):",
            file=out,
        )
        for o in survivors:
            print(
                f"  {o.mutant.answer} {o.mutant.ident}: {o.mutant.description}",
                file=out,
            )
    return missed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="course.py mutants",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("unit", help="a unit, e.g. 01_knn")
    parser.add_argument("answers", nargs="*", help="only these answers")
    parser.add_argument("--sample", type=int, help="mutants per answer (default all)")
    parser.add_argument("--seed", type=int, default=0, help="for --sample")
    parser.add_argument("--jobs", type=int, default=1, help="nbgrader runs at once")
    parser.add_argument(
        "--timeout", type=int, default=TIMEOUT_S, help="seconds per test cell"
    )
    args = parser.parse_args(argv)
    if args.unit not in layout.units():
        close = [u for u in layout.units() if args.unit in u or u in args.unit]
        hint = f"; did you mean {close[0]}?" if close else ""
        print(f"mutants: no unit {args.unit!r}{hint}", file=sys.stderr)
        return 2
    mutants = unit_mutants(args.unit, set(args.answers) if args.answers else None)
    if args.answers and not mutants:
        print(f"mutants: {args.unit} has no answer {args.answers}", file=sys.stderr)
        return 2
    if args.sample:
        mutants = sample(mutants, args.sample, args.seed)
    print(f"{args.unit}: grading {len(mutants)} mutants...", flush=True)
    outcomes = grade(args.unit, mutants, jobs=args.jobs, timeout_s=args.timeout)
    missed = report(args.unit, outcomes)
    return 1 if missed or any(o.verdict == "not graded" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
