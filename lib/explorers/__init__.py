"""Interactive explorers: ipywidgets around plain plotting functions.

Every explorer is a ``plot_*`` function (usable, and tested, without a browser)
and an ``interact_*`` function that returns the widget to display. Pass a
notebook's ``globals()`` as ``namespace`` and an explorer uses the student's own
functions wherever they already work, the course's references elsewhere.

Modules:
    widgets            the parts every explorer shares: ``interactive``, ``render_png``
    surfaces           2-D test functions for optimisers, and trajectories on them
    optimizers         optimiser trajectories on those surfaces (unit 03)
    schedules          learning-rate schedules on one plot (unit 03)
    initialisation     activations through a deep net at initialisation (unit 04)
    network_landscape  a trained network's loss along filter-normalised
                       directions (unit 04)
    approximation      one hidden layer of ReLUs fitted to a 1-D target, against
                       its width (unit 04)

Importing this package imports matplotlib, not ipywidgets (each ``interact_*``
does that when called).
"""

from lib.explorers.approximation import interact_approximation, plot_approximation
from lib.explorers.initialisation import (
    activations,
    interact_initialisation,
    plot_activation_histograms,
)
from lib.explorers.network_landscape import (
    interact_network_landscape,
    plot_network_landscape,
)
from lib.explorers.optimizers import interact_loss_landscape, plot_optimizer_paths
from lib.explorers.schedules import interact_schedules, plateau_class, plot_schedules
from lib.explorers.widgets import interactive, render_png

__all__ = [
    "activations",
    "interact_approximation",
    "interact_initialisation",
    "interact_loss_landscape",
    "interact_network_landscape",
    "interact_schedules",
    "interactive",
    "plot_activation_histograms",
    "plot_approximation",
    "plot_network_landscape",
    "plot_optimizer_paths",
    "plateau_class",
    "plot_schedules",
    "render_png",
]
