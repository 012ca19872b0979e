"""lib.timing: the best of several runs, and one run."""

from __future__ import annotations

from lib import timing


def test_best_of_calls_repeatedly_and_returns_the_shortest():
    calls = []
    seconds = timing.best_of(calls.append, 1, repeats=4)
    assert calls == [1, 1, 1, 1] and 0 <= seconds < 1
    assert timing.stopwatch(sum, [1, 2]) >= 0
