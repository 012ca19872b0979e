"""A hostile class graded by `course.py grade`: attacks written the way a determined
student would (every attribute and module name built from strings at run time),
next to honest students. No attack gains a point, no honest student loses one, and
the course tree is byte for byte the same afterwards.

The attacks run in the student's sandboxed process; the tests run in the grader's
kernel (grading/classroom/trusted.py), so nothing the attacks change in their own
process reaches a verdict. Needs bubblewrap (`.ci/run` installs it).
"""

from __future__ import annotations

import hashlib
import json

import pytest
from class_submissions import KNN, _correct, _notebooks

from grading import notebook
from grading.classroom import report, runner, sandbox
from grading.classroom.limits import Limits

pytestmark = pytest.mark.slow
REPO = runner.REPO
FULL = 34.0
LIMITS = Limits(cell_seconds=60, notebook_seconds=300)


def _attacks(out) -> dict[str, str]:
    """student -> code appended to the blank release's best_k cell."""
    result = str(out / KNN / "honest0" / "result.json")
    return {
        # The notebook's globals through a function's attributes, then the checks
        # patched and the display of failing tests switched off.
        "globals-through-a-function": (
            "g = getattr(predict_labels, '__glo' + 'bals__')\n"
            "c = g['chec' + 'ks']\n"
            "for n in dir(c):\n"
            "    if n.startswith('check_'):\n"
            "        setattr(c, n, lambda *a, **k: None)\n"
            "setattr(c, 'fa' + 'il', lambda *a, **k: None)\n"
        ),
        "frames-and-tracebacks": (
            "s = __import__('s' + 'ys')\n"
            "f = getattr(s, '_get' + 'frame')()\n"
            "while f is not None:\n"
            "    f.f_globals.setdefault('__grading_guard__', None)\n"
            "    f = f.f_back\n"
            "setattr(s, 'excep' + 'thook', lambda *a: None)\n"
            "ip = getattr(__import__('IPy' + 'thon'), 'get_ipy' + 'thon')()\n"
            "if ip is not None:\n"
            "    ip.showtraceback = lambda *a, **k: None\n"
        ),
        "code-swap": (
            "c = __import__('li' + 'b.checks', fromlist=['x'])\n"
            "quiet = lambda *a, **k: None\n"
            "for n in ('check_close', 'check_equal', 'check_shape', 'fail'):\n"
            "    setattr(getattr(c, n), '__co' + 'de__', quiet.__code__)\n"
        ),
        "read-the-solution": (
            "p = __import__('path' + 'lib').Path(__import__('li' + 'b').__file__)\n"
            f"src = (p.parents[1] / 'solutions' / {KNN!r} / 'knn.ipynb').read_text()\n"
            "exec(src)\n"
        ),
        "rewrite-the-library": (
            "m = __import__('li' + 'b.checks', fromlist=['x'])\n"
            "open(m.__file__, 'a').write('\\ncheck_close = lambda *a, **k: None\\n')\n"
        ),
        "rewrite-other-results": (
            "os = __import__('o' + 's')\n"
            "for pid in os.listdir('/proc'):\n"
            "    try:\n"
            "        cwd = os.readlink(f'/proc/{pid}/cwd')\n"
            "    except OSError:\n"
            "        continue\n"
            "    for name in ('result.json', 'worker.json'):\n"
            "        try:\n"
            "            open(os.path.join(cwd, name), 'w').write('{}')\n"
            "        except OSError:\n"
            "            pass\n"
            f"open({result!r}, 'w').write('{{\"score\": 0}}')\n"
        ),
        "fork-bomb": (
            "os = __import__('o' + 's')\n"
            "for _ in range(10_000):\n"
            "    try:\n"
            "        if os.fork() == 0:\n"
            "            __import__('time').sleep(60)\n"
            "    except OSError:\n"
            "        break\n"
        ),
    }


# A student who hands every answer to the course's reference (lib.knn), reached
# through numpy's builtins with every name built at run time, so that the scan sees
# nothing: in the sandbox the references of 01_knn are stubs that raise.
_LIB_KNN = (
    "_knn = getattr(np, '__buil' + 'tins__')['__imp' + 'ort__']"
    "('li' + 'b.k' + 'nn', fromlist=['x'])\n"
)
BORROWED = {
    "compute_distances_two_loops": (
        _LIB_KNN + "def compute_distances_two_loops(X_test, X_train):\n"
        "    return getattr(_knn, 'pairwise' + '_l2')(X_test, X_train)\n"
    ),
    "compute_distances_one_loop": (
        _LIB_KNN + "def compute_distances_one_loop(X_test, X_train):\n"
        "    return getattr(_knn, 'pairwise' + '_l2')(X_test, X_train)\n"
    ),
    "compute_distances_no_loops": (
        _LIB_KNN + "def compute_distances_no_loops(X_test, X_train):\n"
        "    return getattr(_knn, 'pairwise' + '_l2')(X_test, X_train)\n"
    ),
    "compute_distances_l1": (
        _LIB_KNN + "def compute_distances_l1(X_test, X_train):\n"
        "    return getattr(_knn, 'pairwise' + '_l1')(X_test, X_train)\n"
    ),
    "predict_labels": (
        _LIB_KNN + "def predict_labels(dists, y_train, k=1):\n"
        "    return getattr(_knn, 'vo' + 'te')(dists, y_train, k)\n"
    ),
    "cross_validate_k": (
        _LIB_KNN + "def cross_validate_k(X, y, k_choices, num_folds=5):\n"
        "    return getattr(_knn, 'cross' + '_validate')(X, y, k_choices, num_folds)\n"
    ),
}


def _tree_digest() -> str:
    """A checksum of every file of the course that a submission could reach."""
    digest = hashlib.sha256()
    for folder in ("lib", "solutions", "assignments", "grading"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


NEEDS_SANDBOX = pytest.mark.skipif(
    not sandbox.available()[0],
    reason=f"the sandbox cannot start: {sandbox.available()[1]} (.ci/run installs "
    "bubblewrap)",
)


def _write_class(tmp_path, out) -> dict[str, float]:
    """Two honest students, the attackers and the borrower; student -> score."""
    _, _, release = _notebooks(KNN)
    expected = {"honest0": FULL, "honest1": FULL}
    for student in expected:
        folder = tmp_path / "submitted" / student / KNN
        notebook.write(_correct(KNN), folder / "knn.ipynb")
    blanks = {
        c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in release.cells
    }
    for student, attack in _attacks(out).items():
        nb = _correct(KNN)  # start from the blank answers, plus the attack
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if notebook.is_answer_cell(cell):
                cell.source = blanks[gid] + ("\n" + attack if gid == "best_k" else "")
        notebook.write(nb, tmp_path / "submitted" / student / KNN / "knn.ipynb")
        expected[student] = 0.0
    nb = _correct(KNN)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if notebook.is_answer_cell(cell):
            cell.source = BORROWED.get(gid, blanks[gid])
    borrower = tmp_path / "submitted" / "borrow-the-reference" / KNN / "knn.ipynb"
    notebook.write(nb, borrower)
    expected["borrow-the-reference"] = 0.0
    return expected


def _grade_and_check(tmp_path, out, expected) -> None:
    before = _tree_digest()
    results = runner.grade_class(tmp_path, out, jobs=2, limits=LIMITS, progress=False)
    assert _tree_digest() == before, "a submission changed the course's files"
    got = {r["student"]: r for r in results}
    for student, score in expected.items():
        lines = "\n".join(report.report_lines(got[student]))
        if student.startswith("honest"):
            assert got[student]["status"] == "graded", lines
        assert got[student]["score"] == score, lines
    for student in ("honest0", "honest1"):  # on disk too, not only in memory
        on_disk = json.loads((out / KNN / student / "result.json").read_text())
        assert on_disk["score"] == FULL, on_disk
    csv = (out / "grades.csv").read_text()
    assert "honest0,01_knn,34," in csv and "honest1,01_knn,34," in csv


@NEEDS_SANDBOX
def test_a_hostile_class_gains_nothing_and_changes_nothing(tmp_path):
    out = tmp_path / "graded"
    expected = _write_class(tmp_path, out)
    _grade_and_check(tmp_path, out, expected)
