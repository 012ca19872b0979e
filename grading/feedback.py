"""Feedback that never shows hidden tests (nor the graders' model answers and rubrics).

nbgrader's feedback HTML is the autograded notebook, hidden tests and their
tracebacks included. ``HideHiddenTests`` runs before the HTML export (see
nbgrader_config.py, and ``render`` for ``course.py grade``): nbgrader's own
``ClearHiddenTests`` removes the hidden region from every test cell's source (a
comment marks where it was), and each error in such a cell is cut down to its last
line, the check's own message (what failed, expected vs got, a hint), which is what
a student needs.
"""

from __future__ import annotations

import threading

import nbformat
from nbgrader.preprocessors import ClearHiddenTests
from traitlets import Bool

PLACEHOLDER = "# (hidden tests ran here when the notebook was graded)"


GRADERS_ONLY = "graders-only"  # a tag: cells that feedback leaves out


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden test code, the tracebacks that would quote it, and the cells
    for graders only (model answers and rubrics next to written answers)."""

    # nbconvert preprocessors are off unless enabled; this one always runs.
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        nb.cells = [
            c
            for c in nb.cells
            if GRADERS_ONLY not in c.get("metadata", {}).get("tags", [])
        ]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        lines = cell.source.split("\n")
        had_hidden = any(self.begin_test_delimeter in line for line in lines)
        if had_hidden:  # the marker stays, on a line of its own before the region
            cell.source = "\n".join(
                f"{line[: len(line) - len(line.lstrip())]}{PLACEHOLDER}\n{line}"
                if self.begin_test_delimeter in line
                else line
                for line in lines
            )
        cell, resources = super().preprocess_cell(cell, resources, index)
        if had_hidden:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
        return cell, resources


def strip_hidden(source: str) -> tuple[str, bool]:
    """The source without its hidden-test region, and whether there was one."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True}  # hidden tests live in test cells
    hide = HideHiddenTests()
    shown, _ = hide.preprocess_cell(cell, {}, 0)
    return shown.source, hide.begin_test_delimeter in source


def not_graded_page(result: dict) -> str:
    """The feedback page of a submission that could not be graded: why, and what
    to do, instead of no page at all."""
    from html import escape

    reason = escape(result.get("reason", "").rstrip(". ") or "no reason recorded")
    unit, student = escape(result["unit"]), escape(result["student"])
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{unit}: not graded</title></head><body>\n"
        f"<h1>{unit}: not graded</h1>\n<p>The notebook {student} handed in "
        f"could not be graded: <strong>{reason}</strong>.</p>\n"
        "<p>No test ran to the end, so there is no score yet. Fix what the "
        "reason names, check that every cell runs in order in a fresh kernel "
        "(Kernel, Restart and Run All), then hand it in again or ask your "
        "instructor.</p>\n</body></html>\n"
    )


_RENDER_LOCK = threading.Lock()


def render(nb) -> str:
    """The feedback page (HTML) of a graded notebook, without hidden tests. One
    exporter serves the whole process: its templates and lexers are built once."""
    with _RENDER_LOCK:
        return _exporter().from_notebook_node(nb)[0]


_EXPORTER = None


def _exporter():
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = _feedback_exporter_class()(sanitize_html=True)
        _EXPORTER.register_preprocessor(HideHiddenTests(), enabled=True)
    return _EXPORTER


def _feedback_exporter_class():
    """nbconvert's HTML exporter, less two costs of about half a second each per
    page: bleach run again over code that Pygments has already escaped, and a
    BeautifulSoup pass that only adds alt texts and tab stops. Markdown and HTML
    outputs (the student's) are still sanitised: only strings that this page's own
    highlighter produced skip the cleaning, never text that merely looks like its
    output (a student's markdown or HTML output can start with anything)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.strings import clean_html
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    highlighted: set[str] = set()  # this page's Pygments output, already escaped

    class EscapedCode(Highlight2HTML):
        def __call__(self, source, language=None, metadata=None):
            html = super().__call__(source, language, metadata)
            highlighted.add(html)
            return html

    def clean_unless_highlighted(html: str) -> str:
        if html in highlighted:
            return html  # Pygments output: every character of the code is escaped
        return clean_html(html)

    class FeedbackExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name"))
            data_types = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            highlighted.clear()
            code = EscapedCode(pygments_lexer=lexer, parent=self)
            self.register_filter("highlight_code", code)
            self.register_filter("filter_data_type", data_types)
            self.register_filter("clean_html", clean_unless_highlighted)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return FeedbackExporter
