"""Grading on a Dask cluster: ``course.py grade SUBMISSIONS --scheduler ADDRESS``.

One task per submission. A task carries the notebook's bytes to a Dask worker,
which grades it exactly as local grading does (``runner.grade_one``: the grader's
worker process, the sandboxed student process, the same limits) in a throwaway
folder, and sends back the result, the graded notebook and the feedback page as
plain data. This process, the client, writes them under ``--out``: the result
last and atomically, as local grading does, so an interrupted run resumes the
same way.

Every Dask worker needs the course folder (this version of it) on its
PYTHONPATH, the course's Python environment and bubblewrap, as a grading machine
does. When a worker dies, Dask runs its tasks again on another; each submission
still gets one result, written once, because only the client writes, once per
task. A task whose workers keep dying is reported as "not graded" with the
reason, and not stored, so that running the command again grades it.

``ADDRESS`` is a scheduler (``tcp://host:8786``) or ``local:N`` for a
LocalCluster of N single-threaded worker processes on this machine.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from grading.classroom import slots
from grading.classroom.collect import Submission
from grading.classroom.limits import Limits

_VIEWS: dict[str, Path] = {}  # unit -> lib view, made once per worker process
_VIEW_ROOT: tempfile.TemporaryDirectory | None = None


def _lib_view(unit: str) -> Path:
    """The course library as the student's process of ``unit`` sees it."""
    global _VIEW_ROOT
    from grading.classroom import references

    if unit not in _VIEWS:
        if _VIEW_ROOT is None:
            _VIEW_ROOT = tempfile.TemporaryDirectory(prefix="lib-views-")
            Path(_VIEW_ROOT.name).chmod(0o755)
        folder = Path(_VIEW_ROOT.name) / unit
        folder.mkdir(mode=0o755)
        _VIEWS[unit] = references.stripped_lib(folder, unit)
    return _VIEWS[unit]


def grade_task(task: dict, limits: dict, sandbox_on: bool) -> dict:
    """Run on a Dask worker: grade one submission; return the result and the two
    files as text (None where there is none)."""
    from grading.classroom import job, worker

    with tempfile.TemporaryDirectory(prefix="grade-task-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)
        path = folder / "in" / task["name"]
        path.parent.mkdir()
        path.write_bytes(bytes.fromhex(task["notebook"]))
        sub = Submission(task["student"], task["unit"], path, list(task["ignored"]))
        sub.notes = list(task.get("notes", []))
        view = _lib_view(sub.unit) if sandbox_on else None
        with slots.claim() as slot:
            result = job.grade_one(
                sub,
                folder / "out",
                Limits(**limits),
                job.REPO,
                slot,
                sandbox_on,
                view,
            )
        job = folder / "out" / sub.unit / sub.student
        files = {}
        for name in (worker.GRADED, "feedback.html"):
            files[name] = (job / name).read_text() if (job / name).exists() else None
    return {"result": result, "files": files, "host": os.uname().nodename}


def _task(sub: Submission) -> dict:
    return {
        "student": sub.student,
        "unit": sub.unit,
        "name": sub.notebook.name,
        "notebook": sub.notebook.read_bytes().hex(),
        "ignored": sub.ignored,
        "notes": sub.notes,
    }


def _client(scheduler: str):
    from distributed import Client, LocalCluster

    if scheduler.startswith("local:"):
        workers = int(scheduler.split(":", 1)[1])
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        return Client(cluster), cluster
    return Client(scheduler, timeout="30s"), None


def grade(
    todo: list[Submission],
    out: Path,
    limits: Limits,
    scheduler: str,
    sandbox_on: bool,
    write_result,
    on_done=None,
) -> list[dict]:
    """Grade ``todo`` on the cluster; ``write_result(folder, result)`` stores each
    result (atomically). Returns the results, one per submission."""
    from distributed import as_completed

    client, cluster = _client(scheduler)
    try:
        futures = {
            client.submit(
                grade_task,
                _task(sub),
                limits.as_dict(),
                sandbox_on,
                key=f"grade-{sub.unit}-{sub.student}-{sub.digest()[:12]}",
                pure=False,
                retries=1,
            ): sub
            for sub in todo
        }
        results = []
        for future in as_completed(futures):
            sub = futures[future]
            folder = out / sub.unit / sub.student
            try:
                answer = future.result()
            except Exception as error:  # noqa: BLE001 -- a lost task is reported
                # in the report, not stored: the next run grades it again
                result = _not_graded(sub, limits, sandbox_on, error)
            else:
                result = {**answer["result"], "graded_on": answer["host"]}
                _store_files(folder, answer["files"])
                write_result(folder, result)
            results.append(result)
            if on_done:
                on_done(sub)
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _store_files(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        target = folder / name
        if text is None:
            target.unlink(missing_ok=True)
            continue
        tmp = folder / (name + ".tmp")
        tmp.write_text(text)
        os.replace(tmp, target)


def _not_graded(sub: Submission, limits: Limits, sandbox_on: bool, error) -> dict:
    from grading.classroom import job

    reason = (
        f"the cluster lost its task ({type(error).__name__}: {str(error)[:200]}); "
        "run the same command again"
    )
    return job.not_graded(sub, limits, sandbox_on, reason)
