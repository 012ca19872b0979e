"""Shared fixtures: the course's units, scratch nbgrader courses, wrong-answer cases."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from wrong_answer import WrongAnswer

from grading import layout, mutation_run
from grading.scratch import ScratchCourse, nbgrader_env

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("COURSE_DEVICE", "cpu")  # CI has no GPU; tests never need one
# In a test worker of `pytest -n N`, every process the tests start (nbgrader, its
# kernels, servers) gets an equal share of the cores; nothing above imports NumPy or
# torch, so the worker's own tests get it too. With the default, one BLAS/OpenMP
# thread per core, two workers on two cores run four threads that spin against each
# other: matrix products and convolutions measured 3.4x slower. (Only workers set
# it, so a value in the environment is the user's own and is kept.)
if "PYTEST_XDIST_WORKER" in os.environ:
    _SHARE = (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"])
    for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_variable, str(max(1, _SHARE)))

REPO = layout.ROOT
UNITS = layout.units()


def unit_notebooks(unit: str) -> list[str]:
    """File names of a unit's notebooks."""
    return layout.notebooks(unit)


def wrong_answer_file(unit: str) -> dict:
    """The names tests/wrong_answers/<unit>.py defines ({} when there is none)."""
    return mutation_run.unit_file("wrong_answers", unit)


def wrong_answers(unit: str) -> list[WrongAnswer]:
    """The unit's typical wrong answers, from tests/wrong_answers/<unit>.py."""
    return wrong_answer_file(unit).get("CASES", [])


def wrong_answer_dependencies(unit: str) -> dict[str, set[str]]:
    """answer -> the earlier answers whose results its tests use (DEPENDS_ON in
    tests/wrong_answers/<unit>.py); their wrong versions are never graded together."""
    return wrong_answer_file(unit).get("DEPENDS_ON", {})


# Longest first: with --no-loadscope-reorder (course.py test passes it) the test
# workers take tests and xdist groups in collection order, so the slowest start at
# once and the short ones fill the gaps at the end. (xdist's default reorders the
# groups by their number of tests, which started the 5-minute class late.)
FIRST = (
    "test_class_grading.py::test_every",  # grades the class (5 min) for its group
    "test_hostile_class.py",
    "test_gradebook.py",  # grades a small class, then formgrader and nbgrader (80 s)
    "test_grading.py::test_solution_gets_full_marks",
    "test_grading.py::test_wrong_answer",
    "test_browser.py",
)


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        return next((i for i, k in enumerate(FIRST) if k in item.nodeid), len(FIRST))

    items.sort(key=rank)  # stable: the order within each rank is kept


def shared_folder(tmp_path_factory) -> Path:
    """A folder every test worker of this run sees (under xdist each worker has
    its own basetemp inside one folder per run)."""
    basetemp = tmp_path_factory.getbasetemp()
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


@pytest.fixture(scope="session")
def scratch_course(tmp_path_factory):
    """unit -> a scratch nbgrader course with that unit generated: generated once
    per run, by whichever worker asks first, and copied for each worker (its own
    gradebook)."""
    courses: dict[str, ScratchCourse] = {}
    shared = shared_folder(tmp_path_factory)

    def get(unit: str) -> ScratchCourse:
        if unit not in courses:
            made = shared / f"generated-{unit}"
            with open(shared / f"generated-{unit}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not (made / "done").exists():
                    shutil.rmtree(made, ignore_errors=True)
                    ScratchCourse(made).generate(unit)
                    (made / "done").touch()
            root = tmp_path_factory.mktemp(f"course-{unit}")
            shutil.copytree(made, root, dirs_exist_ok=True)
            courses[unit] = ScratchCourse(root)
        return courses[unit]

    return get


LAB_TOKEN = "course-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_request(base: str, path: str, data: dict | None = None, timeout: float = 60):
    """(status, body) of a request to the test JupyterLab server."""
    request = urllib.request.Request(
        base + path,
        headers={"Authorization": f"token {LAB_TOKEN}"},
        data=None if data is None else urllib.parse.urlencode(data).encode(),
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read().decode()


# JupyterLab settings of the test server (its user-settings folder under $HOME).
# With a notebook whose kernel is not attached yet, JupyterLab asks, per cell run,
# which kernel to start; starting the notebook's own kernel instead is what a
# student's click on "Select" does, without a dialog per cell. No news requests.
LAB_SETTINGS = {
    "notebook-extension/tracker": {"autoStartDefaultKernel": True},
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def _lab_settings(home: Path) -> None:
    folder = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    for name, values in LAB_SETTINGS.items():
        path = folder / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@contextlib.contextmanager
def serve_lab(root: Path, home: Path):
    """JupyterLab on loopback serving ``root`` (headless, known token); its URL."""
    import course

    course.prepare_exchange()
    _lab_settings(home)
    port = _free_port()
    env = nbgrader_env() | {"HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home)}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter"),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={LAB_TOKEN}",
            f"--ServerApp.root_dir={root}",
            "--allow-root",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                lab_request(base, "/api/status")
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail("JupyterLab did not start within 60 s")
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab serving the course itself, as `course.py open` starts it."""
    with serve_lab(REPO, tmp_path_factory.mktemp("home")) as base:
        yield base


# Debian's Chromium, driven by Playwright (which never downloads a browser here).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for a module's tests (skips where it is not installed)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is missing: sudo apt-get install chromium (.ci/run does)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()
