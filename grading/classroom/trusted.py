"""The grader's side of a graded notebook: the kernel where the tests run.

The graded notebook (template.py) runs in a kernel that holds no student code. Its
first cell starts a ``Session``: the student's process, in the sandbox, on the
other end of a channel. Then

- a course cell that uses no answer runs in both places (imports, data, helpers);
- a course cell that uses an answer runs here only, the answer being a proxy;
  then the names it binds are pushed to the student's process by value
  (``push``), for the answers that read them; nothing is ever pulled from here
  (protocol.py);
- an answer cell runs in the student's process only; the names the course's own
  solution defines in that cell are then bound here, as plain data or proxies;
- every test cell, visible and hidden, runs here. It scores when it raises no
  error, whatever the student's process does: that process can change anything in
  itself, and nothing here. Torch objects a test hands an answer are lent to that
  process by value and read back after each call (mirror.py).

Two course helpers need to know that an answer lives elsewhere, and the session
tells them (``lib.checks`` hooks): ``checks.substitute`` binds reference objects in
the student's namespace too, and the source checks (``check_own_implementation``,
``check_no_loops``) read shadows of the student's functions compiled here from the
answer cells' source, without running them. An answer whose code cannot be found
that way (bound by ``exec``, through ``globals()``, or to an object that is not a
function of the cell) gets an ``Unreadable`` shadow, and the checks fail on it.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import types
from pathlib import Path

from grading.classroom import (
    channel,
    heldout,
    mirror,
    protocol,
    proxy,
    references,
    sandbox,
)
from grading.classroom.limits import Limits

SESSION_ENV = "COURSE_GRADING_SESSION"


class GradingStopped(Exception):
    """The submission cannot be graded further (its process died, or it went over
    a limit); the worker reports it as "not graded: reason"."""


class StudentCellError(Exception):
    """An answer cell raised; shown as the student's own traceback."""

    def __init__(self, name, message, text):
        name = proxy.error_name(name)
        super().__init__(f"{name}: {protocol.text(message, 300)}")
        self.text = protocol.text(text, 8000)

    def _render_traceback_(self):
        return self.text.rstrip("\n").split("\n")


def defined_names(source: str) -> list[str]:
    """Names a cell binds at its top level (def, class, assignment, import)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names += [(a.asname or a.name).split(".")[0] for a in node.names]
    return list(dict.fromkeys(names))


def definitions(source: str) -> str:
    """The cell's top-level imports, functions and classes, as source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    kept = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    return "\n".join(ast.unparse(n) for n in tree.body if isinstance(n, kept))


def loaded_names(source: str) -> set[str]:
    """Every name a cell's code reads (for: does this course cell use an answer?)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


class _Named(types.ModuleType):
    """Stands for a module or object a student imports, for the source checks:
    it has the dotted name, and attributes that extend it; nothing is imported."""

    def __init__(self, dotted: str):
        super().__init__(dotted)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Named(f"{self.__name__}.{name}")


def _function(code: types.CodeType, scope: dict) -> types.FunctionType:
    """A function object for ``code``, with empty cells for its free variables (a
    method that calls ``super()`` has one)."""
    cells = tuple(types.CellType() for _ in code.co_freevars)
    return types.FunctionType(code, scope, closure=cells or None)


def _functions_in(code: types.CodeType, scope: dict) -> dict:
    return {
        const.co_name: _function(const, scope)
        for const in code.co_consts
        if isinstance(const, types.CodeType) and not const.co_name.startswith("<")
    }


def shadows(sources: list[str], course: dict) -> dict:
    """name -> a function or class object built from the answers' source without
    running it: the functions' code, their methods' code, and stand-ins for what
    the cells import. For reading bytecode only."""
    scope = {
        k: v
        for k, v in course.items()
        if isinstance(v, types.ModuleType | types.FunctionType | type)
    }
    scope.update(__name__="__main__", __builtins__=builtins)
    made: dict = {}
    for source in sources:
        try:
            tree = ast.parse(source)
            code = compile(tree, "<answer>", "exec")
        except (SyntaxError, ValueError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.asname or alias.name.split(".")[0]
                    target = alias.name if alias.asname else alias.name.split(".")[0]
                    scope[name] = _Named(target)
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    scope[alias.asname or alias.name] = _Named(
                        f"{node.module}.{alias.name}"
                    )
        classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
        for const in code.co_consts:
            if not isinstance(const, types.CodeType):
                continue
            if const.co_name in classes:
                methods = _functions_in(const, scope)
                made[const.co_name] = type(const.co_name, (), methods)
                made[const.co_name].__module__ = "__main__"
            elif not const.co_name.startswith("<"):
                made[const.co_name] = _function(const, scope)
        made.update(_bound_by_assignment(tree, made, scope))
    scope.update(made)
    return made


class Unreadable:
    """The shadow of an answer whose code the grader cannot read from its cell: the
    source checks fail on it (lib.checks), with ``reason``."""

    COURSE_UNREADABLE = True

    def __init__(self, name: str, reason: str):
        self.__name__, self.reason = name, reason


def _bound_by_assignment(tree: ast.Module, made: dict, scope: dict) -> dict:
    """Shadows of names a cell binds with ``=``: a lambda (its own code), another
    name of the cell or an import (the same shadow); anything else is Unreadable."""
    found: dict = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        value = node.value
        if isinstance(value, ast.Lambda):
            code = compile(ast.Expression(value), "<answer>", "eval")
            lam = next(c for c in code.co_consts if isinstance(c, types.CodeType))
            shadow = _function(lam, scope)
        elif isinstance(value, ast.Name) and value.id in {**scope, **made, **found}:
            shadow = {**scope, **made, **found}[value.id]
        else:
            shadow = Unreadable(
                names[0] if names else "?",
                f"it is bound to the value of `{ast.unparse(value)[:60]}`",
            )
        for name in names:
            found[name] = shadow
    return found


class Session:
    """The channel to the student's process, and what the tests need of it."""

    def __init__(self, config: dict, namespace: dict):
        self.namespace = namespace
        self.limits = Limits(**config.get("limits", {}))
        self.answer_sources: dict[str, str] = {}
        self.printed = 0
        self.stopped: str | None = None
        parent, child = socket.socketpair()
        server = Path(config["server"])
        if config.get("sandbox", True):
            # The student's lib lacks the references of the unit being graded:
            # made once per run by the runner, or here.
            lib_dir = config.get("lib_view")
            if lib_dir is None:
                self._lib_view = tempfile.TemporaryDirectory(prefix="lib-view-")
                lib_dir = references.stripped_lib(
                    Path(self._lib_view.name), config.get("unit", "")
                )
            self.process = sandbox.start(
                server,
                child.fileno(),
                self.limits,
                slot=int(config.get("slot", 0)),
                lib_dir=Path(lib_dir),
                files=heldout.binds(config.get("unit", "")),
            )
        else:  # the instructor turned the sandbox off (the report says so)
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-c",
                    sandbox.program(str(server), child.fileno()),
                ],
                pass_fds=(child.fileno(),),
                preexec_fn=sandbox.resource_limits(self.limits, self.limits.processes),
                cwd=config.get("work"),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        child.close()
        self.unit = config.get("unit", "")
        self.endpoint = proxy.Endpoint(
            parent,
            proxy.Policy(namespace, restricted=True),
            max_message_bytes=self.limits.channel_mb * 2**20,
            max_total_bytes=self.limits.channel_mb * 2**20,
        )
        self.endpoint.lending = mirror.Lender(
            lambda obj: (
                type(obj) is proxy.Remote
                and object.__getattribute__(obj, "_end") is self.endpoint
            ),
            lambda obj: object.__getattribute__(obj, "_number"),
        )
        _install_hooks(self)

    @classmethod
    def from_environment(cls, namespace: dict) -> Session:
        config = json.loads(Path(os.environ[SESSION_ENV]).read_text())
        return cls(config, namespace)

    # ------------------------------------------------------------- requests
    def request(self, op, *args):
        if self.stopped:
            raise GradingStopped(self.stopped)
        try:
            return self.endpoint.request(op, *args)
        except channel.ChannelClosed:
            self._stop(
                "the kernel died (the student's process exited, was killed, or ran "
                f"out of its {self.limits.memory_mb} MB of memory)"
            )
        except channel.MessageTooLarge as error:
            self._stop(f"it sent back too much data ({error})")
        except channel.ChannelError as error:
            self._stop(f"its process broke the grading channel ({error})")

    def _stop(self, reason: str):
        self.stopped = reason
        with contextlib.suppress(OSError):
            self.process.kill()
        raise GradingStopped(reason)

    def _show(self, result: dict) -> None:
        for stream in ("stdout", "stderr"):
            text = str(result.get(stream, ""))
            self.printed += len(text)
            if self.printed > self.limits.output_kb * 1024:
                self._stop(f"it printed more than {self.limits.output_kb} KB")
            if text:
                getattr(sys, stream).write(text)

    # ---------------------------------------------------------------- cells
    def course(self, source: str, label: str) -> None:
        """A course cell that uses no answer: run it in the student's process too
        (its output there is not shown: the same cell shows it here; an error
        there is, since the student's answers may need what the cell defines)."""
        result = self.request("exec", source, label)
        if result.get("error"):
            name, message, _ = result["error"]
            print(
                f"[grader] this cell failed in the student's process: {name}: "
                f"{message[:300]}",
                file=sys.stderr,
            )

    def answer(self, grade_id: str, source: str, names: list[str]) -> None:
        """Run the student's answer cell there; bind ``names`` here."""
        self.answer_sources[grade_id] = source
        result = self.request("exec", source, f"answer {grade_id}")
        self._show(result)
        for name in names:
            try:
                self.namespace[name] = self.request("get_global", name)
            except NameError:
                self.namespace.pop(name, None)
        if result.get("error"):
            raise StudentCellError(*result["error"])

    # ---------------------------------------------------------------- hooks
    def shadow(self, obj):
        """The compiled-here stand-in of a student's function or class; an
        ``Unreadable`` one where the answer cells' source does not define it."""
        if type(obj) is not proxy.Remote:
            return obj
        made = shadows(list(self.answer_sources.values()), self.namespace)
        names = [k for k, v in self.namespace.items() if v is obj]
        name = next((k for k in names if k in made), None)
        if name is not None:
            return made[name]
        return Unreadable(
            names[0] if names else "this answer",
            "its answer cell does not define it with def, class or lambda",
        )

    def push(self, names: list[str]) -> None:
        """After a course cell that ran only here: send the student's process the
        values it bound (protocol.push_values), for answers that read them."""
        values = protocol.push_values(self.namespace, names, self._is_handle)
        if values:
            self.request("set_globals", values)

    def _is_handle(self, obj) -> bool:
        return (
            type(obj) is proxy.Remote
            and object.__getattribute__(obj, "_end") is self.endpoint
        )

    def course_call(self, name: str, args: list):
        """Run the course function ``name`` (protocol.COURSE_CALLS) in the
        student's process with ``args`` (plain data, and handles to the student's
        objects); its result as plain data or a handle."""
        if name not in protocol.COURSE_CALLS:
            raise PermissionError(f"{name!r} is not a course call (protocol.py)")
        return self.request("course_call", name, args)

    @contextlib.contextmanager
    def substitute(self, namespace: dict, replacements: dict):
        if namespace is not self.namespace:
            yield
            return
        shipped = references.shipped(self.unit, replacements)
        if shipped is None:
            self.request("substitute", replacements)
        else:  # references that must be real objects there: sent as source
            source, module, names = shipped
            rest = {k: v for k, v in replacements.items() if k not in names}
            self.request("substitute_source", source, module, names, rest)
        try:
            yield
        finally:
            if not self.stopped:
                self.request("restore")


def _install_hooks(session: Session) -> None:
    from lib import checks

    checks.REMOTE = session


def start() -> Session:
    """The graded notebook's first cell: ``__grading_remote__ = trusted.start()``."""
    from IPython import get_ipython

    return Session.from_environment(get_ipython().user_ns)
