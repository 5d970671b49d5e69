"""Benchmark: what grading one submission costs beside running its notebook, per homework (goal: ≤ 1.25×).

For each homework: the solution notebook executed in-process in fast mode (the floor: what a student's own run
of the notebook costs, torch's import included), then the whole `python -m autograder grade` command on the same
notebook (judge and sandboxed runner, every process start included), each the best of --repeat runs, and their ratio. --profile adds where
a grading's time goes (the notebook process's phases: start and imports, cells, each check's probe; the judge's
warm-up and verdicts). --nbgrader adds `nbgrader autograde` of the solution and the bundled example.
Run: `.venv/bin/python bench/autograde_time.py [--homework hw2_dcgan_cifar10 ...] [--profile] [--nbgrader]`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.pipeline.registry import homeworks

REPO = Path(__file__).resolve().parents[1]

FLOOR = """
import json, sys, tempfile, time
from autograder.pipeline.notebook import execute_notebook
with tempfile.TemporaryDirectory() as tmp:
    start = time.perf_counter()
    student = execute_notebook(sys.argv[1], workdir=tmp)
    print(json.dumps({"seconds": time.perf_counter() - start, "errors": student.cell_errors}))
"""


# The notebook process's phases, as the grader runs it (unsandboxed here: the sandbox's own cost is one exec).
PROFILE = """
import json, os, sys, tempfile, time
start = time.perf_counter()
import autograder.pipeline.notebook as nb, autograder.pipeline.runner as runner
from autograder.pipeline import judge
from autograder.pipeline.registry import checks
phases = {"imports before the first cell (autograder, IPython, torch)": time.perf_counter() - start}
cells, probes = [], {}
run_cell, write_answer = nb._run_cell, runner.write_answer
def timed_cell(shell, source, timeout, quiet):
    t = time.perf_counter(); error = run_cell(shell, source, timeout, quiet)
    cells.append((time.perf_counter() - t, source.strip().splitlines()[0][:50] if source.strip() else "")); return error
def timed_answer(folder, check_id, student, inputs):
    t = time.perf_counter(); write_answer(folder, check_id, student, inputs)
    probes[check_id.split("::")[1]] = time.perf_counter() - t
nb._run_cell, runner.write_answer = timed_cell, timed_answer
problems = checks(sys.argv[2]); inputs = judge.inputs_for(c.id for c in problems)
t = time.perf_counter(); judge.warm_up(problems, inputs); warm = time.perf_counter() - t
with tempfile.TemporaryDirectory() as tmp:
    student = nb.execute_notebook(sys.argv[1], workdir=tmp)
    nb.answer_requests(student, inputs, tmp)
    t = time.perf_counter()
    for c in problems:
        judge.verdict_of_folder(c, inputs[c.id], tmp)
    verdicts = time.perf_counter() - t
phases["cells"] = sum(s for s, _ in cells)
phases["probes (the student's side of the checks)"] = sum(probes.values())
print(json.dumps({"phases": phases, "slowest cells": sorted(cells, reverse=True)[:3], "probes": probes,
                  "judge warm-up (beside the notebook)": warm, "verdicts": verdicts}))
"""


def run_json(script: str, *args: str, env: dict | None = None) -> dict:
    """``script`` in a fresh interpreter (notebooks leave state behind); its last line of output, as JSON."""
    run = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    if run.returncode != 0:
        raise SystemExit(run.stderr[-2000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def floor(notebook: Path) -> float:
    # As graded: fast mode under a grader leaves out the metrics no check reads, so the floor does too.
    result = run_json(FLOOR, str(notebook), env={"GAN_COURSE_GRADING": "1"})
    if result["errors"]:
        raise SystemExit(f"{notebook.name}: cells failed, no figure: {str(result['errors'])[:400]}")
    return result["seconds"]


def cli_grade(notebook: Path) -> tuple[float, float]:
    """Wall seconds of the whole `python -m autograder grade NOTEBOOK` command, and the score it gave."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "autograder", "grade", str(notebook), "--json", f"{tmp}/r.json"],
                       check=True, capture_output=True)
        seconds = time.perf_counter() - start
        return seconds, json.loads(Path(f"{tmp}/r.json").read_text())[0]["score"]


def process_start() -> float:
    """Seconds to start Python and import torch and the course library, as every grading process does."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch, shared, IPython, os; os._exit(0)"], check=True)
    return time.perf_counter() - start


def nbgrader_times(hw: str, solution: Path) -> None:
    from autograder.course import nbgrader_course as c
    from autograder.course.examples import example_path

    with tempfile.TemporaryDirectory() as tmp:
        course = c.new_course(tmp, [hw])
        c.generate(course, hw)
        for student, notebook in (("solution", solution), ("example", example_path(hw))):
            c.submit(course, hw, student, notebook)
            start = time.perf_counter()
            c.autograde(course, hw, student)
            print(f"  nbgrader autograde ({student}): {time.perf_counter() - start:5.1f} s, "
                  f"score {c.auto_total(course, hw, student)[0]:g} / 100")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--homework", nargs="*", default=homeworks())
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement; the best is kept")
    parser.add_argument("--profile", action="store_true", help="where a grading's time goes, phase by phase")
    parser.add_argument("--nbgrader", action="store_true", help="also time nbgrader autograde (slow)")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("GAN_COURSE_FAST", "1")
    print(f"cores: {os.cpu_count()}  ·  OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')}  ·  "
          f"GAN_COURSE_DATA={os.environ.get('GAN_COURSE_DATA', '(unset: download)')}")
    print(f"a process starting and importing torch and shared: {min(process_start() for _ in range(2)):.1f} s")
    for hw in args.homework:
        solution = REPO / "solutions" / hw / f"{hw}.ipynb"
        floors, grades = [], []
        for _ in range(args.repeat):  # interleaved, so that a slow spell of the machine hits both
            floors.append(floor(solution))
            seconds, score = cli_grade(solution)
            grades.append(seconds)
        best_floor, best_grade = min(floors), min(grades)
        print(f"{hw}: in-process {best_floor:5.1f} s · grade {best_grade:5.1f} s (score {score:g}) · "
              f"ratio {best_grade / best_floor:4.2f}  (runs: {', '.join(f'{f:.1f}/{g:.1f}' for f, g in zip(floors, grades))})")
        if args.profile:
            p = run_json(PROFILE, str(solution), hw, env={"GAN_COURSE_GRADING": "1"})
            for phase, seconds in p["phases"].items():
                print(f"  {phase:<62} {seconds:5.1f} s")
            print("  slowest cells: " + " · ".join(f"{s:.1f} s {name!r}" for s, name in p["slowest cells"]))
            print("  probes: " + " · ".join(f"{name.split('_')[1]} {s:.2f}" for name, s in p["probes"].items()))
            print(f"  judge: warm-up {p['judge warm-up (beside the notebook)']:.1f} s (runs beside the notebook), "
                  f"verdicts {p['verdicts']:.2f} s")
        if args.nbgrader:
            nbgrader_times(hw, solution)


if __name__ == "__main__":
    main()
