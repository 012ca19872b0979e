"""The course library as the student's process sees it: without the references of
the answers being graded.

``lib`` holds a reference version of most answers (the tests compare against them,
and later units build on them). In the sandbox, ``lib`` is a copy in which the
references of the unit being graded are stubs that raise, so an answer that hands
its work to them, by any route (an import spelled at run time, a module reached
through another object's attributes), gets nothing back to score with. The tests,
on the grader's side, keep the real library.

A reference stays where the unit's own solution calls it from an answer cell:
06's ``ThreeLayerConvNet`` is written with ``lib.conv``'s fast layers, so they stay,
and the source check (``check_own_implementation``) is what keeps them out of
``conv_forward_naive`` (a report on the grader's side, not a sandbox guarantee).
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from grading import layout

LIB = layout.LIB

# unit -> the lib modules that hold references under the answers' own names.
SAME_NAMES: dict[str, tuple[str, ...]] = {
    "02_linear": ("search",),
    "03_optimization": ("optim",),
    "04_backprop": ("layers", "networks"),
    "05_regularization": ("normalization", "networks", "solver"),
    "08_rnn": ("rnn_layers", "char_rnn"),
    "09_attention": ("attention",),
    "10_generative": ("generative",),
}
# unit -> (lib module, name) of the references under other names.
OTHER_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "01_knn": (
        ("knn", "pairwise_l2"),
        ("knn", "pairwise_l1"),
        ("knn", "vote"),
        ("knn", "cross_validate"),
    ),
    "02_linear": (
        ("linear", "svm_loss"),
        ("linear", "softmax_loss"),
        ("layers", "svm_loss"),
        ("layers", "softmax_loss"),
        ("oracles", "torch_svm_loss"),
        ("oracles", "torch_softmax_loss"),
        ("oracles", "sklearn_standardizer"),
        ("oracles", "sklearn_pca"),
        ("oracles", "scipy_kl_divergence"),
    ),
    "04_backprop": (("oracles", "torch_fc_loss"),),
    "05_regularization": (("oracles", "torch_fc_loss"),),
    "06_cnn": (("oracles", "measured_receptive_field"),),
    "08_rnn": (
        ("oracles", "torch_recurrent"),
        ("oracles", "torch_recurrent_step"),
        ("oracles", "torch_gru_step"),
    ),
}


def _top_level_names(module: str) -> set[str]:
    tree = ast.parse((LIB / f"{module}.py").read_text())
    return {_defines(n) for n in tree.body} - {None}


def references(unit: str) -> list[tuple[str, str]]:
    """(lib module, name) of every reference that computes one of ``unit``'s
    answers: its answers' names in the SAME_NAMES modules, and OTHER_NAMES.

    Raises ``ValueError`` when the tables have gone stale (a SAME_NAMES module
    that holds none of the answers, an OTHER_NAMES entry lib lacks): a renamed
    reference would otherwise stay."""
    from grading import notebook

    found = list(OTHER_NAMES.get(unit, ()))
    for module, name in found:
        if name not in _top_level_names(module):
            raise ValueError(
                f"references.py lists lib.{module}.{name} for {unit}, which lib "
                "does not define"
            )
    if unit in SAME_NAMES:
        solution = layout.solution(unit)
        answers = notebook.answer_ids(notebook.read(solution))
        for module in SAME_NAMES[unit]:
            held = [a for a in answers if a in _top_level_names(module)]
            if not held:
                raise ValueError(
                    f"references.py says lib.{module} holds answers of {unit} "
                    "under their own names, and it holds none"
                )
            found += [(module, name) for name in held]
    return found


def _message(module: str, name: str, unit: str) -> str:
    return (
        f"lib.{module}.{name} is the course's reference for an answer of {unit}: "
        "it is not available while that unit is graded. Write the answer yourself."
    )


def _stub(node: ast.stmt, module: str, unit: str) -> ast.stmt:
    """A definition of the same name that raises when used."""
    name = node.name if hasattr(node, "name") else node.targets[0].id
    message = _message(module, name, unit)
    if isinstance(node, ast.ClassDef):
        source = (
            f"class {name}:\n"
            f"    def __init__(self, *args, **kwargs):\n"
            f"        raise NotImplementedError({message!r})\n"
        )
    else:
        source = (
            f"def {name}(*args, **kwargs):\n"
            f"    raise NotImplementedError({message!r})\n"
        )
    return ast.parse(source).body[0]


def _defines(node: ast.stmt) -> str | None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ):
        return node.targets[0].id
    return None


def strip_source(source: str, module: str, names: set[str], unit: str) -> str:
    """``source`` with the top-level definitions of ``names`` replaced by stubs."""
    tree = ast.parse(source)
    body = []
    for node in tree.body:
        name = _defines(node)
        body.append(_stub(node, module, unit) if name in names else node)
    tree.body = body
    return ast.unparse(ast.fix_missing_locations(tree))


def stripped_lib(folder: Path, unit: str) -> Path:
    """A copy of ``lib`` in ``folder`` without ``unit``'s references; its path."""
    target = folder / "lib"
    stubs = references(unit)
    shutil.copytree(LIB, target, ignore=shutil.ignore_patterns("__pycache__"))
    by_module: dict[str, set[str]] = {}
    for module, name in stubs:
        by_module.setdefault(module, set()).add(name)
    for module, names in by_module.items():
        path = target / f"{module}.py"
        path.write_text(strip_source(path.read_text(), module, names, unit))
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    target.chmod(0o755)
    return target


def _loads(node: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def shipped(unit: str, replacements: dict) -> tuple[str, str, list[str]] | None:
    """The classes among a test's ``replacements`` that are references of
    ``unit`` (absent from the student's ``lib``), as (source, module name, names):
    their lib module with every other answer of the unit stubbed, except the ones
    they use themselves. A class must be a real object where the student's code
    runs (an ``nn.Module`` that an answer puts inside its own); functions are
    called on the grader's side instead. None: nothing to send."""
    wanted = {
        name: obj
        for name, obj in replacements.items()
        if isinstance(obj, type) and str(obj.__module__).startswith("lib.")
    }
    if not wanted:
        return None
    modules = {obj.__module__ for obj in wanted.values()}
    if len(modules) != 1:
        raise ValueError(f"references from several modules at once: {modules}")
    module = modules.pop().removeprefix("lib.")
    answers = {name for m, name in references(unit) if m == module}
    if not answers & {obj.__name__ for obj in wanted.values()}:
        return None  # the student's lib has them
    source = (LIB / f"{module}.py").read_text()
    nodes = {_defines(n): n for n in ast.parse(source).body if _defines(n)}
    keep: set[str] = set()
    todo = [obj.__name__ for obj in wanted.values()]
    while todo:
        name = todo.pop()
        if name in keep or name not in nodes:
            continue
        keep.add(name)
        todo += sorted(_loads(nodes[name]) & answers)
    stripped = strip_source(source, module, answers - keep, unit)
    aliases = "".join(
        f"{alias} = {obj.__name__}\n"
        for alias, obj in wanted.items()
        if alias != obj.__name__
    )
    return f"{stripped}\n{aliases}", f"_course_reference_{module}", sorted(wanted)
