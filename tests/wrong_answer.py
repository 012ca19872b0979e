"""A typical wrong answer, as the tests/wrong_answers/<unit>.py files write one."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class WrongAnswer:
    """A typical mistake in one answer, written as the code a student would submit.

    Give either ``source`` (the whole cell) or ``replace``: (old, new) pairs applied
    to the solution's code; each ``old`` must occur in it. ``says`` is text that the
    first failing test of the answer must show for this mistake (its hint, usually).
    """

    answer: str
    why: str
    replace: list[tuple[str, str]] = field(default_factory=list)
    source: str | None = None
    says: str = ""

    def code(self, solution_code: str) -> str:
        if self.source is not None:
            return self.source
        code = solution_code
        for old, new in self.replace:
            if old not in code:
                raise ValueError(
                    f"wrong answer {self.why!r}: {old!r} does not occur in "
                    f"the solution of {self.answer}"
                )
            code = code.replace(old, new)
        return code
