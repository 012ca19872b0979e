"""A student's work as graders' browsers show it, unable to run script there.

Formgrader renders the autograded notebook inside the instructor's Jupyter server,
with nbconvert, which passes raw HTML in markdown and in rich outputs through as
it is. A written answer holding ``<img src=x onerror=...>`` would run script with
the instructor's session: it could start a kernel and rewrite any grade. So before
a notebook reaches ``autograded/`` (``course.py grade``'s record, and the last
step of ``nbgrader autograde``, configured in nbgrader_config.py), ``make_inert``:

- leaves every markdown cell the course wrote (the same text as a cell of the
  release) as it is;
- makes any other markdown cell inert: no raw HTML (a ``<`` that would open a tag
  gets a space after it), no links or images (``](`` and ``]:`` are escaped), no
  ``\\href`` for MathJax. Emphasis, lists, code and math still render, and the
  markup shows as text;
- drops the nbgrader metadata of a cell whose grade_id is not a plain name
  (formgrader writes ids into the page unescaped; nbgrader autograde has already
  refused such a notebook, but a notebook shown as handed in has not been through
  it);
- keeps of each rich output only plain text and PNG, JPEG or GIF images, without
  their metadata (nbconvert writes an image's width into the page unquoted); an
  output with none of these (HTML, SVG, JavaScript, a widget) becomes a line of
  text that says what was left out, and saved widget state goes.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

SAFE_OUTPUTS = ("text/plain", "image/png", "image/jpeg", "image/gif")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")  # what could open an HTML tag or comment
_LINK = re.compile(r"\](\s*)([(:])")  # an inline link, or a link definition
_HREF = re.compile(r"\\href\b")
_GRADE_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")  # what a course's cell ids look like


def inert_markdown(source: str) -> str:
    """``source`` with no raw HTML, link, image or MathJax ``\\href`` left."""
    source = _TAG.sub("< ", source)
    source = _LINK.sub(lambda m: f"]{m[1]}\\{m[2]}", source)
    return _HREF.sub(r"\\text{href}", source)


def _inert_output(output) -> None:
    if output.get("output_type") not in ("display_data", "execute_result"):
        return  # streams and tracebacks: nbconvert shows them as escaped text
    data = output.get("data", {})
    kept = {k: v for k, v in data.items() if k in SAFE_OUTPUTS}
    if not kept:
        left = ", ".join(sorted(data)) or "empty"
        kept = {"text/plain": f"[{left} output not shown: it could run script]"}
    output["data"], output["metadata"] = kept, {}


def _plain_grade_id(meta) -> bool:
    """True for no nbgrader metadata, or metadata whose grade_id (if any) is a
    plain name."""
    if meta is None:
        return True
    return isinstance(meta, dict) and bool(
        _GRADE_ID.match(str(meta.get("grade_id", "-")))
    )


def make_inert(nb, course_cells: set[str] | None = None):
    """``nb`` (changed in place, and returned) safe to open in a grader's browser.
    ``course_cells``: the sources of the release's markdown cells, shown as they
    are; None makes every markdown cell inert."""
    nb.metadata.pop("widgets", None)  # saved widget state: the views are gone too
    for cell in nb.cells:
        if not _plain_grade_id(cell.get("metadata", {}).get("nbgrader")):
            del cell.metadata["nbgrader"]  # formgrader writes the id as it is
        if cell.cell_type == "markdown":
            if course_cells is None or cell.source not in course_cells:
                cell.source = inert_markdown(cell.source)
                cell.pop("attachments", None)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                _inert_output(output)
    return nb


def course_cells(release: Path) -> set[str] | None:
    """The markdown sources of the release notebook at ``release`` (None when it
    is not there: then nothing is trusted)."""
    from grading import notebook

    if not Path(release).is_file():
        return None
    cells = notebook.read(release).cells
    return {c.source for c in cells if c.cell_type == "markdown"}


class InertStudentWork(NbGraderPreprocessor):  # enabled, as nbgrader's own are
    """``make_inert`` as nbgrader autograde's last step: the autograded notebook
    (what formgrader and generate_feedback show) keeps the course's own markdown
    as it is, from the unit's release in the course folder."""

    def preprocess(self, nb, resources):
        from nbgrader.coursedir import CourseDirectory

        # nbgrader's converter (this exporter's parent) knows the course folder
        converter = getattr(self.parent, "parent", None)
        coursedir = getattr(converter, "coursedir", None)
        coursedir = coursedir or CourseDirectory(config=self.config)
        about = resources.get("nbgrader", {})
        folder = coursedir.format_path(
            coursedir.release_directory, ".", about.get("assignment", "")
        )
        release = Path(folder) / f"{about.get('notebook', '')}.ipynb"
        return make_inert(nb, course_cells(release)), resources
