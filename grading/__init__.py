"""Instructor-side tooling on top of nbgrader: notebook surgery and scratch courses.

Kept apart from ``lib`` (what students import): nothing here is needed to do the
course, and nothing here holds solutions.
"""
