"""The autograder's own plumbing: grade() for nbgrader cells, the Student view, the registry, reports."""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import torch

import autograder
from autograder.pipeline.registry import checks, get_check
from autograder.pipeline.report import format_table
from autograder.pipeline.student import MissingAnswer, Student


def _save_generator_namespace(save_body: str) -> dict:
    ns = {"torch": torch, "nn": torch.nn}
    exec("class Generator(nn.Module):\n"
         "    def __init__(self, z_dim=100):\n"
         "        super().__init__()\n"
         "        self.fc = nn.Linear(z_dim, 784)\n"
         f"def save_generator(G, path='generator.pth'):\n    {save_body}\n", ns)
    return ns


def test_grade_prints_a_tick_on_success(capsys):
    autograder.grade("hw1_mnist_gan::test_p11_save_generator", _save_generator_namespace("torch.save(G.state_dict(), path)"))
    captured = capsys.readouterr()
    assert captured.out.strip() == "✓ Problem 11 · Save the generator's state dict (5 points)"
    assert captured.err == ""


def test_grade_failure_shows_the_message_but_not_the_check(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ns = _save_generator_namespace("torch.save(G.state_dict(), 'generator.pth')")
    with pytest.raises(autograder.GradingFailure) as info:
        autograder.grade("hw1_mnist_gan::test_p11_save_generator", ns)
    message = str(info.value)
    assert message.startswith("✗ Problem 11") and "should write the file at the given path" in message
    assert "expect(" not in message and "def test_p11" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert capsys.readouterr().err == ""


def test_grade_reports_errors_raised_in_student_code():
    ns = _save_generator_namespace("raise ValueError('oops')")
    with pytest.raises(autograder.GradingFailure, match=r"ValueError: oops[\s\S]*Raised in your code") as info:
        autograder.grade("hw1_mnist_gan::test_p11_save_generator", ns)
    assert "site-packages" not in str(info.value) and "autograder" not in str(info.value)


def test_missing_name_is_explained():
    student = Student({}, {"p03_discriminator": "NameError: name 'nn' is not defined"})
    with pytest.raises(MissingAnswer, match=r"does not define `Discriminator`.*p03_discriminator: NameError"):
        student.Discriminator
    assert not student.has("Discriminator")


def test_registry_and_points():
    check = get_check("hw1_mnist_gan::test_p08_discriminator_step")
    assert check.points == 10 and check.problem == "p08" and check.title == "Discriminator step"
    with pytest.raises(KeyError):
        get_check("hw1_mnist_gan::test_p99_nothing")
    assert len(checks("hw1_mnist_gan")) == 11


def test_score_table_ends_with_the_total():
    table = format_table([{"title": "a", "score": 5, "points": 5}, {"title": "b", "score": 0, "points": 10, "message": "why"}])
    assert table.splitlines()[-1] == "Total: 5 / 15" and "why" in table


def test_checks_run_on_the_notebooks_device():
    from autograder.hw1_mnist_gan.reference import device_of, tiny_discriminator

    assert device_of(Student({"device": torch.device("meta")})) == torch.device("meta")
    assert device_of(Student({"device": "cpu"})) == torch.device("cpu")
    assert device_of(Student({})) == torch.device("cpu")
    assert device_of(Student({"device": "not a device"})) == torch.device("cpu")
    on_meta = tiny_discriminator(device="meta")
    assert {p.device.type for p in on_meta.parameters()} == {"meta"}


def test_checks_run_in_a_temporary_directory(tmp_path, monkeypatch):
    """A check whose student code writes into the working directory leaves nothing beside the notebook."""
    monkeypatch.chdir(tmp_path)
    ns = _save_generator_namespace("torch.save(G.state_dict(), 'generator.pth')")
    with pytest.raises(autograder.GradingFailure):
        autograder.grade("hw1_mnist_gan::test_p11_save_generator", ns)
    assert list(tmp_path.iterdir()) == []
    assert Path.cwd() == tmp_path


def test_notebook_failure_shows_no_grader_frame():
    """In a notebook a failing test cell shows the message and the student's frames, not the grader's file."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.reset(new_session=False)
    cell = ("import autograder\n"
            "def make_models(z_dim, device):\n"
            "    raise RuntimeError('boom in my code')\n"
            "autograder.grade('hw1_mnist_gan::test_p05_models_on_device', globals())\n")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = shell.run_cell(cell)
    shown = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
    assert isinstance(result.error_in_exec, autograder.GradingFailure)  # nbgrader still sees an error: 0 points
    assert "GradingFailure: ✗ Problem 05" in shown and "boom in my code" in shown
    assert "grading.py" not in shown and str(Path(autograder.__file__).parent) not in shown


def test_course_repository_is_set_in_one_place(tmp_path):
    from autograder.course import nbgrader_course as course

    assert course.course_repository() == course.PLACEHOLDER_REPOSITORY or "YOUR-ORG" not in course.course_repository()
    for hw in ("hw1_mnist_gan", "hw2_dcgan_cifar10"):
        for folder in ("solutions", "assignments"):
            first = next(c for c in nbformat.read(str(course.REPO / folder / hw / f"{hw}.ipynb"), as_version=4).cells
                         if c.cell_type == "code")
            assert f'COURSE_REPO = "{course.course_repository()}"' in first.source, (
                f"{folder}/{hw}: run `python -m autograder release` after changing course.json")
    copy = tmp_path / "nb.ipynb"
    shutil.copy(course.REPO / "solutions" / "hw1_mnist_gan" / "hw1_mnist_gan.ipynb", copy)
    assert course.stamp_course_repository(copy, "https://example.org/our-course")
    assert not course.stamp_course_repository(copy, "https://example.org/our-course")
    first = next(c for c in nbformat.read(str(copy), as_version=4).cells if c.cell_type == "code")
    assert 'COURSE_REPO = "https://example.org/our-course"' in first.source
    settings = tmp_path / "course.json"
    settings.write_text('{"repository": "not an address"}')
    with pytest.raises(ValueError, match="git address"):
        course.course_repository(settings)


def test_setup_refuses_old_python_and_offers_cpu_wheels(tmp_path):
    setup = Path(autograder.__file__).resolve().parents[1] / "bin" / "setup"
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Python 3.9.18'; exit 0; fi\nexit 1\n")
    old.chmod(0o755)
    run = subprocess.run([str(setup)], env={**os.environ, "PYTHON": str(old)}, capture_output=True, text=True)
    assert run.returncode == 1 and "Python 3.9.18 is too old" in run.stderr and "3.10 or newer" in run.stderr
    cpu = subprocess.run([str(setup), "--cpu", "--print-torch-command"], capture_output=True, text=True)
    assert "torch==2.14.1" in cpu.stdout and "--index-url https://download.pytorch.org/whl/cpu" in cpu.stdout
    default = subprocess.run([str(setup), "--print-torch-command"], capture_output=True, text=True)
    assert "torch==2.14.1" in default.stdout and "--index-url" not in default.stdout


def test_demo_keeps_one_folder_per_homework(tmp_path, monkeypatch):
    """The demo of one homework empties only its own course folder."""
    from autograder import cli

    from autograder.course import nbgrader_course as course
    made = []

    def new_course(root, homeworks):
        root.mkdir(parents=True, exist_ok=True)
        (root / "feedback.html").write_text(homeworks[0])
        made.append(root)
        return root

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(course, "new_course", new_course)
    for name in ("generate", "submit", "autograde", "feedback", "export"):
        monkeypatch.setattr(course, name, lambda *a, **k: tmp_path / "x")
    monkeypatch.setattr(course, "scores", lambda *a: {})
    monkeypatch.setattr(course, "failure_messages", lambda *a: {})
    monkeypatch.setattr(cli, "format_table", lambda rows: "")
    monkeypatch.setattr(Path, "relative_to", lambda self, other: self)
    cli.main(["demo", "--homework", "hw1_mnist_gan"])
    cli.main(["demo", "--homework", "hw2_dcgan_cifar10"])
    assert made[0] != made[1]
    assert (made[0] / "feedback.html").read_text() == "hw1_mnist_gan"
    assert (made[1] / "feedback.html").read_text() == "hw2_dcgan_cifar10"


def _test_cell(*outputs):
    from nbformat.v4 import new_code_cell

    cell = new_code_cell("autograder.grade('hw1_mnist_gan::test_p01_hyperparameters', globals())")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_p01", "points": 5}
    cell.outputs = list(outputs)
    return cell


def test_nbgrader_preprocessors_keep_scores_honest():
    from nbformat.v4 import new_code_cell, new_output
    from nbgrader.utils import determine_grade

    from autograder.integrations.nbgrader_preprocessors import LimitOutputSize, ReturnedValueIsAFailure, StderrIsNotAFailure

    noisy = _test_cell(new_output("stream", name="stderr", text="WARNING: a library talks\n"),
                       new_output("stream", name="stdout", text="✓ Problem 01\n"))
    assert determine_grade(noisy)[0] == 0  # what nbgrader alone would do to a correct answer
    noisy, _ = StderrIsNotAFailure().preprocess_cell(noisy, {}, 0)
    assert determine_grade(noisy)[0] == 5

    tampered = _test_cell(new_output("execute_result", data={"text/plain": "-1"}, execution_count=1))
    tampered, _ = ReturnedValueIsAFailure().preprocess_cell(tampered, {}, 0)
    assert determine_grade(tampered)[0] == 0 and tampered.outputs[-1].ename == "GradingTampered"
    honest, _ = ReturnedValueIsAFailure().preprocess_cell(_test_cell(), {}, 0)
    assert honest.outputs == []

    huge = new_code_cell("print('x' * 10**6)")
    huge.outputs = [new_output("stream", name="stdout", text="x" * 10**6)]
    huge, _ = LimitOutputSize(max_chars=1000).preprocess_cell(huge, {}, 0)
    assert len(huge.outputs[0].text) < 1100 and "output truncated" in huge.outputs[0].text


def test_nbgrader_config_has_no_unknown_options(tmp_path):
    from autograder.course import nbgrader_course as course

    run = course.nbgrader(course.new_course(tmp_path, ["hw1_mnist_gan"]), "db", "assignment", "list")
    assert "WARNING" not in run.stderr and "not recognized" not in run.stderr, run.stderr[-500:]


def test_feedback_names_files_relative_to_the_course_and_the_packages():
    """A traceback through the course library or PyTorch shows no folder of the grading machine."""
    import sysconfig

    from nbformat.v4 import new_code_cell, new_output

    from autograder.integrations.nbgrader_preprocessors import GraderPathsRelative
    from autograder.integrity.sandbox import REPO

    site = sysconfig.get_paths()["purelib"]
    cell = new_code_cell("check()", outputs=[
        new_output("error", ename="AssertionError", evalue=f"see {REPO}/shared/sanity.py",
                   traceback=[f"File \x1b[0;32m{REPO}/shared/sanity.py:42\x1b[0m, in expect_shape",
                              f"File {site}/torch/nn/modules/module.py:1751, in _call_impl"]),
        new_output("stream", name="stdout", text=f"loaded {REPO}/shared/data/mnist.py\n")])
    cell, _ = GraderPathsRelative().preprocess_cell(cell, {}, 0)
    text = str(cell.outputs)
    assert str(REPO) not in text and site not in text
    assert "shared/sanity.py:42" in text and "torch/nn/modules/module.py:1751" in text
    assert cell.outputs[1].text == "loaded shared/data/mnist.py\n"


def test_pytest_without_a_notebook_says_what_to_pass(tmp_path):
    """The checks run as pytest tests need the notebook; without one, pytest says how to pass it instead of
    printing a table of zeros."""
    import sys

    run = subprocess.run([sys.executable, "-m", "pytest", "--pyargs", "autograder.hw1_mnist_gan", "-q",
                          "-p", "no:cacheprovider"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert "No notebook was graded" in run.stdout and "--notebook" in run.stdout, run.stdout[-2000:]
    assert "Total" not in run.stdout
    from autograder.pipeline.registry import checks

    # every check is collected from checks/pNN_*.py (named as checks, not test files), and skipped without a notebook
    assert f"{len(checks('hw1_mnist_gan'))} skipped" in run.stdout, run.stdout[-2000:]


def test_the_command_line_starts_without_torch_or_nbformat():
    """``python -m autograder --help`` answers at once: the grading pipeline is imported by the commands that
    grade, not at start."""
    import sys

    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "autograder", "--help"], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0 and "grade" in run.stdout
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert not {"torch", "nbformat", "nbgrader"} & imported, sorted({"torch", "nbformat", "nbgrader"} & imported)


def test_check_names_read_without_importing_match_the_registry():
    """A grading asks about the checks' names before importing them (the notebook starts first): the same list."""
    from autograder.pipeline.registry import check_names, checks, homeworks

    for hw in homeworks():
        assert check_names(hw) == [c.name for c in checks(hw)]
