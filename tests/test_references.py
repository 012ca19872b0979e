"""The student's process sees a course library without the references of the unit
being graded (grading/classroom/references.py), by any route."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from grading.classroom import references, sandbox, trusted
from lib import layers

BORROW_AFFINE = """
np = __import__('nu' + 'mpy')
importer = getattr(np, '__buil' + 'tins__')['__imp' + 'ort__']
layers = importer('li' + 'b.lay' + 'ers', fromlist=['x'])
out, _ = getattr(layers, 'affine' + '_forward')(np.ones((2, 3)), np.ones((3, 4)),
                                                   np.zeros(4))
"""


UNITS = sorted({*references.SAME_NAMES, *references.OTHER_NAMES})


@pytest.mark.parametrize("unit", UNITS)
def test_each_unit_s_references_become_stubs_that_raise(unit, tmp_path):
    lib = references.stripped_lib(tmp_path, unit)
    names = references.references(unit)
    probe = (
        "import importlib, json, sys\n"
        f"sys.path.insert(0, {str(lib.parent)!r})\n"
        "found = {}\n"
        f"for module, name in {list(names)!r}:\n"
        "    obj = getattr(importlib.import_module('lib.' + module), name)\n"
        "    try:\n"
        "        obj()\n"
        "        found[name] = 'returned'\n"
        "    except NotImplementedError as error:\n"
        "        found[name] = str(error)\n"
        "    except Exception as error:\n"
        "        found[name] = type(error).__name__\n"
        "print(json.dumps(found))\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", probe], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    for _, name in names:
        assert "not available while that unit is graded" in found[name], (name, found)


def test_other_units_references_stay(tmp_path):
    """05's answers may use 04's layers: grading 05 keeps them."""
    lib = references.stripped_lib(tmp_path, "05_regularization")
    source = (lib / "layers.py").read_text()
    assert "not available" not in source
    assert "not available" in (lib / "normalization.py").read_text()


def test_the_answers_own_names_are_found_in_lib():
    found = set(references.references("04_backprop"))
    assert ("layers", "affine_forward") in found
    assert ("networks", "FullyConnectedNet") in found
    assert ("layers", "TwoLayerNet") not in found  # lib has no TwoLayerNet


def test_a_stale_table_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setitem(references.OTHER_NAMES, "01_knn", (("knn", "renamed"),))
    with pytest.raises(ValueError, match="lib does not define"):
        references.stripped_lib(tmp_path, "01_knn")
    monkeypatch.setitem(references.SAME_NAMES, "01_knn", ("layers",))
    monkeypatch.setitem(references.OTHER_NAMES, "01_knn", ())
    with pytest.raises(ValueError, match="it holds none"):
        references.references("01_knn")


@pytest.mark.skipif(
    not sandbox.available()[0],
    reason=f"the sandbox cannot start: {sandbox.available()[1]} (.ci/run installs "
    "bubblewrap)",
)
def test_an_answer_cannot_borrow_the_reference_in_the_sandbox(tmp_path):
    """The issue's example: affine_forward through numpy's builtins, every name built
    at run time. In the sandbox it reaches a stub; the grader's lib is intact."""
    server = sandbox.server_tree(tmp_path / "server")
    work = tmp_path / "work"
    work.mkdir()
    config = {"server": str(server), "work": str(work), "unit": "04_backprop"}
    session = trusted.Session(config, namespace={})
    try:
        result = session.request("exec", BORROW_AFFINE, "answer affine_forward")
        assert result["error"] is not None, "the borrowed reference ran"
        name, message, _ = result["error"]
        assert name == "NotImplementedError", result["error"]
        assert "lib.layers.affine_forward" in message
        # A reference of another unit is still there (05 builds on 04's layers).
        ok = session.request(
            "exec", "import lib.normalization as n\nn.batchnorm_forward", "probe"
        )
        assert ok["error"] is None, ok["error"]
    finally:
        session.process.kill()
    # The grader's own library is untouched.
    out, _ = layers.affine_forward(np.ones((1, 2)), np.ones((2, 3)), np.zeros(3))
    assert out.shape == (1, 3)
