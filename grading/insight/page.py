"""``python3 course.py insight GRADED_DIR [--unit U] [--out insight/]``: one
self-contained HTML page per unit (its figures embedded as PNG, no script, no
network: it opens from a file in any browser), with its data as CSV beside it.
Student text on the page is escaped; hidden tests appear only through their
messages and hints, never their code."""

from __future__ import annotations

import base64
import csv
import io
import sys
from html import escape
from pathlib import Path

from grading.insight import data, stats

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.45}table{border-collapse:collapse;"
    "margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .6em;"
    "text-align:left;vertical-align:top}th{background:#f3f3f3}.flag{color:#b71c1c}"
    "img{max-width:100%}.muted{color:#666}"
)


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode()
    return f"<img alt='figure' src='data:image/png;base64,{encoded}'>"


def _figures(unit_class, items, times) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scored = [g for g in unit_class.graded if g.status == "graded"]
    totals = [sum(g.scores.values()) for g in scored]
    out_of = sum(unit_class.points.values())
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist(totals, bins=min(20, max(5, len(totals) // 2)), range=(0, out_of))
    ax.set_xlabel(f"score (of {out_of:g})")
    ax.set_ylabel("students")
    ax.set_title("Score distribution")
    figures = {"scores": _png(fig)}
    tests = [i for i in items if i.kind == "test"]
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.22 * len(tests))))
    ax.barh([i.name for i in tests][::-1], [i.full for i in tests][::-1])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of students with full points")
    ax.set_title("Test cells")
    ax.tick_params(axis="y", labelsize=7)
    figures["items"] = _png(fig)
    fig, ax = plt.subplots(figsize=(7, 2.8))
    ax.hist(list(times["times"].values()) or [0], bins=20)
    ax.set_xlabel("grading time per submission (s)")
    ax.set_ylabel("submissions")
    ax.set_title("Timing")
    figures["timing"] = _png(fig)
    return figures


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _students(names: list[str], pages: dict[str, str], limit: int = 12) -> str:
    shown = [
        f"<a href='{escape(pages[n], quote=True)}'>{escape(n)}</a>"
        if pages.get(n)
        else escape(n)
        for n in names[:limit]
    ]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(shown) + more


def unit_page(unit_class, link_root: str = "") -> tuple[str, dict[str, list]]:
    """(the HTML page, table name -> CSV rows) of one unit."""
    items = stats.items(unit_class)
    wrong = stats.misconceptions(unit_class)
    times = stats.timing(unit_class)
    missing = stats.not_graded(unit_class)
    pages = {g.student: link_root + g.page for g in unit_class.graded if g.page}
    scored = [g for g in unit_class.graded if g.status == "graded"]
    totals = sorted(sum(g.scores.values()) for g in scored)
    out_of = sum(unit_class.points.values())
    figures = _figures(unit_class, items, times)
    mean = sum(totals) / len(totals) if totals else 0.0
    median = totals[len(totals) // 2] if totals else 0.0
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
        f"{escape(unit_class.unit)}: what the class learned</title>"
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(unit_class.unit)}: what the class learned</h1>",
        f"<p class='muted'>{len(unit_class.graded)} submissions, graded by "
        f"{escape(unit_class.source)}. Autograded points only (written answers are "
        "graded by hand).</p>",
        "<h2 id='scores'>Score distribution</h2>",
        figures["scores"],
        f"<p>{len(scored)} scored: mean {mean:.1f}, median {median:g} of {out_of:g}. "
        f"{sum(missing.values())} not graded.</p>",
        _table(
            ["not graded because", "submissions"],
            [[escape(r), str(n)] for r, n in missing.most_common()],
        ),
        "<h2 id='items'>Item analysis</h2>",
        "<p>Per test cell and per answer: the share of students with full, partial "
        "and no points, and the <em>discrimination</em> (the correlation of the "
        "item's score with the rest of the score). A flagged item is one almost "
        "nobody passes, or one that does not separate students who do well "
        "elsewhere: read its test, it may be broken or unfair.</p>",
        figures["items"],
        _table(
            [
                "item",
                "points",
                "full",
                "partial",
                "none",
                "discrimination",
                "flags",
                "students without full points",
            ],
            [
                [
                    f"<code>{escape(i.name)}</code>"
                    + (" (answer)" if i.kind == "answer" else ""),
                    f"{i.points:g}",
                    f"{i.full:.0%}",
                    f"{i.partial:.0%}",
                    f"{i.none:.0%}",
                    "n/a" if i.discrimination is None else f"{i.discrimination:+.2f}",
                    "<br>".join(
                        f"<span class='flag'>{escape(f)}</span>" for f in i.flags
                    ),
                    _students(i.failed, pages) if i.flags else str(len(i.failed)),
                ]
                for i in items
            ],
        ),
        "<h2 id='misconceptions'>Misconceptions</h2>",
        "<p>What the failing tests said, by answer, most students first (hidden "
        "tests by their message and hint only).</p>",
        _table(
            ["answer", "test", "message", "hint", "students"],
            [
                [
                    f"<code>{escape(m.answer)}</code>",
                    f"<code>{escape(m.test)}</code>",
                    escape(m.message),
                    escape(m.hint),
                    f"{len(m.students)}: {_students(m.students, pages, 6)}",
                ]
                for m in wrong
            ],
        ),
        "<h2 id='timing'>Timing and limits</h2>",
        figures["timing"],
        "<p>"
        + (
            f"median {times['median']:.1f} s per submission"
            if times["median"] is not None
            else "no grading times recorded (nbgrader autograde does not keep them)"
        )
        + ".</p>",
        _table(
            ["outlier", "seconds"],
            [[_students([s], pages), f"{t:.1f}"] for s, t in times["outliers"]],
        ),
        _table(
            ["hit a limit", "reason"],
            [[_students([s], pages), escape(r)] for s, r in times["limits"]],
        ),
        "</body></html>",
    ]
    tables = {
        "scores": [["student", "status", "score", "max_score", "reason"]]
        + [
            [
                g.student,
                g.status,
                f"{sum(g.scores.values()):g}" if g.status == "graded" else "",
                f"{out_of:g}",
                g.reason,
            ]
            for g in unit_class.graded
        ],
        "items": [
            [
                "item",
                "kind",
                "answer",
                "points",
                "full",
                "partial",
                "none",
                "discrimination",
                "flags",
            ]
        ]
        + [
            [
                i.name,
                i.kind,
                i.answer,
                f"{i.points:g}",
                f"{i.full:.3f}",
                f"{i.partial:.3f}",
                f"{i.none:.3f}",
                "" if i.discrimination is None else f"{i.discrimination:.3f}",
                "; ".join(i.flags),
            ]
            for i in items
        ],
        "misconceptions": [["answer", "test", "message", "hint", "students"]]
        + [[m.answer, m.test, m.message, m.hint, str(len(m.students))] for m in wrong],
        "timing": [["student", "seconds"]]
        + [[s, f"{t:.2f}"] for s, t in sorted(times["times"].items())],
    }
    return "".join(parts), tables


def write(folder: Path, out: Path, units: list[str] | None = None) -> list[Path]:
    """The pages and CSVs of every unit graded under ``folder``; their paths."""
    from grading.classroom.report import csv_cell

    classes = data.load(folder, units)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for unit, unit_class in classes.items():
        root = Path(folder).resolve()
        link_root = (
            Path("..", *([".."] * (len(out.resolve().parts) - 1))).as_posix()
            + str(root)
            + "/"
            if False
            else root.as_uri() + "/"
        )
        page, tables = unit_page(unit_class, link_root)
        path = out / f"{unit}.html"
        path.write_text(page)
        written.append(path)
        for name, rows in tables.items():
            with open(out / f"{unit}-{name}.csv", "w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(rows[0])
                writer.writerows([[csv_cell(c) for c in r] for r in rows[1:]])
    return written


def main(argv: list[str]) -> int:
    from grading.insight import arguments

    args = arguments(
        "course.py insight",
        __doc__,
        "course.py grade's --out folder, or an nbgrader course folder after "
        "nbgrader autograde",
        "insight",
    ).parse_args(argv)
    try:
        pages = write(args.folder, args.out, args.units)
    except FileNotFoundError as error:
        print(f"course.py insight: {error}", file=sys.stderr)
        return 2
    for page in pages:
        print(f"{page} (and its CSV files beside it)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
