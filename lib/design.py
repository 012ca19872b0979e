"""Unit 07's graded design: the course trains the student's network with the
student's settings, and the grade is counted on images the training never saw.

``train_and_predict`` is the course's trainer. It builds the network with the
student's ``design_model``, trains it on MNIST-5k's training split with the
optimiser, batch size and epochs of ``design_hparams``, from a fixed seed, and
returns its predicted labels for the images it is handed, one image at a time (so
a label never depends on the order or company of the images). In the class
grader it runs in the student's process, with the student's code, and hands back
only those labels; the grader holds the labels of its held-out images, shuffles
those images before it sends them, and counts the accuracy itself
(``scores`` below). The student's process never sees the held-out
images' labels: in its sandbox the held-out rows of the dataset file are blank
(grading/classroom/heldout.py).
"""

from __future__ import annotations

import numpy as np

from lib import checks, data
from lib import hparams as hparams_checks

HPARAM_KEYS = ("optimizer", "lr", "weight_decay", "momentum", "batch_size", "epochs")
OPTIMIZERS = ("sgd", "adam", "adamw")
MAX_EPOCHS = 10
MAX_PARAMETERS = 300_000
# Multiply-adds of one image's forward pass through Conv2d and Linear layers: with
# the epochs, what bounds the training time (LectureCNN needs about 1.2 million).
MAX_MULTIPLY_ADDS = 5_000_000
SEED = 0


class DesignError(ValueError):
    """Settings or a network the course cannot train: says what to change."""


def check_hparams(hparams) -> dict:
    """The settings, checked and normalised; a DesignError says what is wrong."""
    name = "design_hparams"
    hparams_checks.keys(name, hparams, HPARAM_KEYS, DesignError)
    return {
        "optimizer": hparams_checks.choice(
            name, hparams, "optimizer", OPTIMIZERS, DesignError
        ),
        "lr": hparams_checks.number(name, hparams, "lr", 1e-7, 10.0, DesignError),
        "weight_decay": hparams_checks.number(
            name, hparams, "weight_decay", 0.0, 1.0, DesignError
        ),
        "momentum": hparams_checks.number(
            name, hparams, "momentum", 0.0, 0.999, DesignError
        ),
        "batch_size": hparams_checks.integer(
            name, hparams, "batch_size", 16, 1000, DesignError
        ),
        "epochs": hparams_checks.integer(
            name, hparams, "epochs", 1, MAX_EPOCHS, DesignError
        ),
    }


def multiply_adds(model, image_shape) -> int:
    """Multiply-adds of ``model``'s Conv2d and Linear layers for one image of
    ``image_shape`` (C, H, W), counted with forward hooks in evaluation mode."""
    import torch

    total = 0

    def count(module, inputs, output):
        nonlocal total
        if isinstance(module, torch.nn.Conv2d):
            kh, kw = module.kernel_size
            per_output = module.in_channels // module.groups * kh * kw
            total += output.numel() * per_output
        elif isinstance(module, torch.nn.Linear):
            total += output.numel() * module.in_features

    layers = (torch.nn.Conv2d, torch.nn.Linear)
    hooks = [
        m.register_forward_hook(count) for m in model.modules() if isinstance(m, layers)
    ]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, *image_shape))
    finally:
        for hook in hooks:
            hook.remove()
        model.train(was_training)
    return total


def _optimizer(settings: dict, parameters):
    import torch

    kind, lr, wd = settings["optimizer"], settings["lr"], settings["weight_decay"]
    if kind == "sgd":
        return torch.optim.SGD(
            parameters, lr=lr, momentum=settings["momentum"], weight_decay=wd
        )
    if kind == "adam":
        return torch.optim.Adam(parameters, lr=lr, weight_decay=wd)
    return torch.optim.AdamW(parameters, lr=lr, weight_decay=wd)


def describe_model(build, in_channels: int, image_size: int, num_classes: int):
    """What ``build(in_channels, image_size, num_classes)`` makes, as plain data:
    {'type': its class name, 'module': whether it is an nn.Module, 'output_shape':
    its output's shape for a batch of two zero images (evaluation mode, no
    gradients), 'parameters', 'multiply_adds'}. For the tests of design_model."""
    import torch

    torch.manual_seed(SEED)
    model = build(in_channels, image_size, num_classes)
    found = {"type": type(model).__name__, "module": False, "output_shape": None}
    if not isinstance(model, torch.nn.Module):
        return found
    shape = (in_channels, image_size, image_size)
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(2, *shape))
    return found | {
        "module": True,
        "output_shape": list(getattr(out, "shape", [])),
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "multiply_adds": int(multiply_adds(model, shape)),
    }


def train_and_predict(build, hparams, images, seed: int = SEED, device=None):
    """Labels (a (N,) int64 tensor on the CPU) that the network ``build(1, 28,
    10)``, trained with ``hparams`` on MNIST-5k's 4,000 training images from
    ``seed``, predicts for ``images`` ((N, 1, 28, 28), standardised as the unit's
    tensors), one image at a time in evaluation mode.

    The network must have at most MAX_PARAMETERS parameters; training draws its
    initial weights (torch.manual_seed(seed)) and its batches (a generator seeded
    with ``seed``) from the seed, so the same answer trains the same way."""
    import torch
    import torch.nn.functional as F

    from lib import device as devices

    settings = check_hparams(hparams)
    device = device or devices.get_device()
    arrays = data.standardize(data.load_mnist_5k(), images=True)  # as the unit's
    X = torch.tensor(arrays["X_train"], dtype=torch.float32, device=device)
    y = torch.tensor(arrays["y_train"], dtype=torch.long, device=device)
    torch.manual_seed(seed)
    model = build(X.shape[1], X.shape[2], 10)
    if not isinstance(model, torch.nn.Module):
        raise DesignError(
            f"design_model must return an nn.Module, got {type(model).__name__}."
        )
    count = sum(p.numel() for p in model.parameters())
    if count > MAX_PARAMETERS:
        raise DesignError(
            f"design_model(1, 28, 10) has {count:,} parameters; the budget is "
            f"{MAX_PARAMETERS:,}: fewer channels or a smaller fully connected layer."
        )
    cost = multiply_adds(model, X.shape[1:])
    if cost > MAX_MULTIPLY_ADDS:
        raise DesignError(
            f"design_model(1, 28, 10) takes {cost:,} multiply-adds per image; the "
            f"budget is {MAX_MULTIPLY_ADDS:,}: fewer channels, or pool earlier."
        )
    model = model.to(device)
    optimizer = _optimizer(settings, model.parameters())
    order = torch.Generator().manual_seed(seed)
    size = settings["batch_size"]
    for _ in range(settings["epochs"]):
        model.train()
        perm = torch.randperm(len(X), generator=order).to(device)
        for start in range(0, len(X), size):
            batch = perm[start : start + size]
            loss = F.cross_entropy(model(X[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    images = torch.as_tensor(images, dtype=torch.float32)
    labels = torch.empty(len(images), dtype=torch.long)
    with torch.no_grad():
        for i in range(len(images)):
            scores = model(images[i : i + 1].to(device))
            labels[i] = scores.argmax(dim=1).cpu()[0]
    return labels


# ------------------------------------------------ the grader's side (07's tests)
def _in_student_process(name: str, *args):
    """Call the course function ``name`` (protocol.COURSE_CALLS) where the
    student's code (``args[0]``) runs: in the class grader the student's sandboxed
    process, else here. Only plain data comes back."""
    build = args[0]
    if checks.REMOTE is not None and getattr(type(build), "COURSE_REMOTE", False):
        # The answer is a handle to the student's process: run the course there.
        return checks.REMOTE.course_call(name, list(args))
    import importlib

    module, attr = name.rsplit(".", 1)
    return getattr(importlib.import_module(module), attr)(*args)


_DESIGNS: dict[tuple, tuple] = {}


_SIZE_HINT = (
    "size the layers from in_channels and image_size, not from 1 and 28: the first "
    "convolution takes in_channels, and the fully connected layer's input depends "
    "on image_size."
)


def check_model(build, in_channels: int, image_size: int) -> None:
    """design_model(in_channels, image_size, 10) is an nn.Module whose output for
    two images is (2, 10), within lib.design's budgets."""
    call = f"design_model({in_channels}, {image_size}, 10)"
    try:
        found = _in_student_process(
            "lib.design.describe_model", build, in_channels, image_size, 10
        )
    except Exception as error:
        if type(error).__name__ == "GradingStopped":
            raise
        checks.fail(
            call,
            "building it and running it on two images raised "
            f"{type(error).__name__}: {error}",
            hint=None if (in_channels, image_size) == (1, 28) else _SIZE_HINT,
        )
    if not isinstance(found, dict) or not found.get("module"):
        kind = found.get("type") if isinstance(found, dict) else "?"
        checks.fail(call, f"expected an nn.Module, got {kind}.")
    if list(found["output_shape"] or []) != [2, 10]:
        checks.fail(
            f"{call} on a batch of two {in_channels}x{image_size}x{image_size} images",
            f"output shape {found['output_shape']}, expected [2, 10] (one score per "
            "class).",
            hint="flatten the feature maps before the fully connected layer, and "
            "end with num_classes outputs."
            if (in_channels, image_size) == (1, 28)
            else _SIZE_HINT,
        )
    for key, limit in (
        ("parameters", MAX_PARAMETERS),
        ("multiply_adds", MAX_MULTIPLY_ADDS),
    ):
        if in_channels == 1 and image_size == 28 and found[key] > limit:
            checks.fail(
                call,
                f"{found[key]:,} {key.replace('_', '-')}; the budget "
                f"is {limit:,}: fewer channels, or pool earlier.",
            )


def graded_scores(build, hparams) -> dict:
    """``scores``, once per network and settings in this process."""
    key = (id(build), repr(hparams))
    if key not in _DESIGNS:
        _DESIGNS[key] = (build, scores(build, hparams))  # keeps build alive
    return dict(_DESIGNS[key][1])


def scores(build, hparams) -> dict:
    """Accuracies ('train' on 500 training images, 'val', 'held_out') of the
    network ``build`` (07's ``design_model``) trained by the course with
    ``hparams`` (``design_hparams``), and 'diverged'. The held-out images go out
    in an order drawn from the operating system's entropy, and their labels never
    leave this process."""
    import torch

    try:
        check_hparams(hparams)
    except DesignError as error:
        checks.fail("design_hparams", str(error))
    arrays = data.standardize(data.load_mnist_5k(), images=True)
    secret = np.random.default_rng().permutation(len(arrays["X_test"]))
    parts = {
        "train": (arrays["X_train"][:500], arrays["y_train"][:500]),
        "val": (arrays["X_val"], arrays["y_val"]),
        "held_out": (arrays["X_test"][secret], arrays["y_test"][secret]),
    }
    images = torch.tensor(np.concatenate([x for x, _ in parts.values()]))
    try:
        labels = _in_student_process(
            "lib.design.train_and_predict", build, hparams, images.float()
        )
    except Exception as error:
        if type(error).__name__ == "GradingStopped":
            raise  # the class grader stopped this submission: not a failed test
        checks.fail(
            "design_model trained with design_hparams",
            f"the course's training raised {type(error).__name__}: {error}",
        )
    labels = checks.as_array(labels, "the trained network's labels")
    labels = labels.astype(np.int64).reshape(-1)
    if labels.shape != (len(images),):
        checks.fail("the course's trainer", "it returned the wrong number of labels.")
    found, start = {}, 0
    for part, (_, y) in parts.items():
        found[part] = float(np.mean(labels[start : start + len(y)] == y))
        start += len(y)
    found["diverged"] = False  # a diverged network predicts one class: it scores low
    return found
