"""Reading an answer cell before it runs: what it does that no answer needs.

Answers in this course define functions and classes with NumPy, math and torch. An
answer cell that patches a module, rebinds a name the tests use, hooks IPython or
the interpreter, touches files, processes, signals or the network, inspects its
environment, or runs code built at run time gains nothing: its tests score 0 and the
report names what it did. (It is a report: the verdicts do not depend on what it
misses, since the tests run in another process than the student's code.)
"""

from __future__ import annotations

import ast

ALLOWED_IMPORTS = {
    "numpy",
    "math",
    "torch",
    "collections",
    "itertools",
    "functools",
    "typing",
    "dataclasses",
    "numbers",
    "random",
    "heapq",
    "operator",
    "statistics",
}
HOOKS = {
    "get_ipython",
    "excepthook",
    "displayhook",
    "settrace",
    "setprofile",
    "atexit",
    "input_transformers_cleanup",
    "input_transformers_post",
    "ast_transformers",
    "set_custom_exc",
    "register_magic_function",
}
DYNAMIC = {"exec", "eval", "compile", "__import__", "globals", "vars", "breakpoint"}
FILES = {"open", "input"}
INTERNALS = {
    "__builtins__",
    "__dict__",
    "__globals__",
    "__code__",
    "__closure__",
    "__subclasses__",
    "__getattribute__",
    "__setattr__",
    "__delattr__",
    "__import__",
    "__loader__",
    "__spec__",
    "__file__",
}
FAKE_EQUALITY = {
    "__eq__",
    "__ne__",
    "__bool__",
    "__array_ufunc__",
    "__array_function__",
    "__torch_function__",
}


def _root(node) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _dotted(node) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # noqa: BLE001 -- a name for the report only
        return "?"


def scan(source: str, answer: str, protected: set[str]) -> list[str]:
    """What the answer cell ``answer`` does that it must not (empty if nothing).

    ``protected`` holds the names the course's own cells define (modules, helpers,
    data), which answer cells may use but not replace.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # it fails when it runs, like any broken answer
    found: list[str] = []

    def add(what: str) -> None:
        if what not in found:
            found.append(what)

    for node in tree.body:  # top-level rebinding of the course's names
        targets = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            names = [node.name]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [(a.asname or a.name).split(".")[0] for a in node.names]
        else:
            names = []
        for name in names:
            if (
                name in protected
                and name != answer
                and not isinstance(node, ast.Import | ast.ImportFrom)
            ):
                add(f"rebinds {name}, which the course's cells define")
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = (
                node.targets
                if isinstance(node, ast.Assign | ast.Delete)
                else [node.target]
            )
            for t in targets:
                # x.attr = ... or x.attr[k] = ... on a name the course defined (a
                # module, a helper); plain x[k] = ... on a local array is fine.
                has_attribute = any(isinstance(n, ast.Attribute) for n in ast.walk(t))
                if has_attribute and _root(t) in protected:
                    add(f"patches {_dotted(t)}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            for module in modules:
                if module.split(".")[0] not in ALLOWED_IMPORTS:
                    add(f"imports {module}")
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            builtin = isinstance(node, ast.Name)  # model.eval() is not eval()
            if name in HOOKS:
                add(f"hooks IPython or the interpreter ({name})")
            elif builtin and name in DYNAMIC:
                add(f"runs code built at run time ({name})")
            elif builtin and name in FILES:
                add(f"reads or writes files ({name})")
            elif name in INTERNALS or name.startswith("__grading"):
                add(f"reaches into interpreter internals ({name})")
            elif name in ("setattr", "delattr"):
                add(f"patches objects with {name}")
            elif name in ("environ", "getenv", "argv", "_getframe", "_exit", "kill"):
                add(f"inspects or controls its process ({name})")
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name in FAKE_EQUALITY:
                    add(
                        f"defines {item.name} on {node.name} (objects that claim "
                        "to equal anything)"
                    )
    return found


def defined_names(source: str) -> set[str]:
    """Names a (course) cell binds in the notebook's namespace: imports, functions,
    classes and variables, also inside its loops, ifs and withs (not inside
    functions or classes, whose names are local)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    scoped = (
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Lambda,
        ast.ListComp,
        ast.SetComp,
        ast.DictComp,
        ast.GeneratorExp,
    )

    def visit(node) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in child.names)
            elif isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
            ):
                names.add(child.name)
            elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                names.add(child.id)
            elif isinstance(child, ast.ExceptHandler) and child.name:
                names.add(child.name)
            if not isinstance(child, scoped):
                visit(child)

    visit(tree)
    return names


def defined_tools(source: str) -> set[str]:
    """Top-level names a course cell binds to code: imports, functions, classes and
    aliases (``sigmoid = rnn_layers.sigmoid``); answers may not rebind these."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign) and isinstance(
            node.value, ast.Attribute | ast.Name
        ):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names
