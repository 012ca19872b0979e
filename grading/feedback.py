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


# What to do, by what the reason says (the first that matches), for the page of
# a submission that could not be graded.
ADVICE = (
    (
        "not a readable notebook",
        "The file you handed in is not a Jupyter notebook. Hand in the .ipynb file "
        "itself, as JupyterLab saves it (File > Save Notebook): not a PDF, an HTML "
        "export, a zip or a copy renamed to .ipynb.",
    ),
    (
        "in the submission",
        "No notebook of this unit was found in what you handed in. Hand in the "
        "unit's notebook under its own name (for example knn.ipynb).",
    ),
    (
        "MB limit per notebook",
        "The notebook is too large, almost always because of its outputs (images, "
        "long printouts). Use Edit > Clear Outputs of All Cells, save, and hand it "
        "in again.",
    ),
    (
        "limit per cell",
        "One cell ran too long: look for a loop that never ends, or work that is "
        "far slower than it needs to be (a Python loop where the exercise asks "
        "for array operations). Time your cells with Kernel > Restart Kernel and "
        "Run All Cells before handing in.",
    ),
    (
        "limit per notebook",
        "The whole notebook ran too long. Run Kernel > Restart Kernel and Run All "
        "Cells and see which cells are slow; the exercises need seconds each.",
    ),
    (
        "memory",
        "Your code ran out of memory. Look for arrays far larger than the data "
        "(an (N, N, D) array where (N, D) is enough, a copy made in a loop).",
    ),
    (
        "printed more than",
        "Your code printed too much: remove print calls inside loops.",
    ),
    (
        "too much data",
        "An answer returned far too much data: return NumPy arrays of the sizes the "
        "exercise gives, not huge nested lists.",
    ),
)
DEFAULT_ADVICE = (
    "Fix what the reason names, check that every cell runs in order in a fresh "
    "kernel (Kernel > Restart Kernel and Run All Cells), then hand it in again or "
    "ask your instructor."
)
_PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46em;margin:3em auto;"
    "padding:0 1em;line-height:1.5;color:#222}h1{font-size:1.6em}"
    ".reason{background:#fdecea;border-left:4px solid #c62828;padding:.6em 1em}"
)


def advice(reason: str) -> str:
    """What a student should do about a not-graded ``reason``."""
    for words, text in ADVICE:
        if words in reason:
            return text
    return DEFAULT_ADVICE


def not_graded_page(result: dict) -> str:
    """The feedback page of a submission that could not be graded: why, and what
    to do about that reason, instead of no page at all."""
    from html import escape

    raw = result.get("reason", "").rstrip(". ") or "no reason recorded"
    reason = escape(raw)
    unit, student = escape(result["unit"]), escape(result["student"])
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{unit}: not graded</title><style>{_PAGE_STYLE}</style></head>"
        f"<body>\n<h1>{unit}: not graded</h1>\n<p>The notebook {student} handed in "
        f"could not be graded:</p>\n<p class='reason'><strong>{reason}</strong>.</p>"
        "\n<p>No test ran to the end, so there is no score yet.</p>\n"
        f"<h2>What to do</h2>\n<p>{escape(advice(raw))}</p>\n</body></html>\n"
    )


_RENDER_LOCK = threading.Lock()

# What the page keeps of rendered markdown and HTML outputs (nh3, an explicit
# allow-list): the course's headings, paragraphs, lists, tables, emphasis, code
# and links; never a script, a style, an event handler or a javascript: URL.
ALLOWED_TAGS = {
    *(f"h{i}" for i in range(1, 7)),
    *[
        "p",
        "br",
        "hr",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "sub",
        "sup",
        "code",
        "pre",
        "kbd",
        "blockquote",
    ],
    *[
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
    ],
    *["a", "img", "span", "div", "details", "summary", "figure", "figcaption"],
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "data"}


def sanitise(html: str) -> str:
    """``html`` with only what ALLOWED_TAGS and ALLOWED_ATTRIBUTES keep."""
    import nh3

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render(
    nb, scores: dict[str, float] | None = None, written: dict | None = None
) -> str:
    """The feedback page (HTML) of a graded notebook, without hidden tests, with
    the score at the top (``scores``: test -> points, as graded; read from the
    cells' errors where not given). The student's written answers are shown as
    inert text. One exporter serves the whole process: its templates and lexers
    are built once."""
    from grading import safe_html

    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if _is_written(cell):  # the student's markdown: shown, never run
            cell.source = safe_html.inert_markdown(cell.source)
    summary = score_summary(nb, scores, written)
    with _RENDER_LOCK:
        page = _exporter().from_notebook_node(nb)[0]
    return _after_body(page, summary)


def _is_written(cell) -> bool:
    from grading import notebook

    return notebook.is_written_cell(cell)


def _after_body(page: str, html: str) -> str:
    import re

    found = re.search(r"<body[^>]*>", page)
    if found is None:
        return html + page
    return page[: found.end()] + "\n" + html + page[found.end() :]


def test_verdicts(nb, scores: dict[str, float] | None = None) -> dict[str, float]:
    """test -> points, read from the graded cells: full points when the cell
    raised no error (``scores`` wins where given)."""
    from grading import notebook, verdicts

    points = notebook.test_points(nb)
    failed = verdicts.verdicts(nb)  # the same reading of the outputs as insight's
    got = {gid: 0.0 if gid in failed else p for gid, p in points.items()}
    if scores:
        got.update({k: float(v) for k, v in scores.items() if k in points})
    return got


def score_summary(
    nb, scores: dict[str, float] | None = None, written: dict | None = None
) -> str:
    """The top of the feedback page: the total, then each answer's points with
    the verdict of each of its tests, as nbgrader's feedback gives them."""
    from html import escape

    from grading import notebook

    points = notebook.test_points(nb)
    got = test_verdicts(nb, scores)
    rows = []
    for answer, tests in notebook.tests_by_answer(nb).items():
        mine = [t for t in tests if t in got]
        if not mine:
            continue
        have = sum(got[t] for t in mine)
        out_of = sum(points[t] for t in mine)
        verdicts = ", ".join(
            f"{escape(t)} {'passed' if got[t] == points[t] else 'failed'}" for t in mine
        )
        rows.append(
            f"<tr><td><code>{escape(answer)}</code></td>"
            f"<td>{have:g} / {out_of:g}</td><td>{verdicts}</td></tr>"
        )
    cells = [c for c in nb.cells if notebook.is_written_cell(c)]
    blank = {k for k, w in (written or {}).items() if not w.get("answered", True)}
    manual = 0.0
    for cell in cells:
        meta = cell.metadata["nbgrader"]
        gid, worth = str(meta.get("grade_id", "")), float(meta.get("points", 0))
        if gid in blank:  # 0 at once, as nbgrader scores an unchanged answer
            score, what = f"0 / {worth:g}", "a written answer, left blank"
        else:
            score, what = f"? / {worth:g}", "a written answer: graded by hand"
            manual += worth
        rows.append(f"<tr><td>{escape(gid)}</td><td>{score}</td><td>{what}</td></tr>")
    total = sum(got.values())
    out_of = sum(points[t] for t in got)
    extra = f" (plus {manual:g} points for written answers, graded by hand)"
    return (
        "<div id='course-score' style='margin:1em 2em;font-family:sans-serif'>"
        f"<h2>Score: {total:g} / {out_of:g}{extra if manual else ''}</h2>"
        "<table><thead><tr><th>answer</th><th>points</th><th>tests</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


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
        return sanitise(html)

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
