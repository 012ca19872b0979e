"""Explorers work without a browser: plain plotting functions and live widgets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from lib import explorers, optim  # noqa: E402
from lib.explorers.optimizers import choose  # noqa: E402


def _my_sgd(w, dw, config=None):
    config = config or {}
    return w - config.get("learning_rate", 1e-2) * dw, config


def _unfinished(w, dw, config=None):
    raise NotImplementedError()


def test_choose_prefers_working_student_code_and_falls_back_otherwise():
    chosen = choose({"sgd": _my_sgd, "adam": _unfinished}, "rules")
    assert chosen["sgd"] == (_my_sgd, "yours")
    assert chosen["adam"] == (optim.adam, "reference")
    assert chosen["nesterov"] == (optim.nesterov, "reference")
    assert choose(None, "schedules")["noam_schedule"][1] == "reference"


def test_plot_optimizer_paths_draws_every_rule_on_every_surface():
    for surface in ("quadratic", "rosenbrock", "beale", "saddle", "himmelblau"):
        fig = explorers.plot_optimizer_paths(
            surface, rule_names=list(optim.RULES), steps=30, namespace={"sgd": _my_sgd}
        )
        ax_map, ax_loss = fig.axes[:2]
        labels = [line.get_label() for line in ax_loss.lines]
        assert labels[0] == "sgd (yours)" and len(labels) == len(optim.RULES)
        assert all(len(line.get_xdata()) > 1 for line in ax_loss.lines)
        plt.close(fig)


def test_condition_number_changes_the_quadratic():
    paths = []
    for condition in (1.0, 100.0):
        fig = explorers.plot_optimizer_paths(
            "quadratic",
            rule_names=["sgd"],
            learning_rate=0.015,
            steps=50,
            condition=condition,
        )
        paths.append(np.asarray(fig.axes[0].lines[-2].get_ydata()))
        plt.close(fig)
    assert not np.allclose(paths[0], paths[1])


def test_plot_schedules_draws_all_nine():
    ax = explorers.plot_schedules(total_steps=80, cycle_len=10, mult=2)
    right = ax.figure.axes[-1]
    assert len(ax.lines) == 8 and len(right.lines) == 1
    assert ax.lines[0].get_ydata()[0] == 0.1  # step decay starts at lr0
    sgdr = np.asarray(ax.lines[5].get_ydata())
    assert sgdr[9] < 0.01 and sgdr[10] == sgdr[30] == 0.1  # restarts at 10 and 30
    linear = np.asarray(ax.lines[6].get_ydata())
    assert linear[0] == 0.1 and linear[40] == 0.05 and linear[80] == 0.0
    plateau = np.asarray(ax.lines[7].get_ydata())
    assert plateau[0] == 0.1 and plateau[-1] < 0.1  # the loss flattens: a cut
    assert np.all(np.diff(plateau) <= 0)
    plt.close("all")


def test_the_schedule_explorer_draws_the_students_plateau_rule_once_it_works():
    class Mine(optim.PlateauScheduler):
        pass

    class Unfinished:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError()

    assert explorers.plateau_class({"PlateauScheduler": Mine}) == (Mine, "yours")
    assert explorers.plateau_class({"PlateauScheduler": Unfinished})[1] == "reference"


def _shown_png(box) -> bytes:
    return box.output.outputs[-1]["data"]["image/png"]


def test_widgets_redraw_when_a_control_changes():
    """Moving a slider replaces the figure in the widget's output."""
    for box in (explorers.interact_loss_landscape(), explorers.interact_schedules()):
        before = _shown_png(box)
        slider = box.controls["lr0" if "lr0" in box.controls else "learning_rate"]
        slider.value = slider.max
        assert _shown_png(box) != before


def test_start_point_controls_move_the_start():
    """Unticking 'default start' uses the start sliders."""
    box = explorers.interact_loss_landscape()
    controls = {c.description: c for c in box.controls.values()}
    before = _shown_png(box)
    controls["start x"].value = 0.5  # no effect while the default start is used
    assert _shown_png(box) == before
    controls["default start"].value = False
    assert _shown_png(box) != before
