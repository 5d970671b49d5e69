"""Each homework's manifest, ``autograder/<homework>/manifest.json``: what the course promises about it.

- ``points``: each graded problem's points (``{"p01": 5, …}``, 100 in all): the registry gives every check its
  points from here, so the tables, nbgrader's totals and Gradescope's all read one number;
- ``example_score``: what the bundled example submission scores (the CLI's ``demo`` and the tests check it);
- ``min_wrong_answers``: how many realistic wrong answers its catalogue (``mutants.py``) holds at least, each of
  which the tests prove is caught.

Plain JSON, read without importing the checks.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # autograder/


@dataclass(frozen=True)
class Manifest:
    points: dict[str, float]
    example_score: float
    min_wrong_answers: int

    @property
    def total(self) -> float:
        return sum(self.points.values())


@lru_cache(maxsize=None)
def manifest(homework: str) -> Manifest:
    """The manifest of ``homework``; a clear error for a missing or malformed one."""
    path = PACKAGE / homework / "manifest.json"
    try:
        data = json.loads(path.read_text())
        points = {str(problem): float(value) for problem, value in data["points"].items()}
        found = Manifest(points, float(data["example_score"]), int(data["min_wrong_answers"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{path} is not a homework manifest ({type(error).__name__}: {error})") from None
    if not points or any(value <= 0 for value in points.values()):
        raise ValueError(f"{path}: every problem needs a positive number of points")
    return found
