"""Where the course's parts are, said once: its root folder, its units and their
notebooks. Everything else (the grader, the sandbox, the tests, the benchmarks)
asks here."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "lib"
SOLUTIONS = "solutions"  # nbgrader's source folder (nbgrader_config.py)
RELEASES = "assignments"  # nbgrader's release folder


def units(root: Path = ROOT) -> list[str]:
    """The units, in teaching order (their folder names sort that way)."""
    return sorted(p.name for p in (root / SOLUTIONS).iterdir() if p.is_dir())


def notebooks(unit: str, root: Path = ROOT) -> list[str]:
    """File names of a unit's notebooks."""
    return sorted(p.name for p in (root / SOLUTIONS / unit).glob("*.ipynb"))


def solution(unit: str, name: str | None = None, root: Path = ROOT) -> Path:
    """A unit's solution notebook (its first, when ``name`` is None)."""
    return root / SOLUTIONS / unit / (name or notebooks(unit, root)[0])


def release(unit: str, name: str | None = None, root: Path = ROOT) -> Path:
    """A unit's released (student) notebook (its first, when ``name`` is None)."""
    return root / RELEASES / unit / (name or notebooks(unit, root)[0])
