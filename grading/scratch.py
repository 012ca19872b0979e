"""A throwaway nbgrader course: generate, submit, autograde, read the scores.

Each ``ScratchCourse`` lives in its own folder with its own gradebook, so several
can run at once (one per test worker) without touching the real course.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import nbformat

from grading import layout, notebook


def nbgrader_env() -> dict[str, str]:
    """Environment for nbgrader subprocesses: this venv first on PATH.

    nbgrader runs ``alembic`` from PATH and starts the ``python3`` kernel; both must
    come from the environment that runs the tests.
    """
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def in_nbgrader_env():
    """Context manager: this process's environment set as ``nbgrader_env()`` says,
    for nbgrader and kernels run in-process (restored afterwards)."""
    return mock.patch.dict(os.environ, nbgrader_env())


class ScratchCourse:
    """An nbgrader course folder holding a copy of the config and one unit's source."""

    def __init__(self, root: Path, repo: Path = layout.ROOT):
        self.root = Path(root)
        self.repo = Path(repo)
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.repo / "nbgrader_config.py", self.root)
        # the config's exchange, as course.py makes the real one (nbgrader's API
        # complains of an "unwritable directory" without it)
        (self.root / ".exchange").mkdir(exist_ok=True)
        self._api = None

    def nbgrader(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=self.root,
            env=nbgrader_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def api(self):
        """nbgrader's own Python API (what formgrader calls) on this course, with
        its nbgrader_config.py: the commands run in this process, without a
        start-up of nbgrader per call. Use inside ``in_nbgrader_env()``."""
        if self._api is None:
            from nbgrader.apps import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory
            from traitlets.config.loader import PyFileConfigLoader

            config = PyFileConfigLoader(
                "nbgrader_config.py", path=str(self.root)
            ).load_config()
            coursedir = CourseDirectory(config=config, root=str(self.root))
            self._api = NbGraderAPI(coursedir=coursedir, config=config)
        return self._api

    def _call(self, command: str, *args, **kwargs) -> None:
        with in_nbgrader_env():
            result = getattr(self.api(), command)(*args, **kwargs)
        if not result.get("success"):
            raise RuntimeError(
                f"nbgrader {command} {args} failed:\n{result.get('error', '')}\n"
                f"{result.get('log', '')}"
            )

    def generate(self, unit: str) -> Path:
        """Copy solutions/<unit> in and release it; returns assignments/<unit>."""
        source = self.root / "solutions" / unit
        shutil.rmtree(source, ignore_errors=True)
        shutil.copytree(
            self.repo / "solutions" / unit,
            source,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
        )
        self._call("generate_assignment", unit, force=True)
        return self.root / "assignments" / unit

    def submit(
        self, student: str, unit: str, notebooks: dict[str, nbformat.NotebookNode]
    ) -> None:
        """Place a student's notebooks (file name -> notebook) in submitted/."""
        folder = self.root / "submitted" / student / unit
        shutil.rmtree(folder, ignore_errors=True)
        for name, nb in notebooks.items():
            notebook.write(nb, folder / name)

    def autograde(self, unit: str, students: str = "*") -> None:
        """``nbgrader autograde UNIT --student STUDENTS --force``, through the API
        (``students`` may be a glob)."""
        self._call("autograde", unit, students, force=True)

    def scores(self, unit: str) -> dict[str, dict[str, float]]:
        """student -> {test grade_id: score}, from the gradebook (autograded tests
        only; written answers are in ``written``)."""
        from nbgrader.api import Gradebook

        found: dict[str, dict[str, float]] = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            for student in gradebook.students:
                try:
                    submission = gradebook.find_submission(unit, student.id)
                except Exception:  # nbgrader raises MissingEntry: not graded
                    continue
                found[student.id] = {
                    grade.name: float(grade.score)
                    for nb in submission.notebooks
                    for grade in nb.grades
                    if grade.cell.cell_type == "code"
                }
        return found

    def written(self, unit: str, student: str) -> dict[str, dict]:
        """Written answer -> what the gradebook holds for it: needs_manual_grade,
        auto_score (None, or 0 for an answer left blank) and max_score."""
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission(unit, student)
            return {
                grade.name: {
                    "needs_manual_grade": grade.needs_manual_grade,
                    "auto_score": grade.auto_score,
                    "max_score": float(grade.max_score),
                }
                for nb in submission.notebooks
                for grade in nb.grades
                if grade.cell.cell_type == "markdown"
            }

    def messages(self, unit: str, student: str) -> dict[str, str]:
        """test grade_id -> the error its cell showed ("Name: message"), for each
        test cell of the student's autograded notebooks that failed."""
        found = {}
        for path in sorted((self.root / "autograded" / student / unit).glob("*.ipynb")):
            for cell in notebook.read(path).cells:
                if not notebook.is_test_cell(cell):
                    continue
                errors = [
                    o for o in cell.get("outputs", []) if o.output_type == "error"
                ]
                if errors:
                    gid = cell.metadata["nbgrader"]["grade_id"]
                    found[gid] = f"{errors[-1].ename}: {errors[-1].evalue}"
        return found
