"""Benchmark: what grading one submission and a class costs, as ratios measured side by side in one run.

For each homework given: the solution notebook executed in-process in fast mode (the floor), then
`python -m autograder grade` of that notebook (the judge's route: a sandboxed notebook process answering, this
process judging), and its ratio to the floor. With --class-size N, a class of N copies of the bundled example
graded with --jobs 1 and with --jobs 2, in submissions per core-minute.
Run: `.venv/bin/python bench/grading_throughput.py [--homework hw1_mnist_gan ...] [--class-size 4]`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.batch import grade_all, grade_notebook
from autograder.cli import example_path
from autograder.registry import homeworks

REPO = Path(__file__).resolve().parents[1]


def seconds(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


FLOOR = """
import json, sys, tempfile, time
from autograder.notebook import execute_notebook
with tempfile.TemporaryDirectory() as tmp:
    start = time.perf_counter()
    student = execute_notebook(sys.argv[1], workdir=tmp)
    print(json.dumps({"seconds": time.perf_counter() - start, "errors": student.cell_errors}))
"""


def in_process_floor(notebook: Path) -> float:
    """The notebook executed in one interpreter (a fresh one per homework: notebooks leave state behind), torch
    already imported; refuses to report a run in which a cell failed (a missing weights file, say)."""
    # As graded: fast mode under a grader leaves out the metrics no check reads, so the floor does too.
    run = subprocess.run([sys.executable, "-c", FLOOR, str(notebook)], capture_output=True, text=True, check=True,
                         env={**os.environ, "GAN_COURSE_GRADING": "1"})
    result = json.loads(run.stdout.strip().splitlines()[-1])
    if result["errors"]:
        raise SystemExit(f"{notebook.name}: cells failed, no figure: {str(result['errors'])[:400]}")
    return result["seconds"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--homework", nargs="*", default=homeworks())
    parser.add_argument("--class-size", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("GAN_COURSE_FAST", "1")
    cores = os.cpu_count()
    print(f"cores: {cores}  ·  GAN_COURSE_DATA={os.environ.get('GAN_COURSE_DATA', '(unset: download)')}  ·  "
          f"GAN_COURSE_INCEPTION_WEIGHTS={os.environ.get('GAN_COURSE_INCEPTION_WEIGHTS', '(unset: download)')}")
    for hw in args.homework:
        solution = REPO / "solutions" / hw / f"{hw}.ipynb"
        floor = in_process_floor(solution)
        graded, result = seconds(lambda: grade_notebook(solution, hw))
        print(f"{hw}: in-process {floor:5.1f} s · grade {graded:5.1f} s (score {result['score']:g}) · "
              f"ratio {graded / floor:4.2f}")
        if args.class_size:
            with tempfile.TemporaryDirectory() as tmp:
                notebooks = []
                for i in range(args.class_size):
                    target = Path(tmp) / f"student{i}" / f"{hw}.ipynb"
                    target.parent.mkdir()
                    shutil.copyfile(example_path(hw), target)
                    notebooks.append(target)
                for jobs in (1, 2):
                    took, results = seconds(lambda: grade_all(notebooks, hw, jobs=jobs))
                    rate = len(notebooks) / (took / 60) / cores
                    print(f"  class of {len(notebooks)}, --jobs {jobs}: {took:5.1f} s · {rate:4.2f} submissions per "
                          f"core-minute · scores {sorted({r['score'] for r in results})}")


if __name__ == "__main__":
    main()
