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

    def as_dict(self) -> dict:
        return asdict(self)
