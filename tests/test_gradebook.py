"""`course.py grade` records its results in nbgrader's gradebook: formgrader (through
its HTTP API, on a running server) lists and grades them, `nbgrader export` (with
status and reason columns) and `nbgrader generate_feedback` work on them, and a
grade given in formgrader survives a regrade."""

from __future__ import annotations

import csv
import datetime
import json
import urllib.request

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.utils import notebook_hash

from conftest import LAB_TOKEN, serve_lab
from grading import layout, notebook
from grading.classroom import gradebook, runner
from grading.classroom.limits import Limits
from grading.scratch import ScratchCourse, in_nbgrader_env

# One worker grades the class once and runs these tests in order: the last one
# regrades ada.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("gradebook")]

UNIT = "01_knn"
NAME = layout.notebooks(UNIT)[0]
LIMITS = Limits(cell_seconds=30, notebook_seconds=200, memory_mb=4096, output_kb=1024)
WRITTEN = "written_negative_distances"
ADA_WRITES = "Large terms cancel, rounding leaves a tiny negative; clip at 0."
ADA_SECRET = "5ec7e7" * 20  # as nbgrader's exchange gives each submission
DAN_WRITES = "import os\nos._exit(0)  # dan's kernel dies: not graded"
# eve attacks the graders: markup that runs script in the browser that opens her
# work (formgrader, with the instructor's Jupyter session), in her written answer
# and in her answer's output. Each payload marks the page's <body> if it runs.
MARK = "document.body.dataset.xss{}=1"  # <body data-xss...="1">
EVE_WRITES = f"""Large terms cancel: **clip at 0**. $\\sqrt{{d}} < d$ for $d > 1$.
<img src=x onerror="{MARK.format("img")}">
<svg onload="{MARK.format("svg")}"></svg>
<script>{MARK.format("script")}</script>
<details open ontoggle="{MARK.format("details")}">x</details>
<iframe srcdoc="<script>parent.{MARK.format("iframe")}</script>"></iframe>
[a link](javascript:{MARK.format("link")})
![a picture](x" onerror="{MARK.format("alt")})
"""
EVE_DISPLAYS = f"""
from IPython.display import HTML, SVG, Javascript, display
display(HTML('<img src=x onerror="{MARK.format("output")}">'))
SVG_NS = "http://www.w3.org/2000/svg"
display(SVG(f'<svg xmlns="{{SVG_NS}}" onload="{MARK.format("svgout")}"/>'))
display(Javascript("{MARK.format("js")}"))
"""
DUE = datetime.datetime(2026, 11, 28, 12, 0)  # ada hands in 1 day 21 h later


def _submissions(root):
    solution = notebook.read(layout.solution(UNIT))
    release = notebook.read(layout.release(UNIT))
    students = ("ada", "bob", "cyd", "dan", "eve")
    folders = {s: root / "submitted" / s / UNIT for s in students}
    ada = notebook.submission(release, solution, keep_demo=False)
    for cell in ada.cells:  # her own words, not the model answer
        if cell.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN:
            cell.source = ADA_WRITES
    notebook.write(ada, folders["ada"] / NAME)
    notebook.write(release, folders["bob"] / NAME)
    folders["cyd"].mkdir(parents=True)
    (folders["cyd"] / NAME).write_text("{ this is not a notebook")
    first = next(iter(notebook.solution_sources(solution)))
    dan = notebook.submission(release, solution, {first: DAN_WRITES}, keep_demo=False)
    # dan's page shows his notebook as handed in: his markup, and a cell whose
    # nbgrader grade_id is markup too (formgrader writes ids into the page)
    odd = nbformat.v4.new_code_cell("x = 1")
    odd.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": f'x"><img src=x onerror="{MARK.format("gradeid")}">',
        "points": 1,
    }
    dan.cells[3:3] = [nbformat.v4.new_markdown_cell(EVE_WRITES), odd]
    notebook.write(dan, folders["dan"] / NAME)
    notebook.write(_eve(displays=False), folders["eve"] / NAME)
    (folders["ada"] / "submission_secret.txt").write_text(ADA_SECRET)
    (folders["ada"] / "timestamp.txt").write_text("2026-11-30 09:15:00.000000 UTC")


def _eve(displays: bool):
    """eve's notebook: right answers, her written answer, and with ``displays``
    rich output from her first answer (course.py grade's sandbox makes that text:
    only nbgrader autograde, in her own kernel, shows it as HTML)."""
    solution = notebook.read(layout.solution(UNIT))
    first, own = next(iter(notebook.solution_sources(solution).items()))
    eve = notebook.submission(
        notebook.read(layout.release(UNIT)),
        solution,
        {first: own + EVE_DISPLAYS} if displays else {},
        keep_demo=False,
    )
    for cell in eve.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN:
            cell.source = EVE_WRITES
    return eve


def _grade(root, course: ScratchCourse, jobs: int) -> list[dict]:
    """course.py grade on the class under ``root``, recorded in ``course``."""
    return runner.grade_class(
        root,
        root / "out",
        [UNIT],
        jobs=jobs,
        limits=LIMITS,
        progress=False,
        course=course.root,
    )


def _export(course: ScratchCourse) -> dict[str, dict]:
    course.nbgrader("export", "--to", "export.csv")
    with open(course.root / "export.csv") as f:
        return {row["student_id"]: row for row in csv.DictReader(f)}


def formgrader(base: str, path: str, body: dict | None = None, page=False):
    """JSON from formgrader's API (a PUT when there is a body), or with ``page`` the
    HTML of one of formgrader's pages."""
    request = urllib.request.Request(
        f"{base}/formgrader/{'' if page else 'api/'}{path}",
        headers={"Authorization": f"token {LAB_TOKEN}"},
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "PUT",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
    return text.decode() if page else json.loads(text)


def test_no_script_of_a_student_runs_in_the_graders_browser(
    graded, tmp_path_factory, browser
):
    """eve's pages in formgrader, opened in Chromium, as course.py grade and as
    nbgrader autograde (eve-twin, whose answer also displays HTML, SVG and
    JavaScript) leave them, and dan's (not graded: his notebook as handed in, with
    a grade_id that is markup too). No payload runs and no link can run script,
    while the answers still read as written (markdown and math rendered, the
    markup shown as text)."""
    course, results, _ = graded
    assert results["eve"]["score"] == results["ada"]["score"]  # answers are right
    twin = course.root / "submitted" / "eve-twin" / UNIT
    notebook.write(_eve(displays=True), twin / NAME)
    # as nbgrader's exchange hands work in (release_feedback needs both)
    (twin / "submission_secret.txt").write_text("e" * 64)
    (twin / "timestamp.txt").write_text("2026-11-27 10:00:00.000000 UTC")
    course.autograde(UNIT, "eve-twin")
    assert course.scores(UNIT)["eve-twin"] == pytest.approx(results["eve"]["scores"])
    stem = NAME.removesuffix(".ipynb")
    with serve_lab(course.root, tmp_path_factory.mktemp("home")) as base:
        listed = formgrader(base, f"submitted_notebooks/{UNIT}/{stem}")
        for student in ("eve", "eve-twin", "dan"):
            page_id = next(nb["id"] for nb in listed if nb["student"] == student)
            ran, links, text = _open_in_chromium(
                browser, f"{base}/formgrader/submissions/{page_id}?token={LAB_TOKEN}"
            )
            assert (student, ran, links) == (student, [], [])
            assert "onerror=" in text and "ontoggle=" in text  # shown, not run


def _open_in_chromium(browser, url: str):
    """The payload marks set on the page, the script URLs in it, and its text.
    Only the local server is reached (the page asks a CDN for MathJax: refused at
    once, so no network can slow the test)."""
    local = url.split("/formgrader/")[0]
    with browser.new_context() as context:
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(local)
                else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("strong:has-text('clip at 0')")
        page.wait_for_timeout(1000)  # time for any onload/onerror to fire
        ran = page.evaluate(
            "document.body.getAttributeNames().filter(a => /^data-xss/.test(a))"
        )
        links = page.evaluate(
            "[...document.querySelectorAll('[href],[src]')].map("
            "e => e.getAttribute('href') || e.getAttribute('src'))"
            ".filter(u => /^\\s*(javascript|vbscript|data:text)/i.test(u))"
        )
        return ran, links, page.inner_text("body")


def _model_answer() -> str:
    """The first line of the solution's model answer to WRITTEN."""
    solution = notebook.read(layout.solution(UNIT))
    cell = next(
        c
        for c in solution.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN
    )
    return cell.source.replace("**Model answer.**", "").strip().splitlines()[0]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("gradebook")
    course = ScratchCourse(root / "course")
    (course.root / "solutions").symlink_to(layout.ROOT / "solutions")
    (course.root / "assignments").symlink_to(layout.ROOT / "assignments")
    _submissions(root)
    with in_nbgrader_env():
        gradebook.ensure_unit(course.root, UNIT)
        with Gradebook(gradebook.db_url(course.root)) as gb:
            gb.update_or_create_assignment(UNIT, duedate=DUE)
        results = _grade(root, course, jobs=2)
    return course, {r["student"]: r for r in results}, root


def test_export_reports_each_submission_as_grades_csv_does(graded):
    course, results, _ = graded
    rows = _export(course)
    assert {"ada", "bob", "cyd", "dan", "eve"} <= set(rows)
    ada, bob, cyd = rows["ada"], rows["bob"], rows["cyd"]
    assert float(ada["raw_score"]) == results["ada"]["score"] > 0
    # ada is late (see the late test): the export's score is after the penalty
    assert float(ada["score"]) == pytest.approx(
        results["ada"]["score"] - results["ada"]["late_penalty"]
    )
    assert ada["status"] == "needs manual grading"  # the written answer waits
    assert ada["timestamp"].startswith("2026-11-30 09:15:00")
    assert float(bob["score"]) == results["bob"]["score"] == 0
    assert bob["status"] == "scored"  # a blank written answer scores 0 unread
    # never a plain 0: no score, and the reason the class report gives
    assert results["cyd"]["status"] == "not graded"
    assert (cyd["status"], cyd["score"]) == ("not graded", "")
    assert cyd["reason"] == results["cyd"]["reason"] != ""
    assert (rows["dan"]["status"], rows["dan"]["score"]) == ("not graded", "")
    assert "kernel died" in rows["dan"]["reason"] == results["dan"]["reason"]


def test_every_test_cell_has_its_score(graded):
    course, results, _ = graded
    assert course.scores(UNIT)["ada"] == pytest.approx(results["ada"]["scores"])
    assert (course.root / "autograded" / "ada" / UNIT / NAME).exists()


def test_work_that_could_not_be_graded_is_there_for_a_grader_to_read(graded):
    """dan's notebook as he handed it in, not run; for cyd, whose file is not a
    notebook, the blank release; each headed by its reason."""
    course, results, _ = graded
    for student, shows in (("dan", DAN_WRITES), ("cyd", "# YOUR CODE HERE")):
        nb = notebook.read(course.root / "autograded" / student / UNIT / NAME)
        head = nb.cells[0].source
        assert (
            head.startswith("**Not graded: ")
            and results[student]["reason"].rstrip(".") in head
        )
        assert any(shows in c.source for c in nb.cells)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_feedback_is_generated_without_hidden_tests_and_released(graded):
    course, results, _ = graded
    course.nbgrader("generate_feedback", UNIT)
    page = course.root / "feedback" / "ada" / UNIT / NAME.replace(".ipynb", ".html")
    text = page.read_text()
    assert "BEGIN HIDDEN TESTS" not in text and "compute_distances" in text
    assert ADA_WRITES in text
    assert "For graders" not in text and _model_answer() not in text
    assert "Rubric (2 points)" not in text
    dan = page.parent.parent.parent / "dan" / UNIT / page.name
    assert results["dan"]["reason"].rstrip(".") in dan.read_text()  # why, not a 0
    # release_feedback puts ada's page where her fetch_feedback looks: named by
    # the secret her submission came with. The others (no secret) do not stop it.
    course.nbgrader("release_feedback", UNIT)
    name = notebook_hash(secret=ADA_SECRET, notebook_id=NAME.removesuffix(".ipynb"))
    released = course.root / ".exchange" / "dl-course" / "feedback" / f"{name}.html"
    assert released.read_text() == text
    pages = list((course.root / "feedback").glob(f"*/{UNIT}/*.html"))
    assert len(list(released.parent.glob("*.html"))) == len(pages) >= 5


def test_late_work_loses_the_same_points_in_both_grading_paths(graded):
    """ada is 2 days late (a part day counts): 20% off under the course's rule,
    in course.py grade's gradebook record and under nbgrader autograde alike."""
    course, results, root = graded
    ada = results["ada"]
    assert ada["seconds_late"] == (21 * 3600 + 15 * 60) + 86400
    assert ada["late_penalty"] == pytest.approx(0.2 * ada["score"])
    row = _export(course)["ada"]
    assert float(row["late_submission_penalty"]) == pytest.approx(ada["late_penalty"])
    with open(root / "out" / "grades.csv") as f:
        line = next(r for r in csv.DictReader(f) if r["student"] == "ada")
    assert line["days_late"] == "2"
    assert float(line["late_penalty"]) == pytest.approx(ada["late_penalty"])
    assert "late by 2 days" in (root / "out" / "report.txt").read_text()
    # the same notebook and time, graded by nbgrader itself
    twin = course.root / "submitted" / "ada-twin" / UNIT
    twin.mkdir(parents=True)
    for name in (NAME, "timestamp.txt"):
        (twin / name).write_bytes(
            (root / "submitted" / "ada" / UNIT / name).read_bytes()
        )
    course.autograde(UNIT, "ada-twin")
    with Gradebook(gradebook.db_url(course.root)) as gb:
        twin_nb = gb.find_submission_notebook(
            NAME.removesuffix(".ipynb"), UNIT, "ada-twin"
        )
        assert twin_nb.score == pytest.approx(ada["score"])
        assert twin_nb.late_submission_penalty == pytest.approx(ada["late_penalty"])


def test_formgrader_shows_the_scores_and_its_grade_survives_a_regrade(
    graded, tmp_path_factory
):
    course, results, root = graded
    stem = NAME.removesuffix(".ipynb")
    with serve_lab(course.root, tmp_path_factory.mktemp("home")) as base:
        listed = {s["student"]: s for s in formgrader(base, f"submissions/{UNIT}")}
        assert listed["ada"]["score"] == pytest.approx(results["ada"]["score"])
        assert listed["ada"]["needs_manual_grade"]  # the written answer
        # not graded: no score stands in for one, the grader is asked to look
        assert listed["cyd"]["needs_manual_grade"]
        notebooks = formgrader(base, f"submitted_notebooks/{UNIT}/{stem}")
        # graders can open work that could not be graded, and read it
        assert {"ada", "bob", "cyd", "dan"} <= {nb["student"] for nb in notebooks}
        dan = next(nb for nb in notebooks if nb["student"] == "dan")
        shown = formgrader(base, f"submissions/{dan['id']}", page=True)
        assert "Not graded: " in shown and "kernel died" in shown
        assert "_exit" in shown
        ada = next(nb for nb in notebooks if nb["student"] == "ada")
        grades = {
            g["name"]: g for g in formgrader(base, f"grades?submission_id={ada['id']}")
        }
        assert grades[WRITTEN]["auto_score"] is None  # waits for a grader
        # the grading page shows her answer, then the model answer and rubric
        shown = formgrader(base, f"submissions/{ada['id']}", page=True)
        assert "For graders" in shown and "Rubric (2 points)" in shown
        assert _model_answer() in shown and ADA_WRITES in shown
        given = formgrader(
            base, f"grade/{grades[WRITTEN]['id']}", {"manual_score": 1.5}
        )
        assert given["manual_score"] == 1.5
    # The same command again grades nothing twice; recording every result again
    # makes the late penalty (2 days: 20%) cover the written answer's points too.
    before = (root / "out" / UNIT / "ada" / "result.json").read_bytes()
    with in_nbgrader_env():
        _grade(root, course, jobs=1)
    assert (root / "out" / UNIT / "ada" / "result.json").read_bytes() == before
    row = _export(course)["ada"]
    assert float(row["late_submission_penalty"]) == pytest.approx(
        0.2 * (results["ada"]["score"] + 1.5)
    )
    (root / "out" / UNIT / "ada" / "result.json").unlink()  # force a regrade
    with in_nbgrader_env():
        again = _grade(root, course, jobs=1)
    ada = next(r for r in again if r["student"] == "ada")
    row = _export(course)["ada"]
    assert float(row["manual_score"]) == 1.5
    assert float(row["raw_score"]) == pytest.approx(ada["score"] + 1.5)
    assert float(row["late_submission_penalty"]) == pytest.approx(
        0.2 * (ada["score"] + 1.5)
    )
