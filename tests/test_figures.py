"""lib.figures and the benchmark's collection of them: a demo's recorded figures
come back from a real kernel as rows of the benchmark table."""

from __future__ import annotations

import math

import nbformat
import pytest

from benchmarks import notebooks
from lib import figures


@pytest.fixture(autouse=True)
def _empty():
    figures.clear()
    yield
    figures.clear()


def test_record_keeps_order_and_the_last_value_of_a_label():
    figures.record("a", 1)
    figures.record("b", 2.5, ">= 2")
    figures.record("a", True)
    assert figures.recorded() == [("a", 1.0, ""), ("b", 2.5, ">= 2")]
    assert figures.from_json(figures.as_json()) == figures.recorded()


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_value_that_is_not_finite_is_refused(value):
    with pytest.raises(ValueError, match="finite"):
        figures.record("x", value)


def test_a_target_the_table_cannot_read_is_refused():
    with pytest.raises(ValueError, match="must look like"):
        figures.record("x", 1.0, "at least 2")


def test_the_benchmark_reads_the_figures_a_notebook_recorded(tmp_path):
    path = tmp_path / "demo.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from lib import figures\n"
            "print('a demo that prints too')\n"
            "figures.record('demo: speed-up', 4.25, '>= 2')"
        )
    ]
    nbformat.write(nb, path)
    assert notebooks._execute(path) == [("demo: speed-up", 4.25, ">= 2")]
