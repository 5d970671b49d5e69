"""Grading many notebooks from the command line: one fresh process per notebook, limits, a class report.

Each notebook is graded by a pytest run in a process of its own (so no submission shares an
interpreter with another), under a wall-clock limit for the whole notebook and, optionally, a memory
limit. A notebook that crashes, hangs or runs out of memory scores 0 with the reason, and the batch
goes on. Results follow Gradescope's ``results.json`` (``score`` and ``tests[]`` with ``name``,
``score``, ``max_score``, ``output``), so the same graders run on Gradescope.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from .notebook import is_test_cell, nbgrader_meta
from .registry import checks, homeworks
from .report import total


class UnknownHomework(ValueError):
    pass


def recognise_homework(notebook: Path) -> str:
    """The homework whose graded checks the notebook's test cells name (their nbgrader grade_ids)."""
    try:
        nb = nbformat.read(str(notebook), as_version=4)
    except Exception as error:  # not a notebook at all
        raise UnknownHomework(f"{notebook} is not a readable notebook ({type(error).__name__}: {error})") from None
    ids = {nbgrader_meta(cell).get("grade_id") for cell in nb.cells if is_test_cell(cell)}
    scores = {hw: len(ids & {c.name for c in checks(hw)}) for hw in homeworks()}
    best = max(scores, key=scores.get) if scores else None
    if not best or scores[best] == 0:
        raise UnknownHomework(f"{notebook} has no test cell of any homework ({', '.join(homeworks())}): is it a "
                              "course notebook? Pass --homework to grade it anyway.")
    return best


def grade_notebook(notebook: str | os.PathLike, homework: str | None = None, cell_timeout: float = 120,
                   notebook_timeout: float = 900, memory_gb: float | None = None) -> dict:
    """Grade one notebook in a fresh Python process; returns the result (see :func:`failed_result`)."""
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        raise SystemExit(f"no such notebook: {notebook}")
    found = recognise_homework(notebook)
    if homework and homework != found:
        return failed_result(notebook, homework, f"this notebook is {found}, not {homework}: grade it as {found}")
    homework = found
    with tempfile.TemporaryDirectory(prefix="gan-course-grade-") as tmp:
        out = Path(tmp) / "grades.json"
        command = [sys.executable, "-m", "pytest", "--pyargs", f"autograder.{homework}", "--notebook", str(notebook),
                   "--grade-json", str(out), "--cell-timeout", str(cell_timeout), "-q", "-p", "no:cacheprovider",
                   "--no-header", "-rN", "--tb=short", "-W", "ignore"]
        env = {**os.environ, "GAN_COURSE_FAST": os.environ.get("GAN_COURSE_FAST", "1"), "MPLBACKEND": "Agg"}
        try:
            run = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, timeout=notebook_timeout,
                                 preexec_fn=_memory_limit(memory_gb))
        except subprocess.TimeoutExpired:
            return failed_result(notebook, homework, f"grading stopped after {notebook_timeout:g} s (the whole "
                                 "notebook's time limit): a cell that never ends, or far too much work in fast mode")
        if not out.is_file():
            tail = (run.stderr or run.stdout).strip().splitlines()[-3:]
            why = "ran out of memory" if "MemoryError" in run.stdout + run.stderr else f"exit code {run.returncode}"
            return failed_result(notebook, homework, f"the grading process ended without scores ({why}): "
                                 + " | ".join(tail))
        result = json.loads(out.read_text())
    score, points = total(result["grades"])
    return {"notebook": str(notebook), "homework": homework, "grades": result["grades"], "score": score,
            "points": points, "error": None}


def failed_result(notebook: Path, homework: str, reason: str) -> dict:
    """Every problem at 0, each with the reason: what a notebook that could not be graded scores."""
    grades = [{"check": c.id, "title": c.label, "points": c.points, "score": 0.0, "message": reason}
              for c in checks(homework)]
    return {"notebook": str(notebook), "homework": homework, "grades": grades, "score": 0.0,
            "points": sum(c.points for c in checks(homework)), "error": reason}


def _memory_limit(memory_gb: float | None):
    if not memory_gb:
        return None

    def limit():
        import resource

        size = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    return limit


def grade_all(notebooks: list[Path], homework: str | None = None, jobs: int = 1, **limits) -> list[dict]:
    """Grade notebooks ``jobs`` at a time (each in its own process); results in the order given."""
    def one(path: Path) -> dict:
        try:
            return grade_notebook(path, homework, **limits)
        except UnknownHomework as error:
            return {"notebook": str(path), "homework": homework, "grades": [], "score": 0.0, "points": 0.0,
                    "error": str(error)}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, notebooks))


def notebooks_in(paths: list[str]) -> list[Path]:
    """The notebooks named, and every notebook below each folder named (a class directory)."""
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        else:
            found.append(path)
    return found


def gradescope(result: dict) -> dict:
    """One notebook's result in Gradescope's results.json format."""
    tests = [{"name": g["title"], "score": g["score"], "max_score": g["points"], "output": g.get("message", "")}
             for g in result["grades"]]
    out = {"score": result["score"], "tests": tests}
    if result.get("error"):
        out["output"] = result["error"]
    return out


def write_class_csv(results: list[dict], path: str | os.PathLike) -> None:
    """One row per notebook: total, one column per problem, and the reason when it could not be graded."""
    titles = list(dict.fromkeys(g["title"] for r in results for g in r["grades"]))
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["notebook", "homework", "score", "points", *titles, "error"])
        for r in results:
            by_title = {g["title"]: g["score"] for g in r["grades"]}
            writer.writerow([r["notebook"], r["homework"], r["score"], r["points"],
                             *[by_title.get(t, "") for t in titles], r.get("error") or ""])
