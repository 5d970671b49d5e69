"""Grading many notebooks from the command line: fresh processes, limits, a class report.

Each notebook is executed in a disposable, sandboxed process of its own, which answers the judge's requests
with plain data (:mod:`autograder.pipeline.runner`); this process judges every problem
(:mod:`autograder.pipeline.judge`) and writes the scores. The notebook runs under a wall-clock limit for the whole
notebook and, optionally, a memory limit. A notebook that crashes, hangs or runs out of memory scores 0 with the
reason, and the batch goes on. Results follow Gradescope's ``results.json`` (``score`` and ``tests[]`` with ``name``,
``score``, ``max_score``, ``output``), so the same graders run on Gradescope.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.integrity import memory_cgroup, private_cache, sandbox
from autograder.pipeline.notebook import is_test_cell, nbgrader_meta
from autograder.pipeline.registry import check_names, checks, homeworks
from autograder.pipeline.report import REVIEW, total
from autograder.integrity.student_text import clean


class UnknownHomework(ValueError):
    pass


def recognise_homework(notebook: Path) -> str:
    """The homework whose graded checks the notebook's test cells name (their nbgrader grade_ids)."""
    try:
        nb = nbformat.read(str(notebook), as_version=4)
    except Exception as error:  # not a notebook at all
        raise UnknownHomework(f"{notebook} is not a readable notebook ({type(error).__name__}: {error})") from None
    ids = {nbgrader_meta(cell).get("grade_id") for cell in nb.cells if is_test_cell(cell)}
    scores = {hw: len(ids & set(check_names(hw))) for hw in homeworks()}
    best = max(scores, key=scores.get) if scores else None
    if not best or scores[best] == 0:
        raise UnknownHomework(f"{notebook} has no test cell of any homework ({', '.join(homeworks())}): is it a "
                              "course notebook? Pass --homework to grade it anyway.")
    return best


MACHINE_SHARE = "machine share"  # memory_gb's default: sandbox.default_memory_gb for the jobs graded at once


def grade_notebook(notebook: str | os.PathLike, homework: str | None = None, cell_timeout: float = 120,
                   notebook_timeout: float = 900, memory_gb: float | None | str = MACHINE_SHARE,
                   threads: int | None = None) -> dict:
    """Grade one notebook in a fresh Python process; returns the result (see :func:`failed_result`).
    ``memory_gb``: the process's address-space limit (None or 0: none; by default the machine's share for one
    job); ``threads``: the notebook process's torch threads (by default all cores, or ``OMP_NUM_THREADS``)."""
    if memory_gb == MACHINE_SHARE:
        memory_gb = sandbox.default_memory_gb(1)
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        raise SystemExit(f"no such notebook: {notebook}")
    found = recognise_homework(notebook)
    if homework and homework != found:
        return failed_result(notebook, homework, f"this notebook is {found}, not {homework}: grade it as {found}")
    homework = found
    return grade_judged(notebook, homework, cell_timeout, notebook_timeout, memory_gb, threads)


def grade_judged(notebook: Path, homework: str, cell_timeout: float = 120, notebook_timeout: float = 900,
                 memory_gb: float | None = None, threads: int | None = None) -> dict:
    """Grade one notebook the judge's way: the sandboxed notebook process answers, this process judges.

    This process picks every problem's inputs, keeps them, and reads back only answer files of plain data
    (:mod:`autograder.pipeline.wire`); it never loads anything of the student's that could run.
    """
    import threading

    from autograder.pipeline import wire

    # Nothing heavy before the notebook starts (the checks' names, JSON requests): the judge, the checks and
    # torch are imported and warmed up beside the notebook, which is the grading's critical path.
    inputs = wire.inputs_for(f"{homework}::{name}" for name in check_names(homework))
    prepared: dict = {}

    def prepare():
        from autograder.pipeline import judge

        prepared["problems"] = problems = checks(homework)
        judge.warm_up(problems, inputs)

    preparing = threading.Thread(target=prepare, daemon=True)

    def start_preparing():
        preparing.start()
        threading.Thread(target=private_cache.warm, args=(homework,), daemon=True).start()  # not waited for

    with tempfile.TemporaryDirectory(prefix="gan-course-grade-") as tmp:
        folder = Path(tmp)
        answers = folder / "answers"
        answers.mkdir()
        requests = folder / "requests"
        requests.write_bytes(wire.dump_requests(inputs))
        stopped = run_notebook_process(notebook, folder, ["--requests", str(requests), "--answers", str(answers)],
                                       cell_timeout, notebook_timeout, memory_gb, threads=threads,
                                       meanwhile=start_preparing)
        if stopped and not any(answers.iterdir()):
            return failed_result(notebook, homework, stopped.reason, stopped.output)
        error = stopped.reason if stopped else None
        if preparing.ident is not None:
            preparing.join()
        from autograder.pipeline import judge

        grades = []
        for check in prepared.get("problems") or checks(homework):
            result = judge.verdict_of_folder(check, inputs[check.id], answers)
            message = result.message
            if error and not result.passed and "never answered" in message:
                message = f"{message} ({error})"
            grades.append({"check": check.id, "title": check.label, "points": check.points,
                           "score": check.points if result.passed else 0.0, "message": message,
                           "student_text": result.student_text, "review": result.review})
    score, points = total(grades)
    review = sorted({reason for g in grades for reason in g.get("review", [])})
    failed = bool(error and not score)
    return {"notebook": str(notebook), "homework": homework, "grades": grades, "score": score,
            "points": points, "error": error if failed else None,
            "student_text": stopped.output if failed else "", "review": review}


@dataclass
class Stopped:
    """Why the notebook's process did not end normally (the grader's words), and the last lines it wrote (the
    student's text: shown quoted, never as the grader's)."""
    reason: str
    output: str = ""

    def text(self) -> str:
        from autograder.pipeline.report import with_student_text

        return with_student_text(self.reason, self.output)


def run_notebook_process(notebook: Path, folder: Path, arguments: list[str], cell_timeout: float = 120,
                         notebook_timeout: float = 900, memory_gb: float | None = None, threads: int | None = None,
                         meanwhile=None) -> Stopped | None:
    """Execute ``notebook`` (a copy in ``folder/work``) in a disposable, sandboxed process: PID 1 of namespaces of
    its own (nothing it starts outlives it, no network), reading only the allow-list, writing only ``folder``.
    ``meanwhile()`` is called once the process has started (to start the judge's own preparation beside it).
    Returns None, or why it did not end normally (a crash, the time limit, no memory) as :class:`Stopped`."""
    work, tmp = folder / "work", folder / "tmp"
    work.mkdir()
    tmp.mkdir()
    copy = work / notebook.name  # the process reads its own copy: the class folder stays out of its reach
    shutil.copyfile(notebook, copy)
    command = [sys.executable, "-m", "autograder.pipeline.notebook", str(copy), *arguments,
               "--cell-timeout", str(cell_timeout)]
    if sandbox.available():
        policy = sandbox.student_policy(str(work), extra_write=[str(folder)])
        command = sandbox.command_prefix(policy, str(tmp)) + command  # (memory: limited by preexec_fn)
        private_cache.fill(tmp)
    command = sandbox.namespace_prefix(network=True) + command
    env = {**os.environ, "GAN_COURSE_FAST": os.environ.get("GAN_COURSE_FAST", "1"), "GAN_COURSE_GRADING": "1",
           "MPLBACKEND": "Agg"}
    if threads and "OMP_NUM_THREADS" not in os.environ:  # jobs side by side share the cores instead of fighting
        env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(threads)
    cgroup = memory_cgroup.create(memory_gb)
    run = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=_memory_limit(memory_gb, cgroup), start_new_session=True)
    if meanwhile is not None:
        meanwhile()
    out_of_memory = False
    try:
        stdout, stderr = run.communicate(timeout=notebook_timeout)
    except subprocess.TimeoutExpired:
        return Stopped(f"grading stopped after {notebook_timeout:g} s (the whole notebook's time limit): a cell "
                       "that never ends, or far too much work in fast mode")
    finally:
        sandbox.stop(run)
        if cgroup is not None:
            out_of_memory = cgroup.out_of_memory()
            cgroup.remove()
    if run.returncode != 0:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-3:])
        if out_of_memory:
            why = f"killed for using more than its {memory_gb:g} GB of memory"
        elif "MemoryError" in stdout + stderr:
            why = "ran out of memory"
        else:
            why = f"exit code {run.returncode}"
        return Stopped(f"the notebook's process ended without handing in its answers ({why})", clean(tail))
    return None


def failed_result(notebook: Path, homework: str, reason: str, output: str = "") -> dict:
    """Every problem at 0, each with the reason: what a notebook that could not be graded scores (``output``:
    what its process wrote last, the student's text)."""
    grades = [{"check": c.id, "title": c.label, "points": c.points, "score": 0.0, "message": reason,
               "student_text": ""} for c in checks(homework)]
    return {"notebook": str(notebook), "homework": homework, "grades": grades, "score": 0.0,
            "points": total(grades)[1], "error": reason, "student_text": output, "review": []}


def _memory_limit(memory_gb: float | None, cgroup=None):
    """What the notebook's process runs before exec: into its memory cgroup, under its address-space limit."""
    if not memory_gb and cgroup is None:
        return None

    def limit():
        if cgroup is not None:
            cgroup.enter()
        sandbox.limit_memory(memory_gb)

    return limit


def default_jobs() -> int:
    """Notebooks graded at once unless told otherwise: one per core, as many as the machine's memory holds at the
    ≈ 6 GB of address space a grading process maps (torch alone maps about 4 GB)."""
    return max(1, min(os.cpu_count() or 1, int(0.8 * sandbox.machine_memory_gb() // 6)))


def grade_all(notebooks: list[Path], homework: str | None = None, jobs: int = 1, on_result=None,
              **limits) -> list[dict]:
    """Grade notebooks ``jobs`` at a time (each in its own process); results in the order given. Without a
    ``memory_gb`` each process gets :func:`sandbox.default_memory_gb` for ``jobs`` (0 or None: no limit), and
    ``cores ÷ jobs`` torch threads. ``on_result(index, result)`` is called as each notebook is done."""
    jobs = max(1, jobs)
    if "memory_gb" not in limits:
        limits["memory_gb"] = sandbox.default_memory_gb(jobs)
    limits.setdefault("threads", max(1, (os.cpu_count() or 1) // jobs))

    def one(path: Path) -> dict:
        start = time.perf_counter()
        try:
            result = grade_notebook(path, homework, **limits)
        except UnknownHomework as error:
            result = {"notebook": str(path), "homework": homework, "grades": [], "score": 0.0, "points": 0.0,
                      "error": clean(error, 1000), "student_text": "", "review": []}
        result["seconds"] = round(time.perf_counter() - start, 1)
        return result

    results: list = [None] * len(notebooks)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(one, path): index for index, path in enumerate(notebooks)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if on_result is not None:
                on_result(index, results[index])
    return results


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
    """One notebook's result in Gradescope's results.json format. Every ``output`` is plain text (Gradescope
    renders no HTML or Markdown from it), the student's own text quoted below the grader's words."""
    from autograder.pipeline.report import with_student_text

    tests = [{"name": g["title"], "score": g["score"], "max_score": g["points"], "output_format": "text",
              "output": with_student_text(g.get("message", ""), g.get("student_text", ""))
              + (f"\n{REVIEW}{'; '.join(g['review'])}" if g.get("review") else "")}
             for g in result["grades"]]
    out = {"score": result["score"], "output_format": "text", "tests": tests}
    if result.get("error"):
        out["output"] = with_student_text(result["error"], result.get("student_text", ""))
    return out


def write_class_csv(results: list[dict], path: str | os.PathLike) -> None:
    """One row per notebook: total, one column per problem, the reason when it could not be graded, and
    the reasons to look at it by hand (tampering evidence)."""
    titles = list(dict.fromkeys(g["title"] for r in results for g in r["grades"]))
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["notebook", "homework", "score", "points", *titles, "error", "manual review"])
        for r in results:
            by_title = {g["title"]: g["score"] for g in r["grades"]}
            writer.writerow([clean(r["notebook"], 500), r["homework"], r["score"], r["points"],
                             *[by_title.get(t, "") for t in titles], clean(r.get("error") or "", 1000),
                             "; ".join(r.get("review") or [])])
