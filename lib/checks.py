"""The checks that notebook test cells call.

Each check either returns quietly or raises ``CheckFailed`` with a message a student
can act on: what was checked, expected vs got (shapes, a few values, the relative
error and its tolerance) and, where a common mistake is recognisable, a hint.

Checks accept only real data: NumPy arrays, NumPy/Python numbers, lists of numbers
and torch tensors. Anything else (an object that claims to equal everything, say) is
rejected before any comparison. Warnings raised while comparing are silenced, so a
correct answer never fails because of a warning.
"""

from __future__ import annotations

import contextlib
import inspect
import linecache
import numbers
import os
import traceback
import warnings

import numpy as np

from lib import friendly, gradcheck, inspection, progress
from lib.inspection import functions_of, loops

_NUMERIC_KINDS = "biuf"
# Frames from files under here are the checks' own workings (not shown).
_LIB_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
# A NumPy exercise may not hand its work to these (prefixes of module names).
NUMPY_EXERCISE = ("lib", "torch", "tensorflow", "jax", "sklearn", "scipy.spatial")


# Set by the class grader (grading/classroom/trusted.py) when the tests run in a
# process of their own and the answers in the student's: then ``substitute`` binds
# the references there too, and the source checks read the answer's source. In a
# student's own kernel it stays None and everything is local.
REMOTE = None


def _inspectable(fn, name: str | None) -> tuple[object, str]:
    """(the code to read for ``fn``, its name). Fails closed: an answer whose code
    cannot be read (not a function or class of the notebook, or bound so that the
    class grader cannot find it in its cell) fails the check that reads it."""
    fn = REMOTE.shadow(fn) if REMOTE is not None else fn
    name = name or str(getattr(fn, "__name__", "this answer"))
    hint = (
        "define the answer in its answer cell with `def` (or `class`), under the "
        "name the exercise gives, so that its code can be checked."
    )
    if getattr(type(fn), "COURSE_UNREADABLE", False):
        fail(f"the code of {name} cannot be read", f"{fn.reason}.", hint=hint)
    if not (inspect.isclass(fn) or functions_of(fn)):
        fail(
            f"the code of {name} cannot be read",
            f"it is a {type(fn).__name__}, not a function or class written in the "
            "notebook.",
            hint=hint,
        )
    return fn, name


class CheckFailed(AssertionError):
    """A test-cell check failed; the message says what to fix."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for it: the test's line that failed, then the
        message. Frames inside ``lib`` (how the check works) are left out: the
        message is what the student needs, and it comes first. An error raised in
        the student's own code is not a CheckFailed and keeps its full traceback."""
        shown = None
        tb = self.__traceback__
        while tb is not None:
            if not tb.tb_frame.f_code.co_filename.startswith(_LIB_DIR):
                shown = tb
            tb = tb.tb_next
        lines = []
        if shown is not None:
            source = linecache.getline(
                shown.tb_frame.f_code.co_filename, shown.tb_lineno
            ).strip()
            if source:
                lines.append(f"Test failed at line {shown.tb_lineno}: {source}")
        return [*lines, f"{type(self).__name__}: {self}"]


def fail(what: str, *lines: str, hint: str | None = None) -> None:
    """Raise CheckFailed: ``what`` went wrong, details one per line, then a hint."""
    message = "\n".join([f"{what}:", *(f"  {line}" for line in lines)])
    if hint:
        message += f"\n  Hint: {hint}"
    raise CheckFailed(message)


def _where_it_raised(error: BaseException) -> list[str]:
    """The student's line that raised ``error``: the innermost frame outside the
    course's library (or, from the class grader, the answer's own frames)."""
    frames = getattr(error, "student_frames", "")
    if frames:
        return [line.strip() for line in frames.splitlines()[-2:] if line.strip()]
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if not frame.filename.startswith(_LIB_DIR):
            return [f"at line {frame.lineno} of {frame.name}: {frame.line}"]
    return []


def call(what: str, fn, /, *args, hints: dict | None = None, **kwargs):
    """``fn(*args, **kwargs)``; when it raises, a CheckFailed that names the call
    (``what``), the error and the line of the answer that raised it.

    ``hints`` maps an error's type name (e.g. ``"ZeroDivisionError"``) to the hint
    that this error, in this call, points to: a text, or a function of the error's
    message that returns one (or None when the message points elsewhere).
    """
    try:
        return fn(*args, **kwargs)
    except (CheckFailed, NotImplementedError):  # the latter has its own message
        raise
    except Exception as error:
        name = getattr(error, "remote_type", type(error).__name__)
        hint = (hints or {}).get(name)
        fail(
            what,
            f"it raised {name}: {str(error)[:400]}",
            *_where_it_raised(error),
            hint=hint(str(error)) if callable(hint) else hint,
        )


def _preview(a: np.ndarray, n: int = 6) -> str:
    flat = a.ravel()[:n]
    text = np.array2string(flat, precision=5, separator=", ", max_line_width=200)
    return text[:-1] + ", ...]" if a.size > n else text


def as_array(value, what: str) -> np.ndarray:
    """A NumPy copy of ``value`` if it is real numeric data; otherwise CheckFailed."""
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        return gradcheck.to_numpy(value)
    if getattr(type(value), "COURSE_REMOTE", False):
        # The class grader's stand-in for an object of the student's process (a
        # tensor that needs gradients): its values, when they are numbers.
        try:
            value = np.asarray(value)
        except (TypeError, ValueError):
            value = None
        if type(value) is not np.ndarray:
            fail(what, "expected a tensor, a NumPy array or a number.")
    # The class grader's copies of a student's arrays (grading/classroom/proxy.py)
    # are NumPy arrays that also pass item assignments on to the original.
    if (
        type(value) is np.ndarray
        or getattr(type(value), "COURSE_DATA_COPY", False)
        or (isinstance(value, np.generic) and type(value).__module__ == "numpy")
    ):
        array = np.array(value)
    elif type(value) in (int, float, bool) or type(value) in (list, tuple):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                array = np.array(value)
            except (ValueError, TypeError):
                array = np.array([None])
    else:
        fail(
            what,
            f"expected a NumPy array or a number, got {type(value).__name__}.",
            hint="return np.ndarray results (or plain numbers), not other objects.",
        )
    if array.dtype.kind not in _NUMERIC_KINDS:
        fail(
            what,
            f"expected numbers, got an array of dtype {array.dtype}.",
            hint="lists must hold numbers only, all of the same length.",
        )
    return array


def passed(name: str, device=None) -> None:
    """The last line of a test cell whose checks all passed: says so, and on which
    device for answers written with torch tensors."""
    if device is None:
        print(f"{name}: all visible tests passed.")
        return
    from lib import device as devices

    print(f"{name}: all visible tests passed on {devices.describe(device)}.")


def check_shape(what: str, got, shape: tuple, hint: str | None = None) -> None:
    """``got`` has exactly ``shape``."""
    got = as_array(got, what)
    if got.shape != tuple(shape):
        if not hint and got.shape == tuple(shape)[::-1] and len(shape) > 1:
            hint = "the axes look swapped: check which index is the row."
        fail(what, f"expected shape {tuple(shape)}, got {got.shape}.", hint=hint)


def check_dtype(what: str, got, kind: str, hint: str | None = None) -> None:
    """``got``'s dtype is of ``kind``: 'integer', 'floating' or 'bool'."""
    kinds = {"integer": "iu", "floating": "f", "bool": "b"}[kind]
    got = as_array(got, what)
    if got.dtype.kind not in kinds:
        fail(what, f"expected a {kind} dtype, got {got.dtype}.", hint=hint)


def _guess_mistake(got: np.ndarray, expected: np.ndarray) -> str | None:
    """A hint for near-misses: a constant factor, a sign, a square, a transpose.

    A factor, square or square root is guessed only when at least two non-zero
    expected values agree on it: one wrong number is always some multiple (and
    some power) of the right one, so it would be no evidence at all.
    """

    def close(a, b):
        return a.shape == b.shape and gradcheck.rel_error(a, b) < 1e-6

    if (
        expected.ndim == 2
        and expected.shape[0] == expected.shape[1]
        and close(got, expected.T)
    ):
        return "your result is the transpose of the expected one."
    if close(got, -expected):
        return "your result has the wrong sign."
    if np.count_nonzero(expected) < 2:
        return None
    if not np.any(got):
        return "your result is all zeros."
    with np.errstate(all="ignore"):
        if np.all(expected >= 0) and close(got, expected**2):
            return "your result is the square of the expected one: a missing sqrt?"
        if np.all(expected >= 0) and close(got**2, expected):
            return "your result is the square root of the expected one: an extra sqrt?"
        denominator = float(np.sum(expected * expected))
        if denominator > 0:
            factor = float(np.sum(got * expected)) / denominator
            if (
                np.isfinite(factor)
                and abs(factor - 1) > 1e-6
                and close(got, factor * expected)
            ):
                return (
                    f"your result is {factor:.6g} times the expected one: a missing"
                    " or extra constant factor (averaging, a 2, a 1/2)?"
                )
    return None


def check_close(
    what: str,
    got,
    expected,
    tol: float = 1e-7,
    atol: float = 0.0,
    hint: str | None = None,
) -> None:
    """``got`` has ``expected``'s shape and a relative error below ``tol``.

    Entries within ``atol`` of the expected value count as equal: use it where the
    expected value is 0 and a correct answer may carry rounding noise.
    """
    got = as_array(got, what)
    expected = as_array(expected, f"{what} (reference)")
    check_shape(what, got, expected.shape, hint=hint)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if np.isnan(got).any() and not np.isnan(expected).any():
            where = tuple(int(i) for i in np.argwhere(np.isnan(got))[0])
            fail(
                what,
                f"contains NaN (first at index {where}).",
                hint=hint or "look for sqrt or log of a negative number, or 0/0.",
            )
        near = np.abs(got.astype(np.float64) - expected) <= atol
        error = gradcheck.rel_error(np.where(near, expected, got), expected)
        if error <= tol:
            return
        hint = hint or _guess_mistake(
            got.astype(np.float64), expected.astype(np.float64)
        )
        with np.errstate(all="ignore"):
            diff = np.abs(got.astype(np.float64) - expected.astype(np.float64))
        diff = np.where(np.isnan(diff), np.inf, diff)
        worst = np.unravel_index(int(np.argmax(diff)), got.shape) if got.ndim else ()
        where = tuple(int(i) for i in worst)
    fail(
        what,
        f"relative error {error:.2e} exceeds the tolerance {tol:.0e}.",
        f"largest difference at index {where}: expected {expected[worst].item()!r}, "
        f"got {got[worst].item()!r}.",
        f"expected: {_preview(expected)}",
        f"got:      {_preview(got)}",
        hint=hint,
    )


def check_steps(
    what: str,
    got,
    expected,
    tol: float = 1e-7,
    context=None,
    hint: str | None = None,
) -> None:
    """A sequence, one value per step (learning rates, decisions), that matches
    ``expected`` step by step: when it does not, the message names the first step
    that differs, with ``context(step)``'s lines (the inputs that lead there).
    """
    got = as_array(got, what)
    expected = as_array(expected, f"{what} (reference)")
    check_shape(what, got, expected.shape, hint=hint)
    with np.errstate(all="ignore"):
        diff = np.abs(got.astype(np.float64) - expected.astype(np.float64))
        wrong = ~(diff <= tol * np.maximum(np.abs(expected), 1e-12))
    if not wrong.any():
        return
    step = int(np.argmax(wrong))
    fail(
        what,
        f"first difference at step {step}: expected {expected[step].item()!r}, "
        f"got {got[step].item()!r}.",
        *(context(step) if context else ()),
        hint=hint,
    )


def sizes_hint(visible: dict, **case) -> str | None:
    """A hint for a hidden case that differs from the visible tests only in its
    sizes: what differs is the evidence, so name it.

    ``visible`` maps each size's name to its value in the visible tests; ``case``
    gives the failing case's sizes. An axis of length 1 that the visible tests do
    not have points to a squeeze or an index that drops an axis; another size
    points to a size written as a number instead of read from a shape.
    """
    ones = [name for name, size in case.items() if size == 1 and visible.get(name) != 1]
    other = [
        f"{name}={size} (the visible tests use {visible[name]})"
        for name, size in case.items()
        if name in visible and size != visible[name] and name not in ones
    ]
    if ones:
        return (
            f"here {', '.join(f'{name}=1' for name in ones)}, which no visible test "
            "has: an axis of length 1 dropped (np.squeeze, or a reshape that assumes "
            "a size)?"
        )
    if other:
        return (
            f"here {', '.join(other)}: a size written as a number, or a loop bound, "
            "instead of one read from the inputs' shapes?"
        )
    return None


def check_equal(what: str, got, expected, hint: str | None = None) -> None:
    """``got`` equals ``expected`` exactly (integer labels, counts, flags)."""
    got = as_array(got, what)
    expected = as_array(expected, f"{what} (reference)")
    check_shape(what, got, expected.shape, hint=hint)
    wrong = np.argwhere(got != expected)
    if len(wrong):
        first = tuple(int(i) for i in wrong[0])
        fail(
            what,
            f"{len(wrong)} of {got.size} entries differ; first at index {first}: "
            f"expected {expected[first].item()!r}, got {got[first].item()!r}.",
            f"expected: {_preview(expected)}",
            f"got:      {_preview(got)}",
            hint=hint,
        )


def check_gradient(
    what: str,
    f,
    x,
    analytic,
    dout=None,
    tol: float = 1e-7,
    h: float = 1e-5,
    hint: str | None = None,
    atol: float = 0.0,
) -> None:
    """``analytic`` matches the centred-difference gradient of ``f`` at ``x``.

    Args:
        what: the gradient's name in messages, e.g. ``"dx of affine_backward"``.
        f: scalar function of ``x``, or array function when ``dout`` is given.
        x: float64 input (array or tensor); restored after probing.
        analytic: the gradient to check, shaped like ``x``.
        dout: upstream gradient for an array-valued ``f``.
        tol: largest relative error accepted.
        atol: entries this close to the numerical value count as equal (for
            gradients that are exactly 0, such as a bias before batch norm).
        h: finite-difference step.
        hint: what to say when the check fails.
    """
    if dout is None:
        numeric = gradcheck.eval_numerical_gradient(f, x, h=h)
    else:
        numeric = gradcheck.eval_numerical_gradient_array(f, x, dout, h=h)
    check_close(
        f"{what} (vs a numerical gradient)",
        analytic,
        gradcheck.to_numpy(numeric),
        tol=tol,
        atol=atol,
        hint=hint,
    )


def delegations(
    fn, forbidden: tuple[str, ...], allow: tuple[str, ...] = ()
) -> set[str]:
    """What ``fn`` hands to the ``forbidden`` modules (lib.inspection.delegations),
    read from the answer's own code; fails closed where that cannot be read."""
    fn, _ = _inspectable(fn, None)
    return inspection.delegations(fn, forbidden, allow)


def check_own_implementation(
    fn,
    forbidden: tuple[str, ...] = NUMPY_EXERCISE,
    allow: tuple[str, ...] = (),
    name: str | None = None,
) -> None:
    """``fn`` (a function or class) does not hand its work to a forbidden module.

    An answer that calls the course's reference (``lib``), or a library function
    that is the exercise itself, earns no points for that answer. The notebook
    functions ``fn`` calls are checked too, except those named in ``allow`` (other
    answers, which their own tests check), so one bug costs points once.
    """
    fn, name = _inspectable(fn, name)
    used = delegations(fn, forbidden, allow)
    if used:
        fail(
            f"{name} is not your own implementation",
            f"it uses {', '.join(sorted(used))}.",
            hint="an answer that hands its work to a library or to the course's "
            "reference code earns no points. Write the computation yourself "
            "(NumPy is fine).",
        )


def check_no_loops(fn, name: str | None = None) -> None:
    """``fn`` and the notebook functions it calls contain no Python loop."""
    fn, name = _inspectable(fn, name)
    found = loops(fn)
    if found:
        fail(
            f"{name} must not use Python loops",
            f"found: {', '.join(sorted(found))}.",
            hint="express the whole computation with array operations "
            "(broadcasting, matrix products, reductions along an axis).",
        )


def check_autograd(what: str, fn, inputs, hint: str | None = None) -> None:
    """The gradients autograd computes through ``fn`` (a torch answer) match
    numerical ones at ``inputs``: float64 tensors that require grad. The whole
    Jacobian is compared, as ``torch.autograd.gradcheck`` does (same step and
    tolerances), with one backward pass per output element."""
    hint = hint or (
        "build the output from differentiable torch operations only: no .detach(), "
        ".item(), .numpy() or in-place writes to tensors that need gradients."
    )
    try:
        numeric, analytic = gradcheck.torch_jacobians(fn, tuple(inputs))
    except (RuntimeError, TypeError, AttributeError) as error:
        fail(
            f"the gradient of {what}",
            f"computing it raised {type(error).__name__}: {str(error)[:600]}",
            hint="if the message is about shapes or devices, the answer fails on "
            "these float64 inputs before any gradient; if it says a tensor does not "
            "require grad, " + hint,
        )
    for i, (n, a) in enumerate(zip(numeric, analytic, strict=True)):
        wrong = np.abs(a - n) > 1e-5 + 1e-3 * np.abs(n)
        if wrong.any():
            fail(
                f"the gradient of {what}",
                f"autograd's gradient with respect to input {i} differs from a "
                f"numerical gradient in {int(wrong.sum())} of {wrong.size} entries "
                f"of the Jacobian (largest difference "
                f"{float(np.abs(a - n).max()):.3g}).",
                hint=hint,
            )


@contextlib.contextmanager
def substitute(namespace: dict, **replacements):
    """Temporarily replace names in a notebook's namespace (usually ``globals()``).

    Tests of an answer that calls another answer use this to plug in a reference,
    so one bug costs points once.
    """
    missing = object()
    saved = {key: namespace.get(key, missing) for key in replacements}
    namespace.update(replacements)
    remote = (
        REMOTE.substitute(namespace, replacements)
        if REMOTE is not None
        else contextlib.nullcontext()
    )
    try:
        with remote:
            yield
    finally:
        for key, value in saved.items():
            if value is missing:
                namespace.pop(key, None)
            else:
                namespace[key] = value


def with_references(namespace: dict, references: dict, *names: str):
    """Test one answer with the course's references in place of the answers it
    builds on, so that one bug costs points once.

    ``references`` is the notebook's ``REFERENCES`` table (answer name -> the
    course's version); ``names`` pick the entries to swap in (none: all of them).
    Use it as ``with checks.with_references(globals(), REFERENCES, "adam"):``.
    """
    unknown = [name for name in names if name not in references]
    if unknown:
        raise KeyError(
            f"{', '.join(unknown)} not in this notebook's REFERENCES "
            f"(it holds {', '.join(sorted(references))})"
        )
    return substitute(namespace, **{n: references[n] for n in names or references})


def check_number(
    what: str,
    got,
    expected: float,
    tol: float = 1e-6,
    atol: float = 0.0,
    hint: str | None = None,
) -> None:
    """``got`` is a real number within relative error ``tol`` of ``expected``.

    A count (``tol=0`` and a whole ``expected``) that differs is reported as the
    two counts, not as a relative error.
    """
    if isinstance(got, bool) or not isinstance(got, numbers.Real | np.generic):
        fail(what, f"expected a number, got {type(got).__name__}.", hint=hint)
    whole = float(expected).is_integer() and float(got).is_integer()
    if tol == 0 and atol == 0 and whole and float(got) != float(expected):
        fail(what, f"expected {int(expected)}, got {int(got)}.", hint=hint)
    check_close(what, got, expected, tol=tol, atol=atol, hint=hint)


def check_cache(
    what: str, got, expected: tuple, names: tuple[str, ...], hint: str | None = None
) -> None:
    """``got`` is a tuple holding ``expected``'s arrays in order (names say which),
    within 1e-10: later tests build this documented cache themselves."""
    if not isinstance(got, tuple) or len(got) != len(expected):
        fail(
            what,
            f"expected the tuple ({', '.join(names)}), got "
            f"{type(got).__name__}"
            + (f" of length {len(got)}" if isinstance(got, tuple) else "")
            + ".",
            hint=hint or "return exactly the documented cache.",
        )
    for name, g, e in zip(names, got, expected, strict=True):
        check_close(f"{what}: {name}", g, e, tol=1e-10, hint=hint)


friendly.install()  # an unwritten answer, a cell not run: said in these words
progress.install()  # every test cell's outcome, for summary()
summary = progress.summary  # the notebook's last cell: where the student stands


def which_mistake(got, mistakes: dict, tol: float = 1e-5) -> str | None:
    """The hint of the first of ``mistakes`` (hint -> what that mistake would
    return) that ``got`` matches, or None: a test names a mistake only when the
    answer's output is what that mistake gives."""
    try:
        got = as_array(got, "the answer's output").astype(np.float64)
    except CheckFailed:
        return None
    for hint, wrong in mistakes.items():
        wrong = as_array(wrong, "a mistake's output").astype(np.float64)
        if wrong.shape == got.shape and gradcheck.rel_error(got, wrong) <= tol:
            return hint
    return None
