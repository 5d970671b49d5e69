"""The judge and the runner, piece by piece: what crosses between them, what the sandbox lets through, what dies.

Each case builds a small HW1 namespace from source text, as a notebook would. The attack notebooks on both full
routes are in test_grading_attacks.py; this file proves the pieces those routes rest on.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import torch

import autograder
from autograder.pipeline import judge, runner, wire
from autograder.integrity import sandbox
from autograder.pipeline.grading import GradingFailure, run_check
from autograder.pipeline.notebook import answer_requests
from autograder.pipeline.registry import get_check
from autograder.pipeline.student import Student

from .conftest import processes_ending_with

CHECK = "hw1_mnist_gan::test_p11_save_generator"
GENERATOR = (
    "import os, sys, torch\nfrom torch import nn\n"
    "class Generator(nn.Module):\n"
    "    def __init__(self, z_dim=100):\n"
    "        super().__init__()\n"
    "        self.net = nn.Sequential(nn.Linear(z_dim, 784), nn.Tanh())\n"
    "    def forward(self, z):\n"
    "        return self.net(z).view(-1, 1, 28, 28)\n"
)
CORRECT = "torch.save(G.state_dict(), path)"


def namespace(body: str, extra: str = "") -> dict:
    """Names as a notebook defines them: in ``__main__`` (so ``torch.save(G)`` pickles the class by name)."""
    import __main__

    ns = {"__name__": "__main__"}
    exec(GENERATOR + extra + f"def save_generator(G, path='generator.pth'):\n    {body}\n", ns)
    __main__.Generator = ns["Generator"]
    return ns


def test_a_correct_answer_passes_and_a_wrong_one_fails_with_its_message():
    run_check(CHECK, namespace(CORRECT), seed=None)
    with pytest.raises(GradingFailure, match="state dict"):
        run_check(CHECK, namespace("torch.save(G, path)"), seed=None)


def test_grade_in_a_notebook_asks_a_judge_in_another_process(capsys):
    autograder.grade(CHECK, namespace(CORRECT))
    assert capsys.readouterr().out.startswith("✓ Problem 11")
    with pytest.raises(autograder.GradingFailure, match="state dict"):
        autograder.grade(CHECK, namespace("torch.save(G, path)"))
    from autograder.pipeline.grading import _JUDGE

    assert _JUDGE and _JUDGE[0]._proc.pid != os.getpid()


def test_the_answer_holds_plain_data_only():
    data = runner.answer(CHECK, namespace(CORRECT), {"seed": 1, "nonce": "n"})
    wire.validate(data)
    assert data["__nonce__"] == "n" and isinstance(data["file"], torch.Tensor)
    assert runner.plain(torch.nn.Linear(2, 2)) == {"__type__": "torch.nn.modules.linear.Linear"}
    assert runner.plain(torch.zeros(2, device="meta"))["device"] == "meta"
    assert type(runner.plain(torch.nn.Parameter(torch.zeros(2)))) is torch.Tensor


def test_errors_in_student_code_reach_the_student_as_their_own():
    with pytest.raises(GradingFailure, match=r"(?s)ZeroDivisionError.*Raised in your code"):
        run_check(CHECK, namespace("1 / 0"))
    with pytest.raises(GradingFailure, match="does not define `Generator`"):
        run_check(CHECK, {"__name__": "__main__"})


def test_a_replayed_or_forged_answer_earns_nothing_and_is_flagged():
    check = get_check(CHECK)
    inputs = {"seed": 5, "nonce": "this-grading"}
    honest = runner.answer_bytes(CHECK, namespace(CORRECT), inputs)
    assert judge.verdict(check, inputs, honest).passed
    replayed = judge.verdict(check, {"seed": 5, "nonce": "another-grading"}, honest)
    assert not replayed.passed and replayed.review
    forged = judge.verdict(check, inputs, wire.dumps({"__nonce__": "this-grading", "passed": True}))
    assert not forged.passed


def test_answers_of_the_wrong_kind_fail_clearly_and_never_crash_the_judge():
    check = get_check("hw1_mnist_gan::test_p08_discriminator_step")
    inputs = {"seed": 3, "nonce": "n"}
    for value in (None, "1.0", {"__type__": "Thing"}, torch.zeros(0), [1, 2], 10**18, float("nan")):
        for key in ("loss", "D", "events", "losses", "D_trained"):
            result = judge.verdict(check, inputs, wire.dumps({"__nonce__": "n", key: value}))
            assert not result.passed and result.message


@pytest.mark.parametrize("blob", [b"", b"not a pickle", b"\x80\x04K\x01.", b"\0" * 1000],
                         ids=["empty", "text", "int-pickle", "zeros"])
def test_garbage_is_a_failed_problem(blob):
    result = judge.verdict(get_check(CHECK), {"seed": 1, "nonce": "n"}, blob)
    assert not result.passed


def test_pickles_that_would_run_code_are_refused(tmp_path):
    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'pwned'}",))

    buffer = io.BytesIO()
    torch.save({"__nonce__": "n", "file": Payload()}, buffer)
    result = judge.verdict(get_check(CHECK), {"seed": 1, "nonce": "n"}, buffer.getvalue())
    assert not result.passed and result.review
    assert not (tmp_path / "pwned").exists()
    with pytest.raises(wire.BadAnswer, match="bytes"):
        wire.loads(wire.dumps({"x": b"raw bytes"}))


@pytest.mark.parametrize("blob", [b"", b"[1, 2]", b'{"c": 1}', b'{"c": {"seed": "1", "nonce": "n"}}',
                                  b'{"c": {"seed": 1.5, "nonce": "n"}}', b'{"c": {"seed": 1}}', b"\x80\x02c"])
def test_requests_are_checked_plain_json(blob):
    """The judge's requests (seed and nonce per problem) reach the student's side as JSON, checked on reading."""
    with pytest.raises(wire.BadAnswer):
        wire.load_requests(blob)
    asked = wire.inputs_for(["a", "b"])
    assert wire.load_requests(wire.dump_requests(asked)) == asked and asked["a"] != asked["b"]


def test_correct_work_with_unpicklable_helpers_loses_nothing(tmp_path):
    """A lock, an open log file the answer writes to and a live generator in the notebook (nothing is pickled)."""
    log = tmp_path / "log.txt"
    extra = (f"import threading\n_lock = threading.Lock()\n_log = open({str(log)!r}, 'a')\n"
             "_numbers = (i for i in range(10))\n")
    ns = namespace("with _lock:\n        _log.write('saving\\n'); _log.flush()\n    next(_numbers)\n    " + CORRECT,
                   extra=extra)
    run_check(CHECK, ns, seed=None)
    assert "saving" in log.read_text()
    ns["_log"].close()


def test_a_probe_that_never_ends_is_cut_and_the_others_still_answer(tmp_path):
    student = Student(namespace("while True:\n        pass"))
    requests = {CHECK: {"seed": 1, "nonce": "a"}, "hw1_mnist_gan::test_p01_hyperparameters": {"seed": 1, "nonce": "b"}}
    started = time.monotonic()
    answer_requests(student, requests, str(tmp_path), timeout=2)
    assert time.monotonic() - started < 30
    cut = judge.verdict(get_check(CHECK), requests[CHECK], judge.read_answer_file(tmp_path, CHECK))
    # The limit is enforced in the student's process, so its message comes back as that process's text.
    assert not cut.passed and "ran longer than 2 s" in cut.student_text
    assert judge.read_answer_file(tmp_path, "hw1_mnist_gan::test_p01_hyperparameters") is not None
    never = judge.verdict(get_check(CHECK), requests[CHECK], None)
    assert not never.passed and "never answered" in never.message


def test_answer_files_are_read_without_following_links(tmp_path):
    secret = tmp_path / "gradebook.db"
    secret.write_bytes(wire.dumps({"__nonce__": "n"}))
    os.symlink(secret, tmp_path / runner.answer_file_name(CHECK))
    assert judge.read_answer_file(tmp_path, CHECK) is None
    fifo = "hw1_mnist_gan::test_p01_hyperparameters"
    os.mkfifo(tmp_path / runner.answer_file_name(fifo))
    assert judge.read_answer_file(tmp_path, fifo) is None
    big = "hw1_mnist_gan::test_p02_dataloaders"
    with open(tmp_path / runner.answer_file_name(big), "wb") as f:
        f.truncate(wire.MAX_BYTES + 1)
    assert not judge.verdict(get_check(big), {"seed": 1, "nonce": "n"}, judge.read_answer_file(tmp_path, big)).passed


def test_the_judge_tolerates_a_gpu_grading_machine():
    """The student's side answers in full float32 (TF32 off), so a GPU's TF32 products cannot fail a correct step;
    without that switch the emulated TF32 moves the step beyond the judge's tolerance (the test can fail)."""

    step = ("import torch\nfrom torch import nn\n"
            "def discriminator_step(D, G, d_optimizer, real, noise):\n"
            "    bce = nn.BCELoss()\n    d_optimizer.zero_grad()\n    r, f = D(real), D(G(noise).detach())\n"
            "    loss = bce(r, torch.ones_like(r)) + bce(f, torch.zeros_like(f))\n"
            "    loss.backward()\n    d_optimizer.step()\n    return loss.item()\n")
    ns = {"__name__": "__main__"}
    exec(step, ns)
    check = "hw1_mnist_gan::test_p08_discriminator_step"
    run_check(check, ns, tf32=True)
    import contextlib

    from autograder.toolkit import tf32

    saved = tf32.full_float32
    tf32.full_float32 = contextlib.nullcontext
    try:
        with pytest.raises(GradingFailure, match="differ from a correct step"):
            run_check(check, ns, tf32=True)
    finally:
        tf32.full_float32 = saved


needs_landlock = pytest.mark.skipif(not sandbox.available(), reason="this machine's kernel has no Landlock")


@needs_landlock
def test_the_sandbox_is_an_allow_list(tmp_path):
    other, own = tmp_path / "other-checkout" / "solutions.ipynb", tmp_path / "work"
    other.parent.mkdir()
    other.write_text("answers")
    own.mkdir()
    repo = Path(autograder.__file__).resolve().parents[1]
    probe = (
        "import os\n"
        "def attempt(action):\n"
        "    try:\n        action()\n        return 'allowed'\n    except OSError:\n        return 'denied'\n"
        f"print(attempt(lambda: open({str(other)!r}).read()), attempt(lambda: os.listdir('/tmp')),\n"
        f"      attempt(lambda: open({str(repo / 'autograder' / 'hw1_mnist_gan' / 'reference.py')!r}).read()),\n"
        f"      attempt(lambda: open({str(repo / 'solutions' / 'hw1_mnist_gan' / 'hw1_mnist_gan.ipynb')!r}).read()),\n"
        f"      attempt(lambda: open({str(own / 'out.txt')!r}, 'w').close()),\n"
        "      attempt(lambda: __import__('autograder.hw1_mnist_gan.probes')), attempt(lambda: __import__('shared')),\n"
        "      attempt(lambda: os.kill(os.getppid() or 1, 0)))\n")
    policy = sandbox.student_policy(str(own))
    command = sandbox.command_prefix(policy, str(tmp_path / "tmp")) + [sys.executable, "-c", probe]
    out = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=own)
    found = out.stdout.split()
    assert found[:4] == ["denied"] * 4, out.stderr
    assert found[4:7] == ["allowed"] * 3, out.stderr
    if sandbox.abi() >= 6:
        assert found[7] == "denied"


@pytest.mark.skipif(not sandbox.namespace_prefix(), reason="no PID namespaces on this machine")
def test_nothing_a_graded_process_starts_outlives_it(tmp_path):
    marker = "7654329"
    escape = ("import os\npid = os.fork()\nif pid == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
              f"        os.execv('/bin/sleep', ['sleep', '{marker}'])\n    os._exit(0)\nos.waitpid(pid, 0)\n")
    subprocess.run(sandbox.namespace_prefix(network=True) + [sys.executable, "-c", escape], timeout=60, check=True)
    time.sleep(0.5)
    assert processes_ending_with("sleep", marker) == []


@pytest.mark.skipif(not sandbox.namespace_prefix(), reason="no PID namespaces on this machine")
def test_a_graded_process_stopped_mid_run_is_gone_with_all_it_started_when_stop_returns():
    """The time-limit path: :func:`sandbox.stop` returns only once the namespace is empty (no grace period)."""
    marker = f"76{os.getpid():07d}"  # this run's own: a process left by another run is not this one's
    escape = ("import os, time\npid = os.fork()\nif pid == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
              f"        os.execv('/bin/sleep', ['sleep', '{marker}'])\n    os._exit(0)\nos.waitpid(pid, 0)\n"
              "def running():  # the grandchild has exec'd its sleep (not just forked)\n"
              "    for p in os.listdir('/proc'):\n"
              "        try:\n"
              f"            if p.isdigit() and open(f'/proc/{{p}}/cmdline', 'rb').read().endswith(b'{marker}\\0'):\n"
              "                return True\n"
              "        except OSError:\n"
              "            pass\n"
              "while not running():\n    time.sleep(0.05)\n"
              "print('escaped', flush=True)\ntime.sleep(600)\n")
    process = subprocess.Popen(sandbox.namespace_prefix(network=True) + [sys.executable, "-c", escape],
                               stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stdout.readline().strip() == "escaped"
    assert processes_ending_with("sleep", marker)
    sandbox.stop(process)
    assert processes_ending_with("sleep", marker) == []


def test_the_student_side_imports_no_answers():
    """Probes and fixtures of every homework import nothing the sandbox hides (references, checks, mutants)."""
    code = ("import sys\nfrom autograder.pipeline.registry import homeworks, probe_of\n"
            "for hw in homeworks():\n    __import__(f'autograder.{hw}.probes')\n"
            "bad = [m for m in sys.modules if m.startswith('autograder.hw') and m.rsplit('.', 1)[-1] not in "
            "('probes', 'fixtures') and m.count('.') == 2]\nprint(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_judging_is_safe_from_threads():
    """``--jobs N`` judges from several threads; verdicts seed torch and are serialised."""
    results = []
    blob = runner.answer_bytes(CHECK, namespace(CORRECT), {"seed": 2, "nonce": "n"})
    threads = [threading.Thread(target=lambda: results.append(
        judge.verdict(get_check(CHECK), {"seed": 2, "nonce": "n"}, blob).passed)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4
