"""Benchmark: how long grading one submission takes on this machine (goal: at most 60 s).

Prints the wall time of `nbgrader autograde` for the solution and the bundled example, of
`python -m autograder grade` (the CLI) for the same notebooks, and of the solution notebook's
plain execution in fast mode.
Run: `.venv/bin/python bench/autograde_time.py [--homework hw2_dcgan_cifar10]` (default: hw1_mnist_gan).
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from autograder import course as c
from autograder.cli import example_path, grade_notebook
from autograder.notebook import execute_notebook

REPO = Path(__file__).resolve().parents[1]


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<55} {time.perf_counter() - start:6.1f} s")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--homework", default="hw1_mnist_gan")
    hw = parser.parse_args().homework
    solution = REPO / "solutions" / hw / f"{hw}.ipynb"
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(f"cores: {os.cpu_count()}  ·  GAN_COURSE_DATA={os.environ.get('GAN_COURSE_DATA', '(unset: download)')}")
    with tempfile.TemporaryDirectory() as tmp:
        timed("solution notebook executed in fast mode (in-process)",
              lambda: execute_notebook(solution, workdir=tmp))
    with tempfile.TemporaryDirectory() as tmp:
        course = c.new_course(tmp, [hw])
        timed("nbgrader generate_assignment", lambda: c.generate(course, hw))
        for student, notebook in (("solution", solution), ("example", example_path(hw))):
            c.submit(course, hw, student, notebook)
            timed(f"nbgrader autograde, one submission ({student})", lambda: c.autograde(course, hw, student))
            print(f"{'':<55} score {c.auto_total(course, hw, student)[0]:g} / 100")
        for student, notebook in (("solution", solution), ("example", example_path(hw))):
            result = timed(f"python -m autograder grade ({student})", lambda: grade_notebook(notebook, hw))
            print(f"{'':<55} score {result['score']:g} / 100")


if __name__ == "__main__":
    main()
