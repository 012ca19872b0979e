"""The channel between the grader and the sandboxed student process.

Messages are framed on a stream socket: a JSON header, then the raw bytes of the
arrays it refers to. Nothing is ever decoded with pickle or any other format that
can run code: a value is one of

- ``None``, bools, ints, floats, complex numbers, strings, bytes, slices, ``...``;
- NumPy scalars and arrays of a numeric or bool dtype;
- torch tensors, sent as an array plus their dtype and device, and devices;
- tuples, lists and dicts of these;
- a *handle*: the number of an object that stays in the process that sent it.

``encode`` turns anything else into a handle (the sender keeps the object in its
table), except that the grader may lend torch objects of its tests by value
(mirror.py): a message from the grader can carry one pickled bundle, which only
the student's side decodes. ``decode`` refuses any tag it does not know, any
dtype that is not numeric, and any buffer whose size does not match its shape. A
receiver caps the bytes of a single message (``MessageTooLarge``) and the JSON of
its header, and the decoder caps the values it builds from one message, so a
student process can flood the grader neither with bytes nor with objects
(protocol.py has the figures).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import socket
import struct

import numpy as np

from grading.classroom import protocol

# Kinds of NumPy dtypes that may cross: bool, signed/unsigned int, float, complex.
ARRAY_KINDS = "biufc"
_HEADER = struct.Struct("!II")  # JSON length, number of buffers
_LENGTH = struct.Struct("!Q")
TORCH_DTYPES = (
    "float64",
    "float32",
    "float16",
    "bfloat16",
    "int64",
    "int32",
    "int16",
    "int8",
    "uint8",
    "bool",
    "complex64",
    "complex128",
)


_PY_TYPES = {t.__name__: t for t in (int, float, bool, complex)}


class ChannelError(Exception):
    """A message that breaks the channel's rules (bad tag, dtype, size)."""


class MessageTooLarge(ChannelError):
    """A message over the receiver's byte cap."""


class ChannelClosed(ChannelError):
    """The other side went away."""


def _is_tensor(value) -> bool:
    module = type(value).__module__
    return module.startswith("torch") and type(value).__name__ in (
        "Tensor",
        "Parameter",
    )


def _float(value: float) -> list:
    return ["f", value.hex() if math.isfinite(value) else repr(value)]


class Encoder:
    """Turns a value into (JSON-able tree, buffers). ``keep(obj) -> int`` stores an
    object that cannot cross and returns its handle number; ``ref(obj)`` returns
    the number of a handle of the *other* side (a proxy being sent back), or None.
    """

    def __init__(
        self, keep, ref=lambda obj: None, max_depth: int = 64, lend=None, describe=None
    ):
        self.keep, self.ref, self.max_depth = keep, ref, max_depth
        # lend(obj) -> a tree for an object sent by value (mirror.py), or None
        self.lend = lend
        # describe(obj) -> what a handle carries besides its number (the student's
        # side: its classes' names and a tensor's values, computed now)
        self.describe = describe
        self.buffers: list[bytes] = []
        # id -> position of a call's arguments: a result that holds an argument
        # itself (a layer's cache) is sent as a reference to it.
        self.arguments: dict[int, int] = {}

    def encode(self, value, depth: int = 0):
        if depth > self.max_depth:
            raise ChannelError("value nested too deeply to send")
        kind = type(value)
        if self.arguments and id(value) in self.arguments:
            return ["p", self.arguments[id(value)]]
        other = self.ref(value)
        if other is not None:
            return ["r", other]
        if value is None:
            return ["n"]
        if value is Ellipsis:
            return ["E"]
        if kind is bool:
            return ["b", value]
        if kind is int:
            return ["i", str(value)]
        if kind is float:
            return _float(value)
        if kind is complex:
            return ["c", _float(value.real)[1], _float(value.imag)[1]]
        if kind is str:
            return ["s", value]
        if kind is bytes:
            return ["y", self._buffer(value)]
        if kind is slice:
            parts = (value.start, value.stop, value.step)
            return ["sl", *(self.encode(v, depth + 1) for v in parts)]
        dtype_like = issubclass(kind, np.dtype)
        if dtype_like and value.kind in ARRAY_KINDS and not value.fields:
            return ["dt", value.str]
        if kind is type and value in _PY_TYPES.values():
            return ["pt", value.__name__]
        scalar_type = kind is type and issubclass(value, np.generic)
        if scalar_type and np.dtype(value).kind in ARRAY_KINDS:
            return ["dt", np.dtype(value).str, "type"]
        if kind.__module__ == "torch" and kind.__name__ == "dtype":
            name = str(value).removeprefix("torch.")
            if name in TORCH_DTYPES:
                return ["td", name]
        if kind.__module__ == "torch" and kind.__name__ == "device":
            return ["dv", str(value)]
        if issubclass(kind, np.ndarray) and value.dtype.kind in ARRAY_KINDS:
            return self._array(np.asarray(value))
        if issubclass(kind, np.generic) and value.dtype.kind in ARRAY_KINDS:
            return ["g", value.dtype.str, self._buffer(value.tobytes())]
        if _is_tensor(value) and not value.requires_grad:
            return self._tensor(value)
        if kind is tuple or kind.__name__ == "Size" and issubclass(kind, tuple):
            return ["T", [self.encode(v, depth + 1) for v in value]]
        if kind is list:
            return ["L", [self.encode(v, depth + 1) for v in value]]
        if kind is dict:
            return [
                "D",
                [
                    [self.encode(k, depth + 1), self.encode(v, depth + 1)]
                    for k, v in value.items()
                ],
            ]
        lent = self.lend(value) if self.lend is not None else None
        if lent is not None:
            return lent
        handle = ["h", self.keep(value), protocol.text(type(value).__name__, 200)]
        if self.describe is not None:
            classes, values = self.describe(value)
            handle += [classes, None if values is None else self.encode(values, depth)]
        return handle

    def _buffer(self, data: bytes) -> int:
        self.buffers.append(bytes(data))
        return len(self.buffers) - 1

    def _array(self, value: np.ndarray) -> list:
        # (np.ascontiguousarray alone makes a 0-d array 1-d)
        contiguous = np.ascontiguousarray(value).reshape(value.shape)
        return [
            "a",
            contiguous.dtype.str,
            list(contiguous.shape),
            self._buffer(contiguous.tobytes()),
        ]

    def _tensor(self, value) -> list:
        import torch

        name = str(value.dtype).removeprefix("torch.")
        if name not in TORCH_DTYPES:
            return ["h", self.keep(value), "Tensor"]
        data = value.detach().cpu().contiguous()
        if name == "bfloat16":
            data = data.view(torch.int16)
        tree = ["t", name, str(value.device), self._array(data.numpy())]
        if not value.is_contiguous() and _dense(value.shape, value.stride()):
            tree.append([int(s) for s in value.stride()])  # a transposed layout
        return tree


class Decoder:
    """Turns a tree and its buffers back into values. ``handle(number, type_name)``
    makes the proxy for an object of the sender; ``local(number)`` returns this
    side's own object for a handle it once sent."""

    def __init__(
        self, buffers, handle, local, max_depth: int = 64, arguments=(), lent=None
    ):
        self.buffers, self.handle, self.local = buffers, handle, local
        self.max_depth = max_depth
        self.arguments = list(arguments)
        # lent(decoder, tag, args, depth) decodes the lent-object tags "M", "m"
        # and "w" (mirror.py); without it they are refused like any unknown tag.
        self.lent = lent
        self.nodes = 0

    def decode(self, tree, depth: int = 0):
        if depth > self.max_depth:
            raise ChannelError("value nested too deeply")
        self.nodes += 1
        if self.nodes > protocol.MAX_NODES:
            raise MessageTooLarge(f"more than {protocol.MAX_NODES} values in a message")
        if not isinstance(tree, list) or not tree or not isinstance(tree[0], str):
            raise ChannelError(f"malformed value {str(tree)[:80]}")
        tag, args = tree[0], tree[1:]
        decoders = {
            "n": lambda: None,
            "E": lambda: Ellipsis,
            "b": lambda: bool(args[0]),
            "i": lambda: int(args[0]),
            "f": lambda: _read_float(args[0]),
            "c": lambda: complex(_read_float(args[0]), _read_float(args[1])),
            "s": lambda: str(args[0]),
            "y": lambda: self._buffer(args[0]),
            "sl": lambda: slice(*(self.decode(a, depth + 1) for a in args)),
            "a": lambda: self._array(*args),
            "g": lambda: self._scalar(*args),
            "t": lambda: self._tensor(*args),
            "T": lambda: tuple(self.decode(v, depth + 1) for v in args[0]),
            "L": lambda: [self.decode(v, depth + 1) for v in args[0]],
            "D": lambda: {
                self._key(k, depth): self.decode(v, depth + 1) for k, v in args[0]
            },
            "h": lambda: self._handle(args, depth),
            "r": lambda: self.local(int(args[0])),
            "p": lambda: self.arguments[int(args[0])],
            "dt": lambda: self._dtype_value(*args),
            "pt": lambda: _PY_TYPES[str(args[0])],
            "td": lambda: self._torch_dtype(args[0]),
            "dv": lambda: _torch_device(args[0]),
        }
        if tag in ("M", "m", "w") and self.lent is not None:
            return self.lent(self, tag, args, depth)
        if tag not in decoders:
            raise ChannelError(f"unknown value tag {tag!r}")
        try:
            return decoders[tag]()
        except (IndexError, TypeError, ValueError) as error:
            raise ChannelError(f"malformed {tag!r} value: {error}") from None

    def _handle(self, args, depth):
        """A handle: its number and type name, and where the sender describes it
        (the student's side, protocol.describe) its classes and its values."""
        number, name = int(args[0]), protocol.text(args[1], 200)
        if len(args) < 4:
            return self.handle(number, name)
        classes = args[2]
        if not isinstance(classes, list) or len(classes) > protocol.MAX_MRO:
            raise ChannelError("a handle's classes are malformed")
        classes = [
            (protocol.text(c[0], 200), protocol.text(c[1], 200))
            for c in classes
            if isinstance(c, list) and len(c) == 2
        ]
        values = None
        if args[3] is not None:
            values = self.decode(args[3], depth + 1)
            if not (_is_tensor(values) or type(values) is np.ndarray):
                raise ChannelError("a handle's values are not a tensor")
        return self.handle(number, name, classes, values)

    def _key(self, tree, depth):
        key = self.decode(tree, depth + 1)
        try:
            hash(key)
        except TypeError:
            raise ChannelError("unhashable dict key") from None
        return key

    def _buffer(self, index) -> bytes:
        if not isinstance(index, int) or not 0 <= index < len(self.buffers):
            raise ChannelError(f"no buffer {index!r}")
        return self.buffers[index]

    def _dtype(self, text) -> np.dtype:
        dtype = np.dtype(str(text))
        if dtype.kind not in ARRAY_KINDS or dtype.fields or dtype.subdtype:
            raise ChannelError(f"dtype {text!r} may not cross the channel")
        return dtype

    def _dtype_value(self, text, form=None):
        dtype = self._dtype(text)
        return dtype.type if form == "type" else dtype

    def _torch_dtype(self, name):
        import torch

        if name not in TORCH_DTYPES:
            raise ChannelError(f"torch dtype {name!r} may not cross the channel")
        return getattr(torch, name)

    def _array(self, dtype, shape, index) -> np.ndarray:
        dtype = self._dtype(dtype)
        if not isinstance(shape, list) or not all(
            isinstance(n, int) and n >= 0 for n in shape
        ):
            raise ChannelError(f"bad shape {shape!r}")
        data = self._buffer(index)
        if len(data) != math.prod(shape) * dtype.itemsize:
            raise ChannelError("array buffer does not match its shape")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()

    def _scalar(self, dtype, index):
        dtype = self._dtype(dtype)
        data = self._buffer(index)
        if len(data) != dtype.itemsize:
            raise ChannelError("scalar buffer does not match its dtype")
        return np.frombuffer(data, dtype=dtype)[0]

    def _tensor(self, name, device, array, strides=None):
        import torch

        if name not in TORCH_DTYPES:
            raise ChannelError(f"torch dtype {name!r} may not cross the channel")
        values = self._array(*array[1:]) if array[:1] == ["a"] else None
        if values is None:
            raise ChannelError("malformed tensor")
        tensor = torch.from_numpy(values)
        if name == "bfloat16":
            tensor = tensor.view(torch.bfloat16)
        tensor = tensor.to(getattr(torch, name))
        if strides is not None:  # the sender's layout (view() fails on it too)
            shape = tuple(tensor.shape)
            if not isinstance(strides, list) or not _dense(shape, strides):
                raise ChannelError("tensor strides that do not fit its shape")
            laid_out = torch.empty_strided(shape, tuple(strides), dtype=tensor.dtype)
            tensor = laid_out.copy_(tensor)
        if str(device) != "cpu":
            # On a device this side lacks, the values stay on the CPU.
            with contextlib.suppress(RuntimeError, AssertionError):
                tensor = tensor.to(str(device))
        return tensor


def _dense(shape, strides) -> bool:
    """Strides that lay the elements out without gaps or overlaps, in some order
    of the axes (a transposed tensor's)."""
    if len(shape) != len(strides) or not all(
        isinstance(s, int) and s > 0 for s in strides
    ):
        return False
    expected = 1
    for size, stride in sorted(zip(shape, strides, strict=True), key=lambda p: p[1]):
        if size != 1 and stride != expected:
            return False
        expected *= size
    return True


_DEVICE = re.compile(r"^(cpu|cuda|mps|meta)(:\d{1,3})?$")


def _torch_device(text):
    import torch

    if not isinstance(text, str) or not _DEVICE.match(text):
        raise ChannelError(f"device {str(text)[:40]!r} may not cross the channel")
    return torch.device(text)


def _read_float(text) -> float:
    text = str(text)
    if text in ("nan", "inf", "-inf"):
        return float(text)
    return float.fromhex(text)


def send(sock: socket.socket, message: list, buffers: list[bytes]) -> int:
    """Write one message; returns the number of bytes sent."""
    header = json.dumps(message, separators=(",", ":")).encode()
    parts = [_HEADER.pack(len(header), len(buffers)), header]
    for data in buffers:
        parts += [_LENGTH.pack(len(data)), data]
    payload = b"".join(parts)
    sock.sendall(payload)
    return len(payload)


def _read_exactly(sock: socket.socket, count: int) -> bytes:
    chunks, left = [], count
    while left:
        try:
            chunk = sock.recv(min(left, 1 << 20))
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            raise ChannelClosed("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(sock: socket.socket, max_bytes: int) -> tuple[list, list[bytes], int]:
    """Read one message: (header, buffers, bytes read). Raises MessageTooLarge
    before reading a message whose declared size is over ``max_bytes``."""
    header_length, count = _HEADER.unpack(_read_exactly(sock, _HEADER.size))
    total = _HEADER.size + header_length
    if total > max_bytes:
        raise MessageTooLarge(f"a message of more than {max_bytes} bytes")
    if header_length > protocol.MAX_HEADER_BYTES:
        raise MessageTooLarge(
            f"a message header of more than {protocol.MAX_HEADER_BYTES} bytes"
        )
    try:
        header = json.loads(_read_exactly(sock, header_length))
    except ValueError as error:
        raise ChannelError(f"malformed message header: {error}") from None
    if count > protocol.MAX_BUFFERS:
        raise MessageTooLarge(f"a message of more than {protocol.MAX_BUFFERS} arrays")
    buffers = []
    for _ in range(count):
        (length,) = _LENGTH.unpack(_read_exactly(sock, _LENGTH.size))
        total += _LENGTH.size + length
        if total > max_bytes:
            raise MessageTooLarge(f"a message of more than {max_bytes} bytes")
        buffers.append(_read_exactly(sock, length))
    if not isinstance(header, list):
        raise ChannelError("malformed message header")
    return header, buffers, total
