"""Grading a class (`course.py grade`): throughput in submissions per minute with 1
and 2 jobs on this machine (the sandbox on), the peak memory of one job's kernel,
and the channel to the sandboxed student process: small calls per second and MB/s
for a round trip of a 1000 x 1000 float64 array. The class is 24 submissions of
unit 01_knn (12 complete, 12 blank), graded from scratch. Last, one complete
submission of every unit, graded one at a time: the slowest unit's seconds per
submission."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from grading import notebook
from grading.classroom import runner
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


def _slowest_unit_row() -> tuple[str, float, str]:
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
    label = f"grading: slowest unit ({slowest['unit']}), s per submission"
    return label, slowest["wall_seconds"], ""


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
    return [*found, _slowest_unit_row()]
