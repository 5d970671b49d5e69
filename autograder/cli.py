"""``python -m autograder grade PATH.ipynb``: score a notebook without any nbgrader database.

Each notebook is graded by a pytest run in a process of its own, so one submission's code
never shares an interpreter with another's.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .registry import homeworks
from .report import format_table, total


def guess_homework(notebook: Path) -> str:
    for hw in homeworks():
        if hw in notebook.name or hw in notebook.parent.name:
            return hw
    raise SystemExit(f"cannot tell the homework of {notebook}; pass --homework (one of {', '.join(homeworks())})")


def grade_notebook(notebook: str | os.PathLike, homework: str | None = None, cell_timeout: float = 120) -> dict:
    """Grade one notebook in a fresh Python process; returns ``{"notebook", "grades", "score", "points"}``."""
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        raise SystemExit(f"no such notebook: {notebook}")
    homework = homework or guess_homework(notebook)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "grades.json"
        command = [sys.executable, "-m", "pytest", "--pyargs", f"autograder.{homework}", "--notebook", str(notebook),
                   "--grade-json", str(out), "--cell-timeout", str(cell_timeout), "-q", "-p", "no:cacheprovider",
                   "--no-header", "-rN", "--tb=short", "-W", "ignore"]
        env = {**os.environ, "GAN_COURSE_FAST": os.environ.get("GAN_COURSE_FAST", "1"), "MPLBACKEND": "Agg"}
        run = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True)
        if not out.is_file():
            raise RuntimeError(f"grading {notebook} produced no scores:\n{run.stdout}\n{run.stderr}")
        result = json.loads(out.read_text())
    score, points = total(result["grades"])
    return {"notebook": str(notebook), "homework": homework, "grades": result["grades"], "score": score, "points": points}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade notebooks and print a score table for each")
    g.add_argument("notebooks", nargs="+")
    g.add_argument("--homework", help="e.g. hw1_mnist_gan (guessed from the file name by default)")
    g.add_argument("--json", help="write all results to this JSON file")
    g.add_argument("--cell-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)

    results = []
    for notebook in args.notebooks:
        result = grade_notebook(notebook, args.homework, args.cell_timeout)
        results.append(result)
        print(f"\n{result['notebook']} ({result['homework']})")
        print(format_table(result["grades"]))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0
