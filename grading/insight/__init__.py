"""What a class learned: ``python3 course.py insight GRADED_DIR [--unit U]``
(item analysis, misconceptions, timing; grading/insight/page.py) and who copied:
``python3 course.py similar GRADED_DIR|SUBMISSIONS [--unit U]``
(grading/insight/similar.py)."""
