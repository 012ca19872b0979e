"""Objects of the other process, used as if they were here.

An ``Endpoint`` sits on each end of the channel. It keeps a table of its own
objects that the other side holds handles to, answers the other side's requests on
them (call, attribute, item, ...), and sends its own requests, serving any request
that arrives while it waits (a student function that calls a reference layer the
test passed in calls back into the grader, which may call the student again).

On the grader's side a handle is a ``Remote``: every use of it (a call, ``.attr``,
``[key]``, ``len``, iteration, arithmetic, ``isinstance``) is one request. What
comes back is plain data (see channel.py) or another handle. Attributes and items
that are NumPy arrays come back as ``RemoteArray``: a local copy whose item
assignments are also made on the original, so that a numerical gradient that moves
``net.params['W1'][i]`` moves the student's own array. Attributes and items that
are dicts or lists stay handles, so ``net.params[key] = value`` reaches the student.

The grader's endpoint serves the student only calls of objects the grader sent
(reference layers, lambdas), public attributes of them, and plain data of its
names: never a module, never an attribute that starts with ``_``.
"""

from __future__ import annotations

import builtins
import operator
import socket
import traceback

import numpy as np

from grading.classroom import channel

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
    """An exception raised on the other side; its message carries the traceback
    text from there."""

    remote_type = "Exception"


_ERROR_TYPES: dict[str, type] = {}


def error_type(name: str) -> type:
    """RemoteError mixed with the builtin exception of that name (so ``except
    ValueError`` still catches a ValueError raised on the other side)."""
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

    def _proxy(self, number: int, type_name: str):
        proxy = self.proxies.get(number)
        if proxy is None:
            proxy = Remote(self, number, type_name)
            self.proxies[number] = proxy
        return proxy

    def _encoder(self) -> channel.Encoder:
        lend = self.lending.lend if self.lending is not None else None
        return channel.Encoder(self.keep, self._ref, lend=lend)

    def _finish(self, tree, buffers: list):
        """The tree to send: with its bundle of lent objects, if any."""
        return self.lending.wrap(tree, buffers) if self.lending is not None else tree

    def encode(self, value):
        encoder = self._encoder()
        if type(value) is Held:  # a container that must stay here: its handle
            return ["h", self.keep(value.obj), type(value.obj).__name__], []
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
                name, message = str(header[1]), str(header[2])
                if name == "StopIteration":
                    raise StopIteration
                raise error_type(name)(message)
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
            handler = getattr(self, f"op_{op}", None)
            if handler is None:
                raise channel.ChannelError(f"unknown request {op!r}")
            if self.policy.restricted and op not in RESTRICTED_OPS:
                raise PermissionError(f"the grader does not serve {op!r}")
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
            text = str(error)[:2000] if self.policy.restricted else _describe(error)
            self._send("err", type(error).__name__, text)
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

    def op_contains(self, obj, value):
        return value in obj

    def op_bool(self, obj):
        return bool(self._target(obj))

    def op_repr(self, obj):
        return repr(self._target(obj))[:2000]

    def op_str(self, obj):
        return str(self._target(obj))[:2000]

    def op_hash(self, obj):
        return hash(obj)

    def op_operator(self, name, obj, other, reflected):
        fn = OPERATORS[name]
        return fn(other, obj) if reflected else fn(obj, other)

    def op_unary(self, name, obj):
        return OPERATORS[name](obj)

    def op_deepcopy(self, obj):
        import copy

        return copy.deepcopy(obj)

    def op_data(self, obj):
        """The object as plain data: an array for anything NumPy can convert."""
        if hasattr(obj, "detach") and hasattr(obj, "cpu"):
            obj = obj.detach().cpu()
        return np.asarray(obj)

    def op_tensor(self, obj):
        """A student's tensor as a tensor that needs no gradient (for a torch
        function of the grader's that was given it)."""
        if not hasattr(obj, "detach"):
            raise TypeError(f"expected a tensor, got {type(obj).__name__}")
        return obj.detach()

    def op_mirror_states(self, numbers):
        """What became of the objects the grader lent (mirror.py)."""
        return self.lending.states(numbers) if self.lending is not None else []

    def op_number(self, obj, kind):
        return {"float": float, "int": int, "index": operator.index}[kind](obj)

    def op_type(self, obj):
        """(module, qualified name) of each class in the object's MRO."""
        return [(c.__module__, c.__qualname__) for c in type(obj).mro()]

    def op_isinstance(self, obj, cls):
        return isinstance(obj, cls)

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
        namespace = self.policy.namespace
        if name not in namespace:
            raise NameError(f"name {name!r} is not defined")
        value = namespace[name]
        if self.policy.restricted:
            import types

            if isinstance(value, types.ModuleType):  # the student imports its own
                return (MODULE_MARK, value.__name__)
            return _plain_only(value, name)
        return value

    def op_set_global(self, name, value):
        self.policy.namespace[name] = value

    def op_del_global(self, name):
        self.policy.namespace.pop(name, None)


RESTRICTED_OPS = {
    "call",
    "getattr",
    "len",
    "iter",
    "next",
    "bool",
    "repr",
    "str",
    "release",
    "get_global",
}


MODULE_MARK = "__grading_module__"


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


def _plain_only(value, name):
    """``value`` if it is plain data through and through; else NameError."""

    def refuse(obj):
        raise NameError(f"name {name!r} is not defined")

    channel.Encoder(keep=refuse).encode(value)
    return value


def _describe(error: BaseException) -> str:
    """The error's message and its traceback, as text for the other side."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    text = "".join(lines[-30:])
    return f"{error}\n\n{text}"[-8000:]


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
    """An object of the other process (see the module's doc)."""

    __slots__ = ("_end", "_number", "_type", "_shadow", "__weakref__")
    COURSE_REMOTE = True  # lib.checks reads it as data (np.asarray)

    def __init__(self, end: Endpoint, number: int, type_name: str):
        object.__setattr__(self, "_end", end)
        object.__setattr__(self, "_number", number)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_shadow", None)

    def _ask(self, op, *args):
        return object.__getattribute__(self, "_end").request(op, self, *args)

    # -- attributes and items
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
        return self._ask("len")

    def __iter__(self):
        kind, value = self._ask("iter")
        return iter(value) if kind == "items" else _RemoteIterator(value)

    def __contains__(self, value):
        return self._ask("contains", value)

    def __bool__(self):
        return self._ask("bool")

    def __repr__(self):
        return self._ask("repr")

    def __str__(self):
        return self._ask("str")

    def __format__(self, spec):
        return format(str(self), spec)

    def __hash__(self):
        return self._ask("hash")

    def __array__(self, dtype=None, copy=None):
        data = self._ask("data")
        return data if dtype is None else data.astype(dtype)

    def __float__(self):
        return self._ask("number", "float")

    def __int__(self):
        return self._ask("number", "int")

    def __index__(self):
        return self._ask("number", "index")

    def __enter__(self):
        return self._ask("enter")

    def __exit__(self, *exc):
        return self._ask("exit", exc[0] is not None)

    def __instancecheck__(self, obj):
        end = object.__getattribute__(self, "_end")
        return end.request("isinstance", obj, self)

    def __deepcopy__(self, memo):
        return self._ask("deepcopy")

    @property
    def __class__(self):
        return remote_class(self)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        """A torch function on this side given a tensor of the other side (a
        reference computed from a student model's weights) gets a copy of its
        values; gradients do not flow back through that copy."""
        return func(*_tensor_copies(args), **_tensor_copies(kwargs or {}))


def _tensor_copies(value):
    if type(value) is Remote:
        return object.__getattribute__(value, "_ask")("tensor")
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
    def method(self, other):
        return object.__getattribute__(self, "_end").request(
            "operator", name, self, other, reflected
        )

    return method


def _unary(name):
    def method(self):
        return object.__getattribute__(self, "_end").request("unary", name, self)

    return method


for _name in OPERATORS:
    _dunder = f"__{_name.rstrip('_')}__"
    if _name in ("neg", "pos", "abs", "invert"):
        setattr(Remote, _dunder, _unary(_name))
    else:
        setattr(Remote, _dunder, _operator(_name))
        if _name in _REFLECTED:
            setattr(Remote, f"__r{_name.rstrip('_')}__", _operator(_name, True))

# Classes a Remote may claim to be an instance of, for isinstance(): only these
# modules' classes are looked up on the grader's side.
_CLASS_MODULES = ("builtins", "numpy", "torch", "collections")
_CLASSES: dict[tuple, type] = {}


def _library_class(module: str, qualname: str):
    import importlib

    if module.split(".")[0] not in _CLASS_MODULES or "<" in qualname:
        return None
    try:
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    return obj if isinstance(obj, type) else None


def remote_class(proxy) -> type:
    """A class on this side standing for the remote object's class, for
    ``isinstance``: the library class itself, or a new subclass of the first
    library class in its MRO (``isinstance(model, nn.Module)`` works). None of the
    student's code runs here."""
    try:
        mro = tuple(
            (str(m), str(q)) for m, q in object.__getattribute__(proxy, "_ask")("type")
        )
    except Exception:  # noqa: BLE001 -- a broken object: just a Remote
        return Remote
    if mro not in _CLASSES:
        found = [_library_class(m, q) for m, q in mro]
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
