"""Timing code: used by notebooks that compare implementations, and by benchmarks."""

from __future__ import annotations

import time


def best_of(fn, *args, repeats: int = 5) -> float:
    """Shortest wall time of ``repeats`` calls, in seconds (the least disturbed)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def stopwatch(fn, *args) -> float:
    """Wall time of one call, in seconds."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start
