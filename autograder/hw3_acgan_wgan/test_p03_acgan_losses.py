import math

import pytest
import torch

from autograder.expect import as_float, expect, expect_close
from autograder.hw3_acgan_wgan import reference as ref


def _inputs(dev):
    g = torch.Generator().manual_seed(11)
    real_src, fake_src = torch.randn(12, 1, generator=g) + 1.5, torch.randn(12, 1, generator=g) - 0.5
    real_cls, fake_cls = 2 * torch.randn(12, 10, generator=g), 2 * torch.randn(12, 10, generator=g)
    real_labels, fake_labels = torch.arange(12) % 10, (7 * torch.arange(12) + 4) % 10
    tensors = [t.to(dev).requires_grad_(t.is_floating_point()) for t in
               (real_src, real_cls, fake_src, fake_cls, real_labels, fake_labels)]
    return tensors


def _loss(value, name):
    expect(isinstance(value, torch.Tensor) and value.numel() == 1 and value.requires_grad,
           f"{name} should return a one-element tensor with a graph (computed with torch operations from the logits, "
           f"so that .backward() works), found {type(value).__name__}.")
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


@pytest.mark.points(15)
def test_p03_acgan_losses(student):
    """ACGAN losses"""
    dev = ref.device_of(student)
    rs, rc, fs, fc, rl, fl = _inputs(dev)
    found = _loss(student.acgan_d_loss(rs, rc, fs, fc, rl, fl), "acgan_d_loss")
    expected = ref.acgan_d_loss(rs, rc, fs, fc, rl, fl).item()
    expect_close(found, expected, "acgan_d_loss on fixed logits", 1e-4, _d_hint(found, rs, rc, fs, fc, rl, fl))

    rs, rc, fs, fc, rl, fl = _inputs(dev)
    loss = student.acgan_g_loss(fs, fc, fl)
    found = _loss(loss, "acgan_g_loss")
    expected = ref.acgan_g_loss(fs, fc, fl).item()
    expect_close(found, expected, "acgan_g_loss on fixed logits", 1e-4, _g_hint(found, fs, fc, fl))
    # G's objective has the right sign: pushing the fakes' source logit up and the asked class's logit up lowers it.
    loss.backward()
    expect(fs.grad is not None and bool((fs.grad < 0).all()),
           "acgan_g_loss should fall when D believes the fakes more (a larger source logit): minimise BCE(fake_src, 1).")
    asked = fc.grad.gather(1, fl.view(-1, 1))
    expect(bool((asked < 0).all()), "acgan_g_loss should fall when D gives the fakes the class they were asked for.")
    # When D rejects the fakes outright, the non-saturating loss keeps a gradient of about −1 per image.
    rejected = torch.full((8, 1), -15.0, device=dev, requires_grad=True)
    student.acgan_g_loss(rejected, fc[:8].detach(), fl[:8]).backward()
    slope = rejected.grad.sum().item()
    expect(slope < -0.5,
           f"When D rejects every fake with logit −15, d acgan_g_loss / d(source logits) sums to {slope:.2e}: the "
           "generator gets no learning signal. Use the non-saturating BCE(fake_src, 1) = −log D(G(z)).")
    expect(math.isfinite(slope), "acgan_g_loss's gradient is not finite for confident logits: use the *_with_logits loss.")
