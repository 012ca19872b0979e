"""Finding the submissions: nbgrader's `submitted/<student>/<unit>/` layout, or a
folder or zip of files named the way learning-management systems export them.

LMS names understood (the notebook's own name at the end says which unit):
  Canvas  `<login>[_LATE]_<user id>_<submission id>_<name>.ipynb` (re-submissions
          get `-1`, `-2` before `.ipynb`);
  Moodle  `<Full Name>_<id>_assignsubmission_file_<name>.ipynb`, or a folder
          `<Full Name>_<id>_assignsubmission_file_` holding the file.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

CANVAS = re.compile(
    r"^(?P<student>[A-Za-z0-9.\-]+?)(?P<late>_LATE)?_\d+_\d+_(?P<file>.+)$",
    re.IGNORECASE,
)
MOODLE = re.compile(
    r"^(?P<student>.+?)_(?P<uid>\d+)_assignsubmission_(?:file|onlinetext)_"
    r"(?P<file>.*)$"
)
RESUBMITTED = re.compile(r"-\d+(?=\.ipynb$)")
MAX_ZIP_BYTES = 2 * 2**30


@dataclass
class Submission:
    student: str
    unit: str
    notebook: Path | None  # None: nothing gradable was found
    ignored: list[str] = field(default_factory=list)  # extra files, not taken
    problem: str = ""  # why it cannot be graded, when notebook is None
    # When it was handed in (UTC): nbgrader's timestamp.txt, or the time an LMS
    # export's zip gives the file; None when neither says.
    timestamp: datetime.datetime | None = None
    marked_late: bool = False  # the LMS's own late marker (Canvas's _LATE)

    def digest(self) -> str:
        if self.notebook is None:
            return ""
        return hashlib.sha256(self.notebook.read_bytes()).hexdigest()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "student"


def _pick(student: str, unit: str, files: list[Path], wanted: str) -> Submission:
    """The unit's notebook among a student's files; the rest is reported."""
    notebooks = [f for f in files if f.suffix == ".ipynb"]
    exact = [f for f in notebooks if RESUBMITTED.sub("", f.name) == wanted]
    chosen = exact or notebooks
    if not chosen:
        return Submission(
            student,
            unit,
            None,
            [f.name for f in files],
            f"no {wanted} in the submission",
        )
    if len(chosen) > 1:
        chosen = sorted(chosen, key=lambda f: f.stat().st_mtime)[-1:]
    ignored = [f.name for f in files if f != chosen[0]]
    return Submission(student, unit, chosen[0], ignored)


def safe_extract(archive: Path, into: Path) -> Path:
    """Unzip without leaving ``into`` (no absolute paths, no ..) and within a size
    budget; returns the folder."""
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as z:
        total = sum(i.file_size for i in z.infolist())
        if total > MAX_ZIP_BYTES:
            raise ValueError(f"{archive.name} unpacks to {total / 2**30:.1f} GB")
        for info in z.infolist():
            target = (into / info.filename).resolve()
            if not str(target).startswith(str(into.resolve())):
                continue  # a path that would escape: skipped
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            when = _zip_time(info)  # the LMS's time for the file, kept as mtime
            os.utime(target, (when, when))
    return into


def _zip_time(info: zipfile.ZipInfo) -> float:
    """A zip entry's time (zip stores no zone; LMS servers write UTC)."""
    stamp = datetime.datetime(*info.date_time, tzinfo=datetime.UTC)
    return stamp.timestamp()


def read_timestamp(folder: Path) -> datetime.datetime | None:
    """nbgrader's timestamp.txt in ``folder`` as an aware UTC time, or None when
    it is missing or unreadable."""
    path = folder / "timestamp.txt"
    if not path.is_file():
        return None
    from nbgrader.utils import parse_utc  # how nbgrader reads these files

    try:
        stamp = parse_utc(path.read_text().strip())  # naive, in UTC
    except (ValueError, OverflowError, TypeError):
        return None
    return stamp.replace(tzinfo=datetime.UTC)


def _file_time(path: Path) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)


def collect(source: Path, notebooks: dict[str, str], inbox: Path) -> list[Submission]:
    """Every (student, unit) submission under ``source``.

    Args:
        source: a `submitted/` folder (or the course folder holding one), a folder
            of LMS files, or a zip of either.
        notebooks: unit -> its notebook's file name (e.g. '01_knn' -> 'knn.ipynb').
        inbox: where a zip is unpacked.
    """
    source = Path(source)
    zipped = source.is_file() and source.suffix == ".zip"
    if zipped:
        source = safe_extract(source, inbox / source.stem)
    if not source.is_dir():
        raise FileNotFoundError(
            f"{source} is neither a folder nor a .zip of submissions"
        )
    if (source / "submitted").is_dir():
        source = source / "submitted"
    by_file = {name: unit for unit, name in notebooks.items()}
    found: list[Submission] = []
    students = [d for d in sorted(source.iterdir()) if d.is_dir()]
    if any((d / unit).is_dir() for d in students for unit in notebooks):
        for student in students:  # nbgrader's layout
            for unit, name in notebooks.items():
                if (student / unit).is_dir():
                    files = sorted(
                        p for p in (student / unit).rglob("*") if p.is_file()
                    )
                    sub = _pick(student.name, unit, files, name)
                    sub.timestamp = read_timestamp(student / unit)
                    found.append(sub)
        return found
    groups: dict[tuple[str, str], list[Path]] = {}
    late: set[Path] = set()
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        holder = path.parent.name if path.parent != source else ""
        match = (
            MOODLE.match(holder) or MOODLE.match(path.name) or CANVAS.match(path.name)
        )
        if not match:
            continue
        student = _slug(
            match["student"]
            + ("_" + match["uid"] if "uid" in match.groupdict() else "")
        )
        file = match["file"] if match["file"] else path.name
        unit = by_file.get(RESUBMITTED.sub("", Path(file).name))
        groups.setdefault((student, unit or ""), []).append(path)
        if "late" in match.groupdict() and match["late"]:
            late.add(path)
    for (student, unit), files in sorted(groups.items()):
        if unit:
            sub = _pick(student, unit, files, notebooks[unit])
            if sub.notebook is not None:
                sub.marked_late = sub.notebook in late
                # only a zip carries the LMS's times; a folder's are download times
                sub.timestamp = _file_time(sub.notebook) if zipped else None
            found.append(sub)
    unmatched = [(s, f) for (s, u), f in groups.items() if not u]
    for student, files in unmatched:  # files that name no unit of the course
        for sub in found:
            if sub.student == student:
                sub.ignored += [f.name for f in files]
    return found
