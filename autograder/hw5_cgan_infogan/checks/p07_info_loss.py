import torch
from torch.nn import functional as F

from autograder.pipeline.answer import type_name
from autograder.toolkit.expect import as_float, expect, expect_close
from autograder.hw5_cgan_infogan import fixtures as fx
from autograder.hw5_cgan_infogan import reference as ref


def _terms(recorded) -> list:
    """A recorded (loss, cat_term, cont_term): a triple of one-element tensors."""
    kind = recorded.get("type") if isinstance(recorded, dict) else type_name(recorded)
    values = recorded.get("values") if isinstance(recorded, dict) else None
    expect(isinstance(values, list) and len(values) == 3,
           f"info_loss should return the triple (loss, cat_term, cont_term), found {kind}.")
    for name, value in zip(("loss", "cat_term", "cont_term"), values):
        expect(isinstance(value, torch.Tensor) and value.numel() == 1,
               f"info_loss's {name} should be a one-element tensor, found {type_name(value)}"
               f"{' of shape ' + str(tuple(value.shape)) if isinstance(value, torch.Tensor) else ''}.")
    return values


def test_p07_info_loss(answer):
    """The information loss"""
    args = fx.info_loss_inputs(answer.seed)
    cat_logits, cont_mean, cat, cont = (a.detach() for a in args)
    loss, cat_term, cont_term = _terms(answer["first"])
    ref_loss, ref_cat, ref_cont = ref.info_loss(cat_logits, cont_mean, cat, cont)
    found_cat = as_float(cat_term, "cat_term")
    cat_mistakes = {
        "The logits went through softmax before F.cross_entropy, which applies log-softmax itself: pass the logits.":
            F.cross_entropy(cat_logits.softmax(1), cat),
        "F.nll_loss expects log-probabilities: use F.cross_entropy on the logits (or F.log_softmax first).":
            F.nll_loss(cat_logits, cat),
        "The cross-entropy is summed over the batch: average it (F.cross_entropy's default reduction).":
            F.cross_entropy(cat_logits, cat, reduction="sum"),
        "The sign is reversed: cat_term is the cross-entropy (to be minimised), −log Q(c|x) averaged.":
            -F.cross_entropy(cat_logits, cat),
    }
    for hint, wrong in cat_mistakes.items():
        expect(abs(found_cat - wrong.item()) > 1e-5, f"cat_term: expected {ref_cat.item():.6f}, found {found_cat:.6f}. {hint}")
    expect_close(found_cat, ref_cat.item(), "cat_term on fixed logits", 1e-5,
                 "cat_term = F.cross_entropy(cat_logits, cat): the logits and the integer categories.")
    found_cont = as_float(cont_term, "cont_term")
    cont_mistakes = {
        "The squared error is averaged over the batch but summed over the codes: use F.mse_loss (the mean over both).":
            (cont_mean - cont).pow(2).sum(1).mean(),
        "The squared error is summed: use F.mse_loss (the mean over the batch and the codes).":
            F.mse_loss(cont_mean, cont, reduction="sum"),
        "That is the absolute error (L1): use the squared error, F.mse_loss, the Gaussian's negative log-likelihood.":
            F.l1_loss(cont_mean, cont),
        "The error is halved: use F.mse_loss as it is.": F.mse_loss(cont_mean, cont) / 2,
    }
    for hint, wrong in cont_mistakes.items():
        expect(abs(found_cont - wrong.item()) > 1e-5,
               f"cont_term: expected {ref_cont.item():.6f}, found {found_cont:.6f}. {hint}")
    expect_close(found_cont, ref_cont.item(), "cont_term on fixed inputs", 1e-5,
                 "cont_term = F.mse_loss(cont_mean, cont).")
    found = as_float(loss, "loss")
    total_mistakes = {
        "The two λs are swapped: loss = lambda_cat · cat_term + lambda_cont · cont_term.":
            0.1 * ref_cat + 1.0 * ref_cont,
        "The continuous term has no λ: loss = lambda_cat · cat_term + lambda_cont · cont_term (λ_cont = 0.1).":
            ref_cat + ref_cont,
        "The sign is reversed: the loss to minimise is +λ_cat · cat_term + λ_cont · cont_term (it is −λ·L_I).":
            -ref_loss,
    }
    for hint, wrong in total_mistakes.items():
        expect(abs(found - wrong.item()) > 1e-5, f"loss: expected {ref_loss.item():.6f}, found {found:.6f}. {hint}")
    expect_close(found, ref_loss.item(), "loss with the default λs", 1e-5,
                 "loss = lambda_cat * cat_term + lambda_cont * cont_term.")
    other = as_float(_terms(answer["other"])[0], "loss")
    expected_other = 2.5 * ref_cat.item() + 0.7 * ref_cont.item()
    expect_close(other, expected_other, "loss with lambda_cat=2.5, lambda_cont=0.7", 1e-5,
                 "Use the arguments lambda_cat and lambda_cont, not fixed numbers.")
    grads = answer["grads"]
    expect(isinstance(grads, list) and len(grads) == 2 and all(
               isinstance(g, torch.Tensor) and g.abs().sum() > 0 for g in grads),
           "The loss should have a graph to both of Q's outputs: compute it with torch operations (no .item(), no "
           ".detach()).")
    best = _terms(answer["best"])
    expect(abs(as_float(best[0], "loss")) < 1e-6,
           "When Q reads every code exactly, the loss should be 0 (finite and exact: F.cross_entropy on logits).")
