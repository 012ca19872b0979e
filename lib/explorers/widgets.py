"""What every explorer is made of: a plain plotting function drawn into a PNG, and
ipywidgets controls that redraw it on every change.

The figure is rendered here and put into the output widget directly (no
``interactive_output``), so a redraw works the same in JupyterLab and in a test
without a kernel.
"""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt


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


def interactive(controls: dict, draw, name: str):
    """A VBox of controls above an output showing ``draw(**values)``'s figure.

    The figure is rendered here and put into the output widget directly, so the
    redraw works the same in JupyterLab and in tests without a kernel.
    """
    import ipywidgets as widgets

    output = widgets.Output()

    def redraw(_change=None):
        png = render_png(draw(**{key: c.value for key, c in controls.items()}))
        output.outputs = (
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"image/png": png, "text/plain": f"<{name}>"},
            },
        )

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    items = list(controls.values())
    rows = [widgets.HBox(items[i : i + 4]) for i in range(0, len(items), 4)]
    box = widgets.VBox([*rows, output])
    box.add_class(f"explorer-{name}")
    return box
