"""Every homework's checks pass on its solution and on correct variants, and catch every wrong answer.

Each wrong answer (mutant) must fail the check of its own problem, with a message that names the
mistake where the catalogue says how, and no other check (each mistake is charged once), except
the ones the catalogue lists as building on that answer.
"""
from __future__ import annotations

import importlib
import os

import nbformat
import pytest
import torch

from autograder.pipeline.grading import run_check
from autograder.pipeline.notebook import cells_to_run, execute_notebook
from autograder.pipeline.manifest import manifest
from autograder.pipeline.registry import checks
from autograder.course.submissions import answer_sources

from .affected_checks import RecordingStudent, mutable_names, tainted_names
from .conftest import HOMEWORKS, solution_path

MINIMUM_VARIANTS = 15  # correct answers in other forms, per homework


def _catalogue(hw: str, name: str) -> list:
    return getattr(importlib.import_module(f"autograder.{hw}.mutants"), name, [])


CHECKS = [pytest.param(hw, check, id=check.id) for hw in HOMEWORKS for check in checks(hw)]
MUTANTS = [pytest.param(hw, m, id=f"{hw}::{m.name}") for hw in HOMEWORKS for m in _catalogue(hw, "MUTANTS")]


def _variant_rounds(hw: str) -> list[list]:
    """The homework's correct variants in rounds of at most one per answer cell: a round is one notebook run, and
    a check that fails in it names the one variant of its own problem's cell."""
    by_cell: dict[str, list] = {}
    for variant in _catalogue(hw, "VARIANTS"):
        by_cell.setdefault(variant.cell, []).append(variant)
    depth = max((len(vs) for vs in by_cell.values()), default=0)
    return [[vs[i] for vs in by_cell.values() if len(vs) > i] for i in range(depth)]


VARIANT_ROUNDS = [pytest.param(hw, variants, id=f"{hw}::round{i + 1}")
                  for hw in HOMEWORKS for i, variants in enumerate(_variant_rounds(hw))]


@pytest.fixture(scope="module")
def solution(tmp_path_factory):
    """hw → its executed solution (answer cells only).

    Notebooks share one IPython shell whose namespace is reset for every notebook, so only the
    most recently executed homework is kept, and switching homework executes again.
    """
    latest = {}

    def get(hw):
        if hw not in latest:
            latest.clear()
            latest[hw] = execute_notebook(solution_path(hw), workdir=tmp_path_factory.mktemp(hw), answers_only=True)
        return latest[hw]

    return get


def _failures(hw: str, student, only: set[str] | None = None) -> dict[str, str]:
    """check name → failure message, for every check of ``hw`` (or those named in ``only``) that fails on
    ``student``."""
    failed = {}
    for check in checks(hw):
        if only is not None and check.name not in only:
            continue
        try:
            run_check(check.id, student)
        except AssertionError as error:
            failed[check.name] = str(error)
        except Exception as error:  # the answer crashed the check: also a failure for the student
            failed[check.name] = f"{type(error).__name__}: {error}"
    return failed


def _with_answer(hw: str, cell: str, source: str, tmp_path):
    return execute_notebook(solution_path(hw), workdir=tmp_path, answers_only=True, sanity=True, replace={cell: source})


def _sanity_failures(student) -> dict[str, str]:
    """Visible sanity cells that stopped with an assertion (a cell that needs the data cells is not counted)."""
    return {label: error for label, error in student.cell_errors.items() if error.startswith("AssertionError")}


# Wrong answers the visible sanity check after their cell must already show to the student (review findings).
SANITY_CATCHES = {
    "hw1_mnist_gan": {"d_fake_not_detached", "d_no_zero_grad", "d_zero_grad_between_backward_and_step",
                      "g_detached", "models_eval_mode", "grid_train_mode", "grid_eval_not_restored",
                      "gen_29x29_output_padding", "gen_detached_output", "gen_no_grad_hidden", "d_step_before_backward",
                      "d_step_leaves_g_in_eval", "g_step_leaves_d_in_eval", "g_step_before_backward"},
    "hw2_dcgan_cifar10": {"d_fake_not_detached", "d_no_instance_noise", "d_noise_on_fakes_only",
                          "g_step_ignores_noise_std", "cgen_first_label_for_batch", "gp_on_real_images",
                          "gp_no_create_graph", "wgan_no_penalty", "gen_output_padding", "critic_relu_score",
                          "bce_real_term_on_fake_out", "wgan_critic_step_before_backward"},
    "hw3_acgan_wgan": {"acgen_ignores_labels", "acgen_first_label_for_batch", "acdisc_sigmoid_source",
                       "gloss_saturating", "gloss_target_zero", "step_no_d_zero_grad", "step_no_g_zero_grad",
                       "acc_overall_not_per_class", "acc_train_mode", "acc_left_in_eval", "critic_sigmoid",
                       "clip_weights_only", "clip_not_in_place", "opt_adam", "gp_on_real_images",
                       "wstep_clip_once_after_loop", "wstep_no_clipping", "wstep_n_critic_ignored",
                       "wstep_penalty_ignored"},
    "hw4_vae_gan": {"reparam_std_is_variance", "reparam_logvar_as_std", "reparam_no_noise", "reparam_shared_eps",
                    "reparam_sample_no_grad", "reparam_detached_std", "vae_sigmoid_decoder", "vae_softplus_logvar",
                    "vae_one_head", "vae_forward_decodes_mu", "kl_mean_over_dims", "kl_one_number", "kl_sign",
                    "kl_sigma_for_variance", "loss_bce_mean_over_pixels", "loss_sigmoid_twice", "loss_sum_over_batch",
                    "loss_kl_summed", "loss_without_kl", "vstep_no_zero_grad", "vstep_zero_grad_after_backward",
                    "minimax_g_is_nonsaturating", "minimax_g_sign",
                    "minimax_g_naive_log", "minimax_d_averaged", "nonsat_is_saturating", "lsgan_no_half",
                    "lsgan_g_target_zero", "critic_sign", "hinge_no_margin", "hinge_g_with_margin", "grad_of_the_mean",
                    "grad_changes_caller", "grad_through_probability", "enc_last_conv_strided", "dec_no_tanh",
                    "ede_shared_encoder", "ede_zhat_of_input", "con_squared", "enc_l1", "score_squared",
                    "score_left_in_eval", "score_reconstruction_error", "astep_no_g_zero_grad",
                    "vstep_step_before_backward"},
    "hw5_cgan_infogan": {"cgen_first_label_for_batch", "cdisc_sigmoid", "cdisc_first_label_for_batch",
                         "cstep_no_d_zero_grad", "cstep_no_g_zero_grad", "cstep_g_saturating", "cstep_d_loss_averaged",
                         "cstep_no_d_step", "samples_train_mode", "samples_left_in_eval", "samples_repeat",
                         "samples_with_graph", "codes_cont_normal", "codes_cont_zero_one", "codes_cat_one_hot",
                         "codes_uniform_noise", "input_wrong_order", "input_raw_category", "info_q_detached_features",
                         "info_q_from_d_head_features", "loss_softmax_first", "loss_nll_on_logits", "loss_l1",
                         "loss_mse_summed_over_codes", "loss_lambdas_swapped", "loss_fixed_lambdas",
                         "loss_no_cont_lambda", "loss_maximised", "opt_info_without_g", "opt_info_g_only",
                         "opt_info_without_trunk", "opt_info_one_learning_rate", "opt_g_holds_d",
                         "opt_learning_rates_swapped", "opt_default_betas",
                         "istep_no_info_zero_grad", "istep_no_d_zero_grad", "istep_no_info_step",
                         "istep_info_lambdas_one", "istep_g_saturating", "cstep_redraws_z",
                         "cstep_redraws_fake_labels", "cstep_fakes_of_the_real_labels", "istep_redraws_codes",
                         "istep_redraws_noise", "istep_info_on_detached_fakes", "istep_info_step_before_backward"},
}

@pytest.mark.parametrize("hw", HOMEWORKS)
def test_numbered_problems_worth_100_points(hw):
    found = checks(hw)
    assert [c.problem for c in found] == [f"p{i:02d}" for i in range(1, len(found) + 1)]
    assert len(found) == (9 if hw == "hw5_cgan_infogan" else 11)
    assert sum(c.points for c in found) == manifest(hw).total == 100


def test_a_manifest_must_match_the_checks(tmp_path, monkeypatch):
    """Points for a problem without a check, or a check without points, stop the registry with the file's name;
    a manifest that is not one says so."""
    import json

    from autograder.pipeline import manifest as m
    from autograder.pipeline import registry

    def with_manifest(data):
        folder = tmp_path / "hw1_mnist_gan"
        folder.mkdir(exist_ok=True)
        (folder / "manifest.json").write_text(data if isinstance(data, str) else json.dumps(data))
        monkeypatch.setattr(m, "PACKAGE", tmp_path)
        m.manifest.cache_clear()

    points = {c.problem: c.points for c in checks("hw1_mnist_gan")}
    try:
        with_manifest({"points": {**points, "p12": 5}, "example_score": 70, "min_wrong_answers": 1})
        with pytest.raises(ValueError, match="problems without a check: p12"):
            registry.checks("hw1_mnist_gan")
        with_manifest({"points": {k: v for k, v in points.items() if k != "p03"}, "example_score": 70,
                       "min_wrong_answers": 1})
        with pytest.raises(ValueError, match="no points to problem p03"):
            registry.checks("hw1_mnist_gan")
        with_manifest('{"points": {"p01": 5}}')
        with pytest.raises(ValueError, match="not a homework manifest"):
            m.manifest("hw1_mnist_gan")
    finally:
        monkeypatch.undo()
        m.manifest.cache_clear()


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_mutants_named_for_the_sanity_checks_exist(hw):
    assert SANITY_CATCHES[hw] <= {m.name for m in _catalogue(hw, "MUTANTS")}


@pytest.mark.parametrize("hw,check", CHECKS)
def test_solution_passes(solution, hw, check):
    student = solution(hw)
    assert not student.cell_errors, student.cell_errors
    run_check(check.id, student)


@pytest.mark.parametrize("hw", HOMEWORKS)
def test_catalogue_is_large_and_covers_every_problem(hw):
    mutants = _catalogue(hw, "MUTANTS")
    assert len(mutants) >= manifest(hw).min_wrong_answers >= 40
    assert {m.caught_by for m in mutants} == {c.name for c in checks(hw)}
    assert len({m.name for m in mutants}) == len(mutants)
    variants = _catalogue(hw, "VARIANTS")
    assert len(variants) >= MINIMUM_VARIANTS, "list correct variants too: answers in another style that must pass"
    assert len({v.name for v in variants}) == len(variants)


_DEPENDENCIES: dict[str, tuple] = {}


def _dependencies(hw: str, tmp_path) -> tuple[dict[str, set[str]], list[str], set[str]]:
    """(check name → the notebook names it reads, the sources of the cells a check run executes, the names bound
    to mutable objects), recorded once per process on the solution."""
    if hw not in _DEPENDENCIES:
        tmp_path.mkdir(parents=True, exist_ok=True)
        student = execute_notebook(solution_path(hw), workdir=tmp_path, answers_only=True, sanity=True)
        reads = {}
        for check in checks(hw):
            recorder = RecordingStudent(student)
            run_check(check.id, recorder)
            reads[check.name] = recorder.read
        nb = nbformat.read(str(solution_path(hw)), as_version=4)
        cells = [cell.source for _, cell in cells_to_run(nb, answers_only=True, sanity=True)]
        _DEPENDENCIES[hw] = (reads, cells, mutable_names(student._namespace))
    return _DEPENDENCIES[hw]


def _affected(hw: str, mutant, tmp_path) -> set[str] | None:
    """The checks that can see ``mutant``'s change (None: all of them), see :mod:`tests.affected_checks`."""
    reads, cells, mutable = _dependencies(hw, tmp_path / "dependencies")
    before = answer_sources(solution_path(hw))[mutant.cell]
    taint = tainted_names(cells, (before, mutant.apply(before)), mutable)
    if taint is None:
        return None
    return {check for check, names in reads.items() if names & taint} | {mutant.caught_by, *mutant.also_fails}


@pytest.mark.parametrize("hw,mutant", MUTANTS)
def test_mutant_is_caught_once(hw, mutant, tmp_path):
    """Only the checks that can see the change run (the others read nothing it reached, so they pass as on the
    solution); GAN_COURSE_ALL_CHECKS=1 runs every check."""
    only = None if os.environ.get("GAN_COURSE_ALL_CHECKS") == "1" else _affected(hw, mutant, tmp_path)
    # (after the solution's run that _affected may do: notebooks share one shell, reset for every notebook)
    student = _with_answer(hw, mutant.cell, mutant.apply(answer_sources(solution_path(hw))[mutant.cell]), tmp_path)
    failed = _failures(hw, student, only)
    if mutant.name in SANITY_CATCHES[hw]:
        assert _sanity_failures(student), f"the visible sanity check lets {mutant.name} ({mutant.why}) through"
    assert mutant.caught_by in failed, f"{mutant.name} ({mutant.why}) earns the points of {mutant.caught_by}"
    assert mutant.says in failed[mutant.caught_by], failed[mutant.caught_by]
    charged = set(failed) - {mutant.caught_by} - set(mutant.also_fails)
    assert not charged, f"{mutant.name} also costs {sorted(charged)}: {[failed[c][:200] for c in sorted(charged)]}"


@pytest.mark.parametrize("hw,variants", VARIANT_ROUNDS)
def test_correct_variants_earn_full_marks(hw, variants, tmp_path):
    """Several correct variants at once, each in its own cell: every check and every sanity cell passes."""
    sources = answer_sources(solution_path(hw))
    student = execute_notebook(solution_path(hw), workdir=tmp_path, answers_only=True, sanity=True,
                               replace={v.cell: v.apply(sources[v.cell]) for v in variants})
    named = {v.cell: f"{v.name} ({v.why})" for v in variants}
    assert not _sanity_failures(student), f"a sanity check fails correct code ({sorted(named.values())}): " \
        f"{_sanity_failures(student)}"
    failed = _failures(hw, student)
    assert failed == {}, {named.get(check.removeprefix("test_"), check): message[:300]
                          for check, message in failed.items()}


def test_variant_rounds_hold_every_variant_once():
    for hw in HOMEWORKS:
        rounds = _variant_rounds(hw)
        flat = [v.name for r in rounds for v in r]
        assert sorted(flat) == sorted(v.name for v in _catalogue(hw, "VARIANTS"))
        assert all(len({v.cell for v in r}) == len(r) for r in rounds)


@pytest.mark.parametrize("hw,check", CHECKS)
def test_solution_passes_on_a_gpu_with_tf32_and_fresh_inputs(solution, hw, check):
    """As a GPU grading machine computes the student's side (TF32 products and convolutions), with a fresh seed."""
    run_check(check.id, solution(hw), seed=None, tf32=True)


_ODD_VALUES = (None, "x", {"__type__": "Thing"}, torch.zeros(0), [1.0, 2.0], float("nan"), 10**15)


@pytest.mark.parametrize("hw,check", CHECKS)
def test_the_judge_survives_answers_of_any_shape(solution, hw, check):
    """Every value of the solution's answer replaced, in turn, by data of another kind: the judge returns a verdict
    (never raises) and never passes an answer stripped of what it needs."""
    from autograder.pipeline import judge, runner, wire

    inputs = {"seed": 7, "nonce": "n"}
    data = runner.answer(check.id, solution(hw), inputs)
    assert judge.verdict(check, inputs, wire.dumps(data)).passed
    for key in [k for k in data if not k.startswith("__")]:
        for odd in _ODD_VALUES:
            result = judge.verdict(check, inputs, wire.dumps({**data, key: odd}))
            assert isinstance(result.passed, bool) and (result.passed or result.message)
    assert not judge.verdict(check, inputs, wire.dumps({"__nonce__": "n"})).passed


PRUNING_SAMPLE = [pytest.param(hw, m, id=f"{hw}::{m.name}") for hw in HOMEWORKS
                  for m in _catalogue(hw, "MUTANTS")[::20]]


@pytest.mark.parametrize("hw,mutant", PRUNING_SAMPLE)
def test_pruning_misses_no_failure(hw, mutant, tmp_path):
    """Every check that fails on a wrong answer is among those its test runs (every check runs here), and the
    pruning leaves checks out at all."""
    affected = _affected(hw, mutant, tmp_path)
    student = _with_answer(hw, mutant.cell, mutant.apply(answer_sources(solution_path(hw))[mutant.cell]), tmp_path)
    assert affected is not None
    assert set(_failures(hw, student)) <= affected
