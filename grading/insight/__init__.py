"""What a class learned: ``python3 course.py insight GRADED_DIR [--unit U]``
(item analysis, misconceptions, timing; grading/insight/page.py) and who copied:
``python3 course.py similar GRADED_DIR|SUBMISSIONS [--unit U]``
(grading/insight/similar.py)."""

from __future__ import annotations

import argparse
from pathlib import Path


def arguments(prog: str, doc: str, what: str, out: str) -> argparse.ArgumentParser:
    """The two commands' shared command line: a folder (``what`` it may be), the
    units (repeatable --unit, default all) and the output folder."""
    parser = argparse.ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help=what)
    parser.add_argument(
        "--unit", action="append", dest="units", help="only this unit (repeatable)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path(out), help=f"where to write (default {out}/)"
    )
    return parser
