"""The course opens in JupyterLab with nbgrader's extensions working.

Starts the same server `python3 course.py open` starts (headless, on loopback) and
talks to it over HTTP: the nbgrader lab extension is installed, the formgrader
answers, the assignment list answers, and validation runs on the release.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO
from grading import notebook
from grading.scratch import nbgrader_env

pytestmark = pytest.mark.slow
TOKEN = "course-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import course

    course.prepare_exchange()
    port = _free_port()
    home = tmp_path_factory.mktemp("home")
    env = nbgrader_env() | {"HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
         f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={REPO}", "--allow-root"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            _request(base, "/api/status")
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base
    process.terminate()
    process.wait(timeout=30)


def _request(base, path, data=None, timeout=60):
    request = urllib.request.Request(
        base + path, headers={"Authorization": f"token {TOKEN}"},
        data=None if data is None else urllib.parse.urlencode(data).encode())
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read().decode()


def test_nbgrader_lab_extension_is_installed(server):
    status, body = _request(server, "/lab/api/extensions")
    names = {e["name"] for e in json.loads(body)}
    assert "jupyter-nbgrader" in names
    assert "jupyter-widgets-jupyterlab-manager" in names


def test_formgrader_and_assignment_list_answer(server):
    for page in ("/formgrader", "/formgrader/manage_assignments"):
        status, body = _request(server, page)
        assert status == 200, page
    status, body = _request(server, "/courses")
    assert status == 200 and json.loads(body)["success"]


def test_validate_button_runs_on_the_release(server):
    """The Validate button's endpoint executes the release: every test fails."""
    status, body = _request(server, "/assignments/validate",
                            {"path": "assignments/01_knn/knn.ipynb"}, timeout=300)
    result = json.loads(body)
    assert result["success"], result
    failed = result["value"]["failed"]
    release = notebook.read(REPO / "assignments" / "01_knn" / "knn.ipynb")
    assert len(failed) == len(notebook.test_points(release))
