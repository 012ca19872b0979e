"""Feedback HTML explains failures without showing hidden tests."""

from __future__ import annotations

import pytest

from conftest import REPO
from grading import feedback, notebook
from grading.feedback import strip_hidden

pytestmark = pytest.mark.slow


def test_strip_hidden_keeps_the_visible_part():
    source = "visible()\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS"
    stripped, found = strip_hidden(source)
    assert found and "secret" not in stripped and "visible()" in stripped


def test_feedback_has_the_message_but_no_hidden_code(scratch_course):
    """A wrong answer that fails a hidden test: its feedback names the failure only."""
    unit, name = "01_knn", "knn.ipynb"
    course = scratch_course(unit)
    release = notebook.read(REPO / "assignments" / unit / name)
    solution = notebook.read(REPO / "solutions" / unit / name)
    code = notebook.solution_sources(solution)["compute_distances_no_loops"].replace(
        "    np.maximum(dists, 0.0, out=dists)\n", ""
    )
    submission = notebook.submission(
        release, solution, {"compute_distances_no_loops": code}, keep_demo=False
    )
    course.submit("feedback-student", unit, {name: submission})
    course.nbgrader("autograde", unit, "--student", "feedback-student", "--force")
    course.nbgrader(
        "generate_feedback", unit, "--student", "feedback-student", "--force"
    )
    html = (
        course.root
        / "feedback"
        / "feedback-student"
        / unit
        / name.replace(".ipynb", ".html")
    ).read_text()
    assert "clip the squared distances at 0" in html  # the failed check's hint
    assert "CheckFailed" in html
    assert "default_rng(103)" not in html  # code from the hidden tests
    assert "BEGIN HIDDEN TESTS" not in html


def test_student_html_is_sanitised_even_when_it_looks_highlighted():
    """Markdown (a written answer) and HTML outputs come from the student: a
    script wrapped to look like the highlighter's output is still removed."""
    import nbformat

    disguised = '<div class=" highlight"><script>alert("feedback")</script></div>'
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python"}
    code = nbformat.v4.new_code_cell("x = 1  # <script>shown as code</script>")
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": disguised})
    ]
    nb.cells = [nbformat.v4.new_markdown_cell(disguised), code]
    page = feedback.render(nb)
    assert '<script>alert("feedback")' not in page
    assert "shown as code" in page  # the code cell itself is still there, escaped


def _graded_page(tmp_path) -> tuple[str, dict]:
    """The feedback page course.py grade writes for a notebook of 01_knn: the
    course's markdown (headings, a table), eve's written answer full of payloads,
    and an HTML output that tries to run script."""
    import nbformat
    from test_gradebook import EVE_WRITES, WRITTEN

    solution = notebook.read(REPO / "solutions" / "01_knn" / "knn.ipynb")
    nb = nbformat.from_dict(solution)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN:
            cell.source = EVE_WRITES
        if cell.cell_type == "code":
            cell.outputs = []
    payload = "<img src=x onerror=\"document.body.setAttribute('data-xss-out','')\">"
    nb.cells[-1].outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": payload})
    ]
    scores = {t: p for t, p in notebook.test_points(solution).items()}
    first = next(iter(scores))
    scores[first] = 0.0
    page = feedback.render(nb, scores)
    path = tmp_path / "feedback.html"
    path.write_text(page)
    return page, {"path": path, "failed": first, "scores": scores}


def test_the_page_has_the_score_and_the_courses_markup(tmp_path):
    page, about = _graded_page(tmp_path)
    total = sum(about["scores"].values())
    out_of = sum(
        notebook.test_points(
            notebook.read(REPO / "solutions" / "01_knn" / "knn.ipynb")
        ).values()
    )
    assert f"Score: {total:g} / {out_of:g}" in page
    assert f"{about['failed']} failed" in page
    assert "&lt;h1" not in page and "&lt;table" not in page and "&lt;p&gt;" not in page
    assert "<h1" in page and "<table" in page


def test_not_graded_pages_give_advice_that_fits(tmp_path):
    for reason, words in [
        ("not a readable notebook (JSONDecodeError: x)", "not a Jupyter notebook"),
        ("a cell ran over the 120 s limit per cell", "loop that never ends"),
        ("no knn.ipynb in the submission", "under its own name"),
        ("it printed more than 1024 KB", "print calls inside loops"),
    ]:
        page = feedback.not_graded_page(
            {"unit": "01_knn", "student": "ann", "reason": reason}
        )
        assert words in page and "<style>" in page, reason
        assert ("Restart Kernel and Run All" in page) == ("limit per cell" in reason)


def test_the_page_renders_in_chromium_and_runs_no_payload(tmp_path, browser):
    _, about = _graded_page(tmp_path)
    with browser.new_context() as context:
        context.route(  # the page alone: no network, no CDN
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file://")
                else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(about["path"].as_uri())
        page.wait_for_selector("#course-score table")
        page.wait_for_timeout(1000)  # time for any onload/onerror to fire
        headings = page.locator("h1:visible, h2:visible, h3:visible").count()
        tables = page.locator("table:visible").count()
        ran = page.evaluate(
            "document.body.getAttributeNames().filter(a => /^data-xss/.test(a))"
        )
        text = page.inner_text("body")
    assert headings >= 5 and tables >= 2, (headings, tables)
    assert ran == []
    assert "onerror=" in text  # eve's markup shown as text, not run
    assert "<h1" not in text and "<table" not in text  # no markup shown raw
