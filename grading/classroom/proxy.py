"""Objects of the other process, used as if they were here.

An ``Endpoint`` sits on each end of the channel. It keeps a table of its own
objects that the other side holds handles to, answers the other side's requests on
them (call, attribute, item, ...), and sends its own requests, serving any request
that arrives while it waits (a student function that calls a reference layer the
test passed in calls back into the grader, which may call the student again).

On the grader's side a handle is a ``Remote``. The requests either side may send,
and what a handle forwards, are fixed in protocol.py: a call, ``.attr``,
``[key]``, ``len`` and iteration are one request each, and what comes back is
plain data (see channel.py) or another handle, computed when the request returns.
Comparisons, arithmetic, truth, hashing, ``isinstance`` and conversions to numbers
use the values the handle came with (a tensor's snapshot) and never run the
student's code. Attributes and items
that are NumPy arrays come back as ``RemoteArray``: a local copy whose item
assignments are also made on the original, so that a numerical gradient that moves
``net.params['W1'][i]`` moves the student's own array. Attributes and items that
are dicts or lists stay handles, so ``net.params[key] = value`` reaches the student.

The grader's endpoint serves the student only calls of objects the grader sent
(reference layers, lambdas) and public attributes of them: never a name of its
own, never a module, never an attribute that starts with ``_``.
"""

from __future__ import annotations

import builtins
import linecache
import operator
import os
import socket
import sys
import traceback

import numpy as np

from grading.classroom import channel, protocol

# Operators a Remote forwards: name -> function applied on the object's side.
_OPERATOR_NAMES = (
    "add sub mul truediv floordiv mod pow matmul and_ or_ xor lshift rshift "
    "neg pos abs invert eq ne lt le gt ge"
)
OPERATORS = {name: getattr(operator, name) for name in _OPERATOR_NAMES.split()}
_REFLECTED = {
    "add",
    "sub",
    "mul",
    "truediv",
    "floordiv",
    "mod",
    "pow",
    "matmul",
    "and_",
    "or_",
    "xor",
}
_MATERIALISED = (list, tuple, dict, set, frozenset, type({}.keys()), type({}.values()))
_BUILTIN_ERRORS = {
    name: value
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


class RemoteError(Exception):
    """An exception raised on the other side. Its message is the error's own;
    ``student_frames`` is the student's part of the traceback there (their cells'
    frames only, ``student_frames``), which IPython shows after the test's line."""

    remote_type = "Exception"
    student_frames = ""

    def _render_traceback_(self) -> list[str]:
        """The test's line that called the answer, the answer's own frames, then
        the error: no frame of the grader, no path of its machine."""
        lines = []
        for frame, lineno in _frames(self.__traceback__):
            filename = frame.f_code.co_filename
            if not _grader_file(filename):
                code = linecache.getline(filename, lineno).strip()
                lines.append(f"Test failed at line {lineno}: {code}")
        if self.student_frames:
            lines += ["Your code raised it:", *self.student_frames.splitlines()]
        message = str(self)
        return [
            *lines,
            f"{self.remote_type}: {message}" if message else self.remote_type,
        ]


def _frames(tb):
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


_GRADER_DIRS = tuple(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(p)))) + os.sep
    for p in (__file__,)
)


def _grader_file(filename: str) -> bool:
    """A file of the grader (the course's grading/ and lib/, the Python install):
    its frames are how the grading works, never shown to the student."""
    return filename.startswith((*_GRADER_DIRS, sys.prefix, sys.base_prefix)) or (
        filename.startswith("<frozen")
    )


def student_frames(error: BaseException, limit: int = 8000) -> str:
    """The traceback of ``error`` as the student should read it: only the frames
    of cells (``<answer name>``, line n, with the line), then the error."""
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if f.filename.startswith("<") and not f.filename.startswith("<frozen")
    ]
    lines = traceback.format_list(frames[-20:])
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines)[-limit:]


_ERROR_TYPES: dict[str, type] = {}


def error_name(name) -> str:
    """An error's type name as the other side gives it: an identifier of at most
    80 characters, else "Exception" (the name reaches reports)."""
    name = str(name)
    return name if name.isidentifier() and len(name) <= 80 else "Exception"


def error_type(name: str) -> type:
    """RemoteError mixed with the builtin exception of that name (so ``except
    ValueError`` still catches a ValueError raised on the other side)."""
    name = error_name(name)
    if name not in _ERROR_TYPES:
        base = _BUILTIN_ERRORS.get(name, Exception)
        if not issubclass(base, Exception) or base in (StopIteration,):
            base = Exception
        _ERROR_TYPES[name] = type(
            name, (RemoteError, base), {"remote_type": name, "__module__": "student"}
        )
    return _ERROR_TYPES[name]


class Policy:
    """What this side serves to the other. The student's side serves everything
    (it holds the grader's requests); the grader's side serves ``restricted``."""

    def __init__(self, namespace: dict | None = None, restricted: bool = False):
        self.namespace = namespace if namespace is not None else {}
        self.restricted = restricted


class Endpoint:
    def __init__(
        self,
        sock: socket.socket,
        policy: Policy,
        max_message_bytes: int = 256 * 2**20,
        max_total_bytes: int | None = None,
    ):
        self.sock, self.policy = sock, policy
        self.max_message_bytes = max_message_bytes
        self.max_total_bytes = max_total_bytes
        self.objects: dict[int, object] = {}
        self.numbers: dict[int, int] = {}  # id(obj) -> handle number
        self.proxies: dict[int, Remote] = {}
        self.bytes_in = self.bytes_out = self.requests = 0
        # Torch objects lent by value (mirror.py): the grader's Lender, or the
        # student's Borrower; None where no torch object crosses.
        self.lending = None
        self._depth = 0  # requests of ours now waiting for an answer

    # ---------------------------------------------------------------- values
    def keep(self, obj) -> int:
        number = self.numbers.get(id(obj))
        if number is None or self.objects.get(number) is not obj:
            number = len(self.objects) + 1
            while number in self.objects:
                number += 1
            self.objects[number] = obj
            self.numbers[id(obj)] = number
        return number

    def _ref(self, obj):
        if (
            issubclass(type(obj), Remote)
            and object.__getattribute__(obj, "_end") is self
        ):
            return object.__getattribute__(obj, "_number")
        return None

    def _local(self, number: int):
        if number not in self.objects:
            raise channel.ChannelError(f"no object {number} on this side")
        return self.objects[number]

    def _proxy(self, number: int, type_name: str, classes=None, values=None):
        """The handle for the other side's object ``number``; its classes and
        values are the latest the other side sent (when it returned them)."""
        proxy = self.proxies.get(number)
        if proxy is None:
            proxy = Remote(self, number, type_name)
            self.proxies[number] = proxy
        object.__setattr__(proxy, "_classes", tuple(classes or ()))
        object.__setattr__(proxy, "_values", values)
        return proxy

    def _encoder(self) -> channel.Encoder:
        lend = self.lending.lend if self.lending is not None else None
        describe = None
        if not self.policy.restricted:  # the student's side describes its handles
            describe = _description
        return channel.Encoder(self.keep, self._ref, lend=lend, describe=describe)

    def _finish(self, tree, buffers: list):
        """The tree to send: with its bundle of lent objects, if any."""
        return self.lending.wrap(tree, buffers) if self.lending is not None else tree

    def encode(self, value):
        encoder = self._encoder()
        if type(value) is Held:  # a container that must stay here: its handle
            handle = ["h", self.keep(value.obj), type(value.obj).__name__]
            if not self.policy.restricted:
                handle += [protocol.describe(value.obj), None]
            return handle, []
        tree = encoder.encode(value)
        return self._finish(tree, encoder.buffers), encoder.buffers

    def _decode(self, tree, buffers, arguments=()):
        lent = self.lending.decode if self.lending is not None else None
        decoder = channel.Decoder(
            buffers, self._proxy, self._local, arguments=arguments, lent=lent
        )
        return decoder.decode(tree)

    # --------------------------------------------------------------- messages
    def _send(self, kind: str, *parts, buffers=()) -> None:
        self.bytes_out += channel.send(self.sock, [kind, *parts], list(buffers))

    def _receive(self):
        header, buffers, size = channel.receive(self.sock, self.max_message_bytes)
        self.bytes_in += size
        if self.max_total_bytes is not None and self.bytes_in > self.max_total_bytes:
            raise channel.MessageTooLarge(
                f"more than {self.max_total_bytes} bytes in all came back"
            )
        return header, buffers

    def request(self, op: str, *args, arguments=()):
        """Ask the other side to do ``op`` with ``args``; its answer, or its error
        raised here. Requests that arrive meanwhile are served. ``arguments``: the
        objects a ``p`` reference in the answer stands for (see ``op_call``).

        With objects lent (mirror.py), a call that returns or raises is followed
        by reading back what became of them."""
        outer = self._depth == 0
        self._depth += 1
        try:
            return self._request(op, args, arguments, outer)
        except channel.ChannelError:
            outer = False  # nothing more to ask of a broken channel
            raise
        finally:
            self._depth -= 1
            lender = self.lending if self.policy.restricted else None
            if outer and op == "call" and lender is not None:
                lender.sync(self.request)

    def _request(self, op, args, arguments, outer: bool):
        tree, buffers = self.encode(list(args))
        self.requests += 1
        context = None
        if outer and self.policy.restricted and self.lending is not None:
            context = self.lending.context(buffers)
        extra = [context] if context else []
        self._send("q", op, tree, *extra, buffers=buffers)
        while True:
            header, buffers = self._receive()
            kind = header[0]
            if kind == "q":
                self._serve(header, buffers)
            elif kind == "ok":
                return self._decode(header[1], buffers, arguments)
            elif kind == "err":
                name = error_name(header[1])
                message = protocol.text(header[2], 8000)
                if name == "StopIteration":
                    raise StopIteration
                error = error_type(name)(message)
                if len(header) > 3 and not self.policy.restricted:
                    error.student_frames = ""  # the grader's: never shown there
                elif len(header) > 3:
                    error.student_frames = protocol.text(header[3], 8000)
                raise error
            else:
                raise channel.ChannelError(f"unexpected message {kind!r}")

    def serve_forever(self) -> None:
        """Answer requests until the other side says goodbye or goes away."""
        while True:
            try:
                header, buffers = self._receive()
            except channel.ChannelClosed:
                return
            if header[0] == "bye":
                return
            if header[0] == "q":
                self._serve(header, buffers)

    def _serve(self, header, buffers) -> None:
        try:
            op = str(header[1])
            args = self._decode(header[2], buffers)
            served = (
                protocol.GRADER_SERVES
                if self.policy.restricted
                else protocol.STUDENT_SERVES
            )
            handler = getattr(self, f"op_{op}", None)
            if handler is None or op not in served:
                raise PermissionError(f"{op[:40]!r} is not served here (protocol.py)")
            context = header[3] if len(header) > 3 else None
            if context is not None and self.lending is not None:
                if self.policy.restricted:  # the student's side sets none here
                    raise channel.ChannelError("a request with a torch context")
                with self.lending.applied(context, buffers):
                    result = handler(*args)
            else:
                result = handler(*args)
            if op == "call":
                tree, out = self._encode_call_result(result, args)
            else:
                tree, out = self.encode(result)
        except BaseException as error:  # noqa: BLE001 -- every error goes back
            if isinstance(error, KeyboardInterrupt | SystemExit) and (
                not self.policy.restricted
            ):
                raise
            # The grader's tracebacks would quote its code (hidden tests among
            # it): the student's side gets the error's type and message only.
            message = str(error)[: protocol.MAX_TEXT]
            frames = "" if self.policy.restricted else student_frames(error)
            self._send("err", type(error).__name__, message, frames)
            return
        self._send("ok", tree, buffers=out)

    def _encode_call_result(self, result, args):
        """(result, the dicts and lists among the arguments as they are now): the
        caller updates its own, so a ``bn_param`` the student's code fills in is
        filled in on the grader's side too. Arguments inside the result (a cache
        holding ``x``) go back as references to the caller's own objects."""
        positional, keywords = args[1], args[2]
        given = [*positional, *keywords.values()]
        encoder = self._encoder()
        encoder.arguments = {
            id(a): i for i, a in enumerate(given) if type(a) is not Remote
        }
        mutable = [a if _synced(a) else None for a in given]
        result_tree = encoder.encode(result)
        encoder.arguments = {}  # the arguments' own state goes back as values
        tree = ["T", [result_tree, encoder.encode(mutable)]]
        return self._finish(tree, encoder.buffers), encoder.buffers

    # ------------------------------------------------------------ operations
    def _target(self, obj):
        if self.policy.restricted:
            _check_shareable(obj)
        return obj

    def op_call(self, obj, args, kwargs):
        return self._target(obj)(*args, **kwargs)

    def op_getattr(self, obj, name):
        obj = self._target(obj)
        if self.policy.restricted and (name.startswith("_") or callable(obj)):
            raise PermissionError(f"attribute {name!r} is not served")
        value = getattr(obj, name)
        return value if self.policy.restricted else _held(value)

    def op_setattr(self, obj, name, value):
        setattr(obj, name, value)

    def op_delattr(self, obj, name):
        delattr(obj, name)

    def op_getitem(self, obj, key):
        return _held(obj[key])

    def op_setitem(self, obj, key, value):
        obj[key] = value

    def op_delitem(self, obj, key):
        del obj[key]

    def op_assign(self, obj, kind, key, index, value):
        """Item assignment into an array held as ``obj.key`` or ``obj[key]``."""
        target = getattr(obj, key) if kind == "attr" else obj[key]
        target[index] = value

    def op_len(self, obj):
        return len(self._target(obj))

    def op_iter(self, obj):
        obj = self._target(obj)
        if isinstance(obj, _MATERIALISED):
            return ["items", list(obj)]
        return ["iterator", iter(obj)]

    def op_next(self, obj):
        return next(self._target(obj))

    def op_repr(self, obj):
        if self.policy.restricted:  # the grader's objects: their type, no content
            return f"<{type(obj).__name__} of the grader's>"
        return repr(obj)[: protocol.MAX_TEXT]

    def op_str(self, obj):
        if self.policy.restricted:
            return f"<{type(obj).__name__} of the grader's>"
        return str(obj)[: protocol.MAX_TEXT]

    def op_deepcopy(self, obj):
        import copy

        return copy.deepcopy(obj)

    def op_mirror_states(self, numbers):
        """What became of the objects the grader lent (mirror.py)."""
        return self.lending.states(numbers) if self.lending is not None else []

    def op_enter(self, obj):
        return obj.__enter__()

    def op_exit(self, obj, failed):
        return obj.__exit__(*((None,) * 3))

    def op_release(self, numbers):
        for number in numbers:
            obj = self.objects.pop(int(number), None)
            if obj is not None:
                self.numbers.pop(id(obj), None)

    def op_get_global(self, name):
        """(The student's side only: protocol.STUDENT_SERVES.) A name an answer
        cell bound."""
        namespace = self.policy.namespace
        if name not in namespace:
            raise NameError(f"name {name!r} is not defined")
        return namespace[name]

    def op_set_globals(self, values: dict):
        """(The student's side only.) Values the grader pushes: what a course
        cell that ran only there bound (protocol.push_values)."""
        self.policy.namespace.update(values)


class Held:
    """A result to send as a handle even though it is plain data."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj


def _held(value):
    """Dicts and lists held by an object stay with it (changes reach it)."""
    return Held(value) if type(value) in (dict, list) else value


def _check_shareable(obj) -> None:
    import types

    if isinstance(obj, types.ModuleType):
        raise PermissionError("modules of the grader are not served")


def _description(value):
    """What a handle of the student's side carries (protocol.describe/snapshot)."""
    return protocol.describe(value), protocol.snapshot(value)


class RemoteArray(np.ndarray):
    """A copy of an array held by an object of the other process. Item assignment
    changes both the copy and the original (see the module's doc)."""

    COURSE_DATA_COPY = True  # lib.checks accepts it as real data

    def __array_finalize__(self, obj):
        self._origin = None

    def __setitem__(self, index, value):
        super().__setitem__(index, value)
        origin = getattr(self, "_origin", None)
        if origin is not None:
            end, owner, kind, key = origin
            end.request("assign", owner, kind, key, index, value)

    def __reduce__(self):
        return np.asarray(self).__reduce__()


def _write_through(end, owner, kind, key, value):
    if type(value) is np.ndarray:
        copy = value.view(RemoteArray)
        copy._origin = (end, owner, kind, key)
        return copy
    return value


_SYNC_BYTES = 2**20


def _synced(value) -> bool:
    """Arguments whose state after a call is sent back: dicts, lists and small
    arrays (a ``bn_param`` filled in, an input changed in place)."""
    if type(value) in (dict, list):
        return True
    return type(value) is np.ndarray and value.nbytes <= _SYNC_BYTES


def _update(before, now) -> None:
    """Make the caller's argument ``before`` what the callee left it as."""
    if now is None or now is before:
        return
    if type(before) is dict and type(now) is dict:
        before.clear()
        before.update(now)
    elif type(before) is list and type(now) is list:
        before[:] = now
    elif _same_layout(before, now) and not np.array_equal(before, now, equal_nan=True):
        before[...] = now


def _same_layout(old, new) -> bool:
    return (
        isinstance(old, np.ndarray)
        and type(new) is np.ndarray
        and old.shape == new.shape
        and old.dtype == new.dtype
        and old.flags.writeable
    )


class Remote:
    """An object of the other process (see the module's doc and protocol.py)."""

    __slots__ = ("_end", "_number", "_type", "_classes", "_values", "__weakref__")
    COURSE_REMOTE = True  # lib.checks reads it as data (np.asarray)

    def __init__(self, end: Endpoint, number: int, type_name: str):
        object.__setattr__(self, "_end", end)
        object.__setattr__(self, "_number", number)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_classes", ())
        object.__setattr__(self, "_values", None)

    def _ask(self, op, *args):
        return object.__getattribute__(self, "_end").request(op, self, *args)

    # -- attributes and items: one request each, the answer computed there now
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = self._ask("getattr", name)
        return self._held(value, "attr", name)

    def __setattr__(self, name, value):
        self._ask("setattr", name, value)

    def __delattr__(self, name):
        self._ask("delattr", name)

    def __getitem__(self, key):
        return self._held(self._ask("getitem", key), "item", key)

    def __setitem__(self, key, value):
        self._ask("setitem", key, value)

    def __delitem__(self, key):
        self._ask("delitem", key)

    def _held(self, value, kind, key):
        end = object.__getattribute__(self, "_end")
        return _write_through(end, self, kind, key, value)

    # -- calls and protocols
    def __call__(self, *args, **kwargs):
        given = [*args, *kwargs.values()]
        end = object.__getattribute__(self, "_end")
        result, after = end.request("call", self, list(args), kwargs, arguments=given)
        for before, now in zip(given, after, strict=False):
            _update(before, now)
        return result

    def __len__(self):
        return operator.index(self._ask("len"))

    def __iter__(self):
        kind, value = self._ask("iter")
        return iter(value) if kind == "items" else _RemoteIterator(value)

    def __repr__(self):
        return str(self._ask("repr"))

    def __str__(self):
        return str(self._ask("str"))

    def __format__(self, spec):
        return format(str(self), spec)

    def __enter__(self):
        return self._ask("enter")

    def __exit__(self, *exc):
        return self._ask("exit", exc[0] is not None)

    def __deepcopy__(self, memo):
        return self._ask("deepcopy")

    # -- what never runs the other side's code: the values it came with
    def __hash__(self):
        return object.__hash__(self)

    def __bool__(self):
        values = _values_of(self)
        return True if values is None else bool(values)

    def __array__(self, dtype=None, copy=None):
        data = _values_of(self, "be read as an array").cpu().numpy()
        return data if dtype is None else data.astype(dtype)

    def __float__(self):
        return float(_values_of(self, "be read as a number"))

    def __int__(self):
        return int(_values_of(self, "be read as a number"))

    def __index__(self):
        return operator.index(_values_of(self, "be read as a number"))

    @property
    def __class__(self):
        return remote_class(self)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        """A torch function on this side given a tensor of the other side (a
        reference computed from a student model's weights) gets its values as
        they were when the tensor came back; gradients do not flow back."""
        return func(*_tensor_copies(args), **_tensor_copies(kwargs or {}))


def _values_of(remote, use: str | None = None):
    """The values a handle came with (a tensor's, detached), or None; with
    ``use``, a TypeError that says the answer returned no numbers."""
    values = object.__getattribute__(remote, "_values")
    if values is None and use is not None:
        raise TypeError(
            f"an object of the student's ({object.__getattribute__(remote, '_type')}) "
            f"cannot {use}: the answer should return numbers (an array, a tensor or "
            "a float), not an object of its own"
        )
    return values


def _tensor_copies(value):
    if type(value) is Remote:
        return _values_of(value, "be used as a tensor")
    if type(value) in (list, tuple):
        return type(value)(_tensor_copies(v) for v in value)
    if type(value) is dict:
        return {k: _tensor_copies(v) for k, v in value.items()}
    return value


class _RemoteIterator:
    def __init__(self, remote):
        self.remote = remote

    def __iter__(self):
        return self

    def __next__(self):
        return object.__getattribute__(self.remote, "_ask")("next")


def _operator(name, reflected=False):
    """A comparison or arithmetic operator: on the values the handle came with,
    never a request (the other side's ``__eq__`` would decide a test)."""
    fn = OPERATORS[name]

    def method(self, other):
        if name in ("eq", "ne") and other is self:
            return name == "eq"
        mine = _values_of(self, "be compared or computed with")
        theirs = _tensor_copies(other)
        return fn(theirs, mine) if reflected else fn(mine, theirs)

    return method


def _unary(name):
    fn = OPERATORS[name]

    def method(self):
        return fn(_values_of(self, "be computed with"))

    return method


for _name in OPERATORS:
    _dunder = f"__{_name.rstrip('_')}__"
    if _name in ("neg", "pos", "abs", "invert"):
        setattr(Remote, _dunder, _unary(_name))
    else:
        setattr(Remote, _dunder, _operator(_name))
        if _name in _REFLECTED:
            setattr(Remote, f"__r{_name.rstrip('_')}__", _operator(_name, True))

_CLASSES: dict[tuple, type] = {}


def remote_class(proxy) -> type:
    """A class on this side standing for the remote object's class, for
    ``isinstance``: the library class itself, or a new subclass of the first
    library class among its classes (``isinstance(model, nn.Module)`` works). The
    names are those the other side sent with the handle (protocol.describe); only
    already imported modules are searched, and none of the student's code runs."""
    mro = object.__getattribute__(proxy, "_classes")
    if not mro:
        return Remote
    if mro not in _CLASSES:
        found = [protocol.library_class(m, q) for m, q in mro]
        if found and found[0] is not None:
            _CLASSES[mro] = found[0]
        else:
            base = next((c for c in found if c not in (None, object)), None)
            try:
                _CLASSES[mro] = (
                    type(mro[0][1].split(".")[-1], (base,), {"__module__": "student"})
                    if base
                    else Remote
                )
            except TypeError:
                _CLASSES[mro] = Remote
    return _CLASSES[mro]
