"""Loop and delegation detection, as the no-loop and own-code checks see it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import distance

from lib import checks, knn
from lib.inspection import delegations, loops


def vectorised(a):
    return np.sqrt((a * a).sum(1))


def with_for(a):
    return [x for x in a]


def with_while(a):
    while a > 0:
        a -= 1
    return a


def with_map(a):
    return list(map(float, a))


def with_vectorize(a):
    return np.vectorize(lambda v: v + 1)(a)


def calls_looping_helper(a):
    return with_for(a)


def uses_cdist(a):
    return distance.cdist(a, a)


def uses_lib(a):
    return knn.pairwise_l2(a, a)


def imports_torch(a):
    import torch

    return torch.cdist(a, a)


class UsesLibInAMethod:
    def run(self, a):
        return knn.vote(a, a)


def test_loops_are_found_wherever_they_hide():
    assert not loops(vectorised)
    for fn in (with_for, with_while, with_map, with_vectorize, calls_looping_helper):
        assert loops(fn), fn.__name__
    with pytest.raises(checks.CheckFailed, match="must not use Python loops"):
        checks.check_no_loops(calls_looping_helper)


def test_delegation_to_forbidden_modules_is_found():
    forbidden = checks.NUMPY_EXERCISE
    assert not delegations(vectorised, forbidden)
    assert "scipy.spatial.distance.cdist" in delegations(uses_cdist, forbidden)
    assert any(n.startswith("lib.knn") for n in delegations(uses_lib, forbidden))
    assert "torch" in delegations(imports_torch, forbidden)
    assert delegations(UsesLibInAMethod, forbidden)
    assert delegations(knn.pairwise_l2, forbidden)  # imported from lib as the answer
    with pytest.raises(checks.CheckFailed, match="earns no points"):
        checks.check_own_implementation(uses_cdist)


def test_allowed_names_are_not_followed():
    """A function may call other answers; they are graded by their own tests."""

    def outer(a):
        return uses_cdist(a)

    assert delegations(outer, checks.NUMPY_EXERCISE)
    assert not delegations(outer, checks.NUMPY_EXERCISE, allow=("uses_cdist",))


def test_both_spellings_of_an_import_name_the_same_module():
    """``from scipy.special import rel_entr`` hands the work to SciPy just as
    ``scipy.special.rel_entr(...)`` does (SciPy's ufuncs do not say their module).
    Each answer is a notebook cell: its imports are globals of the function."""
    from lib.inspection import delegations

    cells = {
        "from scipy.special import rel_entr": "rel_entr(p, q)",
        "import scipy.special": "scipy.special.rel_entr(p, q)",
        "import scipy.special as sp": "sp.rel_entr(p, q)",
    }
    for imports, call in cells.items():
        namespace: dict = {}
        source = f"{imports}\ndef kl(p, q):\n    return {call}.sum(axis=1)\n"
        exec(compile(source, "<answer kl>", "exec"), namespace)  # noqa: S102
        used = delegations(namespace["kl"], ("scipy",))
        assert "scipy.special.rel_entr" in used, (imports, used)
