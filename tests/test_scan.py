"""The answer scan (grading/classroom/scan.py), case by case: what an answer cell may
do, what it may not, and what the report says. A report on top of the sandbox, not
a guarantee: these cases pin its wording and its false positives."""

from __future__ import annotations

import pytest

from grading.classroom import scan

PROTECTED = {"np", "checks", "X_train", "helper"}

HONEST = {
    "a plain function": "def f(x):\n    return np.sum(x ** 2)",
    "allowed imports": "import math\nfrom collections import Counter\nimport torch",
    "local arrays changed in place": "def f(x):\n    y = x.copy()\n    y[0] = 1\n"
    "    return y",
    "a method called eval": "def f(model):\n    model.eval()\n    return model",
    "a class with ordinary methods": "class Net:\n    def forward(self, x):\n"
    "        return x",
    "its own answer name": "answer = 3",
    "an attribute of its own object": "class A:\n    pass\na = A()\na.value = 1",
    "a syntax error (fails when it runs)": "def f(:\n",
}


@pytest.mark.parametrize("source", HONEST.values(), ids=list(HONEST))
def test_honest_answers_are_not_flagged(source):
    assert scan.scan(source, "answer", PROTECTED) == []


FLAGGED = {
    "rebinds a course name": ("checks = None", "rebinds checks"),
    "patches a module": ("np.allclose = lambda *a, **k: True", "patches np.allclose"),
    "patches a helper's attribute": (
        "helper.tolerance = 1",
        "patches helper.tolerance",
    ),
    "deletes from a module": ("del np.testing", "patches np.testing"),
    "imports os": ("import os", "imports os"),
    "imports from subprocess": ("from subprocess import run", "imports subprocess"),
    "hooks IPython": ("get_ipython()", "hooks IPython"),
    "sets a trace function": ("import sys\nsys.settrace(None)", "hooks IPython"),
    "runs built code": ("exec('x = 1')", "runs code built at run time (exec)"),
    "imports by name": ("__import__('os')", "runs code built at run time"),
    "reads globals": ("g = globals()", "runs code built at run time (globals)"),
    "opens a file": ("open('x.txt', 'w')", "reads or writes files (open)"),
    "reaches a function's globals": (
        "def f():\n    pass\ng = f.__globals__",
        "reaches into interpreter internals (__globals__)",
    ),
    "reaches the grader": ("__grading_guard__ = 1", "reaches into interpreter"),
    "uses setattr": ("setattr(np, 'pi', 3)", "patches objects with setattr"),
    "reads the environment": ("import os\nos.environ", "inspects or controls"),
    "kills a process": ("import os\nos.kill(1, 9)", "inspects or controls"),
    "fakes equality": (
        "class A:\n    def __eq__(self, other):\n        return True",
        "defines __eq__ on A",
    ),
    "fakes NumPy dispatch": (
        "class A:\n    def __array_function__(self, *a):\n        return True",
        "defines __array_function__",
    ),
}


@pytest.mark.parametrize(("source", "finding"), FLAGGED.values(), ids=list(FLAGGED))
def test_each_kind_of_tampering_is_named(source, finding):
    found = scan.scan(source, "answer", PROTECTED)
    assert any(finding in f for f in found), found


def test_each_finding_is_reported_once():
    found = scan.scan("import os\nimport os\nos.environ\nos.environ", "a", set())
    assert len(found) == len(set(found)) == 2, found


NAMES = {
    "imports": (
        "import numpy as np\nfrom lib import checks, data",
        {"np", "checks", "data"},
    ),
    "assignments in loops and ifs": (
        "for i in range(3):\n    if i:\n        total = i\nwith open('f') as fh:\n"
        "    pass",
        {"i", "total", "fh"},
    ),
    "functions and classes, not their locals": (
        "def f():\n    inner = 1\nclass C:\n    field = 2",
        {"f", "C"},
    ),
    "comprehensions keep their variables": (
        "squares = [k * k for k in range(3)]",
        {"squares"},
    ),
    "an exception's name": (
        "try:\n    pass\nexcept ValueError as error:\n    pass",
        {"error"},
    ),
}


@pytest.mark.parametrize(("source", "names"), NAMES.values(), ids=list(NAMES))
def test_defined_names_of_a_course_cell(source, names):
    assert scan.defined_names(source) == names


TOOLS = {
    "imports, functions and classes": (
        "import numpy as np\ndef f():\n    pass\nclass C:\n    pass",
        {"np", "f", "C"},
    ),
    "aliases of code": ("sigmoid = rnn_layers.sigmoid\nsame = f", {"sigmoid", "same"}),
    "data is not a tool": ("x = np.zeros(3)\nk = 5", set()),
}


@pytest.mark.parametrize(("source", "names"), TOOLS.values(), ids=list(TOOLS))
def test_defined_tools_are_what_answers_may_not_rebind(source, names):
    assert scan.defined_tools(source) == names
