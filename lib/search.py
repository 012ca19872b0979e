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
