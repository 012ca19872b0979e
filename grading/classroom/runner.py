"""Grade a class: ``python3 course.py grade SUBMISSIONS [--unit U ...] [--jobs N]``.

Each submission is graded by its own worker process (worker.py), several at a time,
each under a wall-clock limit: the tests run in the worker's kernel, and the
student's code in a sandboxed process of its own (sandbox.py). Results go to
``<out>/<unit>/<student>/result.json`` as each finishes, so an interrupted run loses
nothing: run the same command again and only what is missing (or changed) is graded.
The run ends with ``report.txt`` and ``grades.csv``, which tell "scored 0" apart from
"not graded: reason", and with each student's ``feedback.html``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grading import layout
from grading.classroom import (
    cluster,
    gradebook,
    job,
    references,
    report,
    sandbox,
    slots,
)
from grading.classroom.collect import Submission, collect
from grading.classroom.limits import Limits

REPO = layout.ROOT
RESULT = job.RESULT
# out folder -> what the last collect there did not take, with the reason
SKIPPED: dict[Path, list[str]] = {}
grade_one, not_graded = job.grade_one, job.not_graded
course_notebooks = job.course_notebooks


def _stop_all(signum, frame) -> None:
    """Ctrl-C or a kill: end every running worker; graded results are kept."""
    job.STOPPING.set()
    with job.LOCK:
        running = list(job.RUNNING)
    for proc in running:
        job.kill(proc)
    raise SystemExit(130)


def _done(sub: Submission, out: Path, limits: Limits) -> dict | None:
    path = out / sub.unit / sub.student / RESULT
    if not path.exists():
        return None
    try:
        result = json.loads(path.read_text())
    except json.JSONDecodeError:
        return None
    same = (
        result.get("input_sha256") == sub.digest()
        and result.get("limits") == limits.as_dict()
    )
    return result if same else None


def grade_class(
    source: Path,
    out: Path,
    units: list[str] | None = None,
    jobs: int | None = None,
    limits: Limits | None = None,
    repo: Path = REPO,
    progress: bool = True,
    sandbox_on: bool = True,
    course: Path | None = None,
    scheduler: str | None = None,
) -> list[dict]:
    """Grade every submission under ``source`` that is not graded yet; write the
    report and the CSV; return every result (old and new). With ``course`` (an
    nbgrader course folder), also record every result in its gradebook and its
    autograded/ folder (grading.classroom.gradebook), after the CSV is safe. With
    ``scheduler`` (a Dask address, or ``local:N``), the submissions are graded on
    that cluster (grading.classroom.cluster) instead of ``jobs`` local threads.

    Refuses (SystemExit) where the sandbox cannot start, unless ``sandbox_on`` is
    False: then the report names every guarantee that is off."""
    limits = limits or Limits()
    # Workers and kernels run in folders of their own: relative paths (the
    # user's, as typed) would point elsewhere there.
    source, out = Path(source).resolve(), Path(out).resolve()
    course = Path(course).resolve() if course is not None else None
    if sandbox_on and not sandbox.available()[0]:
        raise SystemExit(
            f"The sandbox cannot start: {sandbox.available()[1]}.\nInstall it, or "
            "pass --no-sandbox to grade without it (the report then lists every "
            "guarantee that is off)."
        )
    notebooks = course_notebooks(repo)
    if units:
        unknown = set(units) - set(notebooks)
        if unknown:
            raise SystemExit(
                f"unknown unit(s) {sorted(unknown)}; the course has {sorted(notebooks)}"
            )
        notebooks = {u: n for u, n in notebooks.items() if u in units}
    out.mkdir(parents=True, exist_ok=True)
    skipped: list[str] = []
    subs = collect(source, notebooks, out / "_inbox", skipped)
    SKIPPED[out] = skipped
    results: dict[tuple[str, str], dict] = {}
    todo = []
    for sub in subs:
        done = _done(sub, out, limits)
        if done is None:
            todo.append(sub)
        else:
            results[sub.student, sub.unit] = done
    if scheduler is not None:
        bar = report.Progress(len(todo)) if progress and todo else None
        done = cluster.grade(
            [s for s in todo if s.notebook is not None],
            out,
            limits,
            scheduler,
            sandbox_on,
            job.write_result,
            on_done=(lambda s: bar.step(f"{s.student} {s.unit}")) if bar else None,
        )
        for sub in todo:
            if sub.notebook is None:  # nothing to send: recorded here
                done.append(grade_one(sub, out, limits, repo, 0, sandbox_on))
        for result in done:
            results[result["student"], result["unit"]] = result
        return _finish(results, out, len(todo), sandbox_on, course, subs, notebooks)
    jobs = jobs or max(1, (os.cpu_count() or 2))
    # The course library as the students' processes see it, made once per unit
    # for the whole run (references.stripped_lib), not once per submission.
    views = tempfile.TemporaryDirectory(prefix="lib-views-")
    lib_views: dict[str, Path] = {}
    if repo == REPO and sandbox_on:
        Path(views.name).chmod(0o755)  # readable by the sandboxes' own users
        for unit in sorted({sub.unit for sub in todo if sub.notebook is not None}):
            folder = Path(views.name) / unit
            folder.mkdir(mode=0o755)
            lib_views[unit] = references.stripped_lib(folder, unit)
    bar = report.Progress(len(todo)) if progress and todo else None

    def run(sub):
        # each running job has a sandbox user id of its own, on this machine:
        # another `course.py grade` run never holds the same one
        with slots.claim() as slot:
            view = lib_views.get(sub.unit)
            result = grade_one(sub, out, limits, repo, slot, sandbox_on, view)
        if bar:
            bar.step(f"{sub.student} {sub.unit}")
        return result

    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for sub, result in zip(todo, pool.map(run, todo), strict=True):
                if result is not None:
                    results[sub.student, sub.unit] = result
    finally:
        views.cleanup()
    return _finish(results, out, len(todo), sandbox_on, course, subs, notebooks)


def _finish(results, out, graded_now, sandbox_on, course, subs, notebooks):
    """Reports, then the gradebook; every result, ordered."""
    ordered = [results[k] for k in sorted(results)]
    _write_reports(ordered, out, graded_now, sandbox_on)
    if course is not None:
        times = {(s.student, s.unit): s.timestamp for s in subs}
        handed_in = {(s.student, s.unit): s.notebook for s in subs}
        late = gradebook.record(ordered, course, out, notebooks, times, handed_in)
        for r in ordered:
            r.update(late[r["student"], r["unit"]])
        for s in subs:
            if s.marked_late and s.timestamp is None:
                results[s.student, s.unit].setdefault("notes", []).append(
                    "the LMS marks it late but gives no time: no late penalty "
                    "applied (set the time in formgrader)"
                )
        _write_reports(ordered, out, graded_now, sandbox_on)  # with the penalties
    return ordered


def _write_reports(ordered: list[dict], out: Path, graded_now: int, sandbox_on):
    report.write_csv(ordered, out / "grades.csv")
    (out / "report.txt").write_text(
        report.report(
            ordered,
            graded_now=graded_now,
            sandbox_off=None if sandbox_on else "--no-sandbox",
            skipped=SKIPPED.get(out, []),
        )
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="course.py grade",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "submissions",
        type=Path,
        help="submitted/ folder, a folder of LMS files, or a .zip",
    )
    parser.add_argument(
        "--unit",
        action="append",
        dest="units",
        help="grade only this unit (repeatable); default: all",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="submissions graded at once (default: CPU count)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("graded"),
        help="results, report.txt, grades.csv (default: graded/)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="grade on a Dask cluster: its scheduler (tcp://host:8786), or local:N "
        "for N worker processes here (default: --jobs threads here)",
    )
    parser.add_argument(
        "--course",
        type=Path,
        default=REPO,
        help="the nbgrader course folder whose gradebook records the scores, for "
        "formgrader, generate_feedback and export (default: this course)",
    )
    parser.add_argument(
        "--no-gradebook",
        action="store_true",
        help="write grades.csv and report.txt only, not the gradebook",
    )
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="grade even where bubblewrap cannot start (the report lists every "
        "guarantee that is then off)",
    )
    defaults = Limits()
    for name, value in defaults.as_dict().items():
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            type=type(value),
            default=value,
            help=f"limit (default {value})",
        )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_all)
    signal.signal(signal.SIGINT, _stop_all)
    limits = Limits(**{k: getattr(args, k) for k in defaults.as_dict()})
    if not args.submissions.exists():
        print(
            f"course.py grade: {args.submissions} does not exist. Give the folder of "
            "submissions (submitted/, or an LMS download) or the .zip an LMS "
            "exported.",
            file=sys.stderr,
        )
        return 2
    try:
        results = grade_class(
            args.submissions,
            args.out,
            args.units,
            args.jobs,
            limits,
            sandbox_on=not args.no_sandbox,
            course=None if args.no_gradebook else args.course,
            scheduler=args.scheduler,
        )
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        print(f"course.py grade: {error}", file=sys.stderr)
        return 2
    graded = sum(r["status"] == "graded" for r in results)
    skipped = SKIPPED.get(Path(args.out).resolve(), [])
    for line in skipped:
        print(f"not taken: {report.clean(line)}", file=sys.stderr)
    print(
        f"{len(results)} submissions, {graded} scored, {len(results) - graded} not "
        f"graded: see {args.out / 'report.txt'} and {args.out / 'grades.csv'}"
    )
    if not results:
        print(
            f"Nothing was graded: no submission found in {args.submissions}. Expected "
            "submitted/<student>/<unit>/<notebook>.ipynb, or Canvas/Moodle files.",
            file=sys.stderr,
        )
        return 1
    if not args.no_gradebook:
        print(
            f"recorded in {gradebook.db_url(args.course)}: review in formgrader, "
            "then `nbgrader generate_feedback` and `nbgrader export`"
        )
    print(
        f"what the class learned: python3 course.py insight {args.out} "
        f"(and python3 course.py similar {args.out})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
