"""The judge: the only place a verdict is decided, and it never runs, imports or unpickles student code.

For every problem the judge picks the inputs (a fresh random seed and a nonce per grading, :func:`new_inputs`),
the student's side answers with plain data (:mod:`autograder.pipeline.runner`, through :mod:`autograder.pipeline.wire`), and the
judge's check (``autograder/hwN_x/checks/pNN_*.py``) compares that data with what its own reference code computes
from the same seed. An answer that is missing, malformed, oversized or made for other inputs fails its problem
with a clear message; nothing an answer holds can crash the judge or run in it.

The judge runs in the trusted process of each route: nbgrader's own process (after the kernel executed the
notebook), the CLI's process, or, when an instructor runs a solution notebook by hand, a separate process
(:class:`JudgeProcess`) that the notebook's kernel starts and only sends answer files to.
"""
from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from autograder.pipeline import wire
from autograder.pipeline.wire import inputs_for, new_inputs
from autograder.toolkit.expect import CheckFailed
from autograder.pipeline.wire import ERROR, NONCE, answer_file_name
from autograder.integrity.student_text import clean, one_line

_LOCK = threading.Lock()  # verdicts seed torch's global generator: one at a time per process


@dataclass
class Verdict:
    check: str
    passed: bool
    message: str = ""
    review: list[str] = field(default_factory=list)  # reasons a person should look at this submission
    text: str = ""  # the result line(s) as a test cell shows them (filled by JudgeProcess)
    student_text: str = ""  # what the student's own code said (its error), never part of ``message``

    @property
    def flagged(self) -> bool:
        return bool(self.review)


def read_answer_file(folder: str | os.PathLike, check_id: str) -> bytes | None:
    """The bytes of one answer file, or None: only a regular file, opened without following links, size-capped."""
    path = os.path.join(os.fspath(folder), answer_file_name(check_id))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > wire.MAX_BYTES:
            return b"" if stat.S_ISREG(info.st_mode) else None
        chunks, size = [], 0
        while size <= wire.MAX_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def verdict(check, inputs: dict, blob: bytes | None) -> Verdict:
    """Judge one problem's answer (``blob``: the bytes the student's side wrote, None if it wrote none)."""
    from autograder.pipeline.answer import Answer

    if blob is None:
        return Verdict(check.id, False, "This problem was not graded: your notebook never answered it (it stopped "
                       "before the test cell, or the grading call was replaced).")
    try:
        data = wire.loads(blob)
    except wire.BadAnswer as error:
        return Verdict(check.id, False, "The grader could not read your code's answer for this problem "
                       f"({error}); it scores 0 and is flagged for manual review.", [f"malformed answer: {error}"])
    if not isinstance(data, dict) or data.get(NONCE) != inputs.get("nonce"):
        return Verdict(check.id, False, "The answer to this problem was not computed for this grading's inputs; "
                       "it scores 0 and is flagged for manual review.",
                       ["the answer was not produced for this grading's inputs (replayed or forged)"])
    answer = Answer(data, inputs)
    with _LOCK, _judging():
        try:
            check.function(answer)
        except AssertionError as error:
            said = getattr(error, "student_text", None)
            return Verdict(check.id, False, str(error)[:20_000], student_text=clean(said) if said else "")
        except Exception as error:  # data of an unexpected shape or kind: a failure, never a crash
            hint = " Your code raised an error when the grader ran it:" if answer.error else ""
            return Verdict(check.id, False, "Your answer could not be checked: it does not have the form this "
                           f"problem asks for ({type(error).__name__}: {one_line(error, 300)}).{hint}",
                           student_text=clean(answer.error) if answer.error else "")
    return Verdict(check.id, True, "")


def warm_up(checks, inputs: dict[str, dict]) -> None:
    """Run every check once on an empty answer while the notebook executes: the references' imports and data
    (scikit-learn's digits, ``shared``, datasets) are then loaded before the real answers arrive."""
    for check in checks:
        try:
            verdict(check, inputs[check.id], wire.dumps({NONCE: inputs[check.id].get("nonce")}))
        except Exception:
            pass


def verdict_of_folder(check, inputs: dict, folder) -> Verdict:
    return verdict(check, inputs, read_answer_file(folder, check.id))


@contextlib.contextmanager
def _judging():
    """Reference code runs on the CPU, with gradients on, in a scratch folder, and leaves torch's RNG as it was."""
    import torch

    import warnings

    rng = torch.random.get_rng_state()
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="gan-course-judge-") as tmp, torch.enable_grad(), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # data of an odd kind makes torch warn; the verdict says what matters
        os.chdir(tmp)
        try:
            yield
        finally:
            os.chdir(previous)
            torch.random.set_rng_state(rng)


# ------------------------------------------------------- a judge in its own process (a solution run by hand)

_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); sys.argv = sys.argv[1:]; "
         "from autograder.pipeline.judge import serve; serve()")


class JudgeProcess:
    """A fresh ``python -I`` judge that the notebook's process only sends answer files to (one request a line)."""

    def __init__(self, start_timeout: float = 300):
        root = Path(__file__).resolve().parents[2]  # this (trusted) copy of the autograder, imported by path
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.setdefault("MPLBACKEND", "Agg")
        self._proc = subprocess.Popen([sys.executable, "-I", "-c", _BOOT, str(root)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                      start_new_session=True)

    def judge(self, check_id: str, inputs: dict, answer_path: str | os.PathLike, timeout: float = 300) -> Verdict:
        request = {"check": check_id, "inputs": inputs, "answer": os.fspath(answer_path)}
        try:
            self._proc.stdin.write((json.dumps(request) + "\n").encode())
            self._proc.stdin.flush()
            reply = json.loads(self._proc.stdout.readline(1_000_000) or b"{}")
        except (OSError, ValueError):
            reply = {}
        if "passed" not in reply:
            return Verdict(check_id, False, "The judge did not answer; this problem was not graded.",
                           ["no verdict from the judge"])
        return Verdict(check_id, reply["passed"] is True, str(reply.get("message", "")), list(reply.get("review", [])),
                       str(reply.get("text", "")), str(reply.get("student_text", "")))

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()


def serve() -> None:
    """Main loop of a :class:`JudgeProcess`: one request per line on stdin, one verdict per line on stdout."""
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(os.open(os.devnull, os.O_RDWR), 1)  # nothing a library prints can garble the replies
    from autograder.pipeline.registry import get_check

    for line in sys.stdin:
        try:
            request = json.loads(line)
            check = get_check(request["check"])
            path = Path(request["answer"])
            result = verdict_of_folder(check, dict(request["inputs"]), path.parent) \
                if path.name == answer_file_name(check.id) else verdict(check, request["inputs"], None)
            from autograder.pipeline.report import result_text

            reply = {"passed": result.passed, "message": result.message, "review": result.review,
                     "student_text": result.student_text,
                     "text": result_text(check, result.passed, result.message, result.review, result.student_text)}
        except Exception as error:
            reply = {"passed": False, "message": f"The judge could not grade this ({type(error).__name__}).",
                     "review": []}
        out.write(json.dumps(reply).encode() + b"\n")


__all__ = ["ERROR", "CheckFailed", "JudgeProcess", "Verdict", "inputs_for", "new_inputs", "read_answer_file",
           "verdict", "verdict_of_folder"]
