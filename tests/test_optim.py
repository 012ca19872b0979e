"""lib.optim against torch.optim and closed forms; lib.explorers.surfaces against
autograd."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lib import optim, oracles
from lib.explorers import surfaces


@pytest.mark.parametrize("name", list(optim.RULES))
@pytest.mark.parametrize("config", [None, {"learning_rate": 0.05}])
def test_reference_rules_follow_torch_optim(name, config):
    rng = np.random.default_rng(0)
    w0, grads = rng.normal(size=(3, 4)), rng.normal(size=(6, 3, 4))
    ours = oracles.rule_path(
        optim.RULES[name], w0, grads, None if config is None else dict(config)
    )
    theirs = oracles.torch_rule_path(name, w0, grads, config)
    assert np.allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_rules_keep_state_and_defaults_in_config_and_leave_w_alone():
    w, dw = np.ones(3), np.full(3, 0.5)
    _, config = optim.adam(w, dw)
    assert config["t"] == 1 and config["learning_rate"] == 1e-3
    assert set(config) >= {"m", "v", "beta1", "beta2", "epsilon"}
    _, config = optim.sgd_momentum(w, dw)
    assert config["momentum"] == 0.9 and "velocity" in config
    assert np.array_equal(w, np.ones(3))


def test_schedules_match_closed_forms():
    assert optim.step_decay(39, 1.0, 20, 0.1) == pytest.approx(0.1)
    assert optim.exponential_decay(10, 2.0, 0.1) == pytest.approx(2 * math.exp(-1))
    assert optim.inverse_time_decay(4, 1.0, 0.25) == pytest.approx(0.5)
    assert optim.cosine_annealing(50, 1.0, 100, 0.2) == pytest.approx(0.6)
    assert optim.cosine_annealing(150, 1.0, 100, 0.2) == pytest.approx(0.2)
    assert (
        optim.linear_warmup(5, 1.0, 10) == 0.5 and optim.linear_warmup(20, 1.0, 10) == 1
    )
    peak = optim.noam_schedule(4000, 512, 4000)
    assert peak == pytest.approx(512**-0.5 * 4000**-0.5)
    assert (
        optim.noam_schedule(3999, 512, 4000)
        < peak
        > optim.noam_schedule(4001, 512, 4000)
    )
    with pytest.raises(ValueError, match="from 1"):
        optim.noam_schedule(0, 512, 4000)


def test_linear_decay_matches_torchs_polynomial_schedule():
    from lib import oracles

    got = [optim.linear_decay(step, 0.3, 7) for step in range(12)]
    assert np.allclose(got, oracles.torch_linear_decay_lrs(12, 0.3, 7), atol=1e-15)
    assert got[0] == 0.3 and got[7:] == [0.0] * 5


def test_newton_step_lands_on_the_minimum_of_a_quadratic():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(5, 5))
    H = A @ A.T + 5 * np.eye(5)
    target = rng.normal(size=5)
    w = rng.normal(size=5)
    step = optim.newton_step(w, H @ (w - target), H)
    assert np.allclose(step, target)


@pytest.mark.parametrize(
    "surface", list(surfaces.surfaces(25.0).values()), ids=lambda s: s.name
)
def test_surface_gradients_match_autograd(surface):
    rng = np.random.default_rng(1)
    for point in rng.uniform(-2, 2, size=(5, 2)):
        t = torch.tensor(point, requires_grad=True)
        surface.value(t[0], t[1]).backward()
        assert np.allclose(surface.grad(point), t.grad.numpy(), rtol=1e-10)
    for minimum in surface.minima:
        assert np.allclose(surface.grad(np.array(minimum)), 0, atol=1e-4)


def test_trajectory_stops_when_a_run_diverges():
    points, losses = surfaces.trajectory(
        surfaces.ROSENBROCK, optim.sgd, {"learning_rate": 1.0}, (-1.5, 2.0), 100
    )
    assert len(points) < 101 and np.all(np.isfinite(losses))
    points, losses = surfaces.trajectory(
        surfaces.quadratic(1.0), optim.sgd, {"learning_rate": 1.0}, (2.0, 2.0), 5
    )
    assert points.shape == (6, 2) and losses[-1] < 1e-9
