"""The grading channel: what may cross, what is refused, oversized data; and the
grader's side of the proxies (what it serves to the student's process)."""

from __future__ import annotations

import contextlib
import socket
import threading

import numpy as np
import pytest
import torch

from grading.classroom import channel, proxy

PLAIN = [
    None,
    True,
    -(2**70),
    1.5,
    float("inf"),
    float("nan"),
    1 + 2j,
    "text",
    b"\x00bytes",
    slice(1, None, 2),
    Ellipsis,
    np.float32(2.5),
    np.arange(6, dtype=np.int16).reshape(2, 3),
    np.array([True, False]),
    np.zeros((0, 4)),
    np.dtype("float32"),
    np.float64,
    float,
    (1, [2.0, {"k": np.ones(2)}]),
    {(1, 2): "tuple key", 3: None},
]


def _round_trip(value, kept=None):
    kept = [] if kept is None else kept
    encoder = channel.Encoder(keep=lambda obj: kept.append(obj) or len(kept))
    tree = encoder.encode(value)
    decoder = channel.Decoder(encoder.buffers, lambda n, t: ("handle", n, t), None)
    return decoder.decode(tree)


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray | np.generic):
        return type(a) is type(b) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, float) and a != a:
        return b != b
    if isinstance(a, tuple | list):
        return type(a) is type(b) and all(
            _same(x, y) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("value", PLAIN, ids=lambda v: type(v).__name__)
def test_plain_data_crosses_unchanged(value):
    assert _same(value, _round_trip(value))


def test_tensors_cross_as_data_with_dtype():
    for dtype in (torch.float64, torch.bfloat16, torch.int64, torch.bool):
        tensor = torch.arange(4).reshape(2, 2).to(dtype)
        back = _round_trip(tensor)
        assert back.dtype == dtype and torch.equal(back, tensor)


def test_anything_else_stays_behind_as_a_handle():
    class Anything:
        def __eq__(self, other):
            return True

    kept: list = []
    for value in (
        Anything(),
        lambda: 1,
        np.array([object()]),
        torch.ones(1).requires_grad_(),
    ):
        got = _round_trip(value, kept)
        assert got[0] == "handle" and kept[-1] is value


@pytest.mark.parametrize(
    ("tree", "buffers", "why"),
    [
        (["pickle", "..."], [], "unknown value tag"),
        (["a", "|O", [1], 0], [b"\x00" * 8], "may not cross"),
        (["a", "<f8", [3], 0], [b"\x00" * 8], "does not match"),
        (["a", "<f8", [-1], 0], [b""], "bad shape"),
        (["a", "<f8", [1], 5], [], "no buffer"),
        (["D", [[["L", []], ["n"]]]], [], "unhashable"),
        (["t", "complex32", "cpu", ["a", "<f8", [1], 0]], [b"\x00" * 8], "torch dtype"),
        ("not a list", [], "malformed"),
    ],
)
def test_malformed_or_code_running_values_are_refused(tree, buffers, why):
    decoder = channel.Decoder(buffers, lambda n, t: None, lambda n: None)
    with pytest.raises(channel.ChannelError, match=why):
        decoder.decode(tree)


def test_an_oversized_message_is_refused_before_it_is_read():
    a, b = socket.socketpair()

    def send():
        # The receiver closes its end unread: the sender's pipe breaks (expected).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            channel.send(a, ["ok", ["n"]], [b"x" * 2_000_000])

    with a, b:
        sender = threading.Thread(target=send)
        sender.start()
        with pytest.raises(channel.MessageTooLarge):
            channel.receive(b, max_bytes=1_000_000)
        b.close()
        sender.join()


def _pair(grader_namespace, student_namespace, served="student"):
    """A grader endpoint (restricted) and a student endpoint; the ``served`` one
    answers requests in a thread."""
    a, b = socket.socketpair()
    grader = proxy.Endpoint(a, proxy.Policy(grader_namespace, restricted=True))
    student = proxy.Endpoint(b, proxy.Policy(student_namespace))
    server = student if served == "student" else grader
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return grader, student


def test_proxies_call_mutate_and_write_through():
    class Net:
        def __init__(self):
            self.params = {"W": np.ones((2, 2))}

        def loss(self):
            return float((self.params["W"] ** 2).sum())

    grader, _ = _pair({}, {"Net": Net})
    net = grader.request("get_global", "Net")()
    W = net.params["W"]
    assert isinstance(W, proxy.RemoteArray) and net.loss() == 4.0
    W[0, 0] = 3.0  # a numerical gradient's probe reaches the student's array
    assert net.loss() == 12.0
    net.params["b"] = np.zeros(2)  # dicts held by an object stay there
    assert sorted(net.params) == ["W", "b"] and isinstance(net.params, dict)
    assert grader.requests > 5 and grader.bytes_in > 0


def test_the_grader_serves_no_name_only_calls_of_what_it_sent():
    def reference(x):
        return x * 2

    namespace = {"answer": 42, "secret_module": np, "checks_like": reference}
    grader, student = _pair(namespace, {}, served="grader")
    # The student's side can read no name of the grader's, plain data or not:
    # there is no request for it (protocol.GRADER_SERVES).
    for name in ("answer", "secret_module", "checks_like", "In", "_"):
        with pytest.raises(PermissionError, match="not served"):
            student.request("get_global", name)
    # An object the grader sent (a reference layer) can be called, not opened.
    tree, _ = grader.encode(reference)
    handle = student._proxy(tree[1], tree[2])
    assert handle(np.ones(2)).tolist() == [2.0, 2.0]
    assert "reference" not in repr(handle) and "of the grader" in str(handle)
    for attack in (
        lambda: handle.__globals__,
        lambda: student.request("getattr", handle, "__globals__"),
        lambda: student.request("getattr", handle, "__code__"),
        lambda: student.request("setitem", handle, "x", 1),
        lambda: student.request("set_globals", {"checks_like": None}),
        lambda: student.request("exec", "import os", "x"),
    ):
        with pytest.raises((AttributeError, PermissionError, proxy.RemoteError)):
            attack()
    assert namespace["checks_like"] is reference
