"""Mutants of a graded answer: its solution with one small, typical change.

A mutant that the answer's tests still pass shows what they cannot tell from the
right answer: a weak test, or an equivalent change (one that computes the same
thing). ``course.py mutants`` grades every mutant (grading/mutation_run.py) and
lists the survivors; tests/mutants/<unit>.py lists the equivalent ones, each with
its reason.

Only the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` is mutated
(what a student writes); one operator changes one node:

    arithmetic   + <-> -, * <-> /, // -> /, ** -> *, @ -> *, % -> //, and in +=
    comparison   < <-> <=, > <-> >=, == <-> !=, is <-> is not, in <-> not in
    constant     an int n -> n + 1 and n - 1; a tiny float (an epsilon, < 1e-3)
                 x 1e-3; another float x 1.5; True <-> False
    range        range(n) -> range(n - 1); range(a, ...) -> range(a + 1, ...)
    slice        x[a:b] -> x[a + 1:b] and x[a:b - 1]
    axis         axis=k -> another axis; keepdims=True -> False
    term         a + b or a - b -> a, and -> b
    statement    an assignment or a call on its own line -> pass
    transpose    x.T -> x
    arguments    f(a, b, ...) -> f(b, a, ...)
    sign         -x -> x; not x -> x
    logic        and <-> or

A mutant's ``ident`` names it in reports and in the list of equivalent mutants:
"operator: `code`#n/k", with the changed code (whitespace collapsed, long code
shortened with a digest), n counting earlier nodes of the answer with the same
code and k the node's k-th change. It does not move when lines are added above.
"""

from __future__ import annotations

import ast
import copy
import hashlib
from dataclasses import dataclass

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"

_ARITHMETIC = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Pow: ast.Mult,
    ast.MatMult: ast.Mult,
    ast.Mod: ast.FloorDiv,
}
_COMPARISON = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
TINY = 1e-3


@dataclass(frozen=True)
class Mutant:
    answer: str
    ident: str
    description: str
    code: str


def solution_lines(source: str) -> set[int]:
    """The cell's line numbers (1-based) inside its solution regions (a class may
    have one per method; the code between them is given, not written)."""
    lines = [line.strip() for line in source.splitlines()]
    begins = [i + 1 for i, line in enumerate(lines) if line == BEGIN]
    ends = [i + 1 for i, line in enumerate(lines) if line == END]
    if not begins or len(begins) != len(ends):
        raise ValueError("the cell has no ### BEGIN SOLUTION ... ### END SOLUTION")
    return {n for b, e in zip(begins, ends, strict=True) for n in range(b + 1, e)}


def _shifted(node: ast.expr, by: int) -> ast.expr:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return ast.Constant(node.value + by)
    op = ast.Add() if by > 0 else ast.Sub()
    return ast.BinOp(node, op, ast.Constant(abs(by)))


def _docstring(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _changes(node: ast.AST):
    """(operator, a function that applies one change to a copy of node) for every
    change this node allows."""
    if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in _ARITHMETIC:
        new = _ARITHMETIC[type(node.op)]

        def swap_op(n, new=new):
            n.op = new()

        yield "arithmetic", swap_op
    if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub):
        yield "term", lambda n: n.left
        yield "term", lambda n: n.right
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _COMPARISON:

                def swap_compare(n, i=i):
                    n.ops[i] = _COMPARISON[type(n.ops[i])]()

                yield "comparison", swap_compare
    if isinstance(node, ast.Constant):
        value = node.value
        if type(value) is bool:
            yield "constant", lambda n: ast.Constant(not n.value)
        elif type(value) is int:
            yield "constant", lambda n: ast.Constant(n.value + 1)
            yield "constant", lambda n: ast.Constant(n.value - 1)
        elif type(value) is float and value != 0:
            factor = 1e-3 if abs(value) < TINY else 1.5
            yield "constant", lambda n, f=factor: ast.Constant(n.value * f)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "range"
        and node.args
        and not any(isinstance(a, ast.Starred) for a in node.args)
    ):
        if len(node.args) == 1:

            def shorter(n):
                n.args[0] = _shifted(n.args[0], -1)

            yield "range", shorter
        else:

            def later_start(n):
                n.args[0] = _shifted(n.args[0], 1)

            yield "range", later_start
    if isinstance(node, ast.Slice):
        if node.lower is not None:

            def lower(n):
                n.lower = _shifted(n.lower, 1)

            yield "slice", lower
        if node.upper is not None:

            def upper(n):
                n.upper = _shifted(n.upper, -1)

            yield "slice", upper
    if isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant):
        value = node.value.value
        if node.arg == "axis" and type(value) is int:
            other = 0 if value != 0 else 1
            yield "axis", lambda n, o=other: ast.keyword(n.arg, ast.Constant(o))
        if node.arg == "keepdims" and value is True:
            yield "axis", lambda n: ast.keyword(n.arg, ast.Constant(False))
    if isinstance(node, ast.Attribute) and node.attr == "T":
        yield "transpose", lambda n: n.value
    if (
        isinstance(node, ast.Call)
        and len(node.args) >= 2
        and not any(isinstance(a, ast.Starred) for a in node.args[:2])
    ):

        def swap_args(n):
            n.args[0], n.args[1] = n.args[1], n.args[0]

        yield "arguments", swap_args
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
        yield "sign", lambda n: n.operand
    if isinstance(node, ast.BoolOp):

        def swap_logic(n):
            n.op = ast.Or() if isinstance(n.op, ast.And) else ast.And()

        yield "logic", swap_logic
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) or (
        isinstance(node, ast.Expr) and not _docstring(node)
    ):
        yield "statement", lambda n: ast.copy_location(ast.Pass(), n)


def _replace(tree: ast.AST, index: int, change) -> None:
    """Apply ``change`` to the index-th node of ``ast.walk(tree)``, in place (a
    returned node replaces it in its parent)."""
    nodes = list(ast.walk(tree))
    target = nodes[index]
    result = change(target)
    if result is None or result is target:
        return
    for parent in nodes:
        for field, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, field, result)
                return
            if isinstance(value, list) and any(v is target for v in value):
                value[[i for i, v in enumerate(value) if v is target][0]] = result
                return
    raise ValueError("the node to change has no parent")


def _label(code: str) -> str:
    """The code in an ident: whitespace collapsed; past 60 characters, its start
    and a digest of the whole."""
    flat = " ".join(code.split())
    if len(flat) <= 60:
        return flat
    return f"{flat[:48]}...{hashlib.sha1(flat.encode()).hexdigest()[:8]}"


def mutants(answer: str, source: str) -> list[Mutant]:
    """Every mutant of the answer cell ``source`` (its solution region only)."""
    region = solution_lines(source)
    tree = ast.parse(source)
    found: list[Mutant] = []
    seen: dict[tuple[str, str], int] = {}
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", None)
        if line not in region:
            continue
        original = ast.get_source_segment(source, node) or ast.unparse(node)
        label = _label(original)
        key = (type(node).__name__, label)
        nth = seen.get(key, 0)
        seen[key] = nth + 1
        for k, (operator, change) in enumerate(_changes(node)):
            mutated = copy.deepcopy(tree)
            piece = copy.deepcopy(node)
            try:
                _replace(mutated, index, change)
                shown = change(piece)
                code = ast.unparse(ast.fix_missing_locations(mutated))
            except (ValueError, TypeError, AttributeError):
                continue
            after = ast.unparse(shown if shown is not None else piece)
            if after == ast.unparse(node) or code == ast.unparse(tree):
                continue
            ident = f"{operator}: `{label}`#{nth}/{k}"
            first = original.splitlines()[0] if original else ""
            found.append(
                Mutant(answer, ident, f"line {line}: `{first}` -> `{after}`", code)
            )
    return found
