"""Shared fixtures: paths, and the solution notebook executed once per test session."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOMEWORKS = ["hw1_mnist_gan", "hw2_dcgan_cifar10", "hw3_acgan_wgan"]


def solution_path(hw: str) -> Path:
    return ROOT / "solutions" / hw / f"{hw}.ipynb"


def release_path(hw: str) -> Path:
    return ROOT / "assignments" / hw / f"{hw}.ipynb"


@pytest.fixture(scope="session", autouse=True)
def _environment():
    os.environ.setdefault("GAN_COURSE_FAST", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    # nbgrader runs helpers (alembic, jupyter) as programs: use this interpreter's.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
