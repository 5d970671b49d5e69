"""Fast mode: the same code on smaller sizes, so grading and CI run on a CPU in minutes.

Fast mode is on when ``GAN_COURSE_FAST`` is set to a true value (1, true, yes) or when
nbgrader is executing the notebook (it sets ``NBGRADER_EXECUTION`` while autograding and
validating). ``GAN_COURSE_FAST=0`` forces full mode even under nbgrader. Notebooks never
test the mode themselves: they ask for sizes with :func:`pick`.
"""
from __future__ import annotations

import os
from typing import TypeVar

FAST_ENV = "GAN_COURSE_FAST"
GRADING_ENV = "GAN_COURSE_GRADING"  # set by the course's grader while it executes a submission
T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def is_fast() -> bool:
    """True when notebooks should use their small sizes."""
    value = os.environ.get(FAST_ENV, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value:
        raise ValueError(f"{FAST_ENV}={value!r} is not understood; use 1 (fast) or 0 (full).")
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def pick(full: T, fast: T) -> T:
    """Return ``fast`` in fast mode and ``full`` otherwise, e.g. ``n_epochs = pick(100, 2)``."""
    return fast if is_fast() else full


def is_grading() -> bool:
    """True while a grader executes the notebook: the course's CLI, or nbgrader autograding."""
    return (os.environ.get(GRADING_ENV, "").strip().lower() in _TRUE
            or os.environ.get("NBGRADER_EXECUTION") == "autograde")


UNGRADED_NOTE = ("left out while grading in fast mode (no check reads it, and on a handful of images it would mean "
                 "nothing); run the notebook yourself to see it")


def skips_ungraded() -> bool:
    """True when work no check reads (FID/KID/IS, t-SNE) is left out: fast mode under grading, where its numbers
    would mean nothing and nobody would see them. Full mode under a grader still computes everything."""
    return is_fast() and is_grading()


def mode_name() -> str:
    return "fast" if is_fast() else "full"
