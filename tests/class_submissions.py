"""A synthetic class for the class-grading tests: correct, blank and partly wrong
submissions, broken files, and every attack the grader must make worthless.

Most submissions are unit 01_knn (its kernel is the quickest); every other unit gets
one correct submission. ``EXPECTED[student]`` says what the report must show.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

from grading import notebook

REPO = Path(__file__).resolve().parent.parent
KNN = "01_knn"
FULL = 34.0
# Points of the tests of the four distance answers, which come before
# predict_labels: an attack placed in predict_labels keeps these and nothing more.
BEFORE_PREDICT = 18.0

ATTACK_HEAD = "predict_labels"


@dataclass
class Expected:
    unit: str
    score: float | None  # None: not graded
    report: list[str] = field(default_factory=list)  # substrings of its report lines
    reason: str = ""  # substring of the not-graded reason


def _notebooks(unit):
    name = sorted(p.name for p in (REPO / "solutions" / unit).glob("*.ipynb"))[0]
    return (
        name,
        notebook.read(REPO / "solutions" / unit / name),
        notebook.read(REPO / "assignments" / unit / name),
    )


def _correct(unit, **overrides):
    name, solution, release = _notebooks(unit)
    return notebook.submission(release, solution, overrides=overrides)


def _with_attack(code: str, before_def: bool = False):
    """A correct 01_knn notebook whose predict_labels cell also runs ``code``."""
    _, solution, _ = _notebooks(KNN)
    own = notebook.solution_sources(solution)[ATTACK_HEAD]
    source = f"{code}\n{own}" if before_def else f"{own}\n{code}"
    return _correct(KNN, **{ATTACK_HEAD: source})


def _cells_by_id(nb, gid):
    return [
        c
        for c in nb.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == gid
    ]


def build(root: Path) -> dict[str, Expected]:
    """Write the class under ``root/submitted`` and return what each should get."""
    expected: dict[str, Expected] = {}
    name, solution, release = _notebooks(KNN)

    def put(student, nb=None, unit=KNN, raw: bytes | None = None, extra=None):
        folder = root / "submitted" / student / unit
        folder.mkdir(parents=True, exist_ok=True)
        file = _notebooks(unit)[0]
        if raw is not None:
            (folder / file).write_bytes(raw)
        elif nb is not None:
            notebook.write(nb, folder / file)
        for extra_name, text in (extra or {}).items():
            (folder / extra_name).write_text(text)

    for i in range(6):
        put(f"correct{i}", _correct(KNN))
        expected[f"correct{i}"] = Expected(KNN, FULL)
    for unit in sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir()):
        if unit != KNN:
            put(f"correct-{unit}", _correct(unit), unit=unit)
            points = sum(notebook.test_points(_notebooks(unit)[1]).values())
            expected[f"correct-{unit}"] = Expected(unit, points)
    # A 07 answer that zeroes the model a test lends it and returns zeros: what it
    # does to the lent copy comes back to the grader's model, so the tests compute
    # what they expect before lending it, and the forgery loses both tests.
    forger = (
        "def compute_saliency_maps(X, y, model):\n"
        "    with torch.no_grad():\n"
        "        for p in model.parameters():\n"
        "            p.zero_()\n"
        "    return torch.zeros(X.shape[0], X.shape[2], X.shape[3], device=X.device)\n"
    )
    torch_unit = "07_pytorch"
    put(
        "forge-lent-model",
        _correct(torch_unit, compute_saliency_maps=forger),
        unit=torch_unit,
    )
    torch_solution = _notebooks(torch_unit)[1]
    points = notebook.test_points(torch_solution)
    lost = notebook.tests_by_answer(torch_solution)["compute_saliency_maps"]
    expected["forge-lent-model"] = Expected(
        torch_unit, sum(points.values()) - sum(points[t] for t in lost)
    )
    put("blank", release)
    expected["blank"] = Expected(KNN, 0.0)
    no_root = notebook.solution_sources(solution)[
        "compute_distances_two_loops"
    ].replace("np.sqrt(np.sum(diff * diff))", "np.sum(diff * diff)")
    put("wrong-sqrt", _correct(KNN, compute_distances_two_loops=no_root))
    expected["wrong-sqrt"] = Expected(KNN, FULL - 4)
    put("wrong-best-k", _correct(KNN, best_k="best_k = 1000"))
    expected["wrong-best-k"] = Expected(KNN, FULL - 2)  # its visible test catches it

    # Cells a student should not touch.
    edited = _correct(KNN)
    for cell in _cells_by_id(edited, "test_predict_labels"):
        cell.source = "pass  # looks fine to me"
    put("edited-test", edited)
    expected["edited-test"] = Expected(KNN, FULL, ["test_predict_labels was edited"])
    deleted = _correct(KNN)
    deleted.cells = [
        c for c in deleted.cells if c not in _cells_by_id(deleted, "test_best_k")
    ]
    put("deleted-test", deleted)
    expected["deleted-test"] = Expected(KNN, FULL, ["test_best_k was deleted"])
    copied = copy.deepcopy(release)
    test = _cells_by_id(copied, "test_compute_distances_l1")[0]
    copied.cells.append(copy.deepcopy(test))
    put("copied-test", copied)
    expected["copied-test"] = Expected(
        KNN, 0.0, ["test_compute_distances_l1 was copied"]
    )
    dup = _correct(KNN)
    dup.cells[1]["id"] = dup.cells[0]["id"]
    # Written as raw JSON: nbformat would renumber the duplicate on writing.
    put("duplicate-ids", raw=json.dumps(dup).encode())
    expected["duplicate-ids"] = Expected(KNN, FULL, ["duplicate cell ids"])
    put(
        "extra-files",
        _correct(KNN),
        extra={"numpy.py": "raise SystemExit('shadowed')\n", "notes.txt": "hi"},
    )
    expected["extra-files"] = Expected(
        KNN, FULL, ["ignored files: notes.txt, numpy.py"]
    )
    missing = _correct(KNN)
    missing.cells = [
        c
        for c in missing.cells
        if c not in _cells_by_id(missing, "compute_distances_l1")
    ]
    put("missing-answer", missing)
    expected["missing-answer"] = Expected(KNN, FULL - 4, ["answer cells missing"])
    put("garbage", raw=b"\x00\x01 this is not JSON")
    expected["garbage"] = Expected(KNN, None, reason="not a readable notebook")
    put("no-notebook", extra={"knn.py": "print('wrong file')\n"})
    expected["no-notebook"] = Expected(KNN, None, reason=f"no {name}")

    # The process: exits, signals, loops, memory, output.
    process_attacks = {
        "os-exit": ("import os\nos._exit(0)", "kernel died"),
        "kill-self": (
            "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
            "kernel died",
        ),
        "endless-loop": ("while True:\n    pass", "limit per cell"),
        # Asleep rather than spinning: the limit is on the wall clock, and the
        # busy loop above already shows a spinning cell is stopped.
        "ignores-interrupts": (
            "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n    time.sleep(1)",
            "limit per cell",
        ),
        "huge-output": (
            "for _ in range(200):\n    print('x' * 100_000)",
            "printed more than",
        ),
    }
    for student, (code, reason) in process_attacks.items():
        put(student, _with_attack(code))
        expected[student] = Expected(KNN, None, reason=reason)
    put("memory-bomb", _with_attack("hog = bytearray(64 * 2**30)"))
    # The bomb fails (MemoryError) after predict_labels is defined: nothing gained,
    # nothing lost, and the report names it.
    expected["memory-bomb"] = Expected(KNN, FULL, ["predict_labels raised MemoryError"])

    # Tampering: caught by reading the answer (scan.py) ...
    read_attacks = {
        "patch-numpy": ("np.allclose = lambda *a, **k: True", "patches np.allclose"),
        "patch-checks": (
            "checks.check_close = lambda *a, **k: None",
            "patches checks.check_close",
        ),
        "equal-to-anything": (
            "class Anything:\n    def __eq__(self, other):\n        return True",
            "defines __eq__",
        ),
        "input-transformer": (
            "get_ipython().input_transformers_cleanup.append(lambda lines: [])",
            "hooks IPython",
        ),
        "exception-hook": (
            "get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)",
            "hooks IPython",
        ),
        "shadow-module": (
            "open('scipy.py', 'w').write('x = 1')",
            "reads or writes files (open)",
        ),
        "read-solutions": (
            f"SOURCE = open({str(REPO / 'solutions' / KNN / name)!r}).read()",
            "reads or writes files (open)",
        ),
        "write-gradebook": (
            "import sqlite3\nsqlite3.connect('../../gradebook.db').execute("
            "'update grade set auto_score = max_score')",
            "imports sqlite3",
        ),
        "detect-grading": (
            "import os\nGRADED = 'NBGRADER_EXECUTION' in os.environ",
            "imports os",
        ),
    }
    for student, (code, report) in read_attacks.items():
        put(student, _with_attack(code))
        expected[student] = Expected(
            KNN, BEFORE_PREDICT, ["tampering in predict_labels", report]
        )
    # What reading does not see gains nothing either: lenient checks slipped in
    # through a tuple assignment, with a wrong best_k behind them.
    lenient = (
        "class Lenient:\n    def __getattr__(self, name):\n"
        "        return lambda *a, **k: None\n\n\nchecks, = [Lenient()]"
    )
    _, solution, _ = _notebooks(KNN)
    own = notebook.solution_sources(solution)[ATTACK_HEAD]
    put(
        "lenient-checks",
        _correct(KNN, **{ATTACK_HEAD: f"{own}\n{lenient}", "best_k": "best_k = 1000"}),
    )
    # The tests run apart from the student's code: rebinding ``checks`` there
    # changes nothing, and the wrong best_k loses its visible test's points.
    expected["lenient-checks"] = Expected(KNN, FULL - 2)
    return expected
