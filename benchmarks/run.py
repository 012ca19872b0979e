"""Print the benchmark table: `python3 course.py bench [unit ...]`.

Rows: for every notebook, seconds to execute the solution and to autograde it; then
each unit's own figures (see UNIT_BENCHMARKS). A target column states the goal; the
last column says whether the figure meets it.
"""

from __future__ import annotations

import importlib
import os
import re
import sys

from grading import layout

# unit -> module with a rows() function for the unit's own figures.
UNIT_BENCHMARKS = {
    "01_knn": "benchmarks.knn",
    "02_linear": "benchmarks.linear",
    "03_optimization": "benchmarks.optimization",
    "04_backprop": "benchmarks.backprop",
    "05_regularization": "benchmarks.regularization",
    "06_cnn": "benchmarks.cnn",
    "07_pytorch": "benchmarks.pytorch",
    "08_rnn": "benchmarks.rnn",
    "09_attention": "benchmarks.attention",
}


# Benchmarks that belong to no unit, run with `course.py bench <name>` (and with
# a plain `course.py bench`).
OTHER_BENCHMARKS = {
    "grading": "benchmarks.class_grading",
    "similarity": "benchmarks.similarity",
    "mutants": "benchmarks.mutants",
    "tuning": "benchmarks.tuning",
}


def _meets(value: float, target: str) -> str:
    match = re.fullmatch(r"(<=|>=) ([\d.e+-]+)", target)
    if not match:
        return ""
    limit = float(match.group(2))
    ok = value <= limit if match.group(1) == "<=" else value >= limit
    return "yes" if ok else "NO"


def main(units: list[str]) -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")
    from benchmarks import notebooks

    # The mutants' full run takes most of an hour: only when asked for by name.
    units = units or [
        *layout.units(),
        *(name for name in OTHER_BENCHMARKS if name != "mutants"),
    ]
    print(f"{'benchmark':<52} {'value':>10}  {'target':<8} meets", flush=True)
    missed = 0
    for unit in units:
        if unit in OTHER_BENCHMARKS:
            rows = importlib.import_module(OTHER_BENCHMARKS[unit]).rows()
        else:
            rows = notebooks.rows(unit)
        if unit in UNIT_BENCHMARKS:
            rows += importlib.import_module(UNIT_BENCHMARKS[unit]).rows()
        for label, value, target in rows:
            verdict = _meets(value, target)
            missed += verdict == "NO"
            print(f"{label:<52} {value:>10.3f}  {target:<8} {verdict}", flush=True)
    print(f"{os.cpu_count()} CPU cores; {missed} target(s) missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
