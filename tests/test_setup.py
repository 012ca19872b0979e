"""The project's setup contract: pins in sync, nbgrader layout, lint, quick re-setup."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from traitlets.config.loader import PyFileConfigLoader

from conftest import REPO


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#")[0].strip().lstrip("- ").strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"{line!r} is not pinned with =="
            pins[name.lower()] = version
    return pins


def test_environment_yml_pins_the_same_versions_as_requirements():
    requirements = _pins((REPO / "requirements.txt").read_text().splitlines())
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _pins(pip_section) == requirements
    assert "python=3.11" in env["dependencies"]
    assert requirements["torch"] == "2.13.0"  # the version with a small CPU build


def test_nbgrader_config_uses_solutions_and_assignments():
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    assert config.CourseDirectory.source_directory == "solutions"
    assert config.CourseDirectory.release_directory == "assignments"


def test_course_script_needs_only_the_standard_library():
    tree = ast.parse((REPO / "course.py").read_text())
    imported = {
        a.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import)
        for a in n.names
    }
    imported |= {
        n.module.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_setup_is_a_no_op_when_nothing_changed():
    """A second `course.py setup` runs no pip command (it checks a stamp)."""
    result = subprocess.run(
        [sys.executable, "course.py", "setup"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "pip" not in result.stdout + result.stderr


def test_setup_turns_off_jupyter_news_where_jupyterlab_reads_overrides():
    """JupyterLab reads <application directory>/settings/overrides.json."""
    listed = subprocess.run(
        [str(REPO / ".venv" / "bin" / "jupyter"), "lab", "path"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    app_dir = re.search(r"Application directory:\s+(\S+)", listed).group(1)
    overrides = json.loads((Path(app_dir) / "settings" / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_readme_quick_start_commands_work_and_ci_runs_the_same_test_command():
    readme = (REPO / "README.md").read_text()
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines()]
    assert [c for c in commands if c] == [
        "python3 course.py open",
        "python3 course.py test",
    ]
    # `open` reaches JupyterLab (asked for its help rather than a server) ...
    opened = _run("course.py", "open", "--help")
    assert opened.returncode == 0 and "JupyterLab" in opened.stdout, opened.stderr
    # ... and `test` is pytest over this suite: it collects a known file's tests.
    collected = _run(
        "course.py", "test", "--collect-only", "-q", "tests/test_timing.py"
    )
    assert "2 tests collected" in collected.stdout, collected.stdout + collected.stderr
    ci_commands = [
        line.strip()
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "python3 course.py test" in ci_commands


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


GROUPED_TESTS = """
import os
import pytest

@pytest.mark.parametrize(
    "i", [pytest.param(i, marks=pytest.mark.xdist_group(f"g{i % 2}")) for i in range(8)]
)
def test_where(i):
    out = os.environ["GROUPS_OUT"]
    with open(os.path.join(out, f"{i}"), "w") as f:
        f.write(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_the_pinned_pytest_keeps_an_xdist_group_on_one_worker(tmp_path):
    """The suite relies on ``--dist loadgroup`` (the graded class and each batch of
    wrong answers run on one worker, so no worker waits for another). pytest 9.2.0
    broke it with pytest-xdist 3.8.0 (the group suffix xdist writes into the node id
    is no longer read), so this checks the pinned pair: eight tests in two groups."""
    (tmp_path / "test_groups.py").write_text(GROUPED_TESTS)
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    run = subprocess.run(
        [*command, "-n", "2", "--dist", "loadgroup", "test_groups.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GROUPS_OUT": str(out)},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    workers = {i: (out / str(i)).read_text() for i in range(8)}
    for group in (0, 1):
        seen = {w for i, w in workers.items() if i % 2 == group}
        assert len(seen) == 1, f"group g{group} ran on {sorted(seen)}"


def test_readme_counts_the_wrong_answer_kernels_and_cases():
    """The README's figure for the wrong-answer grading is this suite's own."""
    from wrong_answer_batches import groups

    from conftest import UNITS, wrong_answers

    cases = sum(len(wrong_answers(unit)) for unit in UNITS)
    kernels = sum(len(groups(unit)) for unit in UNITS)
    readme = " ".join((REPO / "README.md").read_text().split())
    assert f"the suite starts {kernels} kernels for {cases} cases" in readme


GRADING_OUTPUT = [
    "graded/01_knn/ada/result.json",
    "insight/01_knn.html",  # course.py insight
    "similar/01_knn.html",  # course.py similar
    "grades.csv",
    "upload.csv",
    "gradebook.db",
    "submitted/ada/01_knn/knn.ipynb",
    "autograded/ada/01_knn/knn.ipynb",
    "feedback/ada/01_knn/knn.html",
    "downloaded/01_knn/archive/export.zip",
    "01_knn/knn.ipynb",  # nbgrader fetch_assignment's copy
]


def test_what_grading_writes_in_the_course_folder_is_never_committed():
    import subprocess

    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *GRADING_OUTPUT],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    ignored = set(done.stdout.split())
    assert ignored == set(GRADING_OUTPUT), set(GRADING_OUTPUT) - ignored
    tracked = subprocess.run(
        [
            "git",
            "check-ignore",
            "--no-index",
            "solutions/01_knn/knn.ipynb",
            "assignments/01_knn/knn.ipynb",
            "lib/checks.py",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert tracked.stdout == ""


def _course_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_script", REPO / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_self_learner_works_in_copies_that_updates_never_touch(tmp_path):
    course = _course_module()
    (tmp_path / "assignments" / "01_knn").mkdir(parents=True)
    (tmp_path / "assignments" / "01_knn" / "knn.ipynb").write_text("release 1")
    (tmp_path / "assignments" / "01_knn" / ".ipynb_checkpoints").mkdir()
    assert course.prepare_workspace(tmp_path) == ["01_knn"]
    mine = tmp_path / "my-work" / "01_knn" / "knn.ipynb"
    assert mine.read_text() == "release 1"
    assert not (mine.parent / ".ipynb_checkpoints").exists()
    mine.write_text("my answers")
    # the course is updated (git pull) and a new unit appears
    (tmp_path / "assignments" / "01_knn" / "knn.ipynb").write_text("release 2")
    (tmp_path / "assignments" / "02_linear").mkdir()
    (tmp_path / "assignments" / "02_linear" / "linear.ipynb").write_text("new")
    assert course.prepare_workspace(tmp_path) == ["02_linear"]
    assert mine.read_text() == "my answers"
    index = json.loads((tmp_path / "my-work" / course.INDEX).read_text())
    text = "".join(index["cells"][0]["source"])
    assert (
        "[01_knn](01_knn/knn.ipynb)" in text
        and "[02_linear](02_linear/linear.ipynb)" in text
    )


def test_the_workspace_is_never_committed():
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "my-work/01_knn/knn.ipynb"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "my-work/01_knn/knn.ipynb"
