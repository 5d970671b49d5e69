"""Grading one problem: the entry point of nbgrader's hidden test cells, and the check's message."""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

from .registry import get_check
from .student import Student

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class GradingFailure(AssertionError):
    """A check failed; the message says what was expected and what was found."""


def run_check(check_id: str, namespace, seed: int | None = 20261203, tf32: bool = False) -> None:
    """Call a check *in this process* with a :class:`Student` view of ``namespace``; raise its failure unchanged.

    For testing the checks themselves (the catalogue of wrong answers); grading runs every check in a
    fresh process instead (:func:`grade`, :mod:`autograder.isolation`). The check runs in a fresh temporary directory (the working directory is restored afterwards),
    so files the student's code writes while being checked never land beside the notebook.
    """
    student = namespace if isinstance(namespace, Student) else Student(dict(namespace))
    check = get_check(check_id)
    from .registry import has_probes

    if has_probes(check.homework):  # the student's side, then the judge, through the wire format as in grading
        from . import judge, runner

        inputs = judge.new_inputs() if seed is None else {"seed": seed, "nonce": "test"}
        if tf32:  # the student's side as a GPU grading machine computes it (TF32 products), the judge as always
            from .tf32 import emulate_tf32

            with emulate_tf32():
                blob = runner.answer_bytes(check_id, student, inputs)
        else:
            blob = runner.answer_bytes(check_id, student, inputs)
        result = judge.verdict(check, inputs, blob)
        if not result.passed:
            raise GradingFailure(result.message)
        return
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


def failure_message(check, student: Student) -> str | None:
    """Run ``check`` on ``student``: None when it passes, else the message a student sees.

    The message holds the check's explanation or the error the student's code raised, with the
    student's own frames only. Warnings, stderr and figures of the student's code are kept out.
    """
    with contextlib.redirect_stderr(sys.stdout), warnings.catch_warnings(), _no_figures():
        warnings.simplefilter("ignore")
        try:
            with in_scratch_directory():
                check.function(student)
        except AssertionError as error:
            return str(error)
        except BaseException as error:  # the student's code raised (even SystemExit)
            return f"{type(error).__name__}: {error}{_student_frames(error)}"
    return None


HANDOFF_DIR = "GAN_COURSE_HANDOFF_DIR"


REQUESTS_FILE = "requests"


def grade(check_id: str, namespace) -> None:
    """Grade one problem from a notebook's hidden test cell: prints a ✓ line, or raises :class:`GradingFailure`.

    The verdict is never decided in the notebook's interpreter. Under ``nbgrader autograde`` (the course's
    preprocessors set ``GAN_COURSE_HANDOFF_DIR``) this only answers the judge: it runs the problem's probe on
    the inputs the judge wrote into that folder and leaves an answer file of plain data there; the judge, in
    nbgrader's own process, decides and writes this cell's result itself, whatever the cell printed.
    Elsewhere (an instructor running the solution notebook) the answer goes to a judge in a process of its
    own (:class:`autograder.judge.JudgeProcess`) and the verdict is shown here. The failure carries the
    check's message and the student's own frames, never the check's source; nothing reaches stderr.
    """
    from .registry import has_probes

    homework = check_id.partition("::")[0]
    folder = os.environ.get(HANDOFF_DIR)
    if folder and has_probes(homework):
        from . import runner, wire

        try:
            with open(Path(folder) / REQUESTS_FILE, "rb") as f:
                inputs = wire.loads(f.read())[check_id]
        except (OSError, KeyError, wire.BadAnswer):
            print(f"The grader asked nothing about {check_id}.")
            return
        runner.write_answer(folder, check_id, namespace, inputs)
        print(f"Answered the grader: {check_id}")
        return
    if folder:
        from . import handoff

        handoff.write(namespace, Path(folder) / handoff_file_name(check_id))
        print(f"Handed to the grader: {check_id}")
        return
    _show_failures_without_frames()
    if has_probes(homework):
        from . import judge, runner

        inputs = judge.new_inputs()
        with tempfile.TemporaryDirectory(prefix="gan-course-answer-") as tmp:
            runner.write_answer(tmp, check_id, namespace, inputs)
            result = _judge_process().judge(check_id, inputs, Path(tmp) / runner.answer_file_name(check_id))
        if not result.passed:
            raise GradingFailure(result.text) from None
        print(result.text)
        return
    from . import handoff

    check = get_check(check_id)
    with tempfile.TemporaryDirectory(prefix="gan-course-handoff-") as tmp:
        path = Path(tmp) / handoff_file_name(check_id)
        handoff.write(namespace, path)
        result = _check_process(check.homework).run(check_id, path)
    raise_or_print(check, result.passed, result.message, result.review)


_JUDGE: list = []


def _judge_process():
    from .judge import JudgeProcess

    if not _JUDGE or _JUDGE[0]._proc.poll() is not None:
        _JUDGE[:] = [JudgeProcess()]
    return _JUDGE[0]


def raise_or_print(check, passed: bool, message: str, review: list[str] = ()) -> None:
    text = result_text(check, passed, message, review)
    if not passed:
        raise GradingFailure(text) from None
    print(text)


def result_text(check, passed: bool, message: str, review=()) -> str:
    """``✓ Problem 08 · Discriminator step (10 points)``, or ✗ with the message; review reasons below."""
    from .report import REVIEW

    label = f"Problem {check.label} ({check.points:g} points)"
    note = f"\n{REVIEW}{'; '.join(review)}" if review else ""
    return f"✓ {label}{note}" if passed else f"✗ {label}\n{message}{note}"


def handoff_file_name(check_id: str) -> str:
    return check_id.replace("::", "__") + ".handoff"


_PROCESSES: dict = {}


def _check_process(homework: str):
    """One pristine check process per homework for this interpreter, started on first use."""
    from .isolation import CheckProcess

    process = _PROCESSES.get(homework)
    if process is None or process._proc.poll() is not None:
        process = _PROCESSES[homework] = CheckProcess(homework)
    return process


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
