"""Sandbox slots: each grading job running on this machine holds one, and the
sandbox's user id is made from it (sandbox.UID_BASE + slot), so no two student
processes of two jobs share a user id, whichever `course.py grade` run or Dask
worker started them. A slot is a lock file held with flock: it is free again
the moment its holder exits, even when killed."""

from __future__ import annotations

import contextlib
import fcntl
import tempfile
from pathlib import Path

SLOT_LOCKS = Path(tempfile.gettempdir()) / "course-grade-slots"
MAX_SLOTS = 256  # sandbox user ids UID_BASE .. UID_BASE + 255


@contextlib.contextmanager
def claim():
    """A slot no other grading job on this machine holds now."""
    SLOT_LOCKS.mkdir(parents=True, exist_ok=True)
    for slot in range(MAX_SLOTS):
        handle = open(SLOT_LOCKS / f"{slot}.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield slot
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    raise RuntimeError(f"all {MAX_SLOTS} sandbox slots of this machine are busy")
