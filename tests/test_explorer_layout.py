"""What people notice about the explorers: labels that fit, legends beside the
curves rather than over them, rounded numbers in titles, sliders grouped by what
they drive, and a visible busy state while a redraw runs."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from lib import explorers, networks  # noqa: E402
from lib.explorers import schedules, widgets  # noqa: E402


def _small_net():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5))
    y = (X[:, 0] > 0).astype(int)
    net = networks.FullyConnectedNet([8], input_dim=5, num_classes=2, weight_scale=0.3)
    return net, X, y


EXPLORERS = {
    "landscape": explorers.interact_loss_landscape,
    "schedules": explorers.interact_schedules,
    "initialisation": explorers.interact_initialisation,
    "approximation": explorers.interact_approximation,
    "network-landscape": lambda: explorers.interact_network_landscape(*_small_net()),
}


@pytest.fixture(scope="module", params=list(EXPLORERS))
def box(request):
    built = EXPLORERS[request.param]()
    yield built
    plt.close("all")


def test_labels_are_not_cut_and_sliders_redraw_on_release(box):
    for name, control in box.controls.items():
        assert control.style.description_width == "initial", name
        if hasattr(control, "continuous_update"):
            assert control.continuous_update is False, name


def test_a_redraw_says_computing_while_it_runs_and_its_time_after(box):
    seen = []

    def spy(_change):
        seen.append((box.status.value, widgets.BUSY_CLASS in box._dom_classes))

    # An observer added now runs after the redraw's, so watch the status instead.
    box.status.observe(spy, names="value")
    control = next(c for c in box.controls.values() if hasattr(c, "max"))
    control.value = control.min if control.value == control.max else control.max
    box.status.unobserve(spy, names="value")
    assert seen and widgets.BUSY in seen[0][0] and seen[0][1], seen
    assert "drawn in" in box.status.value
    assert widgets.BUSY_CLASS not in box._dom_classes


def _inside(inner, outer, slack=1.0) -> bool:
    return (
        inner.x0 >= outer.x0 - slack
        and inner.y0 >= outer.y0 - slack
        and inner.x1 <= outer.x1 + slack
        and inner.y1 <= outer.y1 + slack
    )


def test_every_label_is_inside_the_figure_and_no_legend_covers_a_plot(box):
    fig = box.figure()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    drawn = fig.get_tightbbox(renderer)  # inches, around everything drawn
    if not _inside(drawn, fig.bbox_inches, slack=0.01):
        cut = [
            t.get_text()
            for t in fig.findobj(Text)
            if t.get_visible()
            and t.get_text().strip()
            and not _inside(t.get_window_extent(renderer), fig.bbox)
        ]
        raise AssertionError(f"drawn over {drawn}, past the figure; maybe: {cut}")
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    for legend in filter(None, legends):
        extent = legend.get_window_extent(renderer)
        for ax in fig.axes:
            assert not extent.overlaps(ax.get_window_extent(renderer)), (
                f"a legend covers the plot titled {ax.get_title()!r}"
            )
    plt.close(fig)


def test_titles_round_their_numbers():
    quadratic = explorers.plot_optimizer_paths("quadratic", condition=50.1187)
    histograms = explorers.plot_activation_histograms("xavier", "tanh", 1.99526)
    titles = [ax.get_title() for ax in quadratic.axes] + [
        histograms._suptitle.get_text()
    ]
    long_numbers = [n for t in titles for n in re.findall(r"\d+\.\d{2,}", t)]
    assert "condition 50.1" in " ".join(titles), titles
    assert "x 2" in histograms._suptitle.get_text()
    assert not long_numbers, titles
    plt.close("all")


def test_schedule_sliders_sit_under_the_schedule_they_drive():
    box = explorers.interact_schedules()
    columns = box.children[0].children
    shown = {
        column.children[0].value: [c.description for c in column.children[1:]]
        for column in columns
    }
    assert shown["<b>SGDR</b>"] == ["SGDR cycle", "SGDR mult"]
    assert shown["<b>step_decay</b>"] == ["step size", "gamma"]
    placed = [key for _, keys in schedules.SLIDER_GROUPS for key in keys]
    assert sorted(placed) == sorted(box.controls)
    plt.close("all")


def test_a_control_left_out_of_every_group_is_refused():
    import ipywidgets

    controls = {"a": ipywidgets.IntSlider(), "b": ipywidgets.IntSlider()}
    with pytest.raises(ValueError, match="not placed: \\['b'\\]"):
        widgets.interactive(controls, lambda a, b: plt.figure(), "x", [("A", ["a"])])
    plt.close("all")
