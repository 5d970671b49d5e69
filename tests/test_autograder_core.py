"""The autograder's own plumbing: grade() for nbgrader cells, the Student view, the registry, reports."""
from __future__ import annotations

import pytest
import torch

import autograder
from autograder.registry import checks, get_check, points_of
from autograder.report import format_table
from autograder.student import MissingAnswer, Student


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
    with pytest.raises(ValueError, match="points"):
        points_of(lambda: None)
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
