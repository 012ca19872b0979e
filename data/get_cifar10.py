"""Download the CIFAR-10 python batches into data/cifar-10-batches-py/ (170 MB).

    python data/get_cifar10.py [--dest DIR]

Then set COURSE_DATASET=cifar10 to switch the image notebooks to CIFAR-10. Nothing in
the course downloads by itself; this script is the only place that does.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tarfile
import urllib.request
from pathlib import Path

URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
MD5 = "c58f30108f718f92721af3b95e74349a"  # published on the dataset's page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    target = args.dest / "cifar-10-batches-py"
    if (target / "test_batch").exists():
        print(f"CIFAR-10 is already in {target}.")
        return
    archive = args.dest / "cifar-10-python.tar.gz"
    if not archive.exists():
        print(f"Downloading {URL} ...")
        partial = archive.with_suffix(".part")
        with urllib.request.urlopen(URL) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out)
        partial.rename(archive)
    digest = hashlib.md5(archive.read_bytes()).hexdigest()
    if digest != MD5:
        archive.unlink()
        raise SystemExit(
            f"Checksum mismatch ({digest} != {MD5}); deleted the "
            "archive, please run again."
        )
    with tarfile.open(archive) as tar:
        tar.extractall(args.dest, filter="data")
    archive.unlink()
    print(f"CIFAR-10 is ready in {target}. Set COURSE_DATASET=cifar10 to use it.")


if __name__ == "__main__":
    main()
