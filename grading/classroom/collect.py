"""Finding the submissions: nbgrader's `submitted/<student>/<unit>/` layout, or a
folder or zip of files named the way learning-management systems export them.

LMS names understood (the notebook's own name at the end says which unit):
  Canvas  `<login>[_LATE]_<user id>_<submission id>_<name>.ipynb` (re-submissions
          get `-1`, `-2` before `.ipynb`);
  Moodle  `<Full Name>_<id>_assignsubmission_file_<name>.ipynb`, or a folder
          `<Full Name>_<id>_assignsubmission_file_` holding the file.

Identity: the student is always the *first* path component under the export's
root (a file there, or the folder that holds it), never a name found deeper, so
nothing inside one student's work can speak for another. A Canvas login is kept
as it is (``ann.lee`` and ``ann-lee`` stay two students), and where one login
comes with two Canvas user ids, each gets its id appended. Everything that
matches no student or no unit is returned in ``skipped`` with the reason.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

CANVAS = re.compile(
    r"^(?P<student>[A-Za-z0-9.\-]+?)(?P<late>_LATE)?_(?P<uid_canvas>\d+)_\d+_"
    r"(?P<file>.+)$",
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
    notes: list[str] = field(default_factory=list)  # how it was found, for the report

    def digest(self) -> str:
        if self.notebook is None:
            return ""
        return hashlib.sha256(self.notebook.read_bytes()).hexdigest()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "student"


_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,99}$")


def _login(text: str) -> str:
    """A Canvas login as the student id: kept as it is where it is a safe folder
    name (it is the SIS login Canvas matches grades by), else its slug."""
    return text if _SAFE_ID.match(text) else _slug(text)


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
    if len(chosen) > 1:  # the one nearest the top, then the latest
        chosen = sorted(chosen, key=lambda f: (-len(f.parts), f.stat().st_mtime))[-1:]
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


def collect(
    source: Path,
    notebooks: dict[str, str],
    inbox: Path,
    skipped: list[str] | None = None,
) -> list[Submission]:
    """Every (student, unit) submission under ``source``.

    Args:
        source: a `submitted/` folder (or the course folder holding one), a folder
            of LMS files, or a zip of either.
        notebooks: unit -> its notebook's file name (e.g. '01_knn' -> 'knn.ipynb').
        inbox: where a zip is unpacked.
        skipped: if given, gets one line per file or folder that was not taken,
            with the reason (for the report).
    """
    skipped = [] if skipped is None else skipped
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
    tops = [d for d in sorted(source.iterdir()) if not d.name.startswith(".")]
    nbgrader_layout = any(
        d.is_dir() and not MOODLE.match(d.name) and any(c.is_dir() for c in d.iterdir())
        for d in tops
    )
    if nbgrader_layout:
        return _nbgrader_layout(tops, notebooks, skipped)
    if len(tops) == 1 and tops[0].is_dir() and not MOODLE.match(tops[0].name):
        # an export wrapped in one folder (a zip of the download folder)
        tops = [d for d in sorted(tops[0].iterdir()) if not d.name.startswith(".")]
    return _lms_layout(source, tops, notebooks, zipped, skipped)


def _nbgrader_layout(tops, notebooks, skipped) -> list[Submission]:
    """``<student>/<unit>/<notebook>``; a unit folder misnamed (``01-knn``) is
    taken where exactly one unit's notebook is in it, and said so."""
    by_file = {name: unit for unit, name in notebooks.items()}
    found: list[Submission] = []
    for student in tops:
        if not student.is_dir():
            skipped.append(f"{student.name}: a file outside any student's folder")
            continue
        for folder in sorted(student.iterdir()):
            where = f"{student.name}/{folder.name}"
            if not folder.is_dir():
                skipped.append(f"{where}: not inside a unit folder")
                continue
            unit, note = folder.name, ""
            if unit not in notebooks:
                names = {RESUBMITTED.sub("", f.name) for f in folder.rglob("*.ipynb")}
                units = sorted({by_file[n] for n in names if n in by_file})
                if len(units) != 1:
                    close = difflib.get_close_matches(folder.name, notebooks, 1, 0.5)
                    guess = f"; did you mean {close[0]}?" if close else ""
                    skipped.append(f"{where}: {folder.name} matches no unit{guess}")
                    continue
                unit = units[0]
                note = (
                    f"handed in as {folder.name}/, which is not a unit name: graded "
                    f"as {unit}, the unit whose notebook it holds"
                )
            files = sorted(p for p in folder.rglob("*") if p.is_file())
            sub = _pick(student.name, unit, files, notebooks[unit])
            sub.timestamp = read_timestamp(folder)
            if note:
                sub.notes.append(note)
            found.append(sub)
    return _one_per_unit(found, skipped)


def _one_per_unit(found: list[Submission], skipped) -> list[Submission]:
    """A student with two folders for one unit (``01_knn`` and ``01-knn``): the
    correctly named one is graded, the other listed."""
    kept: dict[tuple[str, str], Submission] = {}
    for sub in found:
        key = (sub.student, sub.unit)
        if key in kept:
            dropped = sub if not sub.notes else kept[key]
            kept[key] = kept[key] if dropped is sub else sub
            skipped.append(
                f"{sub.student}: a second folder for {sub.unit} "
                f"({dropped.notebook.parent.name if dropped.notebook else '?'}/), "
                "not graded"
            )
        else:
            kept[key] = sub
    return list(kept.values())


def _lms_layout(source, tops, notebooks, zipped, skipped) -> list[Submission]:
    by_file = {name: unit for unit, name in notebooks.items()}
    groups: dict[tuple[str, str], list[Path]] = {}
    canvas_ids: dict[str, set[str]] = {}
    late: set[Path] = set()
    for top in tops:
        match = MOODLE.match(top.name) or (
            CANVAS.match(top.name) if top.is_file() else None
        )
        if not match:
            what = "folder" if top.is_dir() else "file"
            skipped.append(
                f"{top.name}: a {what} whose name is no Canvas or Moodle submission"
            )
            continue
        groups_key_student = _student_of(match, canvas_ids)
        files = (
            [top]
            if top.is_file()
            else sorted(
                p for p in top.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        )
        for path in files:
            inner = (match["file"] if path == top else path.name) or path.name
            unit = by_file.get(RESUBMITTED.sub("", Path(inner).name), "")
            groups.setdefault((groups_key_student, unit), []).append(path)
            if path == top and "late" in match.groupdict() and match["late"]:
                late.add(path)
    found: list[Submission] = []
    renamed = _split_logins(canvas_ids)
    for (student, unit), files in sorted(groups.items()):
        student = renamed.get(student, student)
        if unit:
            sub = _pick(student, unit, files, notebooks[unit])
            if sub.notebook is not None:
                sub.marked_late = sub.notebook in late
                # only a zip carries the LMS's times; a folder's are download times
                sub.timestamp = _file_time(sub.notebook) if zipped else None
            found.append(sub)
    for (student, unit), files in groups.items():  # files that name no unit
        if unit:
            continue
        student = renamed.get(student, student)
        owner = [sub for sub in found if sub.student == student]
        for sub in owner:
            sub.ignored += [f.name for f in files]
        if not owner:
            skipped += [f"{f.name}: names no unit of the course" for f in files]
    return found


def _student_of(match, canvas_ids: dict[str, set[str]]) -> str:
    """The student id a matched top-level name gives (see the module's doc)."""
    groups = match.groupdict()
    if "uid" in groups:  # Moodle: the full name and the user id
        return _slug(match["student"] + "_" + match["uid"])
    login = _login(match["student"])
    canvas_ids.setdefault(login, set()).add(match["uid_canvas"])
    return f"{login}\0{match['uid_canvas']}"


def _split_logins(canvas_ids: dict[str, set[str]]) -> dict[str, str]:
    """Canvas keys (login NUL user id) -> the student id: the login, or the login
    and the user id where two user ids share one login."""
    return {
        f"{login}\0{uid}": login if len(uids) == 1 else f"{login}-{uid}"
        for login, uids in canvas_ids.items()
        for uid in uids
    }
