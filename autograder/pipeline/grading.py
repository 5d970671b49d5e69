"""Grading one problem: the entry point of nbgrader's hidden test cells, the check's message, and tests' runs."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from autograder.pipeline.registry import get_check
from autograder.pipeline.student import Student

HANDOFF_DIR = "GAN_COURSE_HANDOFF_DIR"  # set by the course's nbgrader preprocessors while a kernel is graded
REQUESTS_FILE = "requests"  # in that folder: the judge's inputs per problem (wire.dump_requests)


class GradingFailure(AssertionError):
    """A check failed; the message says what was expected and what was found."""


def run_check(check_id: str, namespace, seed: int | None = 20261203, tf32: bool = False) -> None:
    """One problem in *this* process: its probe on ``namespace``, the answer through the wire format, the judge's
    verdict; raises :class:`GradingFailure` with the student's message when it fails.

    For testing the checks themselves (the catalogue of wrong answers, correct variants); grading keeps the two
    sides in different processes (:func:`grade`, :mod:`autograder.pipeline.batch`, the nbgrader preprocessors). ``seed``
    None draws fresh inputs as grading does; ``tf32`` runs the student's side as a GPU with TF32 would.
    """
    from autograder.pipeline import judge, runner

    student = namespace if isinstance(namespace, Student) else Student(dict(namespace))
    check = get_check(check_id)
    inputs = judge.new_inputs() if seed is None else {"seed": seed, "nonce": "test"}
    if tf32:
        from autograder.toolkit.tf32 import emulate_tf32

        with emulate_tf32():
            blob = runner.answer_bytes(check_id, student, inputs)
    else:
        blob = runner.answer_bytes(check_id, student, inputs)
    result = judge.verdict(check, inputs, blob)
    if not result.passed:
        from autograder.pipeline.report import with_student_text

        raise GradingFailure(with_student_text(result.message, result.student_text))


def grade(check_id: str, namespace) -> None:
    """Grade one problem from a notebook's hidden test cell: prints a ✓ line, or raises :class:`GradingFailure`.

    The verdict is never decided in the notebook's interpreter. Under ``nbgrader autograde`` (the course's
    preprocessors set ``GAN_COURSE_HANDOFF_DIR``) this only answers the judge: it runs the problem's probe on
    the inputs the judge wrote into that folder and leaves an answer file of plain data there; the judge, in
    nbgrader's own process, decides and writes this cell's result itself, whatever the cell printed.
    Elsewhere (an instructor running the solution notebook) the answer goes to a judge in a process of its
    own (:class:`autograder.pipeline.judge.JudgeProcess`) and the verdict is shown here. The failure carries the
    check's message and the student's own frames, never the check's source; nothing reaches stderr.
    """
    from autograder.pipeline import runner, wire

    folder = os.environ.get(HANDOFF_DIR)
    if folder:
        try:
            with open(Path(folder) / REQUESTS_FILE, "rb") as f:
                inputs = wire.load_requests(f.read())[check_id]
        except (OSError, KeyError, TypeError, wire.BadAnswer):
            print(f"The grader asked nothing about {check_id}.")
            return
        runner.write_answer(folder, check_id, namespace, inputs)
        print(f"Answered the grader: {check_id}")
        return
    _show_failures_without_frames()
    from autograder.pipeline import judge

    inputs = judge.new_inputs()
    with tempfile.TemporaryDirectory(prefix="gan-course-answer-") as tmp:
        runner.write_answer(tmp, check_id, namespace, inputs)
        result = _judge_process().judge(check_id, inputs, Path(tmp) / runner.answer_file_name(check_id))
    if not result.passed:
        raise GradingFailure(result.text or result.message) from None
    print(result.text)


_JUDGE: list = []


def _judge_process():
    """One judge process for this interpreter, started on first use."""
    from autograder.pipeline.judge import JudgeProcess

    if not _JUDGE or _JUDGE[0]._proc.poll() is not None:
        _JUDGE[:] = [JudgeProcess()]
    return _JUDGE[0]


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
