"""Grading one submission: its worker process (worker.py), under the wall-clock
limit per notebook, and the files it leaves (``result.json``, written atomically,
and ``feedback.html``). Used by the local runner (runner.py) and by Dask workers
(cluster.py), so that neither imports the other."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat

from grading import feedback, layout
from grading.classroom import worker
from grading.classroom.collect import Submission
from grading.classroom.limits import Limits

REPO = layout.ROOT
RESULT = "result.json"
RUNNING: set[subprocess.Popen] = set()  # workers now running
LOCK = threading.Lock()
STOPPING = threading.Event()  # set on Ctrl-C / SIGTERM: record nothing more


def kill(proc: subprocess.Popen) -> None:
    """End a worker and everything it started (its own process group; inside its
    PID namespace the kernel goes with it)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


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


def write_result(folder: Path, result: dict) -> None:
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
        "max_score": unit_points(sub.unit),
    }


_POINTS: dict[str, float] = {}


def unit_points(unit: str, repo: Path = REPO) -> float:
    """The autograded points of a unit (what a not-graded result is out of)."""
    if unit not in _POINTS:
        from grading import notebook

        name = course_notebooks(repo).get(unit)
        path = repo / "solutions" / unit / str(name)
        _POINTS[unit] = (
            sum(notebook.test_points(notebook.read(path)).values())
            if name and path.is_file()
            else 0.0
        )
    return _POINTS[unit]


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
        write_result(folder, result)
        return result
    if STOPPING.is_set():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    for stale in ("worker.json", worker.GRADED, "feedback.html"):
        (folder / stale).unlink(missing_ok=True)
    start = time.perf_counter()
    started = _start_worker(sub, folder, limits, repo, slot, sandbox_on, lib_view)
    result = _wait_for_worker(started, folder, limits)
    if STOPPING.is_set():
        return None  # a worker ended by the interruption: graded on the next run
    if result.get("status") == "graded" and (folder / worker.GRADED).exists():
        _write_feedback(folder, result.get("scores"), result.get("written"))
    elif result.get("status") != "graded":
        _write_not_graded_page(folder, {**base, **result})
    result.setdefault("scores", {})
    if not result.get("max_score"):
        result["max_score"] = unit_points(sub.unit, repo)
    result["score"] = (
        sum(result["scores"].values()) if result["status"] == "graded" else 0.0
    )
    result["wall_seconds"] = round(time.perf_counter() - start, 2)
    result = {**base, **result}
    if sub.notes:  # how the submission was found (a misnamed folder, ...)
        result["notes"] = [*sub.notes, *result.get("notes", [])]
    write_result(folder, result)
    (folder / "worker.json").unlink(missing_ok=True)
    return result


def _write_not_graded_page(folder: Path, result: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feedback.html").write_text(feedback.not_graded_page(result))


def _write_feedback(
    folder: Path, scores: dict | None = None, written: dict | None = None
) -> None:
    """feedback.html from the worker's graded.ipynb (rendered here, where the
    exporter is built once for the whole class), with the scores at the top."""
    try:
        nb = nbformat.reads((folder / worker.GRADED).read_text(), as_version=4)
        (folder / "feedback.html").write_text(feedback.render(nb, scores, written))
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
    with LOCK:
        RUNNING.add(proc)
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
        kill(proc)
        result = {
            "status": "not graded",
            "reason": f"it ran over the {limits.notebook_seconds:.0f} s limit "
            "per notebook",
        }
    finally:
        with LOCK:
            RUNNING.discard(proc)
    return result
