"""The guard that runs first in every graded kernel (its source is sent as a cell).

``protect(names)`` runs after each of the course's own cells: it remembers the
objects those names are bound to and, for modules, every callable and submodule
they hold. ``verify()`` runs at the top of every test cell: if anything remembered
was replaced (a patched ``checks.check_close`` or ``np.allclose``, a rebound
helper), or IPython or the interpreter was hooked, the test fails with
``GradingIntegrityError`` naming it. Output beyond the limit is dropped, and the
next test fails with the reason.
"""

SOURCE = r"""
def __grading_make_guard(output_limit):
    import builtins, sys, types
    ip = get_ipython()
    ns = ip.user_ns
    remembered = {}
    members = {}

    class GradingIntegrityError(Exception):
        pass

    def callables_of(module):
        return {k: v for k, v in list(vars(module).items())
                if callable(v) or isinstance(v, types.ModuleType)}

    def hooks():
        return (sys.excepthook, sys.displayhook, sys.gettrace(), sys.getprofile(),
                len(ip.input_transformers_cleanup), len(ip.input_transformers_post),
                len(ip.ast_transformers), ip.custom_exceptions)

    class Capped:
        def __init__(self, stream):
            self.stream, self.written, self.dropped = stream, 0, 0

        def write(self, text):
            if self.written + len(text) > output_limit:
                self.dropped += len(text)
                return len(text)
            self.written += len(text)
            return self.stream.write(text)

        def __getattr__(self, name):
            return getattr(self.stream, name)

    streams = [Capped(sys.stdout), Capped(sys.stderr)]
    sys.stdout, sys.stderr = streams
    base = {"builtins": callables_of(builtins), "hooks": hooks()}
    # torch rewraps some of its own functions when its compiler loads, so only
    # NumPy and the course's modules are watched member by member.
    for name in ("numpy", "lib", "lib.checks", "lib.gradcheck", "lib.inspection"):
        if name in sys.modules:
            members[name] = (sys.modules[name], callables_of(sys.modules[name]))

    class Guard:
        def protect(self, names):
            for name in names:
                if name in ns and not name.startswith("_"):
                    value = ns[name]
                    if not (callable(value) or isinstance(value, types.ModuleType)):
                        continue  # data: replacing it gains nothing
                    remembered[name] = value
                    watched = value.__name__.split(".")[0] in ("numpy", "lib") if (
                        isinstance(value, types.ModuleType)) else False
                    if watched:
                        members[value.__name__] = (value, callables_of(value))
            for module_name, module in list(sys.modules.items()):
                if module_name.startswith("lib.") and module_name not in members:
                    members[module_name] = (module, callables_of(module))

        def verify(self):
            problems = []
            if sys.stdout is not streams[0] or sys.stderr is not streams[1]:
                problems.append("sys.stdout or sys.stderr was replaced")
            dropped = sum(s.dropped for s in streams)
            if dropped:
                raise GradingIntegrityError(
                    f"output limit: {dropped} characters over the limit were dropped")
            for name, value in remembered.items():
                if ns.get(name, None) is not value:
                    problems.append(f"{name} was rebound")
            for module_name, (module, before) in members.items():
                if sys.modules.get(module_name, module) is not module:
                    problems.append(f"sys.modules[{module_name!r}] was replaced")
                now = vars(module)
                for key, value in before.items():
                    if now.get(key, None) is not value:
                        problems.append(f"{module_name}.{key} was patched")
            now = callables_of(builtins)
            for key, value in base["builtins"].items():
                # ipykernel swaps input() per request; IPython owns exit/quit.
                if key in ("input", "raw_input", "getpass", "exit", "quit"):
                    continue
                if now.get(key, None) is not value:
                    problems.append(f"builtins.{key} was patched")
            if hooks() != base["hooks"]:
                problems.append("IPython or interpreter hooks were installed")
            if problems:
                raise GradingIntegrityError("; ".join(sorted(set(problems))[:6]))

    return Guard()


__grading_guard__ = __grading_make_guard(OUTPUT_LIMIT)
del __grading_make_guard
"""


def source(output_limit_chars: int) -> str:
    return SOURCE.replace("OUTPUT_LIMIT", str(int(output_limit_chars)))
