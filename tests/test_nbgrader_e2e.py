"""The real nbgrader workflow in a temporary course directory, and the CLI agreeing with it.

Submissions: the solution, the untouched release, a syntax error in one cell, an exception in
one cell, an infinite loop in one cell, and the bundled example. Each loses exactly the
problems it breaks; ``python -m autograder grade`` gives the same score per problem.
"""
from __future__ import annotations

import csv
import os

import nbformat
import pytest

from autograder import course as c
from autograder.cli import example_path, grade_notebook
from autograder.hw1_mnist_gan import example
from autograder.registry import checks
from autograder.submissions import answer_sources, fill_release

from .conftest import release_path, solution_path

HW = "hw1_mnist_gan"
TIMEOUT = 40  # seconds per cell: fast-mode cells take a few; the infinite loop is cut here
ALL = {ch.name: ch.points for ch in checks(HW)}


def _with_prefix(cell: str, prefix: str):
    return fill_release(release_path(HW), solution_path(HW), {cell: prefix + answer_sources(solution_path(HW))[cell]})


SUBMISSIONS = {
    # student: (notebook, problems it must lose)
    "solution": (lambda: nbformat.read(str(solution_path(HW)), as_version=4), set()),
    "blank": (lambda: nbformat.read(str(release_path(HW)), as_version=4), set(ALL)),
    "syntax_error": (lambda: fill_release(release_path(HW), solution_path(HW), {
        "p06_optimizers": answer_sources(solution_path(HW))["p06_optimizers"].replace("g_lr):", "g_lr)", 1)}),
        {"test_p06_optimizers"}),
    "raises": (lambda: _with_prefix("p11_save_generator", "raise RuntimeError('a bug in my cell')\n"),
               {"test_p11_save_generator"}),
    "infinite_loop": (lambda: _with_prefix("p10_sample_grid", "while True:\n    pass\n"), {"test_p10_sample_grid"}),
    "example": (lambda: nbformat.read(str(example_path(HW)), as_version=4),
                {"test_p04_generator", "test_p08_discriminator_step", "test_p11_save_generator"}),
}


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    course = c.new_course(tmp_path_factory.mktemp("course"), [HW])
    c.generate(course, HW)
    paths = {}
    for student, (make, _) in SUBMISSIONS.items():
        paths[student] = c.submit(course, HW, student, make())
    # Without GAN_COURSE_FAST: fast mode must switch on by itself under nbgrader (NBGRADER_EXECUTION),
    # or the training cells would run for hours and time out.
    saved = os.environ.pop("GAN_COURSE_FAST", None)
    try:
        c.nbgrader(course, "autograde", HW, "--force", f"--Execute.timeout={TIMEOUT}")
    finally:
        if saved is not None:
            os.environ["GAN_COURSE_FAST"] = saved
    return course, paths


def test_generated_release_is_the_committed_one(graded_course):
    course, _ = graded_course
    fresh = nbformat.read(str(course / "assignments" / HW / f"{HW}.ipynb"), as_version=4)
    committed = nbformat.read(str(release_path(HW)), as_version=4)
    assert fresh == committed, "assignments/ is stale: run `python -m autograder release` and commit"


def test_release_has_no_solutions_or_hidden_tests():
    text = release_path(HW).read_text()
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "autograder.grade", "D(G(noise).detach())"):
        assert marker not in text


def test_bundled_example_is_up_to_date():
    fresh = example.build(release_path(HW), solution_path(HW))
    assert fresh == nbformat.read(str(example_path(HW)), as_version=4), "run `python -m autograder example`"


@pytest.mark.parametrize("student", SUBMISSIONS)
def test_autograde_scores_only_what_works(graded_course, student):
    course, _ = graded_course
    scores = c.scores(course, HW, student)
    lost = {name for name, s in scores.items() if s["auto"] and s["score"] < s["max_score"]}
    assert lost == SUBMISSIONS[student][1]
    got, out_of = c.auto_total(course, HW, student)
    assert out_of == 100
    assert got == 100 - sum(ALL[name] for name in lost)
    if student == "example":
        assert got == example.EXPECTED_AUTO_SCORE


@pytest.mark.parametrize("student", SUBMISSIONS)
def test_cli_agrees_with_nbgrader(graded_course, student):
    course, paths = graded_course
    result = grade_notebook(paths[student], HW, cell_timeout=TIMEOUT)
    nbgrader_scores = c.scores(course, HW, student)
    for grade in result["grades"]:
        name = grade["check"].split("::")[1]
        assert grade["score"] == nbgrader_scores[name]["score"], (name, grade["message"])
    assert result["score"] == c.auto_total(course, HW, student)[0]


def test_feedback_explains_losses_without_revealing_checks(graded_course):
    course, _ = graded_course
    html = c.feedback(course, HW, "example").read_text()
    assert "29×29" in html and "detach" in html and "state_dict" in html
    for secret in ("reference_discriminator_step", "fill_grads", "tiny_discriminator", "expect_close", "def test_p"):
        assert secret not in html


def test_export_lists_every_submission(graded_course):
    course, _ = graded_course
    rows = list(csv.DictReader(c.export(course).open()))
    assert {r["student_id"] for r in rows} >= set(SUBMISSIONS)


def test_solution_runs_top_to_bottom_without_errors_or_warnings(graded_course):
    course, _ = graded_course
    folder = course / "autograded" / "solution" / HW
    nb = nbformat.read(str(folder / f"{HW}.ipynb"), as_version=4)
    problems = [(i, o.get("ename") or o.get("text", "")[:200]) for i, cell in enumerate(nb.cells)
                for o in cell.get("outputs", []) if o.get("output_type") == "error" or o.get("name") == "stderr"]
    assert problems == []
    assert (folder / "generator.pth").is_file()
    report = (folder / "loss_report.txt").read_text()
    assert "mean D loss" in report and "all epochs" in report
    assert sorted(p.name for p in (folder / "runs" / "fast" / "part_c").glob("epoch_*.png")) == [
        "epoch_001.png", "epoch_002.png"]
    outputs = "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []))
    assert "this run:      FID" in outputs and "seed reports:  FID 40.65" in outputs
