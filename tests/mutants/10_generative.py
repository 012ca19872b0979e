"""Mutants of unit 10_generative's answers that compute the same thing as the
solution (grading/mutation.py); `course.py mutants 10_generative` lists them."""

EQUIVALENT: dict[tuple[str, str], str] = {}
