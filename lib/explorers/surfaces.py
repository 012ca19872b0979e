"""Two-dimensional test functions for optimisers, and optimiser trajectories on them.

A point is a float64 array of shape (2,). Each ``Surface`` evaluates on a point or on
grids (``value(x, y)`` broadcasts) and gives its analytic gradient.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Surface:
    """A 2-D function with its gradient, a default start and a plotting window."""

    name: str
    value_fn: object  # (x, y) -> f, broadcasting over arrays
    grad_fn: object  # (x, y) -> (df/dx, df/dy)
    start: tuple[float, float]
    bounds: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
    minima: tuple[tuple[float, float], ...] = field(default=())

    def value(self, x, y):
        return self.value_fn(x, y)

    def loss(self, w: np.ndarray) -> float:
        return float(self.value_fn(w[0], w[1]))

    def grad(self, w: np.ndarray) -> np.ndarray:
        return np.array(self.grad_fn(w[0], w[1]), dtype=np.float64)


def quadratic(condition: float = 10.0) -> Surface:
    """0.5 * (x**2 + condition * y**2): the curvatures differ by ``condition``."""
    return Surface(
        f"quadratic (condition {condition:.3g})",
        lambda x, y: 0.5 * (x * x + condition * y * y),
        lambda x, y: (x, condition * y),
        start=(-4.0, 2.0),
        bounds=(-5.0, 5.0, -3.0, 3.0),
        minima=((0.0, 0.0),),
    )


def _rosenbrock_grad(x, y):
    return (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))


ROSENBROCK = Surface(
    "Rosenbrock",
    lambda x, y: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    _rosenbrock_grad,
    start=(-1.5, 2.0),
    bounds=(-2.0, 2.0, -1.0, 3.0),
    minima=((1.0, 1.0),),
)


def _beale_terms(x, y):
    return (1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y**3)


def _beale_grad(x, y):
    a, b, c = _beale_terms(x, y)
    dx = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y**3 - 1)
    dy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y
    return (dx, dy)


BEALE = Surface(
    "Beale",
    lambda x, y: sum(t * t for t in _beale_terms(x, y)),
    _beale_grad,
    start=(1.0, 1.4),
    bounds=(-4.5, 4.5, -4.5, 4.5),
    minima=((3.0, 0.5),),
)

SADDLE = Surface(
    "saddle",
    lambda x, y: x * x - y * y + 0.25 * y**4,
    lambda x, y: (2 * x, -2 * y + y**3),
    start=(-2.0, 1e-3),
    bounds=(-2.5, 2.5, -2.5, 2.5),
    minima=((0.0, 2**0.5), (0.0, -(2**0.5))),
)

HIMMELBLAU = Surface(
    "Himmelblau",
    lambda x, y: (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    lambda x, y: (
        4 * x * (x * x + y - 11) + 2 * (x + y * y - 7),
        2 * (x * x + y - 11) + 4 * y * (x + y * y - 7),
    ),
    start=(0.0, -0.5),
    bounds=(-5.0, 5.0, -5.0, 5.0),
    minima=(
        (3.0, 2.0),
        (-2.805118, 3.131312),
        (-3.779310, -3.283186),
        (3.584428, -1.848126),
    ),
)


def surfaces(condition: float = 10.0) -> dict[str, Surface]:
    """Every test surface by short name."""
    return {
        "quadratic": quadratic(condition),
        "rosenbrock": ROSENBROCK,
        "beale": BEALE,
        "saddle": SADDLE,
        "himmelblau": HIMMELBLAU,
    }


def trajectory(
    surface: Surface, rule, config: dict | None, start, steps: int, escape: float = 1e6
) -> tuple[np.ndarray, np.ndarray]:
    """Run ``rule`` on ``surface`` from ``start``.

    Returns:
        points: (K + 1, 2) positions, the start first.
        losses: (K + 1,) loss at each position. K < steps when the run diverges
            (a coordinate beyond ``escape`` or not finite), which stops it early.
    """
    w = np.array(start, dtype=np.float64)
    config = dict(config or {})
    points, losses = [w.copy()], [surface.loss(w)]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            w, config = rule(w, surface.grad(w), config)
            w = np.asarray(w, dtype=np.float64)
            if not np.all(np.isfinite(w)) or np.abs(w).max() > escape:
                break
            points.append(w.copy())
            losses.append(surface.loss(w))
    return np.array(points), np.array(losses)
