"""``python3 course.py similar GRADED_DIR|SUBMISSIONS [--unit U] [--out similar/]``:
which students' answers are alike beyond chance, answer by answer.

Only answer cells are compared, each with its own release starter code taken out
as boilerplate. What copying changes cheaply is normalised away first: names
(every name a cell binds is numbered by first use), comments, docstrings,
whitespace, literal values, and the order of top-level definitions. The
normalised tokens are then fingerprinted by winnowing k-grams (Schleimer, Wilkerson
and Aiken, 2003), as MOSS and copydetect do. copydetect itself is not used: it
compares files, not notebook cells with a boilerplate of their own, and it keeps
the order of definitions and literal values, which a copier changes for free.

Fingerprints that most of the class shares (the way everyone writes it) count
for nothing, and an answer is scored only when, after that, it still has
``MIN_FINGERPRINTS``: shorter answers carry too little evidence, and the page says
which were not scored. A pair is flagged from ``FLAG`` up, the share of their
fingerprints they have in common (of the smaller of the two)."""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import sys
import tokenize
import zlib
from dataclasses import dataclass
from html import escape
from pathlib import Path

K = 7  # tokens per k-gram
WINDOW = 5  # winnowing window (a match of K + WINDOW - 1 tokens is always seen)
MIN_FINGERPRINTS = 12
COMMON = 0.1  # a fingerprint in more than this share of the class: ignored ...
COMMON_AT_LEAST = 4  # ... and in more than this many answers
FLAG = 0.6
_KEEP = set(dir(builtins)) | set(keyword.kwlist) | {"self", "np", "torch", "nn", "F"}


def _strip_docstrings(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(getattr(body[0], "value", None), ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]


def _tokens(source: str) -> list[str]:
    """Names numbered by first use, literals as N and S, no comments or layout."""
    names: dict[str, str] = {}
    out: list[str] = []
    previous = ""
    try:
        stream = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source.split()
    for tok in stream:
        if tok.type == tokenize.NAME:
            if tok.string in _KEEP or previous == ".":
                out.append(tok.string)
            else:
                out.append(names.setdefault(tok.string, f"v{len(names)}"))
        elif tok.type == tokenize.NUMBER:
            out.append("N")
        elif tok.type == tokenize.STRING:
            out.append("S")
        elif tok.type == tokenize.OP:
            out.append(tok.string)
        previous = tok.string
    return out


def normalise(source: str) -> list[str]:
    """The tokens of ``source`` as the fingerprints see them: each top-level
    statement normalised on its own, then sorted (definition order is free)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return _tokens(source)
    _strip_docstrings(tree)
    parts = [_tokens(ast.unparse(node)) for node in tree.body]
    return [t for part in sorted(parts) for t in part]


def fingerprints(tokens: list[str]) -> set[int]:
    """Winnowed hashes of the K-grams of ``tokens`` (the smallest of each window,
    as in MOSS)."""
    grams = [
        zlib.crc32(" ".join(tokens[i : i + K]).encode())
        for i in range(len(tokens) - K + 1)
    ]
    if len(grams) <= WINDOW:
        return set(grams)
    return {min(grams[i : i + WINDOW]) for i in range(len(grams) - WINDOW + 1)}


@dataclass
class Pair:
    a: str
    b: str
    score: float  # overall: shared fingerprints of the smaller, over every answer
    answers: dict[str, float]  # answer -> its own score (scored answers only)


def common_limit(students: int) -> int:
    """A fingerprint in more answers than this is how the class writes it, not
    evidence (MOSS ignores what more than 10 programs share; a large class
    allows a tenth of it)."""
    return max(COMMON_AT_LEAST, int(COMMON * students))


def compare(
    answers: dict[str, dict[str, str]], boilerplate: dict[str, str]
) -> tuple[list[Pair], dict[str, list[str]]]:
    """The pairs of students that share any fingerprint, most alike first; and
    answer -> students whose answer was too short to score. ``answers``:
    student -> answer -> source; ``boilerplate``: answer -> the release's
    starter code. Pairs are found through an index of fingerprints, so a class of
    a thousand costs seconds, not a million comparisons."""
    students = sorted(answers)
    limit = common_limit(len(students))
    shared: dict[tuple[str, str], dict[str, int]] = {}
    sizes: dict[str, dict[str, int]] = {}
    short: dict[str, list[str]] = {}
    for answer, starter in boilerplate.items():
        base = fingerprints(normalise(starter))
        mine = {
            s: fingerprints(normalise(answers[s].get(answer, ""))) - base
            for s in students
        }
        index: dict[int, list[str]] = {}
        for student, found in mine.items():
            for f in found:
                index.setdefault(f, []).append(student)
        common = {f for f, who in index.items() if len(who) > limit}
        sizes[answer] = {s: len(f - common) for s, f in mine.items()}
        short[answer] = sorted(
            s for s, n in sizes[answer].items() if n < MIN_FINGERPRINTS
        )
        scored = {s for s, n in sizes[answer].items() if n >= MIN_FINGERPRINTS}
        for f, who in index.items():
            if f in common:
                continue
            who = [s for s in who if s in scored]
            for i, a in enumerate(who):
                for b in who[i + 1 :]:
                    key = (a, b) if a < b else (b, a)
                    counts = shared.setdefault(key, {})
                    counts[answer] = counts.get(answer, 0) + 1
    pairs = []
    for (a, b), counts in shared.items():
        per_answer = {}
        total = least_total = 0
        for answer in boilerplate:
            na, nb = sizes[answer][a], sizes[answer][b]
            if min(na, nb) < MIN_FINGERPRINTS:
                continue
            least = min(na, nb)
            per_answer[answer] = counts.get(answer, 0) / least
            total, least_total = total + counts.get(answer, 0), least_total + least
        if least_total:
            pairs.append(Pair(a, b, total / least_total, per_answer))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs, short


# ------------------------------------------------------------------ inputs
def _answer_sources(nb) -> dict[str, str]:
    from grading import notebook

    return {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nb.cells
        if notebook.is_answer_cell(c)
    }


def read_class(folder: Path, unit: str) -> dict[str, dict[str, str]]:
    """student -> answer -> source, from a graded folder (course.py grade's
    graded.ipynb, or nbgrader's autograded/) or from the submissions."""
    from grading import notebook

    folder = Path(folder)
    graded = sorted((folder / unit).glob("*/graded.ipynb"))
    if graded:
        return {p.parent.name: _answer_sources(notebook.read(p)) for p in graded}
    autograded = sorted((folder / "autograded").glob(f"*/{unit}/*.ipynb"))
    if autograded:
        return {
            p.parent.parent.name: _answer_sources(notebook.read(p)) for p in autograded
        }
    import tempfile

    from grading.classroom import collect, job

    with tempfile.TemporaryDirectory() as inbox:
        subs = collect.collect(
            folder, {unit: job.course_notebooks()[unit]}, Path(inbox)
        )
        found = {}
        for sub in subs:
            if sub.notebook is None:
                continue
            try:
                found[sub.student] = _answer_sources(notebook.read(sub.notebook))
            except Exception:  # noqa: BLE001 -- an unreadable file: nothing to compare
                continue
    return found


def starter_code(unit: str) -> dict[str, str]:
    from grading import layout, notebook

    return _answer_sources(notebook.read(layout.release(unit)))


# ------------------------------------------------------------------ output
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:80em;margin:2em auto;"
    "padding:0 1em}table{border-collapse:collapse}th,td{border:1px solid #ccc;"
    "padding:.2em .5em;vertical-align:top}.flag{color:#b71c1c;font-weight:bold}"
    ".side{display:grid;grid-template-columns:1fr 1fr;gap:1em}"
    "pre{background:#f6f6f6;padding:.5em;overflow:auto;white-space:pre-wrap}"
)


def _pair_page(unit, pair: Pair, answers) -> str:
    parts = [
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(pair.a)} and "
        f"{escape(pair.b)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(unit)}: {escape(pair.a)} and {escape(pair.b)}</h1>",
        f"<p>Overall {pair.score:.0%} of the smaller answer's fingerprints shared. "
        "The code is shown as text, exactly as handed in.</p>",
    ]
    for answer, score in sorted(pair.answers.items(), key=lambda kv: -kv[1]):
        mark = " class='flag'" if score >= FLAG else ""
        parts.append(f"<h2{mark}>{escape(answer)}: {score:.0%}</h2><div class='side'>")
        for student in (pair.a, pair.b):
            code = answers[student].get(answer, "")
            parts.append(
                f"<div><h3>{escape(student)}</h3><pre>{escape(code)}</pre></div>"
            )
        parts.append("</div>")
    return "".join(parts) + "</body></html>"


def report(unit: str, pairs: list[Pair], short: dict, answers, out: Path) -> Path:
    """similar/<unit>.html (ranked pairs, overall and per answer), a page per
    flagged pair, and <unit>.csv."""
    import csv

    from grading.classroom.report import csv_cell

    out.mkdir(parents=True, exist_ok=True)
    (out / unit).mkdir(exist_ok=True)
    rows = []
    for pair in pairs[:200]:
        flagged = pair.score >= FLAG or any(s >= FLAG for s in pair.answers.values())
        link = ""
        if flagged:
            name = f"{pair.a}--{pair.b}.html".replace("/", "_")
            (out / unit / name).write_text(_pair_page(unit, pair, answers))
            link = f"<a href='{escape(unit + '/' + name, quote=True)}'>side by side</a>"
        top = ", ".join(
            f"{escape(a)} {s:.0%}"
            for a, s in sorted(pair.answers.items(), key=lambda kv: -kv[1])[:4]
        )
        mark = " class='flag'" if flagged else ""
        rows.append(
            f"<tr{mark}><td>{escape(pair.a)}</td><td>{escape(pair.b)}</td>"
            f"<td>{pair.score:.0%}</td><td>{top}</td><td>{link}</td></tr>"
        )
    unscored = "".join(
        f"<li><code>{escape(a)}</code>: {len(s)} of {len(answers)} students</li>"
        for a, s in sorted(short.items())
        if s
    )
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(unit)}: "
        f"similar answers</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(unit)}: similar answers</h1>"
        f"<p>{len(answers)} students, {len(pairs)} pairs compared. A pair is flagged "
        f"when it shares at least {FLAG:.0%} of the smaller answer's fingerprints, "
        "overall or in one answer. Similar is not proof: read the pair side by "
        "side.</p><table><thead><tr><th>student</th><th>student</th><th>overall"
        "</th><th>most alike answers</th><th></th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table><h2>Not scored</h2><p>Answers shorter than "
        f"{MIN_FINGERPRINTS} fingerprints (after the starter code and what most "
        "of the class writes alike are taken out) carry too little evidence and "
        f"are not scored:</p><ul>{unscored or '<li>none</li>'}</ul></body></html>"
    )
    path = out / f"{unit}.html"
    path.write_text(page)
    with open(out / f"{unit}.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["student_a", "student_b", "overall", *sorted(_answer_names(answers))]
        )
        for pair in pairs:
            writer.writerow(
                [csv_cell(pair.a), csv_cell(pair.b), f"{pair.score:.3f}"]
                + [
                    f"{pair.answers[a]:.3f}" if a in pair.answers else ""
                    for a in sorted(_answer_names(answers))
                ]
            )
    return path


def _answer_names(answers) -> set[str]:
    return {a for sources in answers.values() for a in sources}


def main(argv: list[str]) -> int:
    from grading import layout
    from grading.insight import arguments

    args = arguments(
        "course.py similar",
        __doc__,
        "course.py grade's --out folder, an nbgrader course folder, or the "
        "submissions",
        "similar",
    ).parse_args(argv)
    if not args.folder.exists():
        print(f"course.py similar: {args.folder} does not exist", file=sys.stderr)
        return 2
    done = 0
    for unit in args.units or layout.units():
        answers = read_class(args.folder, unit)
        if len(answers) < 2:
            continue
        pairs, short = compare(answers, starter_code(unit))
        path = report(unit, pairs, short, answers, args.out)
        flagged = sum(
            p.score >= FLAG or any(s >= FLAG for s in p.answers.values()) for p in pairs
        )
        print(f"{path}: {len(answers)} students, {flagged} pairs flagged")
        done += 1
    if not done:
        print(
            f"course.py similar: no unit with two students or more in {args.folder}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
