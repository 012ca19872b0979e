"""Torch objects lent to the student's process (grading/classroom/mirror.py): what
an answer does to them comes back, the grader's autograd mode and seeds go along,
and the grader never decodes a pickle."""

from __future__ import annotations

import socket
import threading

import numpy as np
import pytest
import torch

from grading.classroom import channel, mirror, proxy


def _pair(student_namespace):
    """A grader endpoint that lends, and a student endpoint serving in a thread."""
    a, b = socket.socketpair()
    grader = proxy.Endpoint(a, proxy.Policy({}, restricted=True))
    grader.lending = mirror.Lender(
        lambda obj: type(obj) is proxy.Remote,
        lambda obj: object.__getattribute__(obj, "_number"),
    )
    student = proxy.Endpoint(b, proxy.Policy(student_namespace))
    student.lending = mirror.Borrower(student_namespace, student._local)
    threading.Thread(target=student.serve_forever, daemon=True).start()
    return grader


def _train(model, optimizer, x, y):
    """An answer: one step, then evaluation mode; returns the loss."""
    loss = torch.nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    model.eval()
    return loss.item()


def test_a_lent_model_comes_back_trained_with_its_gradients():
    grader = _pair({"train": _train})
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Dropout(0.0))
    twin = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Dropout(0.0))
    twin.load_state_dict(model.state_dict())
    x, y = torch.randn(5, 3), torch.randn(5, 2)
    train = grader.request("get_global", "train")
    # The model and its optimiser travel together: the step moves the model.
    loss = train(model, torch.optim.SGD(model.parameters(), lr=0.5), x, y)
    expected = _train(twin, torch.optim.SGD(twin.parameters(), lr=0.5), x, y)
    assert loss == pytest.approx(expected)
    for mine, theirs in zip(model.parameters(), twin.parameters(), strict=True):
        assert torch.equal(mine, theirs) and torch.equal(mine.grad, theirs.grad)
    assert not model.training and not model[1].training


def test_a_lent_generator_comes_back_with_the_draws_made_there():
    """A sampler that draws from a test's generator leaves it where one kernel
    would: the test's next draw continues after the answer's."""
    grader = _pair({"draw": lambda g, n: torch.randn(n, generator=g)})
    lent, twin = torch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    draw = grader.request("get_global", "draw")
    assert torch.equal(draw(lent, 4), torch.randn(4, generator=twin))
    assert torch.equal(torch.randn(2, generator=lent), torch.randn(2, generator=twin))


def test_a_lent_input_gets_the_gradient_computed_there():
    grader = _pair({"square_sum": lambda x: (x**2).sum()})
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    out = grader.request("get_global", "square_sum")(x)
    assert type(out) is proxy.Remote  # it needs gradients: it stays there
    out.backward()
    assert torch.equal(x.grad, 2 * x.detach())


def test_the_graders_autograd_mode_and_seed_go_along():
    def probe():
        return torch.is_grad_enabled(), torch.rand(2)

    grader = _pair({"probe": probe})
    call = grader.request("get_global", "probe")
    with torch.no_grad():
        assert call()[0] is False
    assert call()[0] is True
    torch.manual_seed(3)
    first = call()[1]
    second = call()[1]  # no new seed: the student's stream goes on
    torch.manual_seed(3)
    assert torch.equal(first, torch.rand(2)) and not torch.equal(first, second)


def test_torch_functions_here_take_the_students_tensors_as_values():
    weight = torch.nn.Parameter(torch.eye(2) * 3)
    grader = _pair({"weight": lambda: weight})
    remote = grader.request("get_global", "weight")()
    assert type(remote) is proxy.Remote
    x = torch.ones(1, 2)
    assert torch.equal(torch.nn.functional.linear(x, remote), x * 3)
    assert np.array_equal(np.asarray(remote), np.eye(2) * 3)


def test_the_grader_never_decodes_a_pickle():
    lender = mirror.Lender(lambda obj: False, lambda obj: 0)
    decoder = channel.Decoder([b"anything"], None, None, lent=lender.decode)
    for tree in (["M", 0, [1], ["n"]], ["m", 0]):
        with pytest.raises(channel.ChannelError, match="not accepted"):
            decoder.decode(tree)
    with pytest.raises(channel.ChannelError, match="no longer exists"):
        decoder.decode(["w", 7])  # a number it never lent


def test_layouts_scalars_and_devices_cross_as_they_are():
    def round_trip(value):
        encoder = channel.Encoder(keep=lambda obj: 1)
        tree = encoder.encode(value)
        return channel.Decoder(encoder.buffers, None, None).decode(tree)

    assert round_trip(np.array(2.5)).shape == ()
    transposed = torch.arange(6.0).reshape(2, 3).t()
    back = round_trip(transposed)
    assert torch.equal(back, transposed) and back.stride() == transposed.stride()
    assert round_trip(torch.device("cpu")) == torch.device("cpu")
    decoder = channel.Decoder([np.zeros(6).tobytes()], None, None)
    for tree, why in (
        (["dv", "cpu; import os"], "may not cross"),
        (["t", "float64", "cpu", ["a", "<f8", [2, 3], 0], [1, 1]], "strides"),
    ):
        with pytest.raises(channel.ChannelError, match=why):
            decoder.decode(tree)
