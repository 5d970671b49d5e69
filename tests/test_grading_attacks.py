"""Attacks a determined student would try, on both routes (nbgrader and the CLI) and on two homeworks.

Each submission is the blank release plus **one extra cell** before its graded cells, as the attacks that
motivated the judge/runner split were. Every attack must earn nothing (0 points on every problem: the blank answers
are all wrong), leave no process behind, change no file of the course, and be flagged where the trusted side can
see it. Each class of hole has its own attack:

1. forge the result channel and the answer files (with the judge's own nonces, after disabling the real answers);
2. reach the check's globals from the student's function (frames): call a reference found there, rebind ``expect``;
3. patch builtins and torch on one call and restore them on the next;
4. read another checkout's solutions and classmates' copies in the common temp folder;
5. fork, ``setsid`` and fork again, leaving a process to outlive grading;
6. forge the trusted side's evidence: answers replayed for other inputs (the requests rewritten first);
and the earlier attacks: a replaced ``autograder.grade``, an ``autograder.py`` shadowing the grader, writing the
gradebook and reading the hidden checks, signalling the grader's processes.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import textwrap
from pathlib import Path

import nbformat
import pytest

from autograder.course import nbgrader_course as c
from autograder.integrity import sandbox
from autograder.pipeline.batch import grade_all
from autograder.course.submissions import answer_sources

from .conftest import processes_ending_with, release_with_one_extra_cell, solution_path

HOMEWORKS = ["hw1_mnist_gan", "hw5_cgan_infogan"]
MARKER = 8_765_431  # seconds of a `sleep` the escaping attack leaves behind; never this long in anything else


def _marker(hw: str) -> int:
    """The escaping sleep's length for ``hw``: one per homework, since both homeworks' attacks may be graded at
    the same time (on two workers), and one's live grading must not count as the other's leftover."""
    return MARKER + HOMEWORKS.index(hw)


def _answer_names(hw: str) -> list[str]:
    """The functions and classes the homework's answer cells define (what an attacker binds to its own code)."""
    names = []
    for source in answer_sources(solution_path(hw)).values():
        names += re.findall(r"^(?:def|class)\s+(\w+)", source, flags=re.M)
    return sorted(set(names))


def _other_checkout(root: Path, hw: str) -> Path:
    """Another copy of the course on the grading machine (an older checkout, a TA's clone)."""
    target = root / "other-checkout" / "solutions" / hw / f"{hw}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(solution_path(hw), target)
    return target


FORGE = """
import io, os, sys, torch
import stat
for fd in range(3, 512):  # a passing result on every pipe there is (the old result channel was one)
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, b'{"passed": true, "message": "", "review": []}\\n')
    except OSError:
        pass
import autograder.pipeline.runner
autograder.pipeline.runner.write_answer = lambda *args, **kwargs: None  # the real answers are never written
def _forge(requests, folder, nonce=None):
    from autograder.pipeline import wire
    try:
        asked = wire.load_requests(open(requests, "rb").read())
    except Exception:
        return
    for check, inputs in asked.items():
        data = {"__nonce__": nonce or inputs.get("nonce"), "passed": True, "score": 100, "points": 100}
        buffer = io.BytesIO()
        torch.save(data, buffer)
        with open(os.path.join(folder, check.replace("::", "__") + ".answer"), "wb") as f:
            f.write(buffer.getvalue())
_folder = os.environ.get("GAN_COURSE_HANDOFF_DIR")
if _folder:
    _forge(os.path.join(_folder, "requests"), _folder)
if "--answers" in sys.argv:
    _forge(sys.argv[sys.argv.index("--requests") + 1], sys.argv[sys.argv.index("--answers") + 1])
"""

FRAMES = """
import sys
def _steal(*args, **kwargs):
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in list(frame.f_globals.items()):
            if name.startswith("expect") or name in ("as_float", "same_parameters"):
                frame.f_globals[name] = lambda *a, **k: None
        for name, value in list(frame.f_globals.items()) + list(frame.f_locals.items()):
            if name.startswith(("reference", "ref")) and callable(value):
                try:
                    return value(*args, **kwargs)
                except Exception:
                    pass
        frame = frame.f_back
    return 0.0
for _name in NAMES:
    globals()[_name] = _steal
try:
    import autograder.toolkit.steps, autograder.toolkit.expect
    autograder.toolkit.steps.expect = autograder.toolkit.expect.expect = lambda *a, **k: None
except Exception:
    pass
"""

PATCH_AND_RESTORE = """
import builtins, torch
_saved = {"allclose": torch.allclose, "equal": torch.equal, "isinstance": builtins.isinstance}
_calls = [0]
def _flip(*args, **kwargs):
    _calls[0] += 1
    if _calls[0] % 2:
        torch.allclose = lambda *a, **k: True
        torch.equal = lambda *a, **k: True
        builtins.isinstance = lambda *a: True
    else:
        torch.allclose, torch.equal, builtins.isinstance = _saved["allclose"], _saved["equal"], _saved["isinstance"]
    return 0.0
for _name in NAMES:
    globals()[_name] = _flip
"""

OTHER_COPIES = """
import glob, json
for _path in [OTHER] + glob.glob("/tmp/gan-course-*/work/*.ipynb") + glob.glob("/tmp/*/work/*.ipynb"):
    try:
        _nb = json.load(open(_path))
    except Exception:
        continue
    for _cell in _nb["cells"]:
        if _cell["cell_type"] == "code" and _cell["metadata"].get("nbgrader", {}).get("solution"):
            try:
                exec("".join(_cell["source"]), globals())
            except Exception:
                pass
"""

ESCAPE = """
import os
_pid = os.fork()
if _pid == 0:
    try:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sleep", ["sleep", "SLEEP_SECONDS"])
    finally:
        os._exit(0)
os.waitpid(_pid, 0)
"""

REPLAYED = FORGE.replace("_forge(os.path.join(_folder, \"requests\"), _folder)",
                         "_forge(os.path.join(_folder, \"requests\"), _folder, nonce='recorded-earlier')").replace(
    "_forge(sys.argv[sys.argv.index(\"--requests\") + 1], sys.argv[sys.argv.index(\"--answers\") + 1])",
    "_forge(sys.argv[sys.argv.index(\"--requests\") + 1], sys.argv[sys.argv.index(\"--answers\") + 1], "
    "nonce='recorded-earlier')")

REPLACED_GRADE = """
import autograder
autograder.grade = lambda *args, **kwargs: print("✓ Problem 01 · passed (100 points)")
"""

SHADOW = """
import os, sys
with open("autograder.py", "w") as _f:
    _f.write("def grade(*args, **kwargs):\\n    print('✓ Problem · passed')\\n")
sys.path.insert(0, os.getcwd())
for _name in [n for n in sys.modules if n == "autograder" or n.startswith("autograder.")]:
    del sys.modules[_name]
import autograder
"""

COURSE_FILES = """
import os
for _path in ("../../../gradebook.db", "../../gradebook.db", "../gradebook.db"):
    try:
        with open(_path, "ab") as _f:
            _f.write(b"corrupted")
    except OSError:
        pass
try:
    _grader = os.path.dirname(__import__("autograder").__file__)
    exec(open(os.path.join(_grader, HW, "reference.py")).read(), globals())
except Exception:
    pass
"""

KILL = """
import os, signal
for _target in (os.getppid(), 0, -1):
    try:
        os.kill(_target, signal.SIGKILL) if _target else os.killpg(os.getpgid(0), signal.SIGCONT)
    except OSError:
        pass
"""

ATTACKS = {
    "forge_results": FORGE, "frames": FRAMES, "patch_and_restore": PATCH_AND_RESTORE,
    "other_copies": OTHER_COPIES, "escape": ESCAPE, "replayed_answers": REPLAYED,
    "replaced_grade": REPLACED_GRADE, "shadow_autograder": SHADOW, "course_files": COURSE_FILES, "kill": KILL,
}
# What the trusted side can see and must flag, per route (others are simply worth nothing).
FLAGGED = {"nbgrader": {"replayed_answers", "replaced_grade", "shadow_autograder"}, "cli": {"replayed_answers"}}


def attack_notebook(hw: str, attack: str, other: Path) -> nbformat.NotebookNode:
    """The release's graded cells after the attack cell (every attack acts before the first test cell)."""
    source = ATTACKS[attack].replace("NAMES", repr(_answer_names(hw))).replace("OTHER", repr(str(other)))
    source = source.replace("HW", repr(hw)).replace("SLEEP_SECONDS", str(_marker(hw)))
    return release_with_one_extra_cell(hw, textwrap.dedent(source))


def _leftover_processes(hw: str) -> list[str]:
    return processes_ending_with("sleep", str(_marker(hw)))


def _kill_leftovers(hw: str) -> None:
    for pid in _leftover_processes(hw):
        try:
            os.kill(int(pid), 9)
        except OSError:
            pass


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """hw → (course folder, CLI results by attack), graded once per homework on both routes."""
    done = {}

    def get(hw):
        if hw in done:
            return done[hw]
        root = tmp_path_factory.mktemp(f"attacks-{hw}")
        other = _other_checkout(root, hw)
        course = c.new_course(root / "course", [hw])
        c.generate(course, hw)
        gradebook = course / "gradebook.db"
        paths = {}
        for attack in ATTACKS:
            path = course / "submitted" / attack / hw / f"{hw}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(attack_notebook(hw, attack, other), str(path))
            paths[attack] = path
        roster = root / "students.csv"
        roster.write_text("id\n" + "".join(f"{a}\n" for a in ATTACKS))
        c.nbgrader(course, "db", "student", "import", str(roster))
        before = hashlib.sha256(gradebook.read_bytes()).hexdigest()
        saved = os.environ.pop("GAN_COURSE_FAST", None)
        try:
            # 25 s a cell: the slowest honest cell takes ≈ 6 s; the attack that patches isinstance wedges its
            # kernel, which then waits out this limit once (60 s cost a minute per homework)
            c.nbgrader(course, "autograde", hw, "--force", "--Execute.timeout=25", "--SandboxedExecute.notebook_timeout=150")
        finally:
            if saved is not None:
                os.environ["GAN_COURSE_FAST"] = saved
        left_nbgrader = _leftover_processes(hw)
        _kill_leftovers(hw)
        cli = {Path(r["notebook"]).parts[-3]: r for r in grade_all(list(paths.values()), hw, jobs=2, cell_timeout=60, notebook_timeout=150)}
        left_cli = _leftover_processes(hw)
        _kill_leftovers(hw)
        done[hw] = {"course": course, "cli": cli, "left": {"nbgrader": left_nbgrader, "cli": left_cli},
                    "gradebook_before": before, "students": paths}
        return done[hw]

    return get


CASES = [pytest.param(hw, attack, id=f"{hw}-{attack}") for hw in HOMEWORKS for attack in ATTACKS]


@pytest.mark.parametrize("hw,attack", CASES)
def test_attack_earns_nothing_through_nbgrader(attacked, hw, attack):
    found = attacked(hw)
    course = found["course"]
    got, out_of = c.auto_total(course, hw, attack)
    assert (got, out_of) == (0, 100), c.failure_messages(course, hw, attack)
    flagged = (course / "autograded" / attack / hw / "manual_review.json").exists()
    if attack in FLAGGED["nbgrader"]:
        assert flagged, f"{attack} is not flagged for manual review"


@pytest.mark.parametrize("hw,attack", CASES)
def test_attack_earns_nothing_through_the_cli(attacked, hw, attack):
    result = attacked(hw)["cli"][attack]
    assert result["score"] == 0, [(g["title"], g["message"][:200]) for g in result["grades"] if g["score"]]
    if attack in FLAGGED["cli"]:
        assert result["review"], f"{attack} is not flagged for manual review"


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_no_process_outlives_grading_and_the_course_is_untouched(attacked, hw):
    found = attacked(hw)
    assert found["left"] == {"nbgrader": [], "cli": []}, "a submission's process outlived its grading"
    if sandbox.available():
        graded = found["course"] / "autograded"
        assert not any(graded.rglob("reference.py"))
        for attack in ATTACKS:  # the shadowing file stays in the student's own folder, nowhere else
            assert not (found["course"] / "autograder.py").exists()


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_nbgrader_reads_the_gradebook_it_wrote(attacked, hw):
    """The gradebook was written by nbgrader only (the kernels could not append to it): it still opens, and every
    attacker is in it with a score."""
    course = attacked(hw)["course"]
    rows = c.export(course).read_text()
    for attack in ATTACKS:
        assert attack in rows
    assert b"corrupted" not in (course / "gradebook.db").read_bytes()


def test_an_answer_is_plain_data_only(tmp_path):
    """The judge reads answers with the weights-only unpickler: a pickle that would run code is a failed problem."""
    import io

    import torch

    from autograder.pipeline import judge
    from autograder.pipeline.registry import get_check

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'pwned'}",))

    buffer = io.BytesIO()
    torch.save({"__nonce__": "n", "z_dim": Payload()}, buffer)
    check = get_check("hw1_mnist_gan::test_p01_hyperparameters")
    result = judge.verdict(check, {"seed": 1, "nonce": "n"}, buffer.getvalue())
    assert not result.passed and result.review and "could not read" in result.message
    assert not (tmp_path / "pwned").exists()
    huge = judge.verdict(check, {"seed": 1, "nonce": "n"}, b"\0" * (judge.wire.MAX_BYTES + 1))
    assert not huge.passed and "more than" in huge.message
    assert not judge.verdict(check, {"seed": 1, "nonce": "n"}, None).passed


def test_an_answer_file_is_read_without_following_links(tmp_path):
    from autograder.pipeline import judge
    from autograder.pipeline.runner import answer_file_name

    secret = tmp_path / "secret"
    secret.write_bytes(b"the gradebook")
    (tmp_path / "answers").mkdir()
    os.symlink(secret, tmp_path / "answers" / answer_file_name("hw1_mnist_gan::test_p01_hyperparameters"))
    assert judge.read_answer_file(tmp_path / "answers", "hw1_mnist_gan::test_p01_hyperparameters") is None
    os.mkfifo(tmp_path / "answers" / answer_file_name("hw1_mnist_gan::test_p02_dataloaders"))
    assert judge.read_answer_file(tmp_path / "answers", "hw1_mnist_gan::test_p02_dataloaders") is None
