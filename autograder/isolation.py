"""Checks run in fresh processes, never in the student's interpreter.

A :class:`CheckProcess` starts one pristine Python (``python -I``: no current directory, no
``PYTHONPATH``, no user site on its path) that imports the autograder *by file path* from the
trusted copy the caller itself runs, loads the homework's checks and torch, and takes a fingerprint
of them (:mod:`autograder.tamper`). It has run no student code and never will: for each check it forks
a child, and only the child loads the notebook's hand-off (:mod:`autograder.handoff`) and calls the
student's functions. Whatever the notebook patched (``autograder.grade``, a check's ``__code__``,
``torch.allclose``, pytest, builtins) stays in the notebook's process.

The child is confined by :mod:`autograder.sandbox` where the machine allows (it reads neither the
hidden checks' files nor the course's submissions, writes only its scratch folder, signals nothing
outside), and an audit hook (which Python does not let code remove) refuses what an answer never
does: starting programs, signalling processes, writing files outside its scratch folder, importing
the grader's modules, walking the garbage collector, tracing; every refusal is sent to the parent at
once as a reason for manual review, and voids the check's result. After the check the child compares
the fingerprint again: a function replaced while the check ran voids the result too. Replacements
made in the notebook itself (seen in the hand-off's fingerprint) cannot affect the check; they are
reported for manual review and the score stands.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); sys.argv = sys.argv[1:]; "
         "from autograder.isolation import serve; serve(sys.argv[1])")
_RESULT_LIMIT = 200_000  # bytes a child may send back


@dataclass
class CheckResult:
    check: str
    passed: bool
    message: str = ""
    review: list[str] = field(default_factory=list)  # reasons a person should look at this submission

    @property
    def flagged(self) -> bool:
        return bool(self.review)


class CheckProcess:
    """A pristine process that runs one homework's checks, each in a fork of its own."""

    def __init__(self, homework: str, memory_gb: float | None = None, course_root: str | None = None,
                 start_timeout: float = 300):
        self.homework = homework
        self.memory_gb = memory_gb
        self.course_root = course_root  # submissions and gradebook: out of the checks' reach (sandbox)
        root = Path(__file__).resolve().parents[1]  # the autograder this (trusted) process runs
        self._dir = tempfile.TemporaryDirectory(prefix="gan-course-checks-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.setdefault("MPLBACKEND", "Agg")
        self._proc = subprocess.Popen([sys.executable, "-I", "-c", _BOOT, str(root), homework], cwd=self._dir.name,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      env=env, start_new_session=True)
        ready = self._receive(start_timeout)
        if not ready or not ready.get("ready"):
            self.close()
            raise RuntimeError(f"the check process for {homework} did not start: {ready}")

    def run(self, check_id: str, handoff_path: str | os.PathLike, timeout: float = 120) -> CheckResult:
        """Run one check on a hand-off file; a crash, a hang or a garbled answer is a failure, never a pass."""
        request = {"check": check_id, "handoff": os.fspath(handoff_path), "timeout": timeout,
                   "memory_gb": self.memory_gb, "course_root": self.course_root}
        try:
            self._proc.stdin.write((json.dumps(request) + "\n").encode())
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return CheckResult(check_id, False, "The grader's check process stopped; this problem was not graded.",
                               ["the check process stopped"])
        reply = self._receive(timeout + 60)
        if not isinstance(reply, dict) or "passed" not in reply:
            return CheckResult(check_id, False, "The check did not report a result.", ["no result from the check"])
        review = [str(r) for r in reply.get("review", [])][:20]
        return CheckResult(check_id, reply["passed"] is True, str(reply.get("message", ""))[:20_000], review)

    def _receive(self, timeout: float):
        ready, _, _ = select.select([self._proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self._proc.stdout.readline(_RESULT_LIMIT)
        try:
            return json.loads(line)
        except ValueError:
            return None

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except OSError:
                pass
        self._proc.wait()
        for stream in (self._proc.stdin, self._proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---------------------------------------------------------------- the pristine process (trusted side)

def serve(homework: str) -> None:
    """Main loop of the pristine process: one request per line on stdin, one reply per line on stdout."""
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # nothing a library prints can garble the replies
    os.environ.setdefault("MPLBACKEND", "Agg")
    import cloudpickle  # noqa: F401 (loaded before any student object is)
    import matplotlib.pyplot  # noqa: F401
    import torch  # noqa: F401

    import shared  # noqa: F401 (answers hold objects of the course library)

    from . import tamper
    from .registry import checks

    found = {check.id: check for check in checks(homework)}
    baseline = tamper.fingerprint()
    out.write(json.dumps({"ready": True}).encode() + b"\n")
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        reply = _run_in_child(found, request, baseline)
        out.write(json.dumps(reply).encode() + b"\n")


def _run_in_child(found: dict, request: dict, baseline: dict) -> dict:
    check = found.get(request.get("check"))
    if check is None:
        return {"passed": False, "message": f"unknown check {request.get('check')!r}", "review": []}
    read_end, write_end = os.pipe()
    scratch = tempfile.mkdtemp(prefix="gan-course-check-")
    pid = os.fork()
    if pid == 0:  # the child: the only process that ever holds student objects
        leave = os._exit  # kept here only: the answer's code finds os._exit refused
        try:
            _close_all_but(write_end)  # above all the pristine process's reply channel
            _child(check, request, baseline, write_end, scratch)
        finally:
            leave(0)
    os.close(write_end)
    messages, timed_out = _collect(read_end, float(request.get("timeout", 120)))
    try:  # the whole group: whatever the child started goes with it
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(scratch, ignore_errors=True)
    clean_exit = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return _verdict(messages, timed_out, float(request.get("timeout", 120)), clean_exit)


def _close_all_but(keep: int) -> None:
    """Every inherited descriptor closed but ``keep``; stdin, stdout and stderr lead nowhere."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, keep)
    os.closerange(keep + 1, 65536)


def _collect(fd: int, timeout: float) -> tuple[list[dict], bool]:
    deadline = time.monotonic() + timeout
    data = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.close(fd)
            return _parse(data), True
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk or len(data) > _RESULT_LIMIT:
            os.close(fd)
            return _parse(data), False
        data += chunk


def _parse(data: bytes) -> list[dict]:
    messages = []
    for line in data.split(b"\n"):
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict):
            messages.append(message)
    return messages


def _verdict(messages: list[dict], timed_out: bool, timeout: float, clean_exit: bool = True) -> dict:
    review = [str(m["review"]) for m in messages if "review" in m]
    results = [m for m in messages if "passed" in m]
    voided = [str(m["void"]) for m in messages if "void" in m]
    if timed_out:
        return {"passed": False, "review": review + voided,
                "message": f"The check stopped after {timeout:g} s: your code did not finish (an endless loop, or far "
                           "too much work for a few small inputs)."}
    if not clean_exit:
        return {"passed": False, "review": review + voided + ["the check process did not end normally"],
                "message": "The check ended without a trustworthy result (your code stopped the process)."}
    if len(results) != 1:
        why = "no result" if not results else "more than one result"
        return {"passed": False, "review": review + voided + [f"the check process sent {why}"],
                "message": "The check ended without a result (your code stopped the process)." if not results
                else "The check was not trustworthy and scores 0; it is flagged for manual review."}
    result = results[0]
    if voided:
        return {"passed": False, "review": review + voided,
                "message": "Your code did something an answer never does while it was checked ("
                           + "; ".join(voided) + "). The problem scores 0 and is flagged for manual review."}
    return {"passed": result["passed"] is True, "message": str(result.get("message", "")), "review": review}


# ---------------------------------------------------------------- the child (runs student code)

def _child(check, request: dict, baseline: dict, fd: int, scratch: str) -> None:
    from . import handoff, sandbox, tamper
    from .grading import failure_message
    from .student import Student

    def send(**message):
        try:
            os.write(fd, json.dumps(message).encode() + b"\n")
        except OSError:
            pass

    os.setpgid(0, 0)
    sys.dont_write_bytecode = True  # imports write no .pyc: every write outside the scratch folder is the answer's
    import torch

    torch.set_num_threads(1)  # the pristine process may have started OpenMP threads, which a fork does not copy
    sandbox.limit_memory(request.get("memory_gb"))
    os.chdir(scratch)
    tempfile.tempdir = os.environ["TMPDIR"] = scratch  # the only folder the child may write
    _forget_the_grader_modules(check)
    try:
        with open(request["handoff"], "rb") as f:
            data = f.read()
    except OSError as error:
        send(passed=False, message=f"The grader could not read your notebook's answers ({error}).")
        return
    if sandbox.available():
        policy = sandbox.student_policy(scratch, course_root=request.get("course_root"))
        sandbox.confine(policy["write"], policy["protect"], policy["read"])
    sys.addaudithook(_audit_hook(send, writable=(scratch, os.devnull)))
    _refuse_sudden_exit(send)
    before = tamper.fingerprint()  # the pristine process's, with os._exit refused: before any student object
    try:
        received = handoff.loads(data)
    except Exception as error:
        send(passed=False, message=f"Your notebook's answers could not be handed to the grader "
                                   f"({type(error).__name__}: {error}).")
        return
    for name, reason in received.refused.items():
        send(review=f"`{name}` {reason}")
    if received.environment == tamper.environment():
        replaced = tamper.changes(baseline, received.notebook_fingerprint)
        if replaced:
            send(review="the notebook replaced " + ", ".join(replaced) + " (the check ran without these changes)")
    received.install_in_main()
    student = Student(received.namespace, received.cell_errors, received.unavailable)
    failure = failure_message(check, student)
    replaced = tamper.changes(before, tamper.fingerprint())
    if replaced:
        send(void="it replaced " + ", ".join(replaced))
    send(passed=failure is None, message=failure or "")


def _refuse_sudden_exit(send) -> None:
    """``os._exit`` would end the child before its result is sent (after a forged one): refused, reported."""
    import posix

    def refused(*args):
        send(void="tried to end the check's process (os._exit)")
        raise PermissionError("not allowed while your answer is graded: os._exit")
    os._exit = posix._exit = refused


def _forget_the_grader_modules(check) -> None:
    """The check keeps what it imported; the homework's modules leave ``sys.modules`` so student code
    cannot reach references or other checks by name (re-importing them is refused by the audit hook)."""
    for name in [n for n in sys.modules if n.startswith("autograder.hw")]:
        del sys.modules[name]
    import autograder

    for name in [n for n in vars(autograder) if n.startswith("hw")]:
        delattr(autograder, name)


_REFUSED_EVENTS = {
    "os.system": "start a program", "subprocess.Popen": "start a program", "os.exec": "start a program",
    "os.posix_spawn": "start a program", "os.spawn": "start a program", "pty.spawn": "start a program",
    "os.kill": "signal a process", "os.killpg": "signal a process", "signal.pthread_kill": "signal a process",
    "sys.settrace": "trace the grader", "sys.setprofile": "trace the grader",
    "gc.get_objects": "search the grader's memory", "gc.get_referrers": "search the grader's memory",
    "gc.get_referents": "search the grader's memory",
    "socket.connect": "open a network connection", "socket.bind": "open a network connection",
}


def _audit_hook(send, writable: tuple[str, ...]):
    writable = tuple(os.path.realpath(p) for p in writable)
    realpath, isinstance_, str_, fsdecode = os.path.realpath, isinstance, str, os.fsdecode

    def refuse(what: str):
        send(void=what)
        raise PermissionError(f"not allowed while your answer is graded: {what}")

    def hook(event: str, args: tuple):
        if event in _REFUSED_EVENTS:
            refuse(f"tried to {_REFUSED_EVENTS[event]} ({event})")
        elif event == "ctypes.dlopen" and (args[0] is None or "libc" in str_(args[0])):
            refuse("loaded the C library through ctypes (ctypes.dlopen)")
        elif event == "ctypes.dlsym" and not str_(args[-1]).startswith(("cu", "nv")):
            refuse(f"looked up the C function {args[-1]} through ctypes")  # (CUDA's own lookups pass)
        elif event == "import" and str_(args[0]).startswith("autograder"):
            refuse(f"imported the grader's module {args[0]}")
        elif event == "object.__setattr__" and args[1] == "__code__":
            refuse("replaced a function's code (__code__)")
        elif event == "open" and len(args) > 1 and isinstance_(args[0], (str_, bytes)):
            mode = args[1] if isinstance_(args[1], str_) else ""
            flags = args[2] if len(args) > 2 and isinstance_(args[2], int) else 0
            writes = any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            if writes:
                path = realpath(fsdecode(args[0]))
                if not path.startswith(writable):
                    refuse(f"wrote to {path}, outside its scratch folder")
        elif event in ("os.remove", "os.rename", "os.rmdir", "shutil.rmtree", "os.truncate") and args and \
                isinstance_(args[0], (str_, bytes)):
            path = realpath(fsdecode(args[0]))
            if not path.startswith(writable):
                refuse(f"changed {path}, outside its scratch folder")
    return hook
