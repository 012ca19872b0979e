"""nbgrader autograde without a false "checksum has changed" for honest work.

nbgrader stores each test cell's source and checksum *with* its hidden tests
(generate_assignment computes them before it clears the hidden region), while the
student's copy has the hidden region cleared. So ``OverwriteCells`` finds every
test cell with hidden tests "changed" in every honest submission, warns, and puts
the full source back (which is how hidden tests reach the graded notebook):
jupyter/nbgrader#1961. ``RestoreHiddenTests`` puts that source back first, but
only where the student's cell is exactly the release's (the stored source with
its hidden region cleared): then the checksums agree and no warning is given. A
cell the student did change is left to ``OverwriteCells``, which still warns, as
it should."""

from __future__ import annotations

import nbformat
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells


class RestoreHiddenTests(OverwriteCells):
    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and cell.cell_type == "code":
            try:
                stored = self.gradebook.find_source_cell(
                    grade_id, self.notebook_id, self.assignment_id
                )
            except Exception:  # noqa: BLE001 -- nbgrader reports a missing cell
                stored = None
            if stored is not None and stored.locked:
                released = _as_released(stored.source)
                if released != stored.source and _same(cell.source, released):
                    cell.source = stored.source
        return super().preprocess_cell(cell, resources, cell_index)


def _as_released(source: str) -> str:
    """``source`` as generate_assignment released it: hidden region cleared."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True}
    cleared, _ = ClearHiddenTests().preprocess_cell(cell, {}, 0)
    return cleared.source


def _same(a: str, b: str) -> bool:
    """Equal but for trailing whitespace at line ends (what editors strip)."""
    return [line.rstrip() for line in a.strip().splitlines()] == [
        line.rstrip() for line in b.strip().splitlines()
    ]
