"""The course's late rule, and the submission times the class grader reads."""

from __future__ import annotations

import datetime
import zipfile

import pytest

from grading import late
from grading.classroom import collect


@pytest.mark.parametrize(
    "seconds, days", [(0, 0), (-5, 0), (1, 1), (86400, 1), (86401, 2), (10 * 86400, 10)]
)
def test_a_part_day_counts_as_a_day(seconds, days):
    assert late.days_late(seconds) == days


@pytest.mark.parametrize("seconds, off", [(0, 0.0), (3600, 4.0), (3 * 86400, 12.0)])
def test_ten_percent_a_day_up_to_half(seconds, off):
    assert late.penalty(40.0, seconds, 0.1, 0.5) == pytest.approx(off)
    assert late.penalty(40.0, 30 * 86400, 0.1, 0.5) == pytest.approx(20.0)


def test_nbgrader_config_names_the_plugin_with_the_rule():
    from nbgrader.preprocessors import AssignLatePenalties
    from traitlets.config.loader import PyFileConfigLoader

    from grading.layout import ROOT
    from grading.plugins import PerDayPenalty

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assign = AssignLatePenalties(config=config)
    assign.init_plugin()
    assert isinstance(assign.plugin_inst, PerDayPenalty)
    assert assign.plugin_inst.late_submission_penalty("s", 40.0, 90000) == 8.0


def test_timestamps_come_from_nbgrader_files_and_lms_zips(tmp_path):
    folder = tmp_path / "submitted" / "ada" / "01_knn"
    folder.mkdir(parents=True)
    (folder / "knn.ipynb").write_text("{}")
    (folder / "timestamp.txt").write_text("2026-11-30 10:15:00.000000 Europe/Paris")
    (sub,) = collect.collect(tmp_path, {"01_knn": "knn.ipynb"}, tmp_path / "in")
    assert sub.timestamp == datetime.datetime(2026, 11, 30, 9, 15, tzinfo=datetime.UTC)
    archive = tmp_path / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            zipfile.ZipInfo("jdoe_LATE_12_345_knn.ipynb", (2026, 12, 1, 8, 0, 0)), "{}"
        )
        z.writestr(
            zipfile.ZipInfo("slee_13_346_knn.ipynb", (2026, 11, 27, 8, 0, 0)), "{}"
        )
    found = {
        s.student: s
        for s in collect.collect(archive, {"01_knn": "knn.ipynb"}, tmp_path / "in")
    }
    assert found["jdoe"].marked_late and not found["slee"].marked_late
    assert found["jdoe"].timestamp == datetime.datetime(
        2026, 12, 1, 8, 0, tzinfo=datetime.UTC
    )
