"""lib.data: the embedded datasets, the CIFAR-10 loader, and nothing downloads."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pytest

from lib import data


def test_mnist_5k_split_is_real_balanced_and_reproducible():
    split = data.load_mnist_5k()
    assert split.X_train.shape == (4000, 784) and split.X_test.shape == (500, 784)
    assert split.image_shape == (1, 28, 28)
    assert split.X_train.min() == 0 and split.X_train.max() == 255
    # The file is sorted by label; after the seeded shuffle every split has all classes.
    for y in (split.y_train, split.y_val, split.y_test):
        assert set(np.unique(y)) == set(range(10))
    again = data.load_mnist_5k()
    assert np.array_equal(split.X_val, again.X_val)
    other = data.load_mnist_5k(seed=1)
    assert not np.array_equal(split.y_val, other.y_val)
    # No image appears in two parts of the split.
    rows = {r.tobytes() for r in split.X_train.astype(np.uint8)}
    assert not any(r.tobytes() in rows for r in split.X_test.astype(np.uint8))


def test_unflattened_images_and_digits():
    assert data.load_mnist_5k(flatten=False).X_train.shape == (4000, 1, 28, 28)
    digits = data.load_digits()
    assert digits.X_train.shape == (1197, 64) and digits.image_shape == (1, 8, 8)


def _write_fake_cifar(root, per_batch=20):
    root.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {
            b"data": rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8),
            b"labels": rng.integers(0, 10, per_batch).tolist(),
        }
        with open(root / name, "wb") as f:
            pickle.dump(batch, f)


def test_cifar10_loader_reads_the_official_format(tmp_path):
    root = tmp_path / "cifar-10-batches-py"
    _write_fake_cifar(root)
    split = data.load_cifar10(root, num_val=10)
    assert split.X_train.shape == (90, 3072) and split.X_val.shape == (10, 3072)
    assert data.load_cifar10(root, num_val=10, num_train=30).X_train.shape == (30, 3072)
    assert split.X_test.shape == (20, 3072) and split.class_names[0] == "airplane"
    with open(root / "test_batch", "rb") as f:
        first = pickle.load(f, encoding="bytes")[b"data"][0]
    assert np.array_equal(split.X_test[0], first)
    images = data.load_cifar10(root, num_val=10, flatten=False).X_train
    assert images.shape == (90, 3, 32, 32)


def test_one_setting_switches_image_notebooks_to_cifar10(tmp_path, monkeypatch):
    _write_fake_cifar(tmp_path / "cifar-10-batches-py")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COURSE_DATASET", "cifar10")
    switched = data.load_images(num_val=10)
    assert switched.name == "CIFAR-10" and switched.X_train.shape == (90, 3072)
    assert data.load_images(num_val=10, num_train=40).X_train.shape == (40, 3072)
    monkeypatch.delenv("COURSE_DATASET")
    assert data.load_images().name == "MNIST-5k"


def test_missing_or_unknown_datasets_say_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DatasetMissingError, match="get_cifar10.py"):
        data.load_cifar10()
    with pytest.raises(ValueError, match="mnist5k"):
        data.load_images("imagenet")


def test_names_and_photos():
    names = data.load_names()
    assert len(names) > 90_000 and "mary" in names and "smith" in names
    assert all(n.isalpha() and n.islower() for n in names[:1000])
    assert "james" in data.load_names("male") and "smith" not in data.load_names("male")
    assert "smith" in data.load_names("last")
    photos = data.load_sample_photos()
    assert photos["china"].shape == (427, 640, 3) and photos["china"].dtype == np.uint8


def test_nothing_downloads():
    """Importing the library and loading every offline dataset opens no socket."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise AssertionError('network access')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from lib import checks, data, device, gradcheck, knn, plot\n"
        "data.load_mnist_5k(); data.load_digits(); data.load_names()\n"
        "data.load_sample_photos()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_digits_are_scikit_learns_without_importing_it():
    """load_digits reads scikit-learn's CSV itself (importing scikit-learn costs 2 s
    per kernel): every split holds exactly what sklearn.datasets.load_digits gives."""
    from sklearn.datasets import load_digits

    reference = load_digits()
    expected = data.split(
        reference.images.reshape(-1, 1, 8, 8),
        reference.target,
        300,
        300,
        0,
        True,
        np.float64,
        name="digits",
        class_names=tuple(str(d) for d in range(10)),
    )
    got = data.load_digits()
    for part in ("train", "val", "test"):
        for prefix in ("X", "y"):
            name = f"{prefix}_{part}"
            assert np.array_equal(getattr(got, name), getattr(expected, name)), name
            assert getattr(got, name).dtype == getattr(expected, name).dtype, name
    assert got.class_names == expected.class_names
