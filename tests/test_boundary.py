"""The boundary between the grader's kernel and the student's process
(grading/classroom/protocol.py), attacked the way a determined student would: every
name built from strings at run time, one hostile class per way in.

- pulling the grader's names (a test's ``expected``, ``_``, IPython's ``In``);
- lazy values: objects whose ``__eq__``, ``__array__`` or ``__float__`` would
  decide a test after it computed its reference;
- answers bound so that the source checks cannot read them;
- type names that would make the grader import a module;
- resources: a reply too big to decode, a notebook too big to parse, /tmp and
  /dev/shm filled;
- text that would forge a report line, and names that would take another
  student's identity.

Each attack gains nothing over the blank release (the stub control), no honest
student loses a point, and no hidden test's code reaches what a student sees.
"""

from __future__ import annotations

import ast
import csv
import json
import socket
import sys
import threading

import numpy as np
import pytest
from class_submissions import _correct, _notebooks

from grading import notebook
from grading.classroom import (
    channel,
    collect,
    protocol,
    proxy,
    report,
    runner,
    sandbox,
    trusted,
)
from grading.classroom.limits import Limits

NEEDS_SANDBOX = pytest.mark.skipif(
    not sandbox.available()[0],
    reason=f"the sandbox cannot start: {sandbox.available()[1]}",
)
UNITS = ("01_knn", "02_linear", "03_optimization", "05_regularization", "07_pytorch")
LIMITS = Limits(cell_seconds=60, notebook_seconds=300)

# ------------------------------------------------------------ the attacks
# Reads the grader's names: under a pulling protocol, a missing name of the
# student's globals was asked of the grader's kernel.
_PULL = """
def _oracle():
    g = globals()
    for key in ('exp' + 'ected', '_', 'I' + 'n', '_' + 'ih', 'O' + 'ut', 'refer' +
                'ence', 'want', 'target', '_' + 'i3', 'dists'):
        try:
            value = g[key]
        except KeyError:
            continue
        print('PULLED', key, str(value)[:200])
        return value
    return 0.0
"""
# An object that claims to equal everything and reads the oracle lazily.
_LAZY = (
    _PULL
    + """
class _Yes:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __gt__(self, other): return True
    def __ge__(self, other): return True
    def __bool__(self): return True
    def __hash__(self): return 0
    def __len__(self): return 1
    def __sub__(self, other): return 0.0 * other
    def __rsub__(self, other): return 0.0 * other
    def __abs__(self): return 0.0
    def __array__(self, dtype=None, copy=None):
        return __import__('num' + 'py').asarray(_oracle())
    def __float__(self): return float(_oracle())
    def __getattr__(self, name): return self
    def __call__(self, *a, **k): return self
    def __getitem__(self, key): return self
    def __iter__(self): return iter([self])
_VALUE = _Yes
"""
)
# An array that claims to equal everything.
_SHAPESHIFTER = """
_np = __import__('num' + 'py')
class _Always(_np.ndarray):
    def __eq__(self, other): return _np.ones(_np.shape(other), bool)
    def __ne__(self, other): return _np.zeros(_np.shape(other), bool)
    def __sub__(self, other): return _np.zeros(_np.shape(other))
    def __rsub__(self, other): return _np.zeros(_np.shape(other))
def _VALUE():
    return _np.zeros(1).view(_Always)
"""
# A class that claims to come from modules the grader would import.
_IMPORTER = """
def _VALUE():
    kind = type('Tensor', (), {'__module__': 'torch.utils.bottle' + 'neck'})
    kind.__qualname__ = 'Tensor'
    return kind()
"""
# Lazy, and past the scan (no name it looks for appears): the student's globals
# through a function, a float whose conversion, made after the test computed its
# reference, reads the test cell's own source from IPython's history and returns
# the test's ``expected...`` value. Against the pulling protocol (0e70c01) it
# gained 8 points in 02_linear and 4 in 03_optimization; here it gains none.
_HISTORY = """def _probe():
    return 0
_g = getattr(_probe, '__glo' + 'bals__')
def _names(source):
    words, current = [], ''
    for ch in source + ' ':
        if ch.isalnum() or ch == '_':
            current += ch
            continue
        if current.startswith(('exp' + 'ected', 'refer' + 'ence', 'want')):
            if current not in words:
                words.append(current)
        current = ''
    return words
def _pull(position):
    try:
        source = _g['I' + 'n'][-1]
    except Exception:
        return 0.0
    names = _names(source)
    for name in names[position:] + names:
        try:
            return _g[name]
        except KeyError:
            continue
    return 0.0
def _as_array(self, dtype=None, copy=None):
    import numpy
    return numpy.asarray(_pull(self.position), dtype=dtype)
def _as_float(self):
    import numpy
    return float(numpy.asarray(_pull(self.position)).ravel()[0])
def _each(self):
    return iter([_make(0), _make(1), _make(2)])
_Lazy = type('Lazy', (float,), {'__arr' + 'ay__': _as_array,
                               '__fl' + 'oat__': _as_float, '__it' + 'er__': _each})
def _make(position):
    made = _Lazy(0.0)
    made.position = position
    return made
def _VALUE():
    return _make(0)
"""
ATTACKS = {"pull": _PULL + "_VALUE = _oracle\n", "lazy": _LAZY, "history": _HISTORY}
ATTACKS |= {"shapeshifter": _SHAPESHIFTER, "importer": _IMPORTER}


def _attack_source(solution_source: str, attack: str) -> str:
    """The answer cell of an attacker: each name the solution's cell defines,
    bound to the attack's value (functions return it, classes hand it out from
    every method, variables are it)."""
    tree = ast.parse(solution_source)
    lines = [attack]
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            lines.append(f"def {node.name}(*args, **kwargs):\n    return _VALUE()\n")
        elif isinstance(node, ast.ClassDef):
            lines.append(
                f"class {node.name}:\n"
                "    def __init__(self, *args, **kwargs):\n        pass\n"
                "    def __getattr__(self, name):\n"
                "        return lambda *a, **k: _VALUE()\n"
                "    def __call__(self, *a, **k):\n        return _VALUE()\n"
            )
        else:
            for name in trusted.defined_names(ast.unparse(node)):
                lines.append(f"{name} = _VALUE()\n")
    return "\n".join(lines)


# Answers bound so that their code is not a def of the cell, doing what the
# exercise forbids (loops where it says no loops): the source check must fail.
_UNREADABLE_01 = {
    "compute_distances_no_loops": (
        "class _Distances:\n"
        "    def __call__(self, X_test, X_train):\n"
        "        out = np.zeros((len(X_test), len(X_train)))\n"
        "        for i in range(len(X_test)):\n"
        "            for j in range(len(X_train)):\n"
        "                out[i, j] = np.sqrt(((X_test[i] - X_train[j]) ** 2).sum())\n"
        "        return out\n"
        "compute_distances_no_loops = _Distances()\n"
    ),
    "compute_distances_one_loop": (
        "globals()['compute_distances_' + 'one_loop'] = "
        "lambda X_test, X_train: np.sqrt(((X_test[:, None] - X_train[None]) ** 2)"
        ".sum(-1))\n"
    ),
}
# An error whose type name would forge a report line, then a huge reply.
_FORGE = "raise type('Oops\\nmallory / 01_knn: 34 of 34', (Exception,), {})('x\\ny')\n"
_HUGE_REPLY = (
    "def compute_distances_two_loops(X_test, X_train):\n"
    "    return [[0] * 10 for _ in range(400_000)]\n"
)
_FILL = (
    "for _folder in ('/tmp', '/dev/shm'):\n"
    "    try:\n"
    "        with open(_folder + '/fill', 'wb') as _f:\n"
    "            for _ in range(2000):\n"
    "                _f.write(b'x' * 2**20)\n"
    "    except OSError as _error:\n"
    "        print(_folder, 'full:', _error)\n"
)


def _blank(unit):
    return _notebooks(unit)[2]


def _with_answers(unit, sources: dict[str, str]):
    _, solution, release = _notebooks(unit)
    given = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in release.cells
        if notebook.is_answer_cell(c)
    }
    return notebook.submission(release, solution, overrides={**given, **sources})


def _attackers(unit) -> dict[str, object]:
    """student -> notebook: one per attack, every answer attacked."""
    _, solution, _ = _notebooks(unit)
    own = notebook.solution_sources(solution)
    return {
        f"{kind}-{unit}": _with_answers(
            unit, {a: _attack_source(src, code) for a, src in own.items()}
        )
        for kind, code in ATTACKS.items()
    }


def _hidden_lines(unit) -> list[str]:
    """A distinctive line of each hidden test of the unit."""
    _, solution, release = _notebooks(unit)
    visible = {ln.strip() for c in release.cells for ln in c.source.splitlines()}
    found = []
    for cell in solution.cells:
        if "### BEGIN HIDDEN TESTS" not in cell.source:
            continue
        hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1]
        lines = [
            ln.strip()
            for ln in hidden.splitlines()
            if len(ln.strip()) > 30 and ln.strip() not in visible
        ]
        found += lines[:2]
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("boundary")
    submitted = root / "submitted"
    students: dict[str, tuple[str, object]] = {}
    for unit in UNITS:
        name = _notebooks(unit)[0]
        students[f"blank-{unit}"] = (unit, _blank(unit))
        students |= {s: (unit, nb) for s, nb in _attackers(unit).items()}
    name01 = _notebooks("01_knn")[0]
    students["honest-01_knn"] = ("01_knn", _correct("01_knn"))
    students["unreadable-01_knn"] = ("01_knn", _with_answers("01_knn", _UNREADABLE_01))
    students["forger-01_knn"] = (
        "01_knn",
        _with_answers("01_knn", {"compute_distances_l1": _FORGE}),
    )
    students["huge-reply-01_knn"] = (
        "01_knn",
        _with_answers("01_knn", {"compute_distances_two_loops": _HUGE_REPLY}),
    )
    students["fill-01_knn"] = (
        "01_knn",
        _with_answers("01_knn", {"compute_distances_two_loops": _FILL}),
    )
    for student, (unit, nb) in students.items():
        name = _notebooks(unit)[0]
        notebook.write(nb, submitted / student / unit / name)
    # a notebook too big to parse: refused before it is read
    big = _blank("01_knn")
    big.cells[0].source += "\n" + "x" * (25 * 2**20)
    notebook.write(big, submitted / "big-notebook-01_knn" / "01_knn" / name01)
    out = root / "graded"
    results = runner.grade_class(root, out, jobs=2, limits=LIMITS, progress=False)
    return {r["student"]: r for r in results}, out


@NEEDS_SANDBOX
@pytest.mark.slow
@pytest.mark.parametrize("unit", UNITS)
def test_no_attack_gains_a_point_over_the_blank_release(hostile, unit):
    results, _ = hostile
    control = results[f"blank-{unit}"]
    assert control["status"] == "graded"
    for kind in ATTACKS:
        r = results[f"{kind}-{unit}"]
        lines = "\n".join(report.report_lines(r))
        assert r["status"] == "graded", lines
        gained = {t: p for t, p in r["scores"].items() if p > control["scores"][t]}
        assert not gained, f"{kind} in {unit} gained {gained}\n{lines}"


@NEEDS_SANDBOX
@pytest.mark.slow
def test_nothing_is_pulled_and_no_hidden_test_is_shown(hostile):
    results, out = hostile
    for unit in UNITS:
        hidden = _hidden_lines(unit)
        assert hidden
        for kind in ATTACKS:
            folder = out / unit / f"{kind}-{unit}"
            page = (folder / "feedback.html").read_text()
            graded = json.loads((folder / "graded.ipynb").read_text())
            printed = json.dumps([c.get("outputs", []) for c in graded["cells"]])
            assert "PULLED" not in printed, f"{kind} in {unit} read a grader name"
            for line in hidden:
                assert line not in page, f"hidden test code in {kind}'s page: {line}"


@NEEDS_SANDBOX
@pytest.mark.slow
def test_source_checks_fail_closed_on_answers_they_cannot_read(hostile):
    results, out = hostile
    r = results["unreadable-01_knn"]
    assert r["status"] == "graded"
    for answer in _UNREADABLE_01:
        lost = [t for t, p in r["scores"].items() if t.startswith(f"test_{answer}")]
        assert lost and all(r["scores"][t] == 0 for t in lost), (answer, r["scores"])
    page = (out / "01_knn" / "unreadable-01_knn" / "feedback.html").read_text()
    assert "cannot be read" in page


@NEEDS_SANDBOX
@pytest.mark.slow
def test_resource_attacks_end_within_the_limits(hostile):
    results, _ = hostile
    huge = results["huge-reply-01_knn"]
    assert huge["status"] == "not graded" and "too much data" in huge["reason"]
    big = results["big-notebook-01_knn"]
    assert big["status"] == "not graded" and "20 MB limit" in big["reason"]
    fill = results["fill-01_knn"]  # the writes fail at the cap; nothing else does
    assert fill["status"] == "graded" and fill["score"] == 0
    assert fill["peak_kernel_mb"] < 2048, fill["peak_kernel_mb"]


@NEEDS_SANDBOX
@pytest.mark.slow
def test_the_report_cannot_be_forged(hostile):
    results, out = hostile
    assert results["honest-01_knn"]["score"] == results["honest-01_knn"]["max_score"]
    text = (out / "report.txt").read_text()
    heads = [ln for ln in text.splitlines() if " / " in ln and not ln.startswith(" ")]
    assert all(ln.split(" / ")[0] in results for ln in heads), heads
    assert not any(ln.startswith("mallory") for ln in text.splitlines())
    rows = list(csv.reader((out / "grades.csv").open()))
    assert len(rows) == len(results) + 1


# ------------------------------------------------------ unit tests, fast
def _pair(student_namespace: dict):
    a, b = socket.socketpair()
    grader = proxy.Endpoint(a, proxy.Policy({}, restricted=True))
    student = proxy.Endpoint(b, proxy.Policy(student_namespace))
    threading.Thread(target=student.serve_forever, daemon=True).start()
    return grader


class _Spy:
    """A student's object that records every time its code runs."""

    calls: list[str] = []

    def __getattribute__(self, name):
        if name.startswith("__") and name not in ("__class__", "__dict__"):
            _Spy.calls.append(name)
        return object.__getattribute__(self, name)

    def __eq__(self, other):
        _Spy.calls.append("eq")
        return True

    __hash__ = object.__hash__

    def __array__(self, dtype=None, copy=None):
        _Spy.calls.append("array")
        return np.zeros(3)

    def __float__(self):
        _Spy.calls.append("float")
        return 0.0


def test_no_comparison_or_conversion_runs_the_students_code():
    grader = _pair({"make": lambda: _Spy()})
    spy = grader.request("get_global", "make")()
    _Spy.calls.clear()
    expected = np.arange(3.0)
    for attempt in (
        lambda: spy == expected,
        lambda: spy != expected,
        lambda: spy - expected,
        lambda: np.asarray(spy),
        lambda: float(spy),
        lambda: abs(spy),
    ):
        with pytest.raises(TypeError, match="not an object of its own"):
            attempt()
    assert spy == spy and bool(spy) and hash(spy)
    assert not isinstance(spy, np.ndarray)
    assert _Spy.calls == [], _Spy.calls


def test_a_tensor_that_needs_gradients_is_its_values_at_return():
    import torch

    weight = torch.ones(3, requires_grad=True)
    grader = _pair({"out": lambda: weight * 2})
    out = grader.request("get_global", "out")()
    with torch.no_grad():
        weight.mul_(100)  # what the student's side does afterwards changes nothing
    assert isinstance(out, torch.Tensor)
    assert torch.equal(out + 0, torch.full((3,), 2.0)) and float(out.sum()) == 6.0
    assert (out == 2).all() and np.asarray(out).tolist() == [2.0, 2.0, 2.0]


PLAIN_CASES = [
    (1.5, True),
    (np.arange(3), True),
    ({"a": [1, (2.0, None)]}, True),
    (np.array([object()]), False),  # object dtype
    (np.ma.masked_array([1.0]), True),  # a subclass: crosses as a plain ndarray
    (lambda: 0, False),
    ([1, [2, [3, print]]], False),
]


@pytest.mark.parametrize(("value", "plain"), PLAIN_CASES)
def test_plain_data_crosses_as_plain_and_anything_else_does_not(value, plain):
    pushed = protocol.push_values({"x": value}, ["x"], lambda obj: False)
    assert ("x" in pushed) is plain
    if plain:
        encoder = channel.Encoder(keep=lambda obj: 1)
        tree = encoder.encode(value)
        back = channel.Decoder(encoder.buffers, None, None).decode(tree)
        if isinstance(value, np.ndarray):
            assert type(back) is np.ndarray


def test_push_sends_no_private_name_and_no_missing_one():
    namespace = {"k_to_accuracies": {1: [0.5]}, "_": 42, "_i3": "hidden", "In": ["x"]}
    names = ["k_to_accuracies", "_", "_i3", "In", "gone"]
    pushed = protocol.push_values(namespace, names, lambda obj: False)
    assert pushed == {"k_to_accuracies": {1: [0.5]}, "In": ["x"]}


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ('["L", [' * 100 + '["n"]' + "]]" * 100, "nested too deeply"),
        (json.dumps(["L", [["n"]] * (protocol.MAX_NODES + 5)]), "values"),
    ],
)
def test_the_decoder_bounds_what_it_builds(header, error):
    with pytest.raises(channel.ChannelError, match=error):
        channel.Decoder([], None, None).decode(json.loads(header))


def test_a_header_over_its_cap_is_refused_before_it_is_parsed():
    a, b = socket.socketpair()
    size = protocol.MAX_HEADER_BYTES + 1
    a.sendall(channel._HEADER.pack(size, 0))
    with pytest.raises(channel.MessageTooLarge, match="header"):
        channel.receive(b, 2**30)


def test_type_names_import_nothing():
    name = "numpy.f2py.crackfortran"
    sys.modules.pop(name, None)
    assert protocol.library_class(name, "crackline") is None
    assert name not in sys.modules
    assert protocol.library_class("numpy", "ndarray") is np.ndarray
    assert protocol.library_class("os", "PathLike") is None  # not an allowed module


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("ann\nbob / 01_knn: 34 of 34", "ann\\nbob / 01_knn: 34 of 34"),
        ("a\u2028b\x1b[31m", "a\\u2028b\\u001b[31m"),
        ("x" * 600, "x" * 500 + "..."),
    ],
)
def test_student_text_is_one_bounded_line(text, shown):
    assert report.clean(text) == shown


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_no_csv_cell_starts_a_formula(cell):
    assert report.csv_cell(cell).startswith("'")


def test_the_student_is_the_first_folder_of_a_moodle_export(tmp_path):
    export = tmp_path / "export"
    ann = export / "Ann Lee_11_assignsubmission_file_"
    (ann / "Bob Ray_22_assignsubmission_file_").mkdir(parents=True)
    (ann / "knn.ipynb").write_text("{}")
    (ann / "Bob Ray_22_assignsubmission_file_" / "knn.ipynb").write_text("{}")
    bob = export / "Bob Ray_22_assignsubmission_file_"
    bob.mkdir()
    (bob / "knn.ipynb").write_text('{"bob": 1}')
    found = collect.collect(export, {"01_knn": "knn.ipynb"}, tmp_path / "in")
    by_student = {s.student: s for s in found}
    assert set(by_student) == {"ann-lee-11", "bob-ray-22"}
    assert by_student["bob-ray-22"].notebook == bob / "knn.ipynb"
    assert by_student["ann-lee-11"].notebook == ann / "knn.ipynb"


def test_canvas_logins_never_merge(tmp_path):
    for name in (
        "ann.lee_11_1_knn.ipynb",
        "ann-lee_12_2_knn.ipynb",
        "Bob_13_3_knn.ipynb",
        "bob_14_4_knn.ipynb",
        "carl_15_5_knn.ipynb",
        "carl_16_6_knn.ipynb",
    ):
        (tmp_path / name).write_text("{}")
    skipped: list[str] = []
    found = collect.collect(tmp_path, {"01_knn": "knn.ipynb"}, tmp_path / "in", skipped)
    students = sorted(s.student for s in found)
    assert students == ["Bob", "ann-lee", "ann.lee", "bob", "carl-15", "carl-16"]
    assert not skipped


def test_misnamed_unit_folders_are_graded_or_listed(tmp_path):
    for student, folder, name in [
        ("hank", "01-knn", "knn.ipynb"),
        ("ivan", "knn", "knn.ipynb"),
        ("jo", "01-knn", "notes.ipynb"),
        ("kim", "01_knn", "knn.ipynb"),
    ]:
        (tmp_path / student / folder).mkdir(parents=True)
        (tmp_path / student / folder / name).write_text("{}")
    skipped: list[str] = []
    found = collect.collect(tmp_path, {"01_knn": "knn.ipynb"}, tmp_path / "in", skipped)
    assert sorted(s.student for s in found) == ["hank", "ivan", "kim"]
    hank = next(s for s in found if s.student == "hank")
    assert "graded as 01_knn" in hank.notes[0]
    assert skipped == ["jo/01-knn: 01-knn matches no unit; did you mean 01_knn?"]


def test_two_runs_never_hold_the_same_slot(tmp_path):
    import subprocess

    from grading.classroom import slots

    holder = subprocess.Popen(  # another grading run on this machine holds one
        [
            sys.executable,
            "-c",
            "from grading.classroom import slots; import time\n"
            "with slots.claim() as s:\n    print(s, flush=True); time.sleep(60)",
        ],
        cwd=runner.REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        theirs = int(holder.stdout.readline())
        with slots.claim() as a, slots.claim() as b:
            assert len({a, b, theirs}) == 3
    finally:
        holder.kill()
        holder.wait()


def test_the_workers_heap_is_bounded():
    import subprocess

    code = (
        "import resource\n"
        "from grading.classroom import worker\n"
        "from grading.classroom.limits import Limits\n"
        "worker.bound_memory(Limits(grader_memory_mb=3000, memory_mb=1024))\n"
        "print(resource.getrlimit(resource.RLIMIT_DATA)[0] // 2**20)\n"
        "try:\n    bytearray(4 * 2**30)\nexcept MemoryError:\n    print('refused')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=runner.REPO, capture_output=True, text=True
    )
    assert done.stdout.split() == ["3000", "refused"], done.stderr


def test_grading_nothing_is_an_error(tmp_path):
    import subprocess

    (tmp_path / "submitted").mkdir()
    (tmp_path / "submitted" / "notes.txt").write_text("")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grading.classroom.runner",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
            "--no-gradebook",
            "--no-sandbox",
        ],
        cwd=runner.REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    assert "Nothing was graded" in done.stderr and "notes.txt" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_cluster_does_not_import_the_runner():
    import subprocess

    code = (
        "import sys, grading.classroom.cluster\n"
        "print('grading.classroom.runner' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=runner.REPO, capture_output=True, text=True
    )
    assert done.stdout.strip() == "False", done.stderr
