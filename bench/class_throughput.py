"""Benchmark: grading a class, with --jobs 1 and with --jobs 2, side by side in one run.

Builds a class of N submissions of one homework from the solution, the bundled example and catalogued wrong
answers (each a release filled in with the solution and one wrong answer), grades it with `python -m autograder
grade --jobs 1` and then `--jobs 2` (the command as instructors run it, each job with cores ÷ jobs torch threads
unless OMP_NUM_THREADS is set), and prints seconds, submissions per core-minute, the speed-up, and what a class
of 200 would take at the measured rate. Scores must be the same in both runs.
Run: `.venv/bin/python bench/class_throughput.py [--homework hw1_mnist_gan ...] [--class-size 6]`.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.course.examples import example_path
from autograder.course.submissions import answer_sources, fill_release

REPO = Path(__file__).resolve().parents[1]


def build_class(hw: str, size: int, folder: Path) -> list[Path]:
    """``size`` submissions: the solution, the example, then wrong answers spread over the catalogue."""
    solution = REPO / "solutions" / hw / f"{hw}.ipynb"
    release = REPO / "assignments" / hw / f"{hw}.ipynb"
    mutants = importlib.import_module(f"autograder.{hw}.mutants").MUTANTS
    answers = answer_sources(solution)
    step = max(1, len(mutants) // max(1, size - 2))
    chosen = mutants[::step][: max(0, size - 2)]
    sources = [("solution", solution), ("example", example_path(hw))]
    paths = []
    for i, (name, source) in enumerate(sources[:size]):
        target = folder / f"student{i:03d}_{name}" / f"{hw}.ipynb"
        target.parent.mkdir(parents=True)
        shutil.copyfile(source, target)
        paths.append(target)
    for i, mutant in enumerate(chosen, start=len(paths)):
        target = folder / f"student{i:03d}_{mutant.name}" / f"{hw}.ipynb"
        target.parent.mkdir(parents=True)
        nb = fill_release(release, solution, {mutant.cell: mutant.apply(answers[mutant.cell])})
        nbformat.write(nb, str(target))
        paths.append(target)
    return paths


def grade_class(folder: Path, jobs: int) -> tuple[float, dict[str, float]]:
    results = folder.parent / f"results-jobs{jobs}.json"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--jobs", str(jobs), "--json",
                    str(results)], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    return seconds, {Path(r["notebook"]).parent.name: r["score"] for r in json.loads(results.read_text())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--homework", nargs="*", default=["hw1_mnist_gan"])
    parser.add_argument("--class-size", type=int, default=6)
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("GAN_COURSE_FAST", "1")
    cores = os.cpu_count() or 1
    print(f"cores: {cores}  ·  OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset: cores ÷ jobs)')}  ·  "
          f"GAN_COURSE_DATA={os.environ.get('GAN_COURSE_DATA', '(unset: download)')}")
    for hw in args.homework:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "class"
            paths = build_class(hw, args.class_size, folder)
            rows = {}
            for jobs in (1, 2):
                rows[jobs] = grade_class(folder, jobs)
            (t1, scores1), (t2, scores2) = rows[1], rows[2]
            n = len(paths)
            print(f"{hw}: a class of {n} (solution, example, {n - 2} wrong answers)")
            for jobs, (seconds, _) in rows.items():
                print(f"  --jobs {jobs}: {seconds:6.1f} s · {seconds / n:5.1f} s per submission · "
                      f"{n / (seconds / 60) / cores:4.2f} submissions per core-minute · "
                      f"a class of 200: {200 * seconds / n / 60:5.1f} min")
            print(f"  speed-up of --jobs 2: {t1 / t2:4.2f}× · scores {'identical' if scores1 == scores2 else 'DIFFER'}"
                  f" in both runs: {sorted(scores1.values())}")
            if scores1 != scores2:
                print(f"  --jobs 1: {scores1}\n  --jobs 2: {scores2}")


if __name__ == "__main__":
    main()
