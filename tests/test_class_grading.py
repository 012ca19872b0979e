"""`course.py grade` on a synthetic class of 42 submissions across every unit:
correct, blank, partly wrong, broken files, and every attack of issue 7, graded end
to end (two at a time), interrupted, resumed, and checked line by line."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from html import escape, unescape

import pytest
from class_submissions import build

from grading import feedback, layout, notebook
from grading.classroom import collect, report, runner
from grading.classroom.limits import Limits

LIMITS = Limits(cell_seconds=30, notebook_seconds=200, memory_mb=4096, output_kb=1024)


def _limit_args(limits: Limits) -> list[str]:
    return [
        arg
        for k, v in limits.as_dict().items()
        for arg in (f"--{k.replace('_', '-')}", str(v))
    ]


def test_collect_reads_canvas_and_moodle_names_from_a_zip(tmp_path):
    inbox = tmp_path / "lms"
    inbox.mkdir()
    (inbox / "smithj_12_345_knn.ipynb").write_text("{}")
    (inbox / "smithj_LATE_12_346_knn-1.ipynb").write_text("{}")
    (inbox / "smithj_12_347_notes.txt").write_text("")
    moodle = inbox / "Ada Lovelace_77_assignsubmission_file_"
    moodle.mkdir()
    (moodle / "linear.ipynb").write_text("{}")
    (inbox / "random.ipynb").write_text("{}")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in inbox.rglob("*"):
            z.write(path, path.relative_to(inbox))
        z.writestr("../escape.ipynb", "{}")  # never unpacked outside the inbox
    found = collect.collect(
        archive,
        {"01_knn": "knn.ipynb", "02_linear": "linear.ipynb"},
        tmp_path / "inbox",
    )
    by_student = {(s.student, s.unit): s for s in found}
    assert set(by_student) == {("smithj", "01_knn"), ("ada-lovelace-77", "02_linear")}
    knn = by_student["smithj", "01_knn"]
    assert knn.notebook.name == "smithj_LATE_12_346_knn-1.ipynb"  # the latest
    assert "smithj_12_347_notes.txt" in knn.ignored
    assert not (tmp_path / "escape.ipynb").exists()


def _wait_for_results(out, count, proc, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = list(out.glob("*/*/result.json"))
        if len(done) >= count or proc.poll() is not None:
            return done
        time.sleep(1)
    raise TimeoutError("no results appeared")


def _grade_the_class(tmp_path_factory):
    """Grade the class, interrupt the run, resume it; (expected, results, out,
    mtimes of the results written before the interruption)."""
    root = tmp_path_factory.mktemp("class")
    expected = build(root)
    out = root / "graded"
    env = dict(os.environ, PYTHONPATH=str(runner.REPO))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "grading.classroom.runner",
            str(root),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--no-gradebook",  # the gradebook is tested in test_gradebook.py
            *_limit_args(LIMITS),
        ],
        cwd=runner.REPO,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    done = _wait_for_results(out, 6, proc)
    os.kill(proc.pid, signal.SIGTERM)  # the runner ends its workers and stops
    proc.wait(timeout=60)
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/*/result.json")}
    assert len(before) >= len(done) >= 6
    results = runner.grade_class(root, out, jobs=2, limits=LIMITS, progress=False)
    return expected, results, out, before


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """The class, graded once per run. The tests below share one xdist group, so
    one worker grades the class and runs them, while the others go on."""
    return _grade_the_class(tmp_path_factory)


IN_THE_CLASS = pytest.mark.xdist_group("graded-class")


@pytest.mark.slow
@IN_THE_CLASS
def test_every_submission_gets_what_it_deserves(graded_class):
    expected, results, out, _ = graded_class
    assert len(expected) >= 40
    got = {r["student"]: r for r in results}
    assert set(got) == set(expected)
    for student, want in expected.items():
        r = got[student]
        assert r["unit"] == want.unit, student
        lines = "\n".join(report.report_lines(r))
        if want.score is None:
            assert r["status"] == "not graded", (student, lines)
            assert want.reason in r["reason"], (student, lines)
        else:
            assert r["status"] == "graded", (student, lines)
            assert r["score"] == pytest.approx(want.score), (student, lines)
        for text in want.report:
            assert text in lines, (student, text, lines)


@pytest.mark.slow
@IN_THE_CLASS
def test_correct_submissions_keep_full_marks_beside_the_attacks(graded_class):
    expected, results, _, _ = graded_class
    for r in results:
        if r["student"].startswith("correct"):
            assert r["score"] == r["max_score"] > 0, r
            assert not r.get("tampering") and not r.get("integrity"), r
    # Six correct 01_knn submissions and one of every other unit.
    units = layout.units()
    assert sum(r["student"].startswith("correct") for r in results) == 5 + len(units)


@pytest.mark.slow
@IN_THE_CLASS
def test_csv_and_report_tell_scored_zero_from_not_graded(graded_class):
    _, results, out, _ = graded_class
    with open(out / "grades.csv") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert rows["blank"]["status"] == "scored" and rows["blank"]["score"] == "0"
    assert rows["garbage"]["status"] == "not graded"
    assert rows["garbage"]["score"] == "" and rows["garbage"]["reason"]
    assert "patches checks.check_close" in rows["patch-checks"]["tampering"]
    report = (out / "report.txt").read_text()
    assert f"{len(results)} submissions:" in report
    assert "blank / 01_knn: 0 of 34" in report
    assert "os-exit / 01_knn: not graded: the kernel died" in report


@pytest.mark.slow
@IN_THE_CLASS
def test_work_that_could_not_be_graded_gets_a_page_saying_why(graded_class):
    _, results, out, _ = graded_class
    not_graded = [r for r in results if r["status"] == "not graded"]
    assert len(not_graded) >= 5
    for r in not_graded:
        page = (out / r["unit"] / r["student"] / "feedback.html").read_text()
        assert "not graded" in page and escape(r["reason"].rstrip(". ")) in page


@pytest.mark.slow
@IN_THE_CLASS
def test_feedback_has_no_hidden_tests(graded_class):
    _, _, out, _ = graded_class
    solution = notebook.read(runner.REPO / "solutions" / "01_knn" / "knn.ipynb")
    hidden_lines, shown_lines = set(), set()
    for cell in solution.cells:
        shown, had = feedback.strip_hidden(cell.source)
        shown_lines |= {line.strip() for line in shown.splitlines()}
        if had:
            hidden_lines |= {
                line.strip()
                for line in cell.source.splitlines()
                if len(line.strip()) > 30
            }
    hidden_lines -= shown_lines  # lines only the hidden tests have
    assert hidden_lines
    for student in ("correct0", "blank", "wrong-sqrt"):
        page = (out / "01_knn" / student / "feedback.html").read_text()
        # Code is syntax-highlighted: compare the text, without tags and escapes.
        html = unescape(re.sub(r"<[^>]+>", "", page))
        assert "BEGIN HIDDEN TESTS" not in html
        assert "__grading_guard__" not in html
        leaked = [line for line in hidden_lines if line in html]
        assert not leaked, leaked[:3]


@pytest.mark.slow
@IN_THE_CLASS
def test_an_interrupted_run_resumes_without_regrading(graded_class):
    expected, results, out, before = graded_class
    for path, mtime in before.items():
        assert path.stat().st_mtime_ns == mtime, f"{path} was graded again"
    assert len(list(out.glob("*/*/result.json"))) == len(expected)
    again = runner.grade_class(out.parent, out, jobs=2, limits=LIMITS, progress=False)
    assert [r["score"] for r in again] == [r["score"] for r in results]
    assert "(0 graded in this run)" in (out / "report.txt").read_text()
    result = json.loads((out / "01_knn" / "correct0" / "result.json").read_text())
    assert result["limits"] == LIMITS.as_dict()


def test_written_answers_are_reported_as_needing_manual_grading(tmp_path):
    """Never as 0 and never as full marks while answered: the score covers the
    autograded tests, and the report and grades.csv list the written points still
    to grade. A written answer left blank scores 0 at once, as nbgrader autograde
    and formgrader score it (one rule on both paths)."""
    result = {
        "student": "ada",
        "unit": "01_knn",
        "status": "graded",
        "score": 30.0,
        "max_score": 34.0,
        "written": {
            "written_negative_distances": {"points": 2.0, "answered": True},
            "written_other": {"points": 3.0, "answered": False},
        },
    }
    lines = report.report_lines(result)
    assert lines[0] == "ada / 01_knn: 30 of 34"
    assert (
        "  written answer written_negative_distances: needs manual grading "
        "(2 points, not in the score above)" in lines
    )
    assert (
        "  written answer written_other: left blank, 0 of 3 points (nothing to grade "
        "by hand)" in lines
    )
    report.write_csv([result], tmp_path / "grades.csv")
    with open(tmp_path / "grades.csv") as f:
        row = next(csv.DictReader(f))
    assert row["score"] == "30" and row["max_score"] == "34"
    assert row["manual_points"] == "2"


@pytest.mark.slow
@IN_THE_CLASS
def test_insight_and_similar_on_a_class_graded_by_course_py(graded_class, tmp_path):
    _, results, out, _ = graded_class
    from test_insight import check_insight_pages

    from grading.insight import page as insight
    from grading.insight import similar

    written = insight.write(out, tmp_path / "insight", ["01_knn"])
    assert [p.name for p in written] == ["01_knn.html"]
    html = check_insight_pages(tmp_path / "insight", "01_knn")
    assert "course.py grade" in html
    # the class's wrong answers: their messages are ranked among the misconceptions
    with open(tmp_path / "insight" / "01_knn-misconceptions.csv") as f:
        ranked = list(csv.DictReader(f))
    answers = {a for r in results if r["unit"] == "01_knn" for a in r.get("scores", {})}
    assert ranked and all(r["message"] for r in ranked)
    assert all(f"test_{r['answer']}" in " ".join(answers) for r in ranked)
    assert int(ranked[0]["students"]) >= int(ranked[-1]["students"])
    assert (
        similar.main([str(out), "--unit", "01_knn", "--out", str(tmp_path / "s")]) == 0
    )
    assert (tmp_path / "s" / "01_knn.html").exists()


class _FlakyClient:
    """A NotebookClient whose kernel dies before answering the first ``dies``
    times it starts."""

    def __init__(self, dies: int):
        self.dies, self.starts, self.km, self.kc = dies, 0, None, None

    def create_kernel_manager(self):
        class Manager:
            has_kernel = True

            def shutdown_kernel(self, now=False):
                self.has_kernel = False

        return Manager()

    def start_new_kernel(self, **start):
        self.starts += 1

    def start_new_kernel_client(self):
        if self.starts <= self.dies:
            raise RuntimeError("Kernel died before replying to kernel_info")
        self.kc = "client"


def test_a_kernel_that_dies_at_start_is_started_again():
    """Two workers starting kernels at once can race for a port: the kernel dies
    before the submission runs anything, so the worker starts another."""
    from grading.classroom import worker

    client = _FlakyClient(dies=2)
    worker.start_kernel(client, cwd="/tmp", env={})
    assert client.starts == 3 and client.kc == "client"
    stubborn = _FlakyClient(dies=3)
    with pytest.raises(RuntimeError, match="kernel_info"):
        worker.start_kernel(stubborn, cwd="/tmp", env={})
    assert stubborn.starts == 3
