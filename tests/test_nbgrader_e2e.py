"""The real nbgrader workflow in a temporary course directory, and the CLI agreeing with it.

For every homework: the solution (full marks), the untouched release (no marks, no crash) and the
bundled example (partial marks, each loss explained). HW1 adds a correct notebook full of noise with a syntax
error, an exception and an infinite loop in three cells (each loses exactly the problem it breaks, the noise
nothing); HW2, whose fast-mode notebook costs more, keeps to the three essential submissions.
``python -m autograder grade`` gives the same score per problem.
"""
from __future__ import annotations

import contextlib
import csv
import importlib
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Callable

import nbformat
import pytest

from autograder.course import nbgrader_course as c
from autograder.course.examples import example_path
from autograder.cli import main as cli_main
from autograder.pipeline.manifest import manifest
from autograder.pipeline.registry import checks
from autograder.integrity.sandbox import REPO
from autograder.course.submissions import answer_sources, fill_release

from . import hostile_output as hostile
from .conftest import release_path, solution_path



def _solution(hw):
    return lambda: nbformat.read(str(solution_path(hw)), as_version=4)


def _blank(hw):
    return lambda: nbformat.read(str(release_path(hw)), as_version=4)


def _example(hw):
    return lambda: nbformat.read(str(example_path(hw)), as_version=4)


NOISY_AND_BROKEN_LOSSES = {"test_p07_inputs_on_device", "test_p09_generator_step", "test_p10_sample_grid"}


def _noisy_and_broken(hw):
    """The solution with what must not cost a correct answer anything, and three broken cells.

    Noise (P01, P06, P11, which must keep their points): stderr from a background thread, from logging and from
    sys.__stderr__ while the checks run, a deleted hidden test cell, one enormous line, and helpers no pickle could
    carry (a lock, an open log file the answer writes to, a live generator). Broken (each loses
    exactly its own problem, and the rest of the notebook still runs): a syntax error (P09), an exception (P07)
    and an infinite loop cut by the per-cell time limit (P10). One notebook for both, so the time limit is waited
    out once per route rather than paying a second notebook's run.

    Hostile output (tests/hostile_output.py), which must cost nothing and never run or pass for the grader's
    words: P01 shows scripts, event handlers, SVG, iframes and JavaScript outputs and prints lines that imitate
    the grader's with terminal escapes; a Markdown cell carries the same HTML; P07's function raises both when the
    grader calls it, and the grader quotes the error back."""
    def make():
        answers = answer_sources(solution_path(hw))
        nb = fill_release(release_path(hw), solution_path(hw), {
            "p01_hyperparameters": answers["p01_hyperparameters"] + (
                "\nimport sys, threading, time\n"
                "threading.Thread(target=lambda: [print('tick', file=sys.stderr) or time.sleep(0.2) for _ in range(3000)],"
                " daemon=True).start()\n"
                "print('x' * 2_000_000)\n") + hostile.display_cell_source(),
            "p06_optimizers": (
                "import threading\n_lock = threading.Lock()\n_log = open('optimisers.log', 'a')\n"
                "_counter = (i for i in range(10**6))\n" + answers["p06_optimizers"].replace(
                    '"""Return (d_optimizer, g_optimizer)."""',
                    '"""Return (d_optimizer, g_optimizer)."""\n    import logging\n    logging.warning("making optimisers")'
                    '\n    with _lock:\n        _log.write(f"optimisers {next(_counter)}\\n")\n        _log.flush()')),
            "p11_save_generator": answers["p11_save_generator"].replace(
                "torch.save(G.state_dict(), path)",
                "print('saving', file=__import__('sys').__stderr__)\n    torch.save(G.state_dict(), path)"),
            "p07_inputs_on_device": answers["p07_inputs_on_device"] + (
                "\n\ndef sample_noise(batch_size, z_dim, device):\n"
                f"    raise RuntimeError({'a bug in my code' + chr(10) + hostile.FORGED + hostile.HTML_PAYLOADS[1]!r})\n\n"
                "raise RuntimeError('a bug in my cell')\n"),
            "p09_generator_step": answers["p09_generator_step"].replace("noise):", "noise)", 1),
            "p10_sample_grid": "while True:\n    pass\n" + answers["p10_sample_grid"],
        })
        nb.cells = [cell for cell in nb.cells
                    if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "test_p11_save_generator"]
        nb.cells.insert(1, nbformat.v4.new_markdown_cell(hostile.MARKDOWN_PAYLOAD))
        return nb
    return make


def _example_module(hw):
    return importlib.import_module(f"autograder.{hw}.example")


def _example_losses(hw) -> set[str]:
    mutants = importlib.import_module(f"autograder.{hw}.mutants").MUTANTS
    return {m.caught_by for m in mutants if m.name in _example_module(hw).WRONG}


@dataclass
class Case:
    """What one homework's end-to-end run submits and what it expects to see."""

    submissions: dict[str, tuple[Callable, set[str] | None]]  # student: (notebook, problems lost; None = all)
    cli_students: tuple[str, ...]  # graded again through the CLI (each costs a notebook run)
    feedback_words: tuple[str, ...]  # the example's feedback explains its losses with these
    secrets: tuple[str, ...]  # check internals that must never reach feedback
    release_secrets: tuple[str, ...]  # solution code that must not be in the release
    timeout: int = 40  # seconds per cell: above the slowest fast-mode cell; the infinite loop is cut here
    solution_files: tuple[str, ...] = ()  # files the solution's run must write (relative to its folder)
    solution_outputs: tuple[str, ...] = ()  # text the solution's run must print
    extra: dict = field(default_factory=dict)


HW1, HW2, HW3, HW4, HW5 = "hw1_mnist_gan", "hw2_dcgan_cifar10", "hw3_acgan_wgan", "hw4_vae_gan", "hw5_cgan_infogan"
CASES = {
    HW1: Case(
        submissions={
            "solution": (_solution(HW1), set()),
            "blank": (_blank(HW1), None),
            "example": (_example(HW1), _example_losses(HW1)),
            # Noise that must cost nothing and three broken cells that must cost exactly their own problems.
            "noisy_and_broken": (_noisy_and_broken(HW1), NOISY_AND_BROKEN_LOSSES),
        },
        # "noisy_and_broken" is the solution plus noise and three broken cells: the CLI gives its eight sound
        # problems full marks and the broken three none, as nbgrader does. (Attacks: test_grading_attacks.py.)
        cli_students=("blank", "noisy_and_broken", "example"),
        timeout=15,  # the slowest graded fast-mode cell (Part C's training) takes ≈ 5 s; the infinite loop is cut here (twice)
        feedback_words=("29×29", "detach", "state_dict"),
        secrets=("reference_discriminator_step", "fill_grads", "tiny_discriminator", "expect_close", "def test_p"),
        release_secrets=("D(G(noise).detach())",),
        solution_files=("generator.pth", "runs/fast/part_c/epoch_001.png", "runs/fast/part_c/epoch_002.png"),
        solution_outputs=("this run:      FID", "reference:     FID 40.65"),
    ),
    HW2: Case(
        submissions={
            "solution": (_solution(HW2), set()),
            "blank": (_blank(HW2), None),
            "example": (_example(HW2), _example_losses(HW2)),
        },
        cli_students=(),  # the CLI route is the same code for every homework: HW1, HW3 and HW4 cover it (HW2's costs ≈ 80 s)
        timeout=60,  # half nbgrader_config.py's 120 s: the slowest fast-mode cell (the sweep's training) is ≈ 11 s
        feedback_words=(),  # filled from the example module below
        secrets=("def test_p", "expect_close", "reference.py"),
        release_secrets=("x_hat = (eps * real", "self.label_embedding(labels).view(len(labels), 1, 32, 32)"),
        solution_files=("runs/fast/part_a_baseline/epoch_001.png", "runs/fast/part_d_cgan/epoch_001.png",
                        "runs/fast/part_e_wgan_gp/epoch_001.png", "runs/fast/part_b/results/nz_50.pt"),
        # Graded in fast mode: FID/KID/IS and the t-SNE are left out, and say so.
        solution_outputs=("reference:    FID 54.68", "reference:    FID 72.94", "| nz 50 |", "| G ReLU / D Tanh |",
                          "compare with IS only", "this run:     FID/KID/IS not computed: left out while grading",
                          "t-SNE of Inception features not computed"),
    ),
    HW3: Case(
        submissions={
            "solution": (_solution(HW3), set()),
            "blank": (_blank(HW3), None),
            "example": (_example(HW3), _example_losses(HW3)),
        },
        cli_students=("example",),
        timeout=60,  # half nbgrader_config.py's 120 s: the slowest fast-mode cell (FID/KID of three generators) is ≈ 6 s
        feedback_words=(),  # filled from the example module below
        secrets=("def test_p", "expect_close", "reference.py", "WatchedCritic", "SWAPS", "reference_wgan_step"),
        release_secrets=("torch.optim.RMSprop(critic.parameters(), lr=lr)", "return self.source(h), self.classes(h)",
                         "correct.view(n_classes, n_per_class)", "c_loss = c_loss + lambda_gp * gp"),
        solution_files=("runs/fast/part_b_acgan/epoch_001.png", "runs/fast/part_b_acgan/class_accuracy.png",
                        "runs/fast/part_c_wgan_clip/epoch_001.png", "runs/fast/part_d_wgan_gp/epoch_001.png",
                        "runs/fast/part_d_weights.png", "runs/fast/part_d_comparison.png"),
        solution_outputs=("accuracy of the class head on generated digits", "share of the clipped critic's weights",
                          "WGAN-GP — ", "ACGAN — "),
    ),
    HW4: Case(
        submissions={
            "solution": (_solution(HW4), set()),
            "blank": (_blank(HW4), None),
            "example": (_example(HW4), _example_losses(HW4)),
        },
        cli_students=("example",),
        timeout=60,  # half nbgrader_config.py's 120 s: the slowest fast-mode cell (five DCGAN runs) is ≈ 3 s
        feedback_words=(),  # filled from the example module below
        secrets=("def test_p", "expect_close", "reference.py", "one_class_digits", "reference_anomaly_step",
                 "WEIGHTS"),
        release_secrets=("return mu + std * torch.randn_like(std)", "(grad,) = torch.autograd.grad(len(s) * g_loss(s), s)",
                         "self.encoder2 = Encoder(nz, width)",
                         "return (x - x_hat).abs().mean(), (z - z_hat).pow(2).mean()"),
        solution_files=("runs/fast/part_b_vae/epoch_001.png", "runs/fast/part_b_vae/interpolation.png",
                        "runs/fast/part_b_vae_2d/latent_scatter.png", "runs/fast/part_c_gradients.png",
                        "runs/fast/part_c_samples.png", "runs/fast/part_d_samples.png",
                        "runs/fast/part_e_anomaly/roc.png"),
        solution_outputs=("at D(G(z)) = 0.001 is 0.9990", "AUROC of ||z - z_hat||", "VAE — ",
                          "DCGAN (non-saturating) — ", "training zeros"),
    ),
    HW5: Case(
        submissions={
            "solution": (_solution(HW5), set()),
            "blank": (_blank(HW5), None),
            "example": (_example(HW5), _example_losses(HW5)),
        },
        cli_students=(),  # the CLI route is the same code for every homework: HW1, HW3 and HW4 cover it
        timeout=60,  # half nbgrader_config.py's 120 s: the slowest fast-mode cell (the classifier's epoch) is ≈ 3 s
        feedback_words=(),  # filled from the example module below
        secrets=("def test_p", "expect_close", "reference.py", "RecordingGenerator", "reference_infogan_step",
                 "INFO_HELPERS"),
        release_secrets=("return torch.cat([noise, F.one_hot(cat, n_cat).to(noise.dtype), cont], dim=1)",
                         "{\"params\": [*D.trunk.parameters(), *D.q_head.parameters()], \"lr\": lr_d}",
                         "return lambda_cat * cat_term + lambda_cont * cont_term, cat_term", "self.q_head = nn.Sequential("),
        solution_files=("runs/fast/part_a_cgan/epoch_001.png", "runs/fast/part_a_cgan/class_accuracy.png",
                        "runs/fast/part_a_cgan/rows_per_digit.png", "runs/fast/part_b_infogan/epoch_001.png",
                        "runs/fast/part_b_infogan/traversal_c2.png", "runs/fast/part_b_infogan/traversal_c3.png",
                        "runs/fast/part_b_infogan/purity.png"),
        solution_outputs=("class accuracy of the CGAN's digits", "MNIST classifier: ", "purity after the best matching",
                          "category → digit"),
    ),
}
CASES[HW5].feedback_words = tuple(getattr(_example_module(HW5), "FEEDBACK_WORDS", ()))
CASES[HW2].feedback_words = tuple(getattr(_example_module(HW2), "FEEDBACK_WORDS", ()))
CASES[HW4].feedback_words = tuple(getattr(_example_module(HW4), "FEEDBACK_WORDS", ()))
CASES[HW3].feedback_words = tuple(getattr(_example_module(HW3), "FEEDBACK_WORDS", ()))
STUDENTS = [pytest.param(hw, student, id=f"{hw}-{student}") for hw, case in CASES.items() for student in case.submissions]
CLI = [pytest.param(hw, student, id=f"{hw}-{student}") for hw, case in CASES.items() for student in case.cli_students]


def _submit_all(course, hw, notebooks: dict) -> dict:
    """Each notebook where ``c.submit`` puts it, and every student added to the gradebook by one nbgrader process
    (``c.submit`` starts one per student, ≈ 2 s each); returns student → submitted path."""
    paths = {}
    for student, nb in notebooks.items():
        paths[student] = course / "submitted" / student / hw / f"{hw}.ipynb"
        paths[student].parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(paths[student]))
    roster = course.parent / f"{course.name}-students.csv"
    roster.write_text("id\n" + "".join(f"{student}\n" for student in notebooks))
    c.nbgrader(course, "db", "student", "import", str(roster))
    return paths


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """hw → (course directory, submitted paths), autograded once per homework on first use."""
    graded = {}

    def get(hw):
        if hw not in graded:
            course = tmp_path_factory.mktemp(hw) / "semester"  # as an instructor starts one
            assert cli_main(["course", "new", str(course), hw]) == 0
            paths = _submit_all(course, hw, {student: make() for student, (make, _) in CASES[hw].submissions.items()})
            # Without GAN_COURSE_FAST: fast mode must switch on by itself under nbgrader (NBGRADER_EXECUTION),
            # or the training cells would run for hours and time out.
            saved = os.environ.pop("GAN_COURSE_FAST", None)
            try:
                c.nbgrader(course, "autograde", hw, "--force", f"--Execute.timeout={CASES[hw].timeout}")
            finally:
                if saved is not None:
                    os.environ["GAN_COURSE_FAST"] = saved
            graded[hw] = (course, paths)
        return graded[hw]

    return get


def test_a_semester_is_never_created_over_another_or_with_an_unknown_homework(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "gradebook.db").write_text("a semester's grades")
    with pytest.raises(SystemExit, match="not an empty folder"):
        cli_main(["course", "new", str(tmp_path / "old"), "hw1_mnist_gan"])
    assert (tmp_path / "old" / "gradebook.db").read_text() == "a semester's grades"
    with pytest.raises(SystemExit, match="no homework hw9"):
        cli_main(["course", "new", str(tmp_path / "new"), "hw9"])
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("hw", CASES)
def test_generated_release_is_the_committed_one(courses, hw):
    course, _ = courses(hw)
    fresh = nbformat.read(str(course / "assignments" / hw / f"{hw}.ipynb"), as_version=4)
    committed = nbformat.read(str(release_path(hw)), as_version=4)
    assert fresh == committed, "assignments/ is stale: run `python -m autograder release` and commit"


@pytest.mark.parametrize("hw", CASES)
def test_release_has_no_solutions_or_hidden_tests(hw):
    text = release_path(hw).read_text()
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "autograder.grade", *CASES[hw].release_secrets):
        assert marker not in text


# Instructor material students never receive: where reference figures came from (past reports, seed reports),
# our catalogue of wrong answers, benchmarks, issues, the README and the instructor repository's folders.
INTERNAL_REFERENCES = re.compile(r"seed (report|00\d)|seed's|copying slip|past student|student report|"
                                 r"reference report|\bthe report\b|mutant|bench/|\bissues? #?\d+|README|solutions/|"
                                 r"autograder/|tests/", re.IGNORECASE)


@pytest.mark.parametrize("text", ["A past student report used", "the reference report printed FID",
                                  "a mutant of this answer", "see bench/autograde_time.py", "as issue 21 says",
                                  "copied from solutions/hw1", "seed 003"])
def test_the_wording_check_catches_internal_references(text):
    assert INTERNAL_REFERENCES.search(text)


@pytest.mark.parametrize("hw", CASES)
def test_student_text_has_no_internal_references(hw):
    for path in (release_path(hw), example_path(hw)):
        nb = nbformat.read(str(path), as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and path == example_path(hw):
                continue  # the example's answers are a student's own text
            found = INTERNAL_REFERENCES.search(cell.source)
            assert found is None, f"{path.name} cell {index} mentions {found.group(0)!r}: {cell.source[:200]}"


@pytest.mark.parametrize("hw,student", STUDENTS)
def test_autograde_scores_only_what_works(courses, hw, student):
    course, _ = courses(hw)
    all_points = {ch.name: ch.points for ch in checks(hw)}
    scores = c.scores(course, hw, student)
    lost = {name for name, s in scores.items() if s["auto"] and s["score"] < s["max_score"]}
    expected = CASES[hw].submissions[student][1]
    assert lost == (set(all_points) if expected is None else expected)
    got, out_of = c.auto_total(course, hw, student)
    assert out_of == 100
    assert got == 100 - sum(all_points[name] for name in lost)
    if student == "example":
        assert got == manifest(hw).example_score == 100 - sum(all_points[name] for name in _example_losses(hw))
    flagged = (course / "autograded" / student / hw / "manual_review.json").exists()
    assert not flagged  # honest notebooks are never flagged


@pytest.fixture(scope="module")
def cli_runs(courses, tmp_path_factory):
    """(hw, student) → (what ``python -m autograder grade --json`` printed, its result), graded once on first use."""
    done = {}

    def get(hw, student):
        if (hw, student) not in done:
            _, paths = courses(hw)
            results = tmp_path_factory.mktemp("cli") / "class.json"
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                assert cli_main(["grade", str(paths[student]), "--homework", hw, "--json", str(results), "--jobs", "1",
                                 "--cell-timeout", str(CASES[hw].timeout)]) == 0
            done[hw, student] = printed.getvalue(), json.loads(results.read_text())[0]
        return done[hw, student]

    return get


@pytest.mark.parametrize("hw,student", CLI)
def test_cli_agrees_with_nbgrader(courses, cli_runs, hw, student):
    course, _ = courses(hw)
    _, result = cli_runs(hw, student)
    nbgrader_scores = c.scores(course, hw, student)
    for grade in result["grades"]:
        name = grade["check"].split("::")[1]
        assert grade["score"] == nbgrader_scores[name]["score"], (name, grade["message"])
    assert result["score"] == c.auto_total(course, hw, student)[0]


@pytest.mark.parametrize("hw", CASES)
def test_feedback_explains_losses_without_revealing_checks(courses, hw):
    course, _ = courses(hw)
    html = c.feedback(course, hw, "example").read_text()
    for word in CASES[hw].feedback_words:
        assert word in html
    for secret in CASES[hw].secrets:
        assert secret not in html
    for folder in (str(REPO), sys.prefix):  # the grading machine's folders (tracebacks name files relative)
        assert folder not in html


def test_feedback_stays_small_and_restored_cells_are_graded(courses):
    course, _ = courses(HW1)
    html = c.feedback(course, HW1, "noisy_and_broken")
    assert html.stat().st_size < 1_000_000, f"{html.stat().st_size:,} bytes"
    assert "output truncated" in html.read_text()
    assert "test_p11_save_generator" in c.scores(course, HW1, "noisy_and_broken")
    graded = nbformat.read(str(course / "autograded" / "noisy_and_broken" / HW1 / f"{HW1}.ipynb"), as_version=4)
    p06 = next(cell for cell in graded.cells
               if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "test_p06_optimizers")
    # The warning happened while the check ran, in the check's own process: the cell shows the grader's result only.
    assert "".join(o.get("text", "") for o in p06.outputs).startswith("✓ Problem 06")


@pytest.mark.parametrize("hw", CASES)
def test_export_lists_every_submission(courses, hw):
    course, _ = courses(hw)
    rows = list(csv.DictReader(c.export(course).open()))
    assert {r["student_id"] for r in rows} >= set(CASES[hw].submissions)


@pytest.mark.parametrize("hw", CASES)
def test_solution_runs_top_to_bottom_without_errors_or_warnings(courses, hw):
    course, _ = courses(hw)
    folder = course / "autograded" / "solution" / hw
    nb = nbformat.read(str(folder / f"{hw}.ipynb"), as_version=4)
    problems = [(i, o.get("ename") or o.get("text", "")[:200]) for i, cell in enumerate(nb.cells)
                for o in cell.get("outputs", []) if o.get("output_type") == "error" or o.get("name") == "stderr"]
    assert problems == []
    for name in CASES[hw].solution_files:
        assert (folder / name).is_file(), name
    outputs = "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []))
    for text in CASES[hw].solution_outputs:
        assert text in outputs, text
    if hw == HW1:
        report = (folder / "loss_report.txt").read_text()
        assert "mean D loss" in report and "all epochs" in report


@pytest.mark.parametrize("hw", CASES)
def test_release_header_states_points_time_and_how_to_get_a_gpu(hw):
    """The first cell's total is the sum of its table's points, and it says how long a full run takes and how to
    switch Colab to a GPU."""
    header = nbformat.read(str(release_path(hw)), as_version=4).cells[0].source
    rows = [line.split("|")[-2] for line in header.splitlines() if re.match(r"\| *[A-H]′? *\|", line)]
    points = sum(int(n) for row in rows for n in re.findall(r"\d+", row))
    total = re.search(r"\*\*In all: (\d+) points\*\*, (\d+) autograded and (\d+) graded by hand", header)
    assert total and int(total.group(1)) == points == int(total.group(2)) + int(total.group(3)), (points, total)
    assert int(total.group(2)) == sum(ch.points for ch in checks(hw))
    assert re.search(r"A full run takes about [\w.]+ hours? on a 2-core CPU .* on a Colab GPU", header)
    assert "Runtime → Change runtime type" in header


# ----------------------------------------------------------- hostile output: every page and table stays inert


def _student_lines_only(text: str, forged: tuple[str, ...]) -> list[str]:
    """Lines of ``text`` that show forged grader words outside a quoted (``│``) block."""
    return [line for line in text.splitlines()
            if any(word in line for word in forged) and not line.lstrip().startswith("│")]


FORGED_WORDS = ("Total: 100 / 100", "Discriminator step (10 points)", "a bug in my code")


def test_feedback_and_formgrader_never_run_student_html(courses, tmp_path):
    """The hostile submission's feedback (what the student opens) and its formgrader page (what the instructor
    opens, inside the Jupyter server that holds the gradebook) in a real browser: no payload runs, while Markdown,
    tables and the notebook's plots still render. The same notebook rendered without the course's configuration
    runs them: the payloads are live and the check can fail."""
    course, _ = courses(HW1)
    graded = course / "autograded" / "noisy_and_broken" / HW1 / f"{HW1}.ipynb"
    p07 = next(cell for cell in nbformat.read(str(graded), as_version=4).cells
               if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "test_p07_inputs_on_device")
    shown = "".join(o.get("text", "") or "\n".join(o.get("traceback", [])) for o in p07.outputs)
    assert "a bug in my code" in shown and _student_lines_only(shown, FORGED_WORDS) == []
    assert not any(ch in shown for ch in hostile.ESCAPES)

    pages = {"feedback": c.feedback(course, HW1, "noisy_and_broken")}
    with _formgrader(course) as url:
        pages["formgrader"] = url(HW1, "noisy_and_broken")
        for name, page in pages.items():
            dom = hostile.rendered_dom(page)
            assert hostile.active_traces(dom) == [], name
            assert "<th>lr</th>" in dom and "<strong>bold result</strong>" in dom, name  # honest HTML and Markdown
            assert re.search(r"<h2[^>]*>A heading the student wrote", dom), name  # a Markdown cell, rendered
            assert 'src="data:image/png;base64,' in dom and hostile.HONEST_BAR in dom, name  # a figure, a tqdm bar
    from nbconvert import HTMLExporter

    unsafe = tmp_path / "unsanitised.html"
    unsafe.write_text(HTMLExporter().from_filename(str(graded))[0])
    assert hostile.active_traces(hostile.rendered_dom(unsafe))


@contextlib.contextmanager
def _formgrader(course):
    """A Jupyter server with nbgrader's formgrader in ``course``; yields (hw, student) → the submission page's URL."""
    import secrets
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(8)
    server = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
                               "--ip=127.0.0.1", f"--ServerApp.token={token}", f"--ServerApp.root_dir={course}",
                               *(["--allow-root"] if os.geteuid() == 0 else [])],
                              cwd=course, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def get(path):
        with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=30) as response:
            return json.loads(response.read())

    def url(hw, student):
        submission = next(n for n in get(f"/formgrader/api/submitted_notebooks/{hw}/{hw}") if n["student"] == student)
        return f"{base}/formgrader/submissions/{submission['id']}/?token={token}"

    try:
        for _ in range(120):
            try:
                get("/api/status")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()[-2000:]
                time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_cli_table_quotes_student_text_and_ends_with_the_true_total(cli_runs):
    """What the CLI prints for the hostile submission: the forged lines only inside the quoted student block, no
    escape sequence, the true total as the last line; the JSON keeps the student's text in a field of its own."""
    printed, result = cli_runs(HW1, "noisy_and_broken")
    assert not any(ch in printed for ch in hostile.ESCAPES)
    assert _student_lines_only(printed, FORGED_WORDS) == []
    assert printed.strip().splitlines()[-1] == f"Total: {result['score']:g} / {result['points']:g}"
    assert result["score"] == 100 - sum(ch.points for ch in checks(HW1) if ch.name in NOISY_AND_BROKEN_LOSSES)
    p07 = next(g for g in result["grades"] if g["check"].endswith("test_p07_inputs_on_device"))
    assert "a bug in my code" in p07["student_text"] and "Total: 100 / 100" in p07["student_text"]
    assert not any("a bug in my code" in g["message"] or "Total: 100" in g["message"] for g in result["grades"])


def test_class_report_of_graded_submissions_is_inert_and_complete(cli_runs, tmp_path):
    """``python -m autograder report`` on a class graded by the CLI (the release, the hostile notebook and the
    bundled example with its catalogued wrong answers): every problem with its pass rate and failures, both
    figures, and nothing of the student's that runs."""
    results = [cli_runs(HW1, student)[1] for student in ("blank", "noisy_and_broken", "example")]
    (tmp_path / "class.json").write_text(json.dumps(results))
    assert cli_main(["report", str(tmp_path / "class.json"), "-o", str(tmp_path / "report.html")]) == 0
    dom = hostile.rendered_dom(tmp_path / "report.html")
    assert hostile.active_traces(dom) == [] and "a bug in my code" not in dom
    assert dom.count('src="data:image/png;base64,') == 2
    for check in checks(HW1):
        assert check.label in dom
    assert "3 submissions" in dom
