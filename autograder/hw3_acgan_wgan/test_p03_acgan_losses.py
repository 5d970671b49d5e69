import math

import pytest
import torch

from autograder.expect import as_float, expect, expect_close
from autograder.hw3_acgan_wgan import fixtures as fx
from autograder.hw3_acgan_wgan import reference as ref
from autograder.hw3_acgan_wgan.judging import loss_tensor


def _loss(answer, key, name):
    value = loss_tensor(answer, key, f"{name} should return a one-element tensor with a graph (computed with torch "
                        "operations from the logits, so that .backward() works), found {found}.")
    return as_float(value, name)


def _d_hint(found, rs, rc, fs, fc, rl, fl):
    bce, ce = torch.nn.functional.binary_cross_entropy_with_logits, torch.nn.functional.cross_entropy
    with torch.no_grad():
        source = (bce(rs, torch.ones_like(rs)) + bce(fs, torch.zeros_like(fs))).item()
        candidates = {
            "The class term of the fakes is missing: add CE(fake_cls, fake_labels) (D must also name the class of "
            "the fakes).": source + ce(rc, rl).item(),
            "The fakes are classified against the real labels: use fake_labels, the labels G was asked for.":
                source + ce(rc, rl).item() + ce(fc, rl).item(),
            "The class terms are missing: −L_C = CE(real_cls, real_labels) + CE(fake_cls, fake_labels).": source,
            "A Sigmoid (or Softmax) is applied before a loss that takes logits: pass the raw logits to "
            "binary_cross_entropy_with_logits and cross_entropy.":
                (bce(torch.sigmoid(rs), torch.ones_like(rs)) + bce(torch.sigmoid(fs), torch.zeros_like(fs))).item()
                + ce(rc, rl).item() + ce(fc, fl).item(),
            "Softmax was applied before cross_entropy, which applies log-softmax itself: pass the logits.":
                source + ce(rc.softmax(1), rl).item() + ce(fc.softmax(1), fl).item(),
            "The source targets are swapped: real images against 1, fakes against 0.":
                (bce(rs, torch.zeros_like(rs)) + bce(fs, torch.ones_like(fs))).item() + ce(rc, rl).item()
                + ce(fc, fl).item(),
        }
    for hint, value in candidates.items():
        if abs(found - value) < 1e-4 * max(1, abs(value)):
            return hint
    return ("acgan_d_loss = BCE(real_src, 1) + BCE(fake_src, 0) + CE(real_cls, real_labels) + "
            "CE(fake_cls, fake_labels), each the mean over the batch.")


def _g_hint(found, fs, fc, fl):
    bce, ce = torch.nn.functional.binary_cross_entropy_with_logits, torch.nn.functional.cross_entropy
    with torch.no_grad():
        cls = ce(fc, fl).item()
        candidates = {
            "This is the saturating form: −BCE(fake_src, 0) = log(1 − D(G(z))) gives G almost no gradient when D "
            "rejects its fakes. Minimise BCE(fake_src, 1) = −log D(G(z)) instead.":
                -bce(fs, torch.zeros_like(fs)).item() + cls,
            "The source target is 0: G would be teaching D's verdict \"fake\". G wants its fakes called real: "
            "BCE(fake_src, 1).": bce(fs, torch.zeros_like(fs)).item() + cls,
            "The class term is missing: G maximises L_C too, so add CE(fake_cls, fake_labels).":
                bce(fs, torch.ones_like(fs)).item(),
            "The class term has the wrong sign: G maximises L_C, so it *minimises* + CE(fake_cls, fake_labels).":
                bce(fs, torch.ones_like(fs)).item() - cls,
            "A Sigmoid is applied before binary_cross_entropy_with_logits: pass the raw logit.":
                bce(torch.sigmoid(fs), torch.ones_like(fs)).item() + cls,
        }
    for hint, value in candidates.items():
        if abs(found - value) < 1e-4 * max(1, abs(value)):
            return hint
    return "acgan_g_loss = BCE(fake_src, 1) + CE(fake_cls, fake_labels), each the mean over the batch."


def _grad(answer, key, like):
    grad = answer[key]
    return grad if isinstance(grad, torch.Tensor) and grad.shape == like.shape and grad.is_floating_point() else None


@pytest.mark.points(15)
def test_p03_acgan_losses(answer):
    """ACGAN losses"""
    rs, rc, fs, fc, rl, fl = fx.acgan_loss_inputs(answer.seed)
    found = _loss(answer, "d_loss", "acgan_d_loss")
    expected = ref.acgan_d_loss(rs, rc, fs, fc, rl, fl).item()
    expect_close(found, expected, "acgan_d_loss on fixed logits", 1e-4, _d_hint(found, rs, rc, fs, fc, rl, fl))

    found = _loss(answer, "g_loss", "acgan_g_loss")
    expected = ref.acgan_g_loss(fs, fc, fl).item()
    expect_close(found, expected, "acgan_g_loss on fixed logits", 1e-4, _g_hint(found, fs, fc, fl))
    # G's objective has the right sign: pushing the fakes' source logit up and the asked class's logit up lowers it.
    fs_grad, fc_grad = _grad(answer, "fake_src_grad", fs), _grad(answer, "fake_cls_grad", fc)
    expect(fs_grad is not None and bool((fs_grad < 0).all()),
           "acgan_g_loss should fall when D believes the fakes more (a larger source logit): minimise BCE(fake_src, 1).")
    expect(fc_grad is not None and bool((fc_grad.gather(1, fl.view(-1, 1)) < 0).all()),
           "acgan_g_loss should fall when D gives the fakes the class they were asked for.")
    # When D rejects the fakes outright, the non-saturating loss keeps a gradient of about −1 per image.
    rejected = _grad(answer, "rejected_grad", torch.zeros(8, 1))
    slope = rejected.sum().item() if rejected is not None else 0.0
    expect(slope < -0.5,
           f"When D rejects every fake with logit −15, d acgan_g_loss / d(source logits) sums to {slope:.2e}: the "
           "generator gets no learning signal. Use the non-saturating BCE(fake_src, 1) = −log D(G(z)).")
    expect(math.isfinite(slope), "acgan_g_loss's gradient is not finite for confident logits: use the *_with_logits loss.")
