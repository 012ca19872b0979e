"""`course.py insight` and `course.py similar` on a class graded by `course.py
grade` (the class of test_class_grading) and on one graded by `nbgrader
autograde` (a scratch course): the pages, their CSV files, the misconceptions
taken from the recorded verdicts, and the insight page in Chromium."""

from __future__ import annotations

import csv

import pytest

from conftest import REPO
from grading import notebook
from grading.insight import page as insight
from grading.insight import similar, stats
from grading.insight.data import Graded, UnitClass

UNIT = "01_knn"
NAME = "knn.ipynb"


def _toy_class() -> UnitClass:
    """Six students of a two-answer unit: test a2 is failed by the strong
    students only (a broken test), test b nobody passes."""
    points = {"test_a": 2.0, "test_a2": 2.0, "test_b": 1.0}
    answers = {"a": ["test_a", "test_a2"], "b": ["test_b"]}
    rows = [(2, 0, 0), (2, 0, 0), (2, 2, 0), (0, 2, 0), (0, 2, 0), (2, 0, 0)]
    graded = [
        Graded(
            f"s{i}",
            "toy",
            "graded",
            scores={"test_a": a, "test_a2": a2, "test_b": b},
            verdicts={
                "test_b": {
                    "error": "CheckFailed",
                    "message": "b is wrong",
                    "hint": "a missing sqrt?",
                }
            },
            seconds=10.0 + i,
        )
        for i, (a, a2, b) in enumerate(rows)
    ]
    graded.append(
        Graded(
            "late",
            "toy",
            "not graded",
            "a cell ran over the 120 s limit per cell",
            seconds=130.0,
        )
    )
    return UnitClass("toy", points, answers, graded, "course.py grade")


def test_item_analysis_flags_hard_and_flat_items():
    found = {i.name: i for i in stats.items(_toy_class())}
    assert (
        found["test_b"].full == 0 and "almost nobody passes" in found["test_b"].flags[0]
    )
    assert found["test_a2"].discrimination < 0
    assert any("discrimination" in f for f in found["test_a2"].flags)
    assert found["test_a"].partial == 0 and found["test_a"].full == pytest.approx(4 / 6)
    assert found["a"].kind == "answer" and found["a"].points == 4.0


def test_misconceptions_are_ranked_by_students():
    ranked = stats.misconceptions(_toy_class())
    assert ranked[0].answer == "b" and len(ranked[0].students) == 6
    assert ranked[0].hint == "a missing sqrt?"


def test_timing_finds_outliers_and_limits():
    times = stats.timing(_toy_class())
    assert times["outliers"] == [("late", 130.0)]
    assert times["limits"][0][0] == "late"


def check_insight_pages(out, unit):
    html = (out / f"{unit}.html").read_text()
    for section in ("Score distribution", "Item analysis", "Misconceptions", "Timing"):
        assert section in html
    assert "<script" not in html and "http" not in html.replace("https://", "")
    for name in ("scores", "items", "misconceptions", "timing"):
        with open(out / f"{unit}-{name}.csv") as f:
            assert next(csv.reader(f))
    return html


@pytest.mark.slow
def test_insight_and_similar_on_a_class_graded_by_nbgrader(scratch_course, tmp_path):
    course = scratch_course(UNIT)
    release = notebook.read(REPO / "assignments" / UNIT / NAME)
    solution = notebook.read(REPO / "solutions" / UNIT / NAME)
    wrong = notebook.solution_sources(solution)["compute_distances_no_loops"].replace(
        "    np.maximum(dists, 0.0, out=dists)\n", ""
    )
    for student, overrides in [
        ("insight-right", None),
        ("insight-wrong", {"compute_distances_no_loops": wrong}),
        ("insight-copy", {"compute_distances_no_loops": wrong}),
    ]:
        nb = notebook.submission(release, solution, overrides, keep_demo=False)
        course.submit(student, UNIT, {NAME: nb})
    course.autograde(UNIT, "insight-*")
    insight.write(course.root, tmp_path / "insight", [UNIT])
    html = check_insight_pages(tmp_path / "insight", UNIT)
    assert "nbgrader autograde" in html
    assert "clip the squared distances at 0" in html  # the wrong answer's hint
    assert (
        similar.main([str(course.root), "--unit", UNIT, "--out", str(tmp_path / "s")])
        == 0
    )


def test_the_insight_page_opens_from_a_file_in_chromium(tmp_path, browser):
    page_html, _ = insight.unit_page(_toy_class())
    path = tmp_path / "toy.html"
    path.write_text(page_html)
    with browser.new_context() as context:
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file://", "data:"))
                else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(path.as_uri())
        figures = page.evaluate(
            "[...document.images].map(i => i.complete && i.naturalWidth > 0)"
        )
        tables = page.locator("table").count()
        headings = page.locator("h2").all_inner_texts()
    assert figures == [True, True, True]
    assert tables >= 5
    assert headings == [
        "Score distribution",
        "Item analysis",
        "Misconceptions",
        "Timing and limits",
    ]


def test_similar_finds_the_planted_copies_and_flags_no_independent_pair():
    from benchmarks import similarity_class

    pairs, short = similar.compare(similarity_class.build(), similar.starter_code(UNIT))
    planted = {tuple(sorted(p)) for p in similarity_class.PLANTED}
    top = {(p.a, p.b) for p in pairs[: len(planted)]}
    assert top == planted
    for p in pairs[len(planted) :]:
        assert p.score < similar.FLAG and all(
            s < similar.FLAG for s in p.answers.values()
        )
    assert len(short["best_k"]) == 8  # one line each: too short to score


def test_the_side_by_side_page_shows_code_as_text(tmp_path):
    answers = {
        "eve": {"a": "def f(x):\n    return '<script>alert(1)</script>' + x * 2 + 3\n"},
        "mal": {"a": "def g(y):\n    return '<script>alert(1)</script>' + y * 2 + 3\n"},
    }
    pair = similar.Pair("eve", "mal", 1.0, {"a": 1.0})
    html = similar._pair_page("toy", pair, answers)
    assert "<script>" not in html and "&lt;script&gt;" in html
