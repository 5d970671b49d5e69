"""Run one check against a namespace: the entry point of nbgrader's hidden test cells."""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
import warnings

from .registry import get_check
from .student import Student

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class GradingFailure(AssertionError):
    """A check failed; the message says what was expected and what was found."""


def run_check(check_id: str, namespace) -> None:
    """Call a check with a :class:`Student` view of ``namespace``; raise its failure unchanged.

    The check runs in a fresh temporary directory (the working directory is restored afterwards),
    so files the student's code writes while being checked never land beside the notebook.
    """
    student = namespace if isinstance(namespace, Student) else Student(dict(namespace))
    check = get_check(check_id)
    with in_scratch_directory():
        check.function(student)


@contextlib.contextmanager
def in_scratch_directory():
    """Work in a fresh temporary directory, then return to the previous one (shared by every route of a check)."""
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="gan-course-check-") as tmp:
        os.chdir(tmp)
        try:
            yield
        finally:
            os.chdir(previous)


def grade(check_id: str, namespace) -> None:
    """Grade one problem inside a notebook: prints a ✓ line, or raises :class:`GradingFailure`.

    The failure carries only the check's message and the student's own frames, never the
    check's source, so nbgrader's feedback reveals nothing of the hidden test. Nothing is
    written to stderr (nbgrader scores a test cell 0 when it does).
    """
    _show_failures_without_frames()
    check = get_check(check_id)
    failure = None
    with contextlib.redirect_stderr(sys.stdout), warnings.catch_warnings(), _no_figures():
        warnings.simplefilter("ignore")
        try:
            run_check(check_id, namespace)
        except AssertionError as error:
            failure = str(error)
        except Exception as error:  # the student's code raised
            failure = f"{type(error).__name__}: {error}{_student_frames(error)}"
    label = f"Problem {check.label} ({check.points:g} points)"
    if failure is not None:
        raise GradingFailure(f"✗ {label}\n{failure}") from None
    print(f"✓ {label}")


def _show_failures_without_frames() -> None:
    """In a notebook, show a GradingFailure as its message alone, without the grader's own frame.

    The message already holds the student's frames; the frame that raised it is the grader's, with
    the grading machine's paths, and says nothing to a student.
    """
    try:
        shell = get_ipython()  # noqa: F821 (defined inside IPython kernels only)
    except NameError:
        return
    if getattr(shell, "_gan_course_failures_shown", False):
        return

    def show(shell, etype, value, tb, tb_offset=None):
        shell._showtraceback(etype, value, shell.InteractiveTB.get_exception_only(etype, value))

    shell.set_custom_exc((GradingFailure,), show)
    shell._gan_course_failures_shown = True


def _student_frames(error: BaseException) -> str:
    """Where in the student's code the error happened (frames outside the autograder)."""
    library = (_PACKAGE_DIR, sys.prefix, sys.base_prefix)
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith(library) and "site-packages" not in f.filename]
    if not frames:
        return ""
    lines = [f"  line {f.lineno}, in {f.name}: {f.line}" for f in frames[-3:]]
    return "\nRaised in your code:\n" + "\n".join(lines)


@contextlib.contextmanager
def _no_figures():
    """Checks call the student's plotting code; keep its figures out of the test cell's output."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        yield
        return
    before = set(plt.get_fignums())
    show = plt.show
    plt.show = lambda *args, **kwargs: None
    try:
        yield
    finally:
        plt.show = show
        for number in set(plt.get_fignums()) - before:
            plt.close(number)
