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
