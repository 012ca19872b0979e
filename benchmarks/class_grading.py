"""Grading a class (`course.py grade`): throughput in submissions per minute with 1
and 2 jobs on this machine (the sandbox on), the peak memory of one job's kernel,
and the channel to the sandboxed student process: small calls per second and MB/s
for a round trip of a 1000 x 1000 float64 array. The class is 24 submissions of
unit 01_knn (12 complete, 12 blank), graded from scratch: with 1 and 2 local jobs,
then on a local Dask cluster of 1, 2 and 4 worker processes (``--scheduler
local:N``, with the ratio to 1 local job), then the seconds per submission that
recording the results in nbgrader's gradebook adds. Last, one complete submission
of every unit, graded one at a time: the slowest unit's seconds per submission,
and the mean over the units (what a class of all units costs per notebook)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from grading import notebook
from grading.classroom import gradebook, runner
from grading.layout import ROOT as REPO

SUBMISSIONS = 24


def _write_class(root: Path) -> None:
    solution = notebook.read(REPO / "solutions" / "01_knn" / "knn.ipynb")
    release = notebook.read(REPO / "assignments" / "01_knn" / "knn.ipynb")
    complete = notebook.submission(release, solution)
    for i in range(SUBMISSIONS):
        folder = root / "submitted" / f"student{i:02d}" / "01_knn"
        folder.mkdir(parents=True)
        notebook.write(complete if i % 2 == 0 else release, folder / "knn.ipynb")


def _channel_rows() -> list[tuple[str, float, str]]:
    import numpy as np

    from grading.classroom import sandbox, trusted

    with tempfile.TemporaryDirectory() as tmp:
        server = sandbox.server_tree(Path(tmp))
        namespace: dict = {}
        session = trusted.Session(
            {"server": str(server), "sandbox": sandbox.available()[0]}, namespace
        )
        session.answer("f", "def f(a):\n    return a", ["f"])
        f, small, big = namespace["f"], np.ones(3), np.ones((1000, 1000))
        start, calls = time.perf_counter(), 2000
        for _ in range(calls):
            f(small)
        per_second = calls / (time.perf_counter() - start)
        start, trips = time.perf_counter(), 20
        for _ in range(trips):
            f(big)
        megabytes = trips * 2 * big.nbytes / 2**20 / (time.perf_counter() - start)
        session.process.kill()
    return [
        ("grading channel: calls per second (3 floats each way)", per_second, ""),
        ("grading channel: MB/s (8 MB arrays, both ways)", megabytes, ""),
    ]


def _unit_rows() -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for unit, name in runner.course_notebooks().items():
            solution = notebook.read(REPO / "solutions" / unit / name)
            release = notebook.read(REPO / "assignments" / unit / name)
            folder = root / "submitted" / "complete" / unit
            folder.mkdir(parents=True)
            notebook.write(notebook.submission(release, solution), folder / name)
        results = runner.grade_class(root, root / "out", jobs=1, progress=False)
    short = [r for r in results if r["score"] != r["max_score"]]
    assert not short, [(r["unit"], r["score"], r["reason"]) for r in short]
    slowest = max(results, key=lambda r: r["wall_seconds"])
    mean = sum(r["wall_seconds"] for r in results) / len(results)
    return [
        (
            f"grading: slowest unit ({slowest['unit']}), s per submission",
            slowest["wall_seconds"],
            "",
        ),
        ("grading: mean over the 9 units, s per submission (1 job)", mean, ""),
    ]


def rows() -> list[tuple[str, float, str]]:
    found = _channel_rows()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write_class(root)
        for jobs in (1, 2):
            start = time.perf_counter()
            results = runner.grade_class(
                root, root / f"out{jobs}", jobs=jobs, progress=False
            )
            minutes = (time.perf_counter() - start) / 60
            failed = [r for r in results if r["status"] != "graded"]
            assert not failed, [(r["student"], r["reason"]) for r in failed]
            peak = max(r.get("peak_kernel_mb", 0.0) for r in results)
            found += [
                (
                    f"grading: {SUBMISSIONS} submissions, {jobs} job(s), per minute",
                    len(results) / minutes,
                    "",
                ),
                (f"grading: peak kernel memory per job, {jobs} job(s) (MB)", peak, ""),
            ]
        single = found[2][1]  # 1 job, submissions per minute
        for workers in (1, 2, 4):
            start = time.perf_counter()
            results = runner.grade_class(
                root,
                root / f"dask{workers}",
                progress=False,
                scheduler=f"local:{workers}",
            )
            rate = len(results) / ((time.perf_counter() - start) / 60)
            found += [
                (f"grading on Dask, {workers} local worker(s), per minute", rate, ""),
                (f"... ratio to 1 local job ({workers} worker(s))", rate / single, ""),
            ]
        found.append(_gradebook_row(root, results))
    return [*found, *_unit_rows()]


def _gradebook_row(root: Path, results: list[dict]) -> tuple[str, float, str]:
    """Seconds per submission that gradebook.record adds (the unit's cells were
    recorded before, as they are after the first run of a class)."""
    from grading.scratch import in_nbgrader_env

    course = root / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(
        (REPO / "nbgrader_config.py").read_text()
    )
    (course / "solutions").symlink_to(REPO / "solutions")
    out = root / "dask4"
    with in_nbgrader_env():
        gradebook.ensure_unit(course, "01_knn")
        start = time.perf_counter()
        gradebook.record(results, course, out, {"01_knn": "knn.ipynb"})
        seconds = time.perf_counter() - start
    return ("grading: gradebook writes, s per submission", seconds / len(results), "")
