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
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from grading import feedback, layout
from grading.classroom import (
    cluster,
    gradebook,
    references,
    report,
    sandbox,
    worker,
)
from grading.classroom.collect import Submission, collect
from grading.classroom.limits import Limits

REPO = layout.ROOT
RESULT = "result.json"
_RUNNING: set[subprocess.Popen] = set()  # workers now running
_LOCK = threading.Lock()
_STOPPING = threading.Event()  # set on Ctrl-C / SIGTERM: record nothing more


def _kill(proc: subprocess.Popen) -> None:
    """End a worker and everything it started (its own process group; inside its
    PID namespace the kernel goes with it)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _stop_all(signum, frame) -> None:
    """Ctrl-C or a kill: end every running worker; graded results are kept."""
    _STOPPING.set()
    with _LOCK:
        running = list(_RUNNING)
    for proc in running:
        _kill(proc)
    raise SystemExit(130)


def course_notebooks(repo: Path = REPO) -> dict[str, str]:
    """unit -> the file name of its (single) notebook."""
    found = {}
    for unit in layout.units(repo):
        names = layout.notebooks(unit, repo)
        if len(names) == 1:
            found[unit] = names[0]
    return found


def _worker_command(
    sub: Submission,
    out: Path,
    limits: Limits,
    repo: Path,
    slot: int = 0,
    sandbox_on: bool = True,
    lib_view: Path | None = None,
) -> list[str]:
    solution = repo / "solutions" / sub.unit / course_notebooks(repo)[sub.unit]
    release = repo / "assignments" / sub.unit / solution.name
    command = [
        sys.executable,
        "-m",
        "grading.classroom.worker",
        "--solution",
        str(solution),
        "--release",
        str(release),
        "--submitted",
        str(sub.notebook),
        "--out",
        str(out),
        "--limits",
        json.dumps(limits.as_dict()),
        "--slot",
        str(slot),
    ]
    if lib_view is not None:
        command += ["--lib-view", str(lib_view)]
    # The worker is the grader's; the student's process it starts is sandboxed.
    return command if sandbox_on else [*command, "--no-sandbox"]


def _write_result(folder: Path, result: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (RESULT + ".tmp")
    tmp.write_text(json.dumps(result, indent=1))
    os.replace(tmp, folder / RESULT)  # atomic: a result is whole or absent


def _identity(sub: Submission, limits: Limits, sandbox_on: bool) -> dict:
    """What a result says about its input: resuming compares these."""
    return {
        "student": sub.student,
        "unit": sub.unit,
        "input_sha256": sub.digest(),
        "limits": limits.as_dict(),
        "ignored_files": sub.ignored,
        "sandbox": sandbox_on,
    }


def not_graded(sub: Submission, limits: Limits, sandbox_on: bool, reason: str):
    """The result of a submission that could not be graded, with the reason."""
    return {
        **_identity(sub, limits, sandbox_on),
        "status": "not graded",
        "reason": reason,
        "scores": {},
        "score": 0.0,
        "max_score": 0.0,
    }


def grade_one(
    sub: Submission,
    out: Path,
    limits: Limits,
    repo: Path,
    slot: int = 0,
    sandbox_on: bool = True,
    lib_view: Path | None = None,
) -> dict | None:
    folder = out / sub.unit / sub.student
    base = _identity(sub, limits, sandbox_on)
    if sub.notebook is None:
        result = not_graded(sub, limits, sandbox_on, sub.problem)
        _write_not_graded_page(folder, result)
        _write_result(folder, result)
        return result
    if _STOPPING.is_set():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    for stale in ("worker.json", worker.GRADED, "feedback.html"):
        (folder / stale).unlink(missing_ok=True)
    start = time.perf_counter()
    started = _start_worker(sub, folder, limits, repo, slot, sandbox_on, lib_view)
    result = _wait_for_worker(started, folder, limits)
    if _STOPPING.is_set():
        return None  # a worker ended by the interruption: graded on the next run
    if result.get("status") == "graded" and (folder / worker.GRADED).exists():
        _write_feedback(folder)
    elif result.get("status") != "graded":
        _write_not_graded_page(folder, {**base, **result})
    result.setdefault("scores", {})
    result.setdefault("max_score", 0.0)
    result["score"] = (
        sum(result["scores"].values()) if result["status"] == "graded" else 0.0
    )
    result["wall_seconds"] = round(time.perf_counter() - start, 2)
    result = {**base, **result}
    _write_result(folder, result)
    (folder / "worker.json").unlink(missing_ok=True)
    return result


def _write_not_graded_page(folder: Path, result: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feedback.html").write_text(feedback.not_graded_page(result))


def _write_feedback(folder: Path) -> None:
    """feedback.html from the worker's graded.ipynb (rendered here, where the
    exporter is built once for the whole class)."""
    try:
        nb = nbformat.reads((folder / worker.GRADED).read_text(), as_version=4)
        (folder / "feedback.html").write_text(feedback.render(nb))
    except Exception as error:  # noqa: BLE001 -- a page lost is not a grade lost
        (folder / "feedback.html").write_text(
            f"<p>The feedback page could not be made ({type(error).__name__}); "
            "ask your instructor for the graded notebook.</p>"
        )


def _worker_env(repo: Path) -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(repo)
    return env


def _start_worker(sub, folder, limits, repo, slot, sandbox_on, lib_view=None):
    return subprocess.Popen(
        _worker_command(sub, folder, limits, repo, slot, sandbox_on, lib_view),
        cwd=folder,
        env=_worker_env(repo),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_worker(proc: subprocess.Popen, job: Path, limits: Limits) -> dict:
    with _LOCK:
        _RUNNING.add(proc)
    try:
        _, stderr = proc.communicate(timeout=limits.notebook_seconds)
        produced = job / "worker.json"
        if produced.exists():
            result = json.loads(produced.read_text())
        else:
            tail = (stderr or "").strip().splitlines()[-1:] or ["no message"]
            result = {
                "status": "not graded",
                "reason": f"the grader's worker failed ({tail[0][:200]})",
            }
    except subprocess.TimeoutExpired:
        _kill(proc)
        result = {
            "status": "not graded",
            "reason": f"it ran over the {limits.notebook_seconds:.0f} s limit "
            "per notebook",
        }
    finally:
        with _LOCK:
            _RUNNING.discard(proc)
    return result


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
    subs = collect(source, notebooks, out / "_inbox")
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
            _write_result,
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

    import queue

    slots: queue.Queue[int] = queue.Queue()
    for slot in range(jobs):
        slots.put(slot)

    def run(sub):
        slot = slots.get()  # each running job has a sandbox user id of its own
        try:
            view = lib_views.get(sub.unit)
            result = grade_one(sub, out, limits, repo, slot, sandbox_on, view)
        finally:
            slots.put(slot)
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
    graded = sum(r["status"] == "graded" for r in results)
    print(
        f"{len(results)} submissions, {graded} scored, {len(results) - graded} not "
        f"graded: see {args.out / 'report.txt'} and {args.out / 'grades.csv'}"
    )
    if not args.no_gradebook:
        print(
            f"recorded in {gradebook.db_url(args.course)}: review in formgrader, "
            "then `nbgrader generate_feedback` and `nbgrader export`"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
