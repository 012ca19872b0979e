"""What a class run tells the instructor: the progress line while it runs, and at
the end ``grades.csv`` and ``report.txt``, which tell "scored 0" apart from "not
graded: reason" and name every guarantee that was off."""

from __future__ import annotations

import csv
import sys
import threading
import time
from pathlib import Path

from grading import late
from grading.classroom import sandbox


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
                    r["student"],
                    r["unit"],
                    f"{r['score']:g}" if r["status"] == "graded" else "",
                    f"{r.get('max_score', 0):g}",
                    "scored" if r["status"] == "graded" else "not graded",
                    r.get("reason", ""),
                    "; ".join(flags),
                    f"{_written_points(r):g}" if r.get("written") else "",
                    late.days_late(r["seconds_late"]) if "seconds_late" in r else "",
                    f"{r['late_penalty']:g}" if "late_penalty" in r else "",
                ]
            )


def _written_points(r: dict) -> float:
    return sum(w["points"] for w in r.get("written", {}).values())


def report_lines(r: dict) -> list[str]:
    """The report's lines for one submission."""
    head = f"{r['student']} / {r['unit']}: "
    if r["status"] == "graded":
        lines = [head + f"{r['score']:g} of {r.get('max_score', 0):g}"]
    else:
        lines = [head + f"not graded: {r.get('reason', '')}"]
    if r.get("late_penalty"):
        days = late.days_late(r["seconds_late"])
        lines.append(
            f"  late by {days} day{'s' * (days != 1)}: {r['late_penalty']:g} points "
            "off (the course's late rule, as the gradebook holds it)"
        )
    for answer, flags in sorted(r.get("tampering", {}).items()):
        lines.append(
            f"  tampering in {answer} (every test from it on scores 0): "
            + "; ".join(flags)
        )
    for answer, written in r.get("written", {}).items():
        lines.append(
            f"  written answer {answer}: needs manual grading ({written['points']:g}"
            " points, not in the score above"
            + ("" if written["answered"] else "; left blank")
            + ")"
        )
    for note in r.get("notes", []):
        lines.append(f"  note: {note}")
    if r.get("ignored_files"):
        lines.append(f"  ignored files: {', '.join(r['ignored_files'])}")
    return lines


def report(
    results: list[dict],
    graded_now: int,
    sandbox_off: str | None = None,
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
    return "\n".join(lines) + "\n"
