"""The course library: shared by every notebook, imported as ``from lib import ...``.

Modules, by role:

Checking (what test cells call)
    checks      the checks themselves, with messages a student can act on
    gradcheck   numerical gradients (centred differences) and relative errors
    inspection  what a function does (loops, libraries it uses), read from bytecode
    oracles     independent answers the tests compare with (PyTorch, scikit-learn,
                SciPy)

References (the course's own answers: tests of one answer plug them in for the
answers it builds on, and later units build on them; graded answers may not call
them, and the class grader's sandbox removes the ones of the unit being graded)
    knn         k-nearest-neighbour distances, vote and cross-validation (unit 01)
    linear      SVM and softmax losses of a linear classifier (unit 02)
    search      log-uniform sampling for hyperparameter search (unit 02)
    optim       update rules and learning-rate schedules (unit 03)
    layers      layers (forward/backward pairs) and losses (unit 04)
    networks    fully connected networks and weight initialisation (units 04-05)
    normalization  batch norm, layer norm and dropout (unit 05)
    conv        fast convolution and max-pooling layers, im2col (unit 06)
    rnn_layers  recurrent layers: RNN, LSTM, GRU steps, embeddings (unit 08)
    char_rnn    a character-level RNN/LSTM language model (unit 08)
    attention   attention and transformer pieces in PyTorch (unit 09)

Given to students (not graded)
    sequence    per-time-step affine layer and softmax loss, with padding masks
    augment     data augmentation for torch image batches
    device      choosing the torch device (CUDA when present, else CPU)
    char_cnn    a convolutional character language model built from the student's
                1-D convolution (unit 08's demo)

Data
    data        datasets that ship with the installed packages, and CIFAR-10
    text        census names, a character vocabulary and the bigram baseline

Plotting
    plot        image grids, curves with error bars, heat maps, timing bars
    timing      timing a call (best of several runs)
    figures     numbers a demo measured, which ``course.py bench`` prints as rows

Explorers (interactive figures: ipywidgets around plain plotting functions)
    explorers   one package: optimiser trajectories on 2-D surfaces and learning-rate
                schedules (unit 03); activations at initialisation, ReLUs fitted to
                a 1-D curve and a trained network's loss landscape (unit 04); see
                its own index

Training
    solver      trains any model with params and loss(X, y=None); early stopping

Importing ``lib`` is cheap: it imports no submodule, no torch and downloads nothing.
"""
