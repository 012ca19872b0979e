"""lib.plot: helpers draw where they are told and leave global state alone."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from lib import plot  # noqa: E402


def test_helpers_draw_on_the_given_axes_and_keep_rcparams():
    before = dict(matplotlib.rcParams)
    fig, axes = plt.subplots(1, 3)
    assert plot.plot_curves({"a": [3, 2, 1], "b": [1, 2, 3]}, ax=axes[0]) is axes[0]
    assert len(axes[0].lines) == 2
    ax = plot.plot_errorbars({1: [0.8, 0.9], 3: [0.85, 0.95]}, ax=axes[1])
    assert ax is axes[1] and len(ax.collections) >= 2
    ax = plot.plot_timings({"slow": 1.5, "fast": 0.002}, ax=axes[2])
    assert [t.get_text() for t in ax.texts] == ["1.50 s", "2.0 ms"]
    assert dict(matplotlib.rcParams) == before
    plt.close("all")


def test_show_images_handles_flat_channel_first_and_constant_images():
    images = np.random.default_rng(0).integers(0, 255, (5, 12))
    fig = plot.show_images(images, labels=list("abcde"), ncols=3, image_shape=(3, 2, 2))
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 5 and shown[0].get_title() == "a"
    fig = plot.show_images(np.zeros((2, 1, 4, 4)))
    assert np.all(fig.axes[0].images[0].get_array() == 0)
    plt.close("all")


def test_plot_heatmap_labels_every_finite_cell():
    values = np.array([[0.5, np.nan], [0.75, 0.9]])
    ax = plot.plot_heatmap(values, ["a", "b"], [1, 2], xlabel="x", ylabel="y")
    assert [t.get_text() for t in ax.texts] == ["0.500", "0.750", "0.900"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    plt.close("all")


def test_plot_curves_marks_points_and_draws_reference_lines():
    ax = plot.plot_curves(
        {"loss": [3, 2, 1]}, x=[1, 2, 3], marker="o", hlines={"baseline": 2.5}
    )
    line, baseline = ax.lines
    assert line.get_marker() == "o" and list(line.get_xdata()) == [1, 2, 3]
    assert list(baseline.get_ydata()) == [2.5, 2.5] and baseline.get_linestyle() == "--"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["loss", "baseline"]
    ax = plot.plot_curves({"a": [1, 2]}, hlines={str(y): y for y in range(5)})
    assert len(ax.lines) == 6  # every reference line drawn, colours reused
    plt.close("all")


def test_plot_heatmap_without_numbers_or_labels_and_a_fixed_scale():
    ax = plot.plot_heatmap(np.eye(50), fmt=None, vmin=0, vmax=2, colorbar=False)
    assert len(ax.texts) == 0 and ax.images[0].get_clim() == (0, 2)
    assert len(ax.figure.axes) == 1
    fig = plot.show_images(np.ones((1, 3, 3)), cmap="hot")
    assert fig.axes[0].images[0].get_cmap().name == "hot"
    plt.close("all")


def test_plot_curves_takes_one_x_per_curve():
    ax = plot.plot_curves(
        {"a": [3, 2], "b": [5, 4, 3]}, x={"a": [1, 2], "b": [1, 3, 5]}
    )
    lines = {line.get_label(): line.get_xdata().tolist() for line in ax.get_lines()}
    assert lines == {"a": [1, 2], "b": [1, 3, 5]}
