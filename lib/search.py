"""Reference for hyperparameter search (unit 02): log-uniform sampling.

Tests of ``random_search`` plug this in for the student's ``log_uniform``, so a bug
in one costs points once; graded answers may not call it.
"""

from __future__ import annotations

import numpy as np


def log_uniform(rng: np.random.Generator, low: float, high: float, size=None):
    """Samples between ``low`` and ``high`` whose logarithm is uniform on
    [log low, log high]: every factor of 10 in the range gets the same share."""
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def coarse_to_fine_search(
    evaluate,
    ranges: dict,
    rng: np.random.Generator,
    num_coarse=20,
    num_fine=20,
    keep=0.25,
):
    """Random search in two stages (unit 02's ``coarse_to_fine_search``).

    The coarse stage draws ``num_coarse`` trials log-uniformly over ``ranges``;
    the fine stage draws ``num_fine`` more inside, for each hyperparameter, the
    span (smallest to largest value) of the best ``ceil(keep * num_coarse)``
    coarse trials (at least one; a tie keeps the earlier trial). Every draw is
    ``log_uniform(rng, low, high, None)``, one per hyperparameter in the order of
    ``ranges``, trial after trial. Returns (best_params, best_score) over all
    trials, the earlier on a tie.
    """
    trials = []

    def run(bounds, count):
        for _ in range(count):
            params = {
                name: float(log_uniform(rng, low, high, None))
                for name, (low, high) in bounds.items()
            }
            trials.append((params, evaluate(params)))

    run(ranges, num_coarse)
    count = max(1, int(np.ceil(keep * num_coarse)))
    # sorted is stable: among equal scores the earlier trial comes first.
    best = sorted(trials, key=lambda trial: -trial[1])[:count]
    narrowed = {
        name: (min(p[name] for p, _ in best), max(p[name] for p, _ in best))
        for name in ranges
    }
    run(narrowed, num_fine)
    return max(trials, key=lambda trial: trial[1])
