"""lib.timing: the best of several runs, and one run, on a fake clock (exact and
independent of the machine's load)."""

from __future__ import annotations

import pytest

from lib import timing


@pytest.fixture
def clock(monkeypatch):
    """A clock that only moves when the timed function says so."""
    now = [100.0]
    monkeypatch.setattr(timing.time, "perf_counter", lambda: now[0])
    return now


def test_best_of_calls_repeatedly_and_returns_the_shortest(clock):
    durations = iter([3.0, 0.5, 2.0, 0.75])
    calls = []

    def work(x):
        calls.append(x)
        clock[0] += next(durations)

    assert timing.best_of(work, 1, repeats=4) == 0.5
    assert calls == [1, 1, 1, 1]


def test_stopwatch_times_one_call(clock):
    def work(step):
        clock[0] += step

    assert timing.stopwatch(work, 0.25) == 0.25
