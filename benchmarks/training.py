"""Training the reference networks for benchmark rows: the notebooks' settings."""

from __future__ import annotations

from lib import solver


def train(net, arrays, rule, learning_rate, batch_size, num_epochs, **kwargs):
    """The Solver after training ``net`` quietly with seed 0."""
    run = solver.Solver(
        net,
        arrays,
        rule,
        {"learning_rate": learning_rate},
        batch_size=batch_size,
        num_epochs=num_epochs,
        seed=0,
        progress=False,
        **kwargs,
    )
    return run.train()
