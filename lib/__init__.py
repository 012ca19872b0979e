"""The course library: shared by every notebook, imported as ``from lib import ...``.

Modules, by topic:
    checks      the checks that test cells call, with messages a student can act on
    gradcheck   numerical gradients (centred differences) and relative errors
    inspection  what a function does (loops, libraries it uses), read from bytecode
    device      choosing the torch device (CUDA when present, else CPU)
    data        datasets that ship with the installed packages, and CIFAR-10
    plot        image grids, curves with error bars, heat maps, timing bars
    timing      timing a call (best of several runs)
    knn         reference k-nearest-neighbour pieces (for tests and later units)
    linear      reference SVM and softmax losses
    layers      reference layers (forward/backward pairs) and losses
    solver      trains any model with params and loss(X, y=None)
    optim       reference update rules and learning-rate schedules
    oracles     torch.optim paths that update-rule tests compare with
    landscapes  2-D test functions for optimisers, and trajectories on them
    explorers   interactive figures (ipywidgets) around plain plotting functions
    networks    reference fully connected networks and weight initialisation
    normalization  reference batch norm, layer norm and dropout
    network_landscape  loss slices along filter-normalised directions
    net_explorers  initialisation and network loss-landscape explorers
    conv        fast convolution and max-pooling layers (im2col)
    augment     data augmentation for torch image batches

Importing ``lib`` is cheap: it imports no submodule, no torch and downloads nothing.
"""
