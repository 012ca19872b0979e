"""Read what a student's function does from its bytecode: loops, and modules it uses.

Used by ``lib.checks`` to tell a student that an answer loops where it must not, or
hands its work to a library. The walk follows the function's nested code (lambdas,
comprehensions, inner functions), the methods of a class, and the other functions of
the same notebook that it calls.
"""

from __future__ import annotations

import builtins
import dis
import inspect
import sys
import types

# Calls that hide a Python-level loop over the elements.
_LOOPING_CALLS = {
    "builtins.map",
    "builtins.filter",
    "numpy.vectorize",
    "numpy.apply_along_axis",
    "numpy.apply_over_axes",
    "numpy.frompyfunc",
    "numpy.fromiter",
}
_ATTRIBUTE_OPS = {"LOAD_ATTR", "LOAD_METHOD"}


def functions_of(obj) -> list[types.FunctionType]:
    """The plain functions behind a function, method, or every method of a class."""
    if inspect.isclass(obj):
        found = []
        for member in vars(obj).values():
            if isinstance(member, staticmethod | classmethod):
                member = member.__func__
            if isinstance(member, property):
                found += [f for f in (member.fget, member.fset) if f is not None]
            elif inspect.isfunction(member):
                found.append(member)
        return found
    obj = getattr(obj, "__func__", obj)
    return [obj] if inspect.isfunction(obj) else []


def _codes(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _qualified(obj, dotted: str) -> str:
    """A name for ``obj`` that starts with the module it comes from. An object
    that does not say (SciPy's ufuncs, imported with ``from scipy.special import
    rel_entr``) is looked up among the loaded modules, so that both spellings of
    an import name the same module."""
    if inspect.ismodule(obj):
        return obj.__name__
    module = getattr(obj, "__module__", None) or ""
    qualname = getattr(obj, "__qualname__", None) or dotted.split(".")[-1]
    if not module and callable(obj) and not isinstance(obj, _PLAIN_VALUES):
        found = _home_of(obj)
        if found:
            return f"{found}.{qualname}"
    return f"{module}.{qualname}" if module else dotted


_PLAIN_VALUES = (int, float, complex, str, bytes, bool, type(None), tuple, list, dict)
_HOMES: dict[int, str] = {}


def _home_of(obj) -> str:
    """The shortest name of a loaded module that holds ``obj`` (cached)."""
    key = id(obj)
    if key not in _HOMES:
        homes = [
            name
            for name, module in list(sys.modules.items())
            if module is not None
            and not name.startswith("_")
            and any(value is obj for value in list(vars(module).values()))
        ]
        _HOMES[key] = min(homes, key=lambda n: (n.count("."), len(n)), default="")
    return _HOMES[key]


def _uses(fn, allow: tuple[str, ...] = ()):
    """Yield ('loop', where) and ('use', qualified name, object) for ``fn``'s code.

    Global names in ``allow`` are neither reported nor followed.
    """
    seen: set[int] = set()
    pending = functions_of(fn)
    home = getattr(fn, "__module__", None)
    while pending:
        func = pending.pop()
        if id(func) in seen:
            continue
        seen.add(id(func))
        scope = func.__globals__
        for code in _codes(func.__code__):
            chain = None  # (object, dotted name) being built by attribute loads
            for ins in dis.get_instructions(code):
                if ins.opname == "FOR_ITER" or _jumps_back(ins):
                    yield "loop", f"a loop in {func.__qualname__}"
                if ins.opname == "IMPORT_NAME":
                    yield "use", str(ins.argval), None
                if ins.opname == "LOAD_GLOBAL":
                    name = str(ins.argval)
                    if name in allow:
                        chain = None
                    elif name in scope:
                        chain = (scope[name], name)
                    elif hasattr(builtins, name):
                        chain = (getattr(builtins, name), f"builtins.{name}")
                    else:
                        chain = None
                elif ins.opname in _ATTRIBUTE_OPS and chain is not None:
                    obj, dotted = chain
                    attr = str(ins.argval)
                    chain = (
                        (getattr(obj, attr), f"{dotted}.{attr}")
                        if hasattr(obj, attr)
                        else None
                    )
                else:
                    chain = None
                if chain is None:
                    continue
                obj, dotted = chain
                yield "use", _qualified(obj, dotted), obj
                # Follow calls into the notebook's other functions and classes.
                if getattr(obj, "__module__", None) == home and (
                    inspect.isfunction(obj) or inspect.isclass(obj)
                ):
                    pending.extend(functions_of(obj))


def delegations(
    fn, forbidden: tuple[str, ...], allow: tuple[str, ...] = ()
) -> set[str]:
    """Names from ``forbidden`` modules (prefixes like 'torch', 'lib') that fn uses.

    Global names in ``allow`` (other answers, graded on their own) are not followed.
    """
    found = set()
    if any(_in(getattr(fn, "__module__", "") or "", p) for p in forbidden):
        found.add(_qualified(fn, getattr(fn, "__name__", "?")))
    for event in _uses(fn, allow):
        if event[0] == "use" and any(_in(event[1], p) for p in forbidden):
            found.add(event[1])
    return found


def loops(fn) -> set[str]:
    """Descriptions of the Python loops in ``fn`` and the notebook code it calls."""
    found = set()
    for event in _uses(fn):
        if event[0] == "loop":
            found.add(event[1])
        elif event[1] in _LOOPING_CALLS:
            found.add(f"a call to {event[1]}")
    return found


_JUMPS = set(dis.hasjrel) | set(dis.hasjabs)


def _jumps_back(ins: dis.Instruction) -> bool:
    """A jump to an earlier instruction: the back edge of a loop."""
    return (
        ins.opcode in _JUMPS
        and isinstance(ins.argval, int)
        and (ins.argval <= ins.offset)
    )


def _in(qualified: str, prefix: str) -> bool:
    return qualified == prefix or qualified.startswith(prefix + ".")
