"""The limits every submission is graded under (settings with defaults)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 120.0  # one cell; a longer cell is stopped
    notebook_seconds: float = 600.0  # the whole submission, kernel start included
    memory_mb: int = 4096  # address space of the kernel process
    output_kb: int = 1024  # text and images a submission may print, in total
    file_mb: int = 16  # largest file the kernel may write
    processes: int = 64  # processes and threads the student's process may run
    channel_mb: int = 256  # bytes that may come back from the student, in all
    disk_mb: int = 256  # the sandbox's /tmp, and its /dev/shm, each (a tmpfs: RAM)
    notebook_mb: int = 20  # largest submitted notebook; a larger one is not graded
    grader_memory_mb: int = 6144  # heap of the grader's worker and kernel

    def as_dict(self) -> dict:
        return asdict(self)
