"""`course.py grade --scheduler`: a real Dask scheduler and two workers on
127.0.0.1 grade a small class to the same scores as local grading, and a worker
killed in the middle of the run loses nothing and duplicates nothing."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading import layout, notebook
from grading.classroom import runner
from grading.classroom.limits import Limits
from grading.scratch import nbgrader_env

UNIT = "01_knn"
NAME = layout.notebooks(UNIT)[0]
LIMITS = Limits(cell_seconds=30, notebook_seconds=200, memory_mb=4096, output_kb=1024)
# One worker of the suite runs these in order: the class is graded locally once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cluster")]


def _class(root: Path) -> None:
    """Seven submissions: correct, blank, a wrong answer, an unreadable file."""
    solution = notebook.read(layout.solution(UNIT))
    release = notebook.read(layout.release(UNIT))
    code = notebook.solution_sources(solution)["compute_distances_two_loops"]
    no_sqrt = code.replace("np.sqrt(np.sum(diff * diff))", "np.sum(diff * diff)")
    assert no_sqrt != code
    made = {
        "ada": notebook.submission(release, solution, keep_demo=False),
        "ben": notebook.submission(release, solution, keep_demo=False),
        "eve": notebook.submission(release, solution, keep_demo=False),
        "fay": notebook.submission(release, solution, keep_demo=False),
        "bob": release,
        "dan": notebook.submission(
            release,
            solution,
            {"compute_distances_two_loops": no_sqrt},
            keep_demo=False,
        ),
    }
    for student, nb in made.items():
        notebook.write(nb, root / "submitted" / student / UNIT / NAME)
    broken = root / "submitted" / "cyd" / UNIT
    broken.mkdir(parents=True)
    (broken / NAME).write_text("{ not a notebook")


def _scores(results) -> dict:
    return {
        r["student"]: (r["status"], r.get("score"), r.get("scores"), r.get("reason"))
        for r in results
    }


@contextlib.contextmanager
def dask_cluster(tmp: Path, workers: int):
    """A `dask scheduler` and ``workers`` `dask worker` processes (no nanny, one
    thread each) on 127.0.0.1; yields (address, worker processes)."""
    env = nbgrader_env() | {"PYTHONPATH": str(layout.ROOT)}
    bin_dir = Path(sys.executable).parent
    file = tmp / "scheduler.json"
    logs = open(tmp / "dask.log", "w")  # noqa: SIM115 -- closed below
    procs = [
        subprocess.Popen(
            [
                bin_dir / "dask",
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                file,
            ],
            env=env,
            stdout=logs,
            stderr=logs,
            start_new_session=True,
        )
    ]
    try:
        deadline = time.time() + 60
        while not file.exists() and time.time() < deadline:
            time.sleep(0.2)
        address = json.loads(file.read_text())["address"]
        for _ in range(workers):
            procs.append(
                subprocess.Popen(
                    [
                        bin_dir / "dask",
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--host",
                        "127.0.0.1",
                    ],
                    env=env,
                    stdout=logs,
                    stderr=logs,
                    start_new_session=True,
                )
            )
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=60)
        yield address, procs[1:]
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        logs.close()


@pytest.fixture(scope="module")
def local_scores(tmp_path_factory):
    root = tmp_path_factory.mktemp("local")
    _class(root)
    results = runner.grade_class(
        root, root / "out", jobs=2, limits=LIMITS, progress=False
    )
    return _scores(results)


def test_a_dask_cluster_grades_as_local_grading_does(local_scores, tmp_path):
    _class(tmp_path)
    with dask_cluster(tmp_path, 2) as (address, _):
        results = runner.grade_class(
            tmp_path, tmp_path / "out", limits=LIMITS, progress=False, scheduler=address
        )
    assert _scores(results) == local_scores
    assert local_scores["ada"][1] == 34 and local_scores["bob"][1] == 0
    assert 0 < local_scores["dan"][1] < 34 and local_scores["cyd"][0] == "not graded"
    hosts = {r.get("graded_on") for r in results if r["status"] == "graded"}
    assert hosts == {os.uname().nodename}  # graded by the workers, sent back
    for student in ("ada", "dan"):
        job = tmp_path / "out" / UNIT / student
        assert (job / "feedback.html").exists() and (job / "graded.ipynb").exists()


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(local_scores, tmp_path):
    _class(tmp_path)
    out = tmp_path / "out"
    killed = []

    def kill_one_worker_after_the_first_result(procs):
        deadline = time.time() + 300
        while not list(out.glob("*/*/result.json")) and time.time() < deadline:
            time.sleep(0.2)
        os.killpg(procs[0].pid, signal.SIGKILL)  # mid-run: others still grading
        killed.append(len(list(out.glob("*/*/result.json"))))

    import threading

    with dask_cluster(tmp_path, 2) as (address, procs):
        killer = threading.Thread(
            target=kill_one_worker_after_the_first_result, args=(procs,)
        )
        killer.start()
        results = runner.grade_class(
            tmp_path, out, limits=LIMITS, progress=False, scheduler=address
        )
        killer.join()
    assert killed and killed[0] < 7, "the worker was not killed mid-run"
    assert sorted(r["student"] for r in results) == sorted(local_scores)
    assert len(list(out.glob(f"{UNIT}/*/result.json"))) == 7
    assert _scores(results) == local_scores
