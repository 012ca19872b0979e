"""Errors a student meets before any check runs, said in the course's words.

Two errors are not mistakes in an answer but steps not taken yet, and a raw
traceback hides that:

- ``NotImplementedError`` from an answer still holding its ``raise
  NotImplementedError()`` line: "compute_distances_two_loops is not written yet";
- ``NameError`` at the top level of a test cell: a cell above it (the setup cell,
  the exercise's own cell) has not run in this kernel.

``install()`` (called when ``lib.checks`` is imported in an IPython kernel) makes
IPython show these two as the checks show a failure: what is wrong, then what to
do. The cell still fails, so it still scores nothing. Any other error keeps its
traceback.
"""

from __future__ import annotations

import os
import re
import sys

_LIB_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
# The student's cell frame in the class grader's text of an error (proxy.py).
_ANSWER_FRAME = re.compile(r"<answer [^>]*>\"?, line \d+, in ([A-Za-z_][A-Za-z0-9_]*)")


def _frames(tb):
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


def unwritten_answer(value, tb) -> str | None:
    """The name of the answer that raised NotImplementedError, if it is one of the
    notebook's functions; else None."""
    found = _ANSWER_FRAME.findall(getattr(value, "student_frames", "") or "")
    if found:
        return found[-1]
    name = None
    for frame, _ in _frames(tb):
        code = frame.f_code
        if not code.co_filename.startswith(_LIB_DIR) and code.co_name != "<module>":
            name = code.co_name
    return name


def message(etype, value, tb) -> list[str] | None:
    """The lines to show for ``value``, or None to keep IPython's traceback."""
    if isinstance(value, NotImplementedError):
        name = unwritten_answer(value, tb)
        if name is None:
            return None
        return [
            f"{name} is not written yet (it raises NotImplementedError):",
            f"  replace `raise NotImplementedError()` in the cell that defines {name}"
            " with your code, run that cell, then run this one again.",
        ]
    if type(value) is NameError:
        frames = [
            f
            for f, _ in _frames(tb)
            if not f.f_code.co_filename.startswith((sys.prefix, sys.base_prefix))
        ]
        if len(frames) != 1:  # raised inside a function: a mistake in the code
            return None
        name = getattr(value, "name", None) or str(value)
        return [
            f"{name} is not defined yet in this kernel:",
            "  run the cells above this one first, in order (the setup cell at the "
            "top, and the exercise's own cell), or use Kernel > Restart Kernel and "
            "Run All Cells.",
        ]
    return None


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython's handler for the two errors (it must show them itself)."""
    lines = message(etype, value, tb)
    if lines is not None:
        stb = [
            *lines,
            f"{etype.__name__}: {str(value).splitlines()[0] if str(value) else ''}",
        ]
    elif hasattr(value, "_render_traceback_"):
        stb = value._render_traceback_()
    else:
        stb = shell.InteractiveTB.structured_traceback(
            etype, value, tb, tb_offset=tb_offset
        )
    shell._showtraceback(etype, value, stb)
    return stb


def install() -> None:
    """Show the two errors above in the course's words in this IPython kernel."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((NotImplementedError, NameError), _handler)
