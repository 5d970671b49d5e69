"""Checks run in fresh processes on a notebook's hand-off: what a hostile answer can and cannot do.

Each case hands HW1's "save the generator" problem a namespace built from source text, as a notebook
would (functions and classes defined in ``__main__``, so they travel by value), and runs the check
in a fresh process. The sandbox cases run where the machine has Landlock.
"""
from __future__ import annotations

import builtins
import os
import subprocess
import sys

import pytest
import torch

import autograder
from autograder import handoff, sandbox, tamper
from autograder.isolation import CheckProcess

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


def namespace(body: str, extra: str = "") -> dict:
    ns = {"__name__": "__main__"}
    exec(GENERATOR + extra + f"def save_generator(G, path='generator.pth'):\n    {body}\n", ns)
    return ns


@pytest.fixture(scope="module")
def checks():
    with CheckProcess("hw1_mnist_gan") as process:
        yield process


@pytest.fixture
def grade(checks, tmp_path):
    def run(ns: dict, timeout: float = 60):
        path = tmp_path / "answers.handoff"
        handoff.write(ns, path)
        return checks.run(CHECK, path, timeout=timeout)
    return run


CORRECT = "torch.save(G.state_dict(), path)"


def test_a_correct_answer_passes_unflagged_and_a_wrong_one_fails(grade):
    result = grade(namespace(CORRECT))
    assert result.passed and result.review == []
    result = grade(namespace("torch.save(G, path)"))
    assert not result.passed and "state dict" in result.message


def test_the_graders_own_code_is_refused(grade, tmp_path):
    ns = namespace(CORRECT, extra="from autograder.hw1_mnist_gan.reference import reference_discriminator_step\n")
    ns["save_generator"] = ns["reference_discriminator_step"]
    handoff.write(ns, tmp_path / "a.handoff")
    received = handoff.read(tmp_path / "a.handoff")
    assert "save_generator" in received.refused and "save_generator" not in received.namespace
    result = grade(ns)
    assert not result.passed and any("reference_discriminator_step" in r for r in result.review)


def test_a_pickle_that_runs_a_command_is_refused(grade, tmp_path):
    marker = tmp_path / "pwned"
    extra = f"class Payload:\n    def __reduce__(self):\n        return (os.system, ('touch {marker}',))\npayload = Payload()\n"
    result = grade(namespace(CORRECT + "\n    payload", extra=extra))
    assert not result.passed and any("while being loaded" in r for r in result.review)
    assert not marker.exists()


def test_patches_made_in_the_notebook_do_not_reach_the_check_and_are_reported(grade):
    original = torch.allclose
    torch.allclose = lambda *args, **kwargs: True
    try:
        result = grade(namespace(CORRECT))
    finally:
        torch.allclose = original
    assert result.passed
    assert any("the notebook replaced torch.allclose" in r for r in result.review)


def test_a_patch_made_while_the_check_runs_voids_it(grade):
    result = grade(namespace("torch.allclose = lambda *a, **k: True\n    " + CORRECT))
    assert not result.passed and any("torch.allclose" in r for r in result.review)


@pytest.mark.parametrize("action,reason", [
    ("os.system('true')", "start a program"),
    ("__import__('subprocess').run(['true'])", "start a program"),
    ("os.kill(os.getppid(), 0)", "signal a process"),
    ("__import__('gc').get_objects()", "search the grader's memory"),
    ("sys.settrace(None)", "trace the grader"),
    ("__import__('autograder.hw1_mnist_gan.reference')", "autograder"),
], ids=["system", "subprocess", "kill", "gc", "settrace", "import-reference"])
def test_what_an_answer_never_does_voids_the_check(grade, action, reason):
    result = grade(namespace(f"try:\n        {action}\n    except Exception:\n        pass\n    " + CORRECT))
    assert not result.passed and any(reason in r for r in result.review), result.review


def test_writing_outside_the_scratch_folder_is_refused(grade, tmp_path):
    target = tmp_path / "outside.txt"
    result = grade(namespace(f"try:\n        open({str(target)!r}, 'w').write('x')\n    except Exception:\n"
                             f"        pass\n    {CORRECT}"))
    assert not result.passed and any("outside its scratch folder" in r for r in result.review)
    assert not target.exists()


def test_hangs_and_exits_score_zero_and_the_process_goes_on(grade):
    result = grade(namespace("while True:\n        pass"), timeout=3)
    assert not result.passed and "stopped after 3 s" in result.message
    result = grade(namespace("os._exit(0)"))
    assert not result.passed and any("os._exit" in r for r in result.review)
    result = grade(namespace("os.abort()"))
    assert not result.passed and "did not end normally" in " ".join(result.review)
    assert grade(namespace(CORRECT)).passed


@pytest.mark.parametrize("then", ["", "\n    os._exit(0)", "\n    __import__('ctypes').CDLL(None)._exit(0)",
                                  "\n    __import__('ctypes').pythonapi._exit(0)"],
                         ids=["return", "os-exit", "ctypes-exit", "pythonapi-exit"])
def test_a_forged_result_is_not_a_pass(grade, then):
    forge = ("for fd in range(0, 1024):\n        try:\n            os.write(fd, b'{\"passed\": true, \"message\": \"\"}\\n')\n"
             "        except OSError:\n            pass" + then)
    result = grade(namespace(forge))
    assert not result.passed and result.review


def test_grade_in_a_notebook_runs_the_check_in_a_fresh_process(capsys):
    autograder.grade(CHECK, namespace(CORRECT))
    assert capsys.readouterr().out.startswith("✓ Problem 11")
    with pytest.raises(autograder.GradingFailure, match="state dict"):
        autograder.grade(CHECK, namespace("torch.save(G, path)"))


def test_fingerprints_see_replacements_but_not_torchs_own_wrappers():
    import importlib

    before = tamper.fingerprint()
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])  # torch wraps Adam.step on first use
    importlib.import_module("torch._dynamo")  # wraps torch.manual_seed
    assert tamper.changes(before, tamper.fingerprint()) == []
    allclose, isinstance_ = torch.allclose, builtins.isinstance
    torch.allclose, builtins.isinstance = (lambda *a, **k: True), (lambda *a: True)
    try:
        changed = tamper.changes(before, tamper.fingerprint())
    finally:
        torch.allclose, builtins.isinstance = allclose, isinstance_
    assert "torch.allclose" in changed and "builtins.isinstance" in changed


def test_names_that_cannot_be_handed_over_are_explained(tmp_path):
    ns = namespace(CORRECT)
    ns["log"] = open(tmp_path / "log.txt", "w")
    assert handoff.write(ns, tmp_path / "a.handoff") == ["log"]
    from autograder.student import MissingAnswer, Student

    received = handoff.read(tmp_path / "a.handoff")
    with pytest.raises(MissingAnswer, match="could not be handed to the grader"):
        Student(received.namespace, unavailable=received.unavailable).log
    ns["log"].close()


@pytest.mark.skipif(not sandbox.available(), reason="this machine's kernel has no Landlock")
def test_the_sandbox_keeps_student_code_to_its_own_folder(tmp_path):
    secret, own = tmp_path / "course" / "gradebook.db", tmp_path / "work"
    secret.parent.mkdir()
    secret.write_text("grades")
    own.mkdir()
    probe = (
        "import os\n"
        "def attempt(action):\n"
        "    try:\n        action()\n        return 'allowed'\n    except OSError:\n        return 'denied'\n"
        f"print(attempt(lambda: open({str(secret)!r}).read()), attempt(lambda: open({str(secret)!r}, 'a').close()),\n"
        f"      attempt(lambda: open({str(own / 'out.txt')!r}, 'w').close()),\n"
        f"      attempt(lambda: open({os.path.join(os.path.dirname(autograder.__file__), 'hw1_mnist_gan', 'reference.py')!r}).read()),\n"
        "      attempt(lambda: os.kill(os.getppid(), 0)), attempt(lambda: __import__('torch')))\n")
    policy = sandbox.student_policy(str(own), course_root=str(secret.parent))
    command = sandbox.command_prefix(policy, str(tmp_path / "tmp")) + [sys.executable, "-c", probe]
    out = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=own)
    read_secret, write_secret, write_own, read_checks, signal, torch_import = out.stdout.split()
    assert (read_secret, write_secret, read_checks) == ("denied", "denied", "denied"), out.stderr
    assert (write_own, torch_import) == ("allowed", "allowed"), out.stderr
    if sandbox.abi() >= 6:
        assert signal == "denied"


def test_homework_3_cannot_reach_the_hw2_references_its_checks_reuse(tmp_path):
    """HW3's checks import HW2's checks and references (the same penalty): the child still hides them."""
    ns = {"__name__": "__main__"}
    exec("import sys, importlib, torch\n"
         "def gradient_penalty(critic, real, fake):\n"
         "    ref = sys.modules.get('autograder.hw2_dcgan_cifar10.reference')\n"
         "    if ref is None:\n"
         "        ref = importlib.import_module('autograder.hw2_dcgan_cifar10.reference')\n"
         "    return ref.gradient_penalty(critic, real, fake)\n", ns)
    handoff.write(ns, tmp_path / "hw3.handoff")
    with CheckProcess("hw3_acgan_wgan") as process:
        result = process.run("hw3_acgan_wgan::test_p10_gradient_penalty", tmp_path / "hw3.handoff", timeout=60)
    assert not result.passed
    # The sandbox makes the grader's files unreadable; without it the audit hook refuses the import and flags it.
    refused = any("imported the grader's module autograder.hw2_dcgan_cifar10" in r for r in result.review)
    assert refused or (sandbox.available() and "Permission denied" in result.message), (result.message, result.review)
