"""grading.safe_html: a student's markdown and outputs, as nbconvert renders them
for formgrader, hold no element or attribute that can run script or lead to it.
(The browser test in test_gradebook.py opens such pages in Chromium.)"""

from __future__ import annotations

from html.parser import HTMLParser

import nbformat
import pytest
from nbconvert.filters.markdown import markdown2html

from grading import layout
from grading.safe_html import inert_markdown, make_inert

# Markdown renders to these and nothing else once made inert.
PLAIN = {
    *[
        "p",
        "strong",
        "em",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "br",
        "del",
    ],
    *(f"h{i}" for i in range(1, 7)),
    *[
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "input",
        "span",
    ],  # tables, task lists
}
ATTACKS = [
    '<img src=x onerror="alert(1)">',
    "<script>alert(1)</script>",
    "<svg onload=alert(1)></svg>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<details open ontoggle=alert(1)>x</details>",
    "<IMG SRC=x OnError=alert(1)>",
    "<img\nsrc=x\nonerror=alert(1)>",
    "</p><img src=x onerror=alert(1)>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<a href='javascript:alert(1)'>x</a>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "[x](javascript:alert(1))",
    "[x] (javascript:alert(1))",
    "[x]\n(javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x]\n\n[x]:\njavascript:alert(1)",
    "<javascript:alert(1)>",
    "<http://example.com/x>",
    "\\<img src=x onerror=alert(1)>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "`<img src=x onerror=alert(1)>`",
    "```\n<img src=x onerror=alert(1)>\n```",
    "    <img src=x onerror=alert(1)>",
    "> <img src=x onerror=alert(1)>",
    "- <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "$\\href{javascript:alert(1)}{x}$",
]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def _rendered(source: str) -> list:
    parser = _Elements()
    parser.feed(markdown2html(source))
    return parser.found


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_attack_renders_as_plain_text(attack):
    for tag, attrs in _rendered(inert_markdown(attack)):
        names = {k for k, _ in attrs}
        if tag == "a":  # a bare http(s) address still becomes a link: no script
            assert names == {"href"} and attrs[0][1].startswith(("http://", "https://"))
            continue
        allowed = {"input": {"type", "disabled", "checked", "class"}}.get(tag, set())
        assert tag in PLAIN and names <= allowed, (attack, tag, attrs)
    assert "\\href" not in inert_markdown(attack)


@pytest.mark.parametrize(
    "source, shows",
    [
        ("**clip at 0**, then *square*", "<strong>clip at 0</strong>"),
        ("$\\sqrt{d} < d$ for $d > 1$", "$\\sqrt{d} &lt; d$"),  # math unchanged
        ("$a<b$", "$a&lt; b$"),  # one space, which LaTeX ignores
        ("- one\n- two", "<li>one</li>"),
        ("a `np.maximum(d, 0)` b", "<code>np.maximum(d, 0)</code>"),
        ("x -> y and 3 > 2", "x -&gt; y and 3 &gt; 2"),
        ("> a quote", "<blockquote>"),
    ],
)
def test_a_plain_answer_still_reads_as_written(source, shows):
    assert shows in markdown2html(inert_markdown(source))


def test_the_courses_own_markdown_is_kept_and_the_rest_made_inert():
    nb = nbformat.v4.new_notebook()
    course = "<details><summary>Why?</summary>Because.</details>"
    nb.cells = [
        nbformat.v4.new_markdown_cell(course),
        nbformat.v4.new_markdown_cell("<img src=x onerror=alert(1)>"),
    ]
    make_inert(nb, {course})
    assert nb.cells[0].source == course
    assert nb.cells[1].source == "< img src=x onerror=alert(1)>"
    make_inert(nb, None)  # no release to compare with: nothing is trusted
    assert nb.cells[0].source.startswith("< details>")


def test_rich_outputs_keep_only_text_and_bitmaps_without_metadata():
    image = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
    outputs = [
        nbformat.v4.new_output("display_data", image, metadata={"width": "1 x=y"}),
        nbformat.v4.new_output("display_data", {"text/html": "<img onerror=x>"}),
        nbformat.v4.new_output(
            "execute_result",
            {"text/html": "<b>x</b>", "text/plain": "x"},
            execution_count=1,
        ),
        nbformat.v4.new_output("stream", name="stdout", text="<b>printed</b>"),
    ]
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    nb.cells = [nbformat.v4.new_code_cell("show()", outputs=outputs)]
    make_inert(nb, set())
    assert "widgets" not in nb.metadata
    kept = nb.cells[0].outputs
    assert kept[0].data == image and kept[0].metadata == {}
    assert kept[1].data == {
        "text/plain": "[text/html output not shown: it could run script]"
    }
    assert kept[2].data == {"text/plain": "x"}
    assert kept[3].text == "<b>printed</b>"  # nbconvert escapes streams itself


def test_nbgrader_autograde_ends_with_it():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(
        "nbgrader_config.py", path=str(layout.ROOT)
    ).load_config()
    steps = config.Autograde.autograde_preprocessors
    assert steps[-1] == "grading.safe_html.InertStudentWork"


@pytest.mark.parametrize(
    "grade_id, kept",
    [
        ("test_predict_labels_hidden", True),
        ("written_negative_distances", True),
        ('x"><img src=x onerror=alert(1)>', False),
        ("<script>alert(1)</script>", False),
        (["not", "a", "name"], False),
    ],
)
def test_only_plain_grade_ids_reach_formgrader(grade_id, kept):
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 1}
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell, nbformat.v4.new_code_cell("y = 2")]
    make_inert(nb, set())
    assert ("nbgrader" in nb.cells[0].metadata) == kept
