#!/usr/bin/env python3
"""The course's front door: set up, open JupyterLab, run the tests or the benchmark.

    python3 course.py open     # install if needed, then open JupyterLab on your work
                               # (my-work/: your own copy of each unit)
    python3 course.py test     # install if needed, then run the whole test suite
    python3 course.py setup    # only install (into ./.venv)
    python3 course.py bench    # print the benchmark table
    python3 course.py grade SUBMISSIONS [--unit U] [--jobs N] [--out DIR]
                               # grade a class (see README, "Grading a class")
    python3 course.py grades --canvas ROSTER.csv --out upload.csv
                               # the gradebook's scores as a Canvas import
    python3 course.py insight GRADED [--unit U]   # what the class learned (HTML)
    python3 course.py similar GRADED [--unit U]   # answers alike beyond chance
    python3 course.py mutants UNIT [ANSWER ...] [--sample N]
                               # how strong the tests are: mutants they miss

Only the standard library is used here, so this runs on a fresh machine with nothing
but Python >= 3.11. Everything is installed into ./.venv; a second run checks a stamp
and is done in well under a second when nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".course-installed"
EXCHANGE = ROOT / ".exchange"
# JupyterLab defaults for course users (the environment's settings overrides): no
# "would you like to be notified about Jupyter news?" prompt, no update checks.
LAB_OVERRIDES = VENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
}
# What the installation depends on: change one of these and setup runs again.
INSTALL_INPUTS = ("requirements.txt", "pyproject.toml")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INSTALL_INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(*args: str | os.PathLike, quiet_warnings: bool = False) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    env = None
    if quiet_warnings:  # setuptools' "Editable installation... be careful" banner
        env = dict(os.environ, PYTHONWARNINGS="ignore")
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def _step(number: int, total: int, text: str) -> None:
    print(f"[{number}/{total}] {text}", flush=True)


WORKSPACE = ROOT / "my-work"  # a self-learner's own copies (git-ignored)
INDEX = "START-HERE.ipynb"


def prepare_workspace(root: Path = ROOT) -> list[str]:
    """Copy each released unit into ``my-work/`` the first time it is there, never
    over a copy that exists (course updates come in with `git pull` without
    touching the student's work), and write the index notebook of the units.
    Returns the units copied now."""
    import shutil

    work = root / WORKSPACE.name
    work.mkdir(exist_ok=True)
    copied = []
    units = sorted(d for d in (root / "assignments").iterdir() if d.is_dir())
    for unit in units:
        target = work / unit.name
        if target.exists():
            continue
        shutil.copytree(
            unit, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
        copied.append(unit.name)
    _write_index(work, units)
    return copied


def _write_index(work: Path, units: list[Path]) -> None:
    """my-work/START-HERE.ipynb: one line per unit, linking its notebook."""
    lines = [
        "# Your work\n",
        "\n",
        "Each unit below is your own copy of the released notebook: edit it freely, "
        "`git pull` never touches it. Open a unit, write each exercise, and run the "
        "test cell under it.\n",
        "\n",
    ]
    for unit in units:
        for nb in sorted(unit.glob("*.ipynb")):
            lines.append(f"- [{unit.name}]({unit.name}/{nb.name})\n")
    index = {
        "cells": [
            {"cell_type": "markdown", "id": "index", "metadata": {}, "source": lines}
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(index, indent=1) + "\n"
    path = work / INDEX
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def prepare_exchange() -> Path:
    """Create the local nbgrader exchange (nbgrader_config.py points at it).

    nbgrader's assignment list refuses to work while the folder is missing.
    """
    EXCHANGE.mkdir(exist_ok=True)
    return EXCHANGE


def write_lab_settings() -> None:
    """Write LAB_SETTINGS into the environment's JupyterLab overrides."""
    text = json.dumps(LAB_SETTINGS, indent=2) + "\n"
    if not LAB_OVERRIDES.exists() or LAB_OVERRIDES.read_text() != text:
        LAB_OVERRIDES.parent.mkdir(parents=True, exist_ok=True)
        LAB_OVERRIDES.write_text(text)


def setup() -> None:
    """Create ./.venv and install the pinned requirements and the course package."""
    prepare_exchange()
    if STAMP.exists() and STAMP.read_text() == _fingerprint() and PYTHON.exists():
        write_lab_settings()
        return
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError) as err:
            sys.exit(
                f"Could not create {VENV}: {err}\n"
                "On Debian/Ubuntu install the venv module first: "
                "sudo apt-get install python3-venv"
            )
    import time

    start = time.perf_counter()
    _step(1, 3, "Updating pip in the environment")
    _run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _step(
        2,
        3,
        "Installing the pinned packages (JupyterLab, nbgrader, NumPy, the CPU build "
        "of PyTorch, ...): the longest step, a few minutes on a slow machine",
    )
    _run(
        PYTHON, "-m", "pip", "install", "--progress-bar", "on", "-r", "requirements.txt"
    )
    _step(3, 3, "Installing the course library (lib/) into the environment")
    _run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "-e",
        ".",
        quiet_warnings=True,
    )
    write_lab_settings()
    STAMP.write_text(_fingerprint())
    print(f"Setup complete in {time.perf_counter() - start:.0f} s.", flush=True)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Use the kernels and extensions of ./.venv even if the user has their own.
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _exec(*args: str | os.PathLike) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=_env()).returncode


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 -- the one place a user meets it
        print(f"Python >= 3.11 is needed; this is {sys.version.split()[0]}.")
        return 1
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command in ("help", "-h", "--help"):
        print(__doc__)
        return 0
    commands = (
        "setup",
        "open",
        "test",
        "bench",
        "grade",
        "grades",
        "insight",
        "similar",
        "mutants",
    )
    if command not in commands:
        import difflib

        close = difflib.get_close_matches(command, commands, n=1)
        guess = f" Did you mean `python3 course.py {close[0]}`?" if close else ""
        print(f"Unknown command {command!r}.{guess}\n{__doc__}", file=sys.stderr)
        return 2
    setup()
    if command == "open":
        for unit in prepare_workspace():
            print(f"New unit in my-work/: {unit}", flush=True)
        # Containers and CI machines often run as root; Jupyter refuses that by default.
        as_root = ["--allow-root"] if getattr(os, "geteuid", lambda: 1)() == 0 else []
        lab = [BIN / "jupyter", "lab", f"--ServerApp.root_dir={ROOT}", *as_root]
        start = [] if rest else [f"{WORKSPACE.name}/{INDEX}"]
        return _exec(*lab, *rest, *start)
    if command == "test":
        # loadgroup keeps an xdist group on one worker; without reordering, the
        # workers take groups in collection order (conftest: the slowest first).
        distribute = ["-n", "auto", "--dist", "loadgroup", "--no-loadscope-reorder"]
        return _exec(PYTHON, "-m", "pytest", *distribute, *rest)
    if command == "bench":
        return _exec(PYTHON, "-m", "benchmarks.run", *rest)
    if command in ("grade", "grades", "insight", "similar", "mutants"):
        # Relative paths are the user's, not the course folder's.
        module = {
            "grade": "grading.classroom.runner",
            "grades": "grading.canvas",
            "insight": "grading.insight.page",
            "similar": "grading.insight.similar",
            "mutants": "grading.mutation_run",
        }[command]
        return subprocess.run(
            [str(PYTHON), "-m", module, *rest],
            env=_env() | {"PYTHONPATH": str(ROOT)},
        ).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
