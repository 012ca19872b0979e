"""The student's process: runs answer cells and serves the grader's requests.

Started inside the sandbox (sandbox.py) with one end of a socket pair as its
channel. It holds the student's namespace: the course cells that need no answer
run here too (imports, data, helpers), then each answer cell. A name this
namespace lacks is a NameError, as in any kernel: nothing is asked of the grader.
What a course cell that ran only in the grader's kernel bound (such as
``k_to_accuracies``) is pushed here by the grader when that cell has run
(protocol.py).

Nothing this process says is trusted: the grader decodes only data, and every
verdict is computed on the grader's side.
"""

from __future__ import annotations

import builtins
import io
import linecache
import socket
import sys

from grading.classroom import mirror, protocol, proxy

_OUTPUT_LIMIT = 2 * 2**20  # characters kept per cell and stream


class _Capture(io.StringIO):
    def write(self, text):
        if self.tell() < _OUTPUT_LIMIT:
            super().write(text[: _OUTPUT_LIMIT - self.tell()])
        return len(text)


class StudentEndpoint(proxy.Endpoint):
    """Serves everything; adds running a cell and swapping names for a test."""

    def __init__(self, sock, namespace: dict, **limits):
        super().__init__(sock, proxy.Policy(namespace), **limits)
        self.swapped: list[dict] = []
        self.lending = mirror.Borrower(namespace, self._local)

    def op_exec(self, source: str, label: str) -> dict:
        """Run a cell; its output and, if it raised, the error as text."""
        stdout, stderr = _Capture(), _Capture()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = stdout, stderr
        error = None
        filename = f"<{label}>"
        # its lines, for the tracebacks the student reads
        linecache.cache[filename] = (
            len(source),
            None,
            source.splitlines(True),
            filename,
        )
        try:
            code = compile(source, filename, "exec")
            exec(code, self.policy.namespace)  # noqa: S102 -- the student's own cell
        except BaseException as raised:  # noqa: BLE001 -- reported to the grader
            if isinstance(raised, KeyboardInterrupt):
                raise
            # the cells' frames only: nothing of this server or its machine
            text = proxy.student_frames(raised)
            error = [type(raised).__name__, str(raised)[:2000], text]
        finally:
            sys.stdout, sys.stderr = saved
        return {
            "stdout": stdout.getvalue(),
            "stderr": stderr.getvalue(),
            "error": error,
        }

    def op_substitute(self, replacements: dict) -> None:
        """Bind the grader's reference objects in place of the student's names (a
        test of one answer that uses another), until ``op_restore``."""
        namespace = self.policy.namespace
        missing = object()
        saved = {name: namespace.get(name, missing) for name in replacements}
        self.swapped.append((saved, missing))
        namespace.update(replacements)

    def op_substitute_source(
        self, source: str, module: str, names: list, others: dict
    ) -> None:
        """Like ``op_substitute``, with references that must be real objects here
        (torch modules that an answer puts inside its own): the grader sends the
        source of a course module that holds them, without the unit's other
        answers; it runs here as a module of its own."""
        import types

        loaded = types.ModuleType(module)
        sys.modules[module] = loaded
        exec(compile(source, f"<{module}>", "exec"), loaded.__dict__)  # noqa: S102
        self.op_substitute({**others, **{n: getattr(loaded, n) for n in names}})

    def op_course_call(self, name: str, args: list):
        """Run the course function ``name`` (protocol.COURSE_CALLS) here, with the
        student's objects among ``args``: a trainer of the student's network. The
        grader counts its result against data this process never had."""
        import importlib

        if name not in protocol.COURSE_CALLS:
            raise PermissionError(f"{str(name)[:80]!r} is not a course call")
        module, attr = name.rsplit(".", 1)
        return getattr(importlib.import_module(module), attr)(*args)

    def op_restore(self) -> None:
        saved, missing = self.swapped.pop()
        for name, value in saved.items():
            if value is missing:
                self.policy.namespace.pop(name, None)
            else:
                self.policy.namespace[name] = value


def main(fd: int) -> int:
    sock = socket.socket(fileno=fd)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    StudentEndpoint(sock, namespace).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
