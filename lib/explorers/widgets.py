"""What every explorer is made of: a plain plotting function drawn into a PNG, and
ipywidgets controls that redraw it when a control is let go.

The figure is rendered here and put into the output widget directly (no
``interactive_output``), so a redraw works the same in JupyterLab and in a test
without a kernel.

While a redraw runs, a status line above the figure says "computing…" and the
figure is dimmed (the CSS class ``explorer-busy``); both are sent to the browser
before the drawing starts, so a slow redraw shows at once that it is under way.
Sliders redraw when released, not at every pixel of a drag: a drag then costs one
redraw instead of a queue of them.
"""

from __future__ import annotations

import base64
import html
import io
import time

import matplotlib.pyplot as plt

BUSY = "computing…"
BUSY_CLASS = "explorer-busy"
# Sent with the status line: the figure of a busy explorer is dimmed.
_STYLE = (
    f"<style>.{BUSY_CLASS} .widget-output img {{opacity: 0.35;}}"
    ".explorer-status b {color: #a04000;}</style>"
)
# Wide enough for the longest label ("learning rate", "SGDR cycle"), so none is cut.
LABEL_WIDTH = "initial"


def works(fn, *args) -> bool:
    """Whether ``fn(*args)`` runs and returns something: a student's function is
    used by an explorer only once it works."""
    try:
        out = fn(*args)
    except Exception:  # an unfinished exercise raises NotImplementedError
        return False
    return out is not None


def render_png(fig, dpi: int = 80) -> str:
    """The figure as a base64 PNG (what the widget shows); closes the figure."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _control_rows(controls: dict, groups):
    """The controls laid out: four to a row, or one titled column per group."""
    import ipywidgets as widgets

    items = list(controls.values())
    if not groups:
        return [widgets.HBox(items[i : i + 4]) for i in range(0, len(items), 4)]
    grouped = [key for _, keys in groups for key in keys]
    missing = sorted(set(controls) - set(grouped))
    if missing or len(grouped) != len(set(grouped)):
        raise ValueError(f"every control belongs to one group; not placed: {missing}")
    columns = [
        widgets.VBox(
            [widgets.HTML(f"<b>{title}</b>"), *(controls[key] for key in keys)],
            layout=widgets.Layout(margin="0 12px 4px 0"),
        )
        for title, keys in groups
    ]
    return [widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap"))]


def interactive(controls: dict, draw, name: str, groups=None):
    """A VBox of controls, a status line and an output showing
    ``draw(**values)``'s figure.

    Args:
        controls: argument name -> widget; each one's value is passed to ``draw``.
        draw: returns a matplotlib figure for the controls' values.
        name: the explorer's name; the box gets the CSS class ``explorer-<name>``.
        groups: optional [(title, [argument names])], every control in one group:
            the controls are shown in titled columns (the schedules each slider
            drives), instead of rows of four.

    The status line says how long the last redraw took, or "computing…" while
    one runs. The box's ``controls``, ``status`` and ``output`` attributes are
    those widgets, and ``box.figure()`` draws the current figure without showing
    it.
    """
    import ipywidgets as widgets

    output = widgets.Output()
    status = widgets.HTML(value="", layout=widgets.Layout(min_height="1.5em"))
    status.add_class("explorer-status")
    box = None

    def redraw(_change=None):
        if box is not None:
            box.add_class(BUSY_CLASS)
        status.value = f"{_STYLE}<b>{BUSY}</b>"
        start = time.perf_counter()
        try:
            png = render_png(draw(**{key: c.value for key, c in controls.items()}))
            output.outputs = (
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"image/png": png, "text/plain": f"<{name}>"},
                },
            )
            status.value = f"{_STYLE}drawn in {time.perf_counter() - start:.1f} s"
        except Exception as error:  # the figure stays; the line says what failed
            message = html.escape(f"{type(error).__name__}: {error}")
            status.value = f"{_STYLE}could not redraw: {message}"
            raise
        finally:
            if box is not None:
                box.remove_class(BUSY_CLASS)

    for control in controls.values():
        if hasattr(control, "continuous_update"):
            control.continuous_update = False
        control.style.description_width = LABEL_WIDTH
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([*_control_rows(controls, groups), status, output])
    box.add_class(f"explorer-{name}")
    # For code that drives an explorer (tests, benchmarks) without walking its rows.
    box.controls, box.status, box.output = dict(controls), status, output
    box.figure = lambda: draw(**{key: c.value for key, c in controls.items()})
    return box
