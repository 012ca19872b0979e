"""One scoring rule for both grading paths: text on stderr is not an error.

nbgrader scores a test cell 0 when its output holds an error *or any text on
stderr*, so a correct answer that emits one ``UserWarning`` would lose the test's
points under ``nbgrader autograde`` while ``course.py grade`` (which counts errors
only) keeps them. This preprocessor runs in nbgrader's autograde pipeline right
after ``Execute`` (``nbgrader_config.py``) and turns every stderr stream into a
stdout stream with the same text, so the warning stays visible in the graded
notebook and the feedback, and only a raised error costs points.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

STDERR_LABEL = "[stderr] "


def stderr_as_text(outputs: list) -> list:
    """The outputs with each stderr stream re-labelled as stdout (text kept)."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            text = output.get("text", "")
            lines = "".join(STDERR_LABEL + line for line in text.splitlines(True))
            output = {**output, "name": "stdout", "text": lines}
        kept.append(output)
    return kept


class StderrIsNotAnError(NbGraderPreprocessor):
    """Re-label stderr output as stdout so that nbgrader scores only errors."""

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code":
            from nbformat import from_dict

            cell.outputs = [from_dict(o) for o in stderr_as_text(cell.outputs)]
        return cell, resources
