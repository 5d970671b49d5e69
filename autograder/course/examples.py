"""The bundled example submissions (``examples/<hw>/``): realistic, partly wrong hand-ins built from the releases.

Each homework with an ``example`` module in its grader package bundles one. They are generated and committed;
``python -m autograder example`` rebuilds them and ``example --check`` says whether the committed ones are stale.
"""
from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import nbformat

from autograder.course.nbgrader_course import REPO, is_stale
from autograder.pipeline.registry import homeworks


def example_path(hw: str = "hw1_mnist_gan", repo: Path = REPO) -> Path:
    return repo / "examples" / hw / f"{hw}_example_submission.ipynb"


def homeworks_with_examples() -> list[str]:
    """Homeworks that bundle an example submission (an ``example`` module in their grader package)."""
    return [hw for hw in homeworks() if importlib.util.find_spec(f"autograder.{hw}.example") is not None]


def build_example_notebook(hw: str, repo: Path = REPO) -> nbformat.NotebookNode:
    """The example submission of ``hw``, built from the committed release and solution."""
    example = importlib.import_module(f"autograder.{hw}.example")
    return example.build(repo / "assignments" / hw / f"{hw}.ipynb", repo / "solutions" / hw / f"{hw}.ipynb")


def write_examples(chosen: list[str], repo: Path = REPO, check: bool = False) -> list[Path]:
    """Rebuild the example submissions of ``chosen`` and return their paths; with ``check`` write nothing and return
    only the committed examples that are missing or differ from a fresh build."""
    bundled = homeworks_with_examples()
    unknown = sorted(set(chosen) - set(bundled))
    if unknown:
        raise ValueError(f"no bundled example for {', '.join(unknown)}; the homeworks with one are "
                         f"{', '.join(bundled)}")
    out = []
    for hw in chosen:
        fresh, target = build_example_notebook(hw, repo), example_path(hw, repo)
        if check:
            if is_stale(target, fresh):
                out.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(fresh, str(target))
        out.append(target)
    return out
