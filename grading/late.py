"""Late penalties: a fraction of the score per day late (a part day counts as a
day), up to a cap. nbgrader applies the rule through its late-submission plugin
mechanism (nbgrader_config.py names ``grading.plugins.PerDayPenalty``) in
``nbgrader autograde``; ``course.py grade`` runs nbgrader's own
``AssignLatePenalties`` with the same configuration when it records a result in
the gradebook, so both paths apply one rule. The due date is the gradebook's (set
in formgrader, or ``nbgrader db assignment add UNIT --duedate=...``); the
submission time is nbgrader's timestamp.txt, or the time in an LMS export's zip.
"""

from __future__ import annotations

import math

DAY = 86400.0


def days_late(seconds_late: float) -> int:
    """Whole days late, a part day counting as one (0 when on time)."""
    return math.ceil(seconds_late / DAY) if seconds_late > 0 else 0


def penalty(score: float, seconds_late: float, per_day: float, cap: float) -> float:
    """Points taken off ``score``: per_day of it per day late, at most cap of it."""
    return score * min(cap, per_day * days_late(seconds_late))
