"""What a class run tells the instructor: the progress line while it runs, and at
the end ``grades.csv`` and ``report.txt``, which tell "scored 0" apart from "not
graded: reason" and name every guarantee that was off."""

from __future__ import annotations

import csv
import sys
import threading
import time
import unicodedata
from pathlib import Path

from grading import late
from grading.classroom import sandbox

# Characters that would start a formula in a spreadsheet opening grades.csv.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LIMIT = 500  # characters of one piece of student text in a report line


def clean(text, limit: int = _LIMIT) -> str:
    """Text that came from a submission (a student id from a file name, an error's
    name or message, a cell id), made safe to print on one line: every control,
    format or line-separator character shown as an escape, at most ``limit``
    characters. A report line can then never be forged by what it quotes."""
    text = str(text)
    shown = "".join(
        c if unicodedata.category(c)[0] not in "CZ" or c == " " else _escape(c)
        for c in text[: limit + 1]
    )
    return shown if len(shown) <= limit else shown[:limit] + "..."


def _escape(char: str) -> str:
    return repr(char)[1:-1] if char in "\n\r\t" else f"\\u{ord(char):04x}"


def csv_cell(value) -> str:
    """A CSV field: clean text that no spreadsheet reads as a formula (a leading
    =, +, -, @ gets a quote mark, as OWASP advises)."""
    text = clean(value) if isinstance(value, str) else str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


class Progress:
    """One line, redrawn: graded / total, rate, time left."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.start = total, 0, time.perf_counter()
        self.stream, self.lock = stream, threading.Lock()

    def step(self, label: str) -> None:
        with self.lock:
            self.done += 1
            elapsed = time.perf_counter() - self.start
            rate = self.done / elapsed * 60 if elapsed else 0.0
            left = (self.total - self.done) / (rate / 60) if rate else 0.0
            width = 30
            bar = "#" * round(width * self.done / max(self.total, 1))
            print(
                f"\r[{bar:<{width}}] {self.done}/{self.total}  {rate:.1f}/min  "
                f"~{left:.0f} s left  {label[:40]:<40}",
                end="",
                file=self.stream,
                flush=True,
            )
            if self.done == self.total:
                print(file=self.stream)


def write_csv(results: list[dict], path: Path) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "student",
                "unit",
                "score",
                "max_score",
                "status",
                "reason",
                "tampering",
                "manual_points",
                "days_late",
                "late_penalty",
            ]
        )
        for r in results:
            flags = sorted({f for fl in r.get("tampering", {}).values() for f in fl})
            writer.writerow(
                [
                    csv_cell(r["student"]),
                    csv_cell(r["unit"]),
                    f"{r['score']:g}" if r["status"] == "graded" else "",
                    f"{r.get('max_score', 0):g}",
                    "scored" if r["status"] == "graded" else "not graded",
                    csv_cell(r.get("reason", "")),
                    csv_cell("; ".join(flags)),
                    f"{_written_points(r):g}" if _written_points(r) else "",
                    late.days_late(r["seconds_late"]) if "seconds_late" in r else "",
                    f"{r['late_penalty']:g}" if "late_penalty" in r else "",
                ]
            )


def _written_points(r: dict) -> float:
    """Points of written answers still to grade by hand: a blank one scores 0
    at once, as nbgrader scores an answer left as the release had it."""
    return sum(w["points"] for w in r.get("written", {}).values() if w["answered"])


def report_lines(r: dict) -> list[str]:
    """The report's lines for one submission."""
    head = f"{clean(r['student'])} / {clean(r['unit'])}: "
    if r["status"] == "graded":
        lines = [head + f"{r['score']:g} of {r.get('max_score', 0):g}"]
    else:
        lines = [head + f"not graded: {clean(r.get('reason', ''))}"]
    if r.get("late_penalty"):
        days = late.days_late(r["seconds_late"])
        lines.append(
            f"  late by {days} day{'s' * (days != 1)}: {r['late_penalty']:g} points "
            "off (the course's late rule, as the gradebook holds it)"
        )
    for answer, flags in sorted(r.get("tampering", {}).items()):
        lines.append(
            f"  tampering in {clean(answer)} (every test from it on scores 0): "
            + clean("; ".join(flags))
        )
    for answer, written in r.get("written", {}).items():
        if written["answered"]:
            lines.append(
                f"  written answer {clean(answer)}: needs manual grading "
                f"({written['points']:g} points, not in the score above)"
            )
        else:  # the same rule as nbgrader autograde and formgrader
            lines.append(
                f"  written answer {clean(answer)}: left blank, 0 of "
                f"{written['points']:g} points (nothing to grade by hand)"
            )
    for note in r.get("notes", []):
        lines.append(f"  note: {clean(note)}")
    if r.get("ignored_files"):
        lines.append(f"  ignored files: {clean(', '.join(r['ignored_files']))}")
    return lines


def report(
    results: list[dict],
    graded_now: int,
    sandbox_off: str | None = None,
    skipped: list[str] = (),
) -> str:
    graded = [r for r in results if r["status"] == "graded"]
    lines = [
        f"{len(results)} submissions: {len(graded)} scored, "
        f"{len(results) - len(graded)} not graded ({graded_now} graded in this run).",
        "verdicts: every test runs in the grader's kernel, apart from the student's "
        "code, which runs in a process of its own (a submission cannot change its "
        "verdict)",
        *(
            [
                "sandbox: on (bubblewrap) for the student's process (no network, "
                "no other result, no solution, no writable course file)"
            ]
            if sandbox_off is None
            else sandbox.describe_off(sandbox_off)
        ),
        "",
    ]
    for r in results:
        lines += report_lines(r)
    if skipped:
        lines += ["", "not taken (no student or unit could be read from the name):"]
        lines += [f"  {clean(line)}" for line in skipped]
    return "\n".join(lines) + "\n"
