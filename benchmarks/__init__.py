"""Benchmarks: `python3 course.py bench` prints one table of figures and targets."""
