"""An unwritten answer and a cell not run are said in the course's words, in the
test cell, instead of a raw traceback; every other error keeps its traceback, and
the cell still fails (so it scores nothing)."""

from __future__ import annotations

import contextlib
import io

import pytest
from IPython.core.interactiveshell import InteractiveShell


@pytest.fixture(scope="module")
def shell():
    from lib import friendly

    shell = InteractiveShell.instance()
    # lib.checks installs this when a kernel imports it; in a test process it may
    # have been imported before any shell existed
    friendly.install()
    yield shell
    shell.set_custom_exc((), None)


def _run(shell, source: str) -> tuple[bool, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = shell.run_cell(source)
    return result.success, out.getvalue()


def test_an_unwritten_answer_says_so(shell):
    _run(
        shell,
        "def knn_answer(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
    )
    ok, shown = _run(shell, "knn_answer(1)")
    assert not ok
    assert "knn_answer is not written yet (it raises NotImplementedError)" in shown
    assert "Traceback" not in shown


def test_the_unwritten_answer_named_is_the_one_that_raised(shell):
    _run(shell, "def helper():\n    raise NotImplementedError()")
    _run(shell, "def outer():\n    return helper() + 1")
    ok, shown = _run(shell, "outer()")
    assert not ok and "helper is not written yet" in shown


def test_a_cell_not_run_says_to_run_the_cells_above(shell):
    ok, shown = _run(shell, "X_train_never_defined.shape")
    assert not ok
    assert "X_train_never_defined is not defined yet in this kernel" in shown
    assert "run the cells above" in shown


def test_a_misspelt_name_inside_a_function_keeps_its_traceback(shell):
    _run(shell, "def broken():\n    return misspelt_name")
    ok, shown = _run(shell, "broken()")
    assert not ok and "Traceback" in shown and "not defined yet" not in shown


def test_the_class_graders_error_names_the_students_function():
    from grading.classroom import proxy
    from lib import friendly

    error = proxy.error_type("NotImplementedError")("")
    error.student_frames = (
        '  File "<answer compute_distances_two_loops>", line 4, in '
        "compute_distances_two_loops\n    raise NotImplementedError()\n"
    )
    lines = friendly.message(type(error), error, None)
    assert lines[0].startswith("compute_distances_two_loops is not written yet")


def test_a_students_error_shows_their_frames_and_no_grader_internals():
    import socket
    import threading

    from grading.classroom import proxy, student

    a, b = socket.socketpair()
    grader = proxy.Endpoint(a, proxy.Policy({}, restricted=True))
    server = student.StudentEndpoint(b, {"__name__": "__main__"})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    source = "def one_loop(x):\n    y = list(x)\n    return y[5]\n"
    grader.request("exec", source, "answer one_loop")
    one_loop = grader.request("get_global", "one_loop")
    with pytest.raises(IndexError) as caught:
        one_loop([1, 2])
    shown = "\n".join(caught.value._render_traceback_())
    assert '<answer one_loop>", line 3, in one_loop' in shown
    assert "return y[5]" in shown and shown.rstrip().endswith(
        "IndexError: list index out of range"
    )
    for internal in ("proxy.py", "student.py", "/opt/grader", "Endpoint", "site-pa"):
        assert internal not in shown, shown
