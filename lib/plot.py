"""Plotting helpers: image grids, curves, curves with error bars, timing bars.

``plot_*`` functions draw on ``ax`` (a new figure when None) and return the axes,
so callers can compose figures; ``show_*`` functions draw a grid of images and
return the figure. ``subplots`` and ``show`` are pyplot's, for laying out a figure
of several plots. Nothing here changes global settings.
Images are (N, H, W), (N, C, H, W) or flattened (N, D) with ``image_shape``.
Matplotlib is imported on the first drawing, not with this module: a notebook (or a
grader's process) that imports ``plot`` and draws nothing does not pay for it.
"""

from __future__ import annotations

import importlib
import itertools

import numpy as np


def _pyplot():
    return importlib.import_module("matplotlib.pyplot")


def subplots(*args, **kwargs):
    """``(fig, axes)``: ``matplotlib.pyplot.subplots``, imported on first use."""
    return _pyplot().subplots(*args, **kwargs)


def show() -> None:
    """Show the figures drawn so far (``matplotlib.pyplot.show``)."""
    _pyplot().show()


def _axes(ax):
    return subplots()[1] if ax is None else ax


def _displayable(image: np.ndarray) -> np.ndarray:
    """(H, W) or (H, W, 3) scaled to [0, 1] from (C, H, W), (H, W) or (H, W, C)."""
    image = np.asarray(image, dtype=np.float64)
    if image.ndim == 3 and image.shape[0] in (1, 3):
        image = image.transpose(1, 2, 0)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    low, high = image.min(), image.max()
    return (image - low) / (high - low) if high > low else np.zeros_like(image)


def show_images(
    images,
    labels=None,
    ncols: int = 10,
    image_shape=None,
    size: float = 1.2,
    title: str | None = None,
    cmap: str = "gray",
):
    """A grid of images with optional labels (strings or numbers) above each.

    Args:
        images: (N, H, W), (N, C, H, W), or (N, D) with ``image_shape`` = (C, H, W).
        labels: N labels, or None.
        ncols: images per row.
        image_shape: the (C, H, W) shape of flattened images.
        size: inches per image.
        title: the figure's title.
        cmap: the colour map of one-channel images (colour images ignore it).

    Returns:
        The matplotlib figure.
    """
    images = np.asarray(images)
    if image_shape is not None:
        images = images.reshape(len(images), *image_shape)
    nrows = max(1, -(-len(images) // ncols))
    fig, axes = subplots(
        nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False
    )
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i < len(images):
            ax.imshow(_displayable(images[i]), cmap=cmap)
            if labels is not None:
                ax.set_title(str(labels[i]), fontsize=8)
    if title:
        # Above the top row's labels, however many rows there are.
        fig.suptitle(title, y=1.0 + 0.12 / nrows)
    return fig


def plot_curves(
    curves: dict,
    x=None,
    xlabel: str = "",
    ylabel: str = "",
    logx: bool = False,
    logy: bool = False,
    ax=None,
    title: str = "",
    marker: str = "",
    hlines: dict | None = None,
):
    """One line per entry of ``curves`` (label -> values), against ``x`` or index.

    ``x`` is one sequence for every curve, or a dict label -> sequence for curves
    of different lengths. ``marker`` (e.g. "o") marks every point; ``hlines``
    (label -> y) adds dashed horizontal reference lines (a baseline, a threshold).
    """
    ax = _axes(ax)
    for label, values in curves.items():
        values = np.asarray(values)
        where = x[label] if isinstance(x, dict) else x
        where = np.arange(len(values)) if where is None else where
        ax.plot(where, values, marker=marker or None, label=str(label))
    colors = itertools.cycle(("k", "r", "g"))  # as many lines as given
    for (label, y), color in zip((hlines or {}).items(), colors, strict=False):
        ax.axhline(y, color=color, linestyle="--", label=str(label))
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if len(curves) + len(hlines or {}) > 1:
        ax.legend()
    return ax


def plot_errorbars(results: dict, xlabel: str = "", ylabel: str = "", ax=None):
    """Mean and standard deviation of repeated measurements, with every sample.

    Args:
        results: x value -> list of measurements at that x (e.g. k -> fold
            accuracies).
        xlabel: label of the x axis.
        ylabel: label of the y axis.
        ax: axes to draw on, or None for a new figure.
    """
    ax = _axes(ax)
    xs = sorted(results)
    for x in xs:
        ax.scatter([x] * len(results[x]), results[x], color="tab:gray", s=12)
    means = [np.mean(results[x]) for x in xs]
    stds = [np.std(results[x]) for x in xs]
    ax.errorbar(xs, means, yerr=stds, color="tab:blue", capsize=4, marker="o")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    return ax


def plot_heatmap(
    values,
    row_labels=None,
    col_labels=None,
    xlabel: str = "",
    ylabel: str = "",
    fmt: str | None = "{:.3f}",
    ax=None,
    title: str = "",
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar: bool = True,
):
    """A grid of numbers (rows x columns) as coloured cells, each labelled.

    Args:
        values: (R, K) array (NumPy or a CPU tensor); NaN cells are left blank.
        row_labels: R labels (the y axis), col_labels: K labels (the x axis);
            None keeps matplotlib's numeric ticks (for large grids).
        xlabel, ylabel, title: axis labels and title.
        fmt: format of the number written in each cell; None writes none.
        ax: axes to draw on, or None for a new figure.
        cmap, vmin, vmax: the colour scale (vmin/vmax None: the data's range).
        colorbar: draw a colour bar beside the grid.
    """
    ax = _axes(ax)
    values = np.asarray(values, dtype=np.float64)
    image = ax.imshow(values, cmap=cmap, aspect="auto", vmin=vmin, vmax=vmax)
    if col_labels is not None:
        ax.set_xticks(range(len(col_labels)), [str(c) for c in col_labels])
    if row_labels is not None:
        ax.set_yticks(range(len(row_labels)), [str(r) for r in row_labels])
    middle = np.nanmean(values)
    for (i, j), value in np.ndenumerate(values):
        if fmt is not None and np.isfinite(value):
            ax.text(
                j,
                i,
                fmt.format(value),
                ha="center",
                va="center",
                fontsize=8,
                color="black" if value > middle else "white",
            )
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    return ax


def plot_timings(seconds: dict, ax=None, title: str = ""):
    """Horizontal bars of run times (name -> seconds), each labelled with its time."""
    ax = _axes(ax)
    names = list(seconds)
    values = [seconds[n] for n in names]
    bars = ax.barh(names, values, color="tab:orange")
    ax.bar_label(bars, labels=[_format_seconds(v) for v in values], padding=3)
    ax.set_xscale("log")
    ax.invert_yaxis()
    ax.set(xlabel="seconds (log scale)", title=title)
    return ax


def _format_seconds(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
