"""The course's nbgrader plugins, named in nbgrader_config.py. (Kept apart from the
rules they apply, which the class grader uses without importing nbgrader.)"""

from __future__ import annotations

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

from grading.late import penalty


class PerDayPenalty(LateSubmissionPlugin):
    """``fraction_per_day`` of the notebook's score per day late (a part day counts
    as one), at most ``max_fraction`` of it."""

    fraction_per_day = Float(
        0.1, help="Fraction of the score taken off per day late."
    ).tag(config=True)
    max_fraction = Float(
        0.5, help="The most of the score that lateness can take off."
    ).tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return penalty(
            score, total_seconds_late, self.fraction_per_day, self.max_fraction
        )
