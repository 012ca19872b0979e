"""nbgrader's gradebook as the record of a class run.

After ``course.py grade`` has scored the submissions, ``record`` writes every
result into the course's ``gradebook.db`` through nbgrader's own API, and puts each
graded notebook where formgrader looks for autograded notebooks
(``autograded/<student>/<unit>/<notebook>`` unless the course's nbgrader
config says otherwise), made unable to run script in a grader's browser
(grading.safe_html), each written answer followed by the
solution's model answer and rubric, for graders only. Formgrader then lists every
submission with its scores, and written answers wait there for manual grading
with the rubric beside them; and
``nbgrader generate_feedback`` and ``nbgrader export`` work as after
``nbgrader autograde``.

Only automatic scores are written. A manual score already given (a written
answer, or an instructor's override of a test) is never touched, so it survives
a regrade. A submission that could not be graded is flagged, its scores stay
empty (needing a grader), and every answer cell carries the comment "Not graded:
<reason>", which formgrader shows and ``grading.export`` puts in a reason column.
"""

from __future__ import annotations

import datetime
import functools
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from grading import feedback, notebook, safe_html
from grading.classroom import worker

NOT_GRADED = "Not graded: "


def _config(course: Path):
    """The course's nbgrader_config.py, as nbgrader run in ``course`` reads it
    (empty when the folder has none)."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    if not (Path(course) / "nbgrader_config.py").exists():
        return Config()
    return PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()


def _coursedir(course: Path):
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=_config(course), root=str(Path(course).resolve()))


def db_url(course: Path) -> str:
    """The gradebook nbgrader uses for ``course``: its configured
    ``CourseDirectory.db_url`` (a shared database, say), else nbgrader's default,
    ``gradebook.db`` in the course folder."""
    return _coursedir(course).db_url


def exists(course: Path) -> bool:
    """False only for a SQLite gradebook whose file is not there yet (asking
    nbgrader for it would make an empty one)."""
    url = db_url(course)
    prefix = "sqlite:///"
    return not url.startswith(prefix) or Path(url.removeprefix(prefix)).exists()


def autograded_folder(course: Path, student: str, unit: str) -> Path:
    """Where nbgrader (and so formgrader and generate_feedback) keeps ``student``'s
    autograded ``unit``, by the course's ``autograded_directory`` and
    ``directory_structure``."""
    coursedir = _coursedir(course)
    return Path(coursedir.format_path(coursedir.autograded_directory, student, unit))


def _api(course: Path, release_directory: str | None = None):
    """nbgrader's API on ``course`` with its own nbgrader_config.py."""
    from nbgrader.apps import NbGraderAPI

    coursedir = _coursedir(course)
    if release_directory is not None:
        coursedir.release_directory = release_directory
    return NbGraderAPI(coursedir=coursedir, config=coursedir.config)


def _has_cells(gb, unit: str) -> bool:
    from nbgrader.api import MissingEntry

    try:
        return bool(gb.find_assignment(unit).notebooks)
    except MissingEntry:
        return False


def ensure_unit(course: Path, unit: str) -> None:
    """The unit's notebooks and graded cells in the gradebook, as
    ``nbgrader generate_assignment`` records them. Where they are missing (a
    gradebook made on another machine, or none yet), the unit is generated again
    into a throwaway release folder, so the real release is not touched."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url(course)) as gb:
        if _has_cells(gb, unit):
            return
    if not (Path(course) / "solutions" / unit).is_dir():
        raise SystemExit(
            f"{course} has no solutions/{unit}: pass --course with the folder that "
            "holds the course's nbgrader_config.py and solutions/"
        )
    with tempfile.TemporaryDirectory(prefix="release-") as release:
        result = _api(course, release).generate_assignment(unit, force=True)
    if not result.get("success"):
        raise RuntimeError(
            f"nbgrader could not record {unit}'s cells in the gradebook:\n"
            f"{result.get('error', '')}\n{result.get('log', '')}"
        )


def _submission(gb, unit: str, student: str, timestamp):
    from nbgrader.api import MissingEntry

    gb.update_or_create_student(student)
    try:
        submission = gb.find_submission(unit, student)
    except MissingEntry:
        return gb.add_submission(unit, student, timestamp=timestamp)
    if timestamp is not None:
        submission.timestamp = timestamp
    return submission


def _write_scores(gb, notebook, result: dict) -> None:
    graded = result["status"] == "graded"
    reason = NOT_GRADED + result.get("reason", "") if not graded else None
    notebook.flagged = not graded
    written = result.get("written", {})
    for grade in notebook.grades:
        name = grade.name
        if not graded:
            grade.auto_score = None
        elif name in written:  # by hand; 0 only when left blank, as nbgrader does
            grade.auto_score = None if written[name]["answered"] else 0.0
        else:
            grade.auto_score = float(result["scores"].get(name, 0.0))
        grade.needs_manual_grade = (
            grade.auto_score is None or grade.manual_score is not None
        )
    for comment in notebook.comments:
        if not graded:
            comment.auto_comment = reason
        elif comment.auto_comment and comment.auto_comment.startswith(NOT_GRADED):
            comment.auto_comment = None  # graded now: the old reason goes


MODEL_ANSWER = "**For graders (students never see this cell).** "


def with_model_answers(graded, solution):
    """``graded`` with a cell after each written answer that holds what
    ``solution`` has in its place, the model answer and the rubric; tagged so
    that feedback leaves it out (grading.feedback)."""
    import nbformat

    models = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in solution.cells
        if notebook.is_written_cell(c)
    }
    cells = []
    for cell in graded.cells:
        cells.append(cell)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if notebook.is_written_cell(cell) and grade_id in models:
            model = nbformat.v4.new_markdown_cell(
                MODEL_ANSWER + models[grade_id].strip()
            )
            model.metadata["tags"] = [feedback.GRADERS_ONLY]
            cells.append(model)
    graded.cells = cells
    return graded


@functools.lru_cache(maxsize=16)
def _solution(path: str):
    return notebook.read(path)  # read once per unit, not once per submission


@functools.lru_cache(maxsize=16)
def _course_cells(release: str):
    return safe_html.course_cells(Path(release))  # once per unit, too


def _unit_notebook(course: Path, step: str, unit: str, name: str) -> Path:
    """``name`` of ``unit`` in the course's source or release folder."""
    coursedir = _coursedir(course)
    return Path(coursedir.format_path(getattr(coursedir, step), ".", unit)) / name


UNREAD_MB = 16  # a handed-in notebook larger than this is not shown to graders


def _readable(path: Path | None):
    """The notebook at ``path``, or None where there is no valid notebook of a
    size worth showing."""
    import nbformat

    path = Path(path) if path is not None else None
    if path is None or not path.is_file() or path.stat().st_size > UNREAD_MB << 20:
        return None
    try:
        nb = notebook.read(path)
        nbformat.validate(nb)
    except Exception:  # noqa: BLE001 -- whatever the student handed in
        return None
    return nb


def _as_handed_in(course: Path, result: dict, name: str, submitted: Path | None):
    """For a submission that could not be graded: the student's notebook as handed
    in, outputs cleared (it did not run), or the release where it cannot be read,
    headed by the reason; None when neither exists. Formgrader lists a submission
    only with a notebook in its autograded folder, so graders can still open it,
    read the code and grade by hand."""
    import nbformat

    nb = _readable(submitted)
    what = "the notebook as handed in, not run (its outputs are cleared)"
    if nb is None:
        release = _unit_notebook(course, "release_directory", result["unit"], name)
        if not release.exists():
            return None
        nb, what = notebook.read(release), "the unit's blank release in its place"
        what += (
            " (no notebook was found among the files handed in)"
            if submitted is None
            else " (the file handed in could not be read as a notebook)"
        )
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    reason = result.get("reason", "").rstrip(". ") or "no reason recorded"
    banner = nbformat.v4.new_markdown_cell(
        f"**{NOT_GRADED}{reason}.** Below is {what}. Its scores stay empty for a "
        "grader to fill in."
    )
    nb.cells.insert(0, banner)
    return nb


def _place_notebook(
    course: Path,
    out: Path,
    result: dict,
    name: str,
    submitted: Path | None = None,
    handed_in_at: datetime.datetime | None = None,
) -> None:
    """The graded notebook, with the graders' model answers, where formgrader and
    generate_feedback read it; for a submission that could not be graded, what
    ``_as_handed_in`` makes of it."""
    graded = Path(out) / result["unit"] / result["student"] / worker.GRADED
    folder = autograded_folder(course, result["student"], result["unit"])
    shown = None
    if result["status"] == "graded" and graded.exists():
        shown = notebook.read(graded)
    elif result["status"] != "graded":
        shown = _as_handed_in(course, result, name, submitted)
    if shown is None:
        shutil.rmtree(folder, ignore_errors=True)  # no stale notebook from before
        return
    folder.mkdir(parents=True, exist_ok=True)
    solution = _solution(
        str(_unit_notebook(course, "source_directory", result["unit"], name))
    )
    release = _unit_notebook(course, "release_directory", result["unit"], name)
    shown = safe_html.make_inert(shown, _course_cells(str(release)))
    tmp = folder / (name + ".tmp")
    notebook.write(with_model_answers(shown, solution), tmp)
    os.replace(tmp, folder / name)
    _exchange_files(folder, submitted, handed_in_at)


def _exchange_files(folder: Path, submitted: Path | None, handed_in_at) -> None:
    """timestamp.txt and submission_secret.txt beside the autograded notebook, as
    ``nbgrader autograde`` copies them from the submission: generate_feedback
    passes them on, and ``nbgrader release_feedback`` needs the secret to name the
    page the student's ``fetch_feedback`` looks for. A submission that did not come
    through nbgrader's exchange (an LMS download) has no secret; it gets a fresh
    one, so that releasing the class's feedback does not stop at it (nobody can
    fetch that page: hand out its feedback.html instead)."""
    import secrets

    origin = Path(submitted).parent if submitted is not None else None
    secret = origin / "submission_secret.txt" if origin else None
    if secret is not None and secret.is_file():
        shutil.copyfile(secret, folder / "submission_secret.txt")
    elif not (folder / "submission_secret.txt").exists():
        (folder / "submission_secret.txt").write_text(secrets.token_hex(64))
    when = handed_in_at or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    # nbgrader's own format (naive UTC), which its parse_utc reads back
    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))


def _late_penalties(course: Path, results: list[dict], notebooks) -> None:
    """nbgrader's own AssignLatePenalties, configured by the course's
    nbgrader_config.py as ``nbgrader autograde`` runs it, on each scored result
    that is late (``record`` has already cleared the penalty of the others, as
    AssignLatePenalties would)."""
    import nbformat
    from nbgrader.preprocessors import AssignLatePenalties

    config = _api(course).config if results else None
    url = db_url(course)
    for result in results:
        assign = AssignLatePenalties(config=config)
        assign.preprocess(
            nbformat.v4.new_notebook(),
            {
                "nbgrader": {
                    "assignment": result["unit"],
                    "notebook": Path(notebooks[result["unit"]]).stem,
                    "student": result["student"],
                    "db_url": url,
                }
            },
        )


def _late_figures(gb, result: dict, name: str) -> dict:
    submission = gb.find_submission(result["unit"], result["student"])
    notebook = next(nb for nb in submission.notebooks if nb.name == Path(name).stem)
    return {
        "seconds_late": float(submission.total_seconds_late),
        "late_penalty": float(notebook.late_submission_penalty or 0.0),
    }


def _naive_utc(stamp):
    """An aware time as nbgrader stores times: naive, in UTC."""
    if stamp is None:
        return None
    return stamp.astimezone(datetime.UTC).replace(tzinfo=None)


def _quiet(function):
    """``function`` without SQLAlchemy's autoflush warnings, which nbgrader's
    gradebook API trips on every new submission (nbgrader's own commands print the
    same ones): nothing an instructor can act on, and they buried the report."""

    @functools.wraps(function)
    def quietly(*args, **kwargs):
        from sqlalchemy.exc import SAWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)
            return function(*args, **kwargs)

    return quietly


@_quiet
def record(
    results: list[dict],
    course: Path,
    out: Path,
    notebooks: dict[str, str],
    times: dict[tuple[str, str], datetime.datetime | None] | None = None,
    submitted: dict[tuple[str, str], Path | None] | None = None,
) -> dict[tuple[str, str], dict]:
    """Write ``results`` (course.py grade's, read from ``out``) into the gradebook
    of ``course`` and apply the course's late penalties; ``notebooks`` maps each
    unit to its notebook's file name; ``times`` maps (student, unit) to when the
    submission was handed in (UTC), when known; ``submitted`` maps it to the file
    handed in, shown to graders when it could not be graded. Returns, per
    (student, unit), its seconds late and late penalty as the gradebook now holds
    them."""
    from nbgrader.api import Gradebook

    course = Path(course)
    for unit in sorted({r["unit"] for r in results}):
        ensure_unit(course, unit)
    times, submitted = times or {}, submitted or {}
    late = []
    with Gradebook(db_url(course)) as gb:
        for result in results:
            unit, student = result["unit"], result["student"]
            name = notebooks[unit]
            stamp = _naive_utc(times.get((student, unit)))
            submission = _submission(gb, unit, student, stamp)
            notebook = next(
                nb for nb in submission.notebooks if nb.name == Path(name).stem
            )
            _write_scores(gb, notebook, result)
            notebook.late_submission_penalty = None
            if result["status"] == "graded" and submission.total_seconds_late > 0:
                late.append(result)
            handed_in = submitted.get((student, unit))
            _place_notebook(course, out, result, name, handed_in, submission.timestamp)
        gb.db.commit()  # once: a commit per submission cost 0.05 s each
    _late_penalties(course, late, notebooks)
    with Gradebook(db_url(course)) as gb:
        return {
            (r["student"], r["unit"]): _late_figures(gb, r, notebooks[r["unit"]])
            for r in results
        }
