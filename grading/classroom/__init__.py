"""Grading a whole class: ``python3 course.py grade`` (see README, "Grading a class").

Built on nbgrader's cell metadata (answer, test and locked cells, points) and its
`submitted/<student>/<unit>/` layout. Each submission is graded in its own worker
process, in a throwaway folder, under limits, from the instructor's template: only
the student's answer cells are taken from the submission. Nothing here is imported
by the notebooks.
"""
