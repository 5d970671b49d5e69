"""Grading a class from the command line: progress, results written as they come, resuming, jobs and threads.

The grading itself is stood in for (its own tests are in test_batch_grading.py): these tests are about what
the command does around it.
"""
from __future__ import annotations

import json
import os

import pytest

from autograder.pipeline import batch, class_results
from autograder.cli import main


def _class(tmp_path, n=3):
    paths = []
    for i in range(n):
        path = tmp_path / "class" / f"student{i}" / "hw.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(f'{{"student": {i}}}')
        paths.append(path)
    return paths


@pytest.fixture
def graded(monkeypatch):
    """A stand-in for grading one notebook that records what it graded; a notebook named in ``interrupt_at``
    interrupts the run, as Ctrl-C would."""
    calls, interrupt_at = [], set()

    def grade_notebook(path, homework=None, **limits):
        if str(path) in interrupt_at:
            raise KeyboardInterrupt
        calls.append(str(path))
        return {"notebook": str(path.resolve()), "homework": "hw1_mnist_gan", "score": 70.0, "points": 100.0,
                "grades": [{"check": "c", "title": "01 · A problem", "points": 100.0, "score": 70.0, "message": ""}],
                "error": None, "review": []}

    monkeypatch.setattr(batch, "grade_notebook", grade_notebook)
    return calls, interrupt_at


def test_progress_line_per_notebook_and_results_kept_on_resume(tmp_path, graded, capsys):
    calls, _ = graded
    paths = _class(tmp_path)
    results = tmp_path / "class.json"
    main(["grade", str(tmp_path / "class"), "--json", str(results), "--jobs", "1"])
    err = capsys.readouterr().err
    assert [line.split("]")[0] for line in err.splitlines() if line.startswith("[")] == ["[1/3", "[2/3", "[3/3"]
    assert "70 / 100 in" in err and "left" in err
    saved = json.loads(results.read_text())
    assert [r["notebook"] for r in saved] == [str(p.resolve()) for p in paths]
    assert all(r["sha256"] == class_results.notebook_digest(p) and r["grader"] == class_results.grader_version()
               for r, p in zip(saved, paths))
    calls.clear()
    main(["grade", str(tmp_path / "class"), "--json", str(results), "--resume"])
    assert calls == [] and "3 notebook(s) kept" in capsys.readouterr().err
    assert json.loads(results.read_text()) == saved
    paths[1].write_text('{"student": 1, "changed": true}')  # a resubmission is graded again
    main(["grade", str(tmp_path / "class"), "--json", str(results), "--resume"])
    assert calls == [str(paths[1])]
    assert "2 notebook(s) kept" in capsys.readouterr().err


def test_an_interrupted_class_resumes_where_it_stopped(tmp_path, graded):
    calls, interrupt_at = graded
    paths = _class(tmp_path)
    results = tmp_path / "class.json"
    interrupt_at.add(str(paths[2]))
    with pytest.raises(KeyboardInterrupt):
        main(["grade", str(tmp_path / "class"), "--json", str(results), "--jobs", "1"])
    assert [r["notebook"] for r in json.loads(results.read_text())] == [str(p.resolve()) for p in paths[:2]]
    interrupt_at.clear()
    calls.clear()
    main(["grade", str(tmp_path / "class"), "--json", str(results), "--resume"])
    assert calls == [str(paths[2])] and len(json.loads(results.read_text())) == 3


def test_a_new_grader_regrades_everything(tmp_path, graded, monkeypatch):
    calls, _ = graded
    _class(tmp_path, 2)
    results = tmp_path / "class.json"
    main(["grade", str(tmp_path / "class"), "--json", str(results)])
    calls.clear()
    monkeypatch.setattr(class_results, "grader_version", lambda: "another")
    main(["grade", str(tmp_path / "class"), "--json", str(results), "--resume"])
    assert len(calls) == 2


def test_resume_needs_a_results_file_and_refuses_a_foreign_one(tmp_path, graded):
    _class(tmp_path, 1)
    with pytest.raises(SystemExit, match="give --json FILE"):
        main(["grade", str(tmp_path / "class"), "--resume"])
    foreign = tmp_path / "other.json"
    foreign.write_text('{"not": "a list"}')
    with pytest.raises(SystemExit, match="not a results file"):
        main(["grade", str(tmp_path / "class"), "--json", str(foreign), "--resume"])
    assert foreign.read_text() == '{"not": "a list"}'


def test_jobs_share_the_cores_and_default_to_the_machine(monkeypatch, tmp_path):
    """Each notebook process gets cores ÷ jobs torch threads unless OMP_NUM_THREADS is set; --jobs defaults to
    one per core (as memory allows)."""
    seen = []

    class Stop(Exception):
        pass

    def popen(command, env, **kwargs):
        seen.append(env.get("OMP_NUM_THREADS"))
        raise Stop

    batch.sandbox.namespace_prefix(network=True)  # (probed with a real process, once; then remembered)
    monkeypatch.setattr(batch.subprocess, "Popen", popen)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    for threads in (4, None):
        folder = tmp_path / f"t{threads}"
        folder.mkdir()
        with pytest.raises(Stop):
            batch.run_notebook_process(_notebook(tmp_path), folder, [], threads=threads)
    assert seen == ["4", None]
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    with pytest.raises(Stop):
        folder = tmp_path / "set"
        folder.mkdir()
        batch.run_notebook_process(_notebook(tmp_path), folder, [], threads=4)
    assert seen[-1] == "1"
    monkeypatch.setattr(batch, "grade_notebook", lambda path, homework, **limits: {"threads": limits["threads"]})
    assert [r["threads"] for r in batch.grade_all([folder] * 3, jobs=2)] == [4, 4, 4]
    assert batch.grade_all([folder], jobs=16)[0]["threads"] == 1
    monkeypatch.setattr(batch.sandbox, "machine_memory_gb", lambda: 64.0)
    assert batch.default_jobs() == 8
    monkeypatch.setattr(batch.sandbox, "machine_memory_gb", lambda: 16.0)
    assert batch.default_jobs() == 2


def _notebook(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text("{}")
    return path
