import math

import torch

from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import as_float, expect, expect_close
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
        real_source, fake_source = bce(rs, torch.ones_like(rs)).item(), bce(fs, torch.zeros_like(fs)).item()
        source, real_class, fake_class = real_source + fake_source, ce(rc, rl).item(), ce(fc, fl).item()
        candidates = {
            "That is the value without the class term of the fakes: add CE(fake_cls, fake_labels) (D must also name "
            "the class of the fakes).": source + real_class,
            "That is the value with the class term computed on the fakes only: add the class term of the real images, "
            "CE(real_cls, real_labels) (D must also name the class of the real digits).": source + fake_class,
            "That is the value with the fakes classified against the real labels: use fake_labels, the labels G was "
            "asked for.": source + real_class + ce(fc, rl).item(),
            "That is the value with the real images classified against fake_labels: classify them against "
            "real_labels, their own labels.": source + ce(rc, fl).item() + fake_class,
            "That is the value of the source terms alone: add −L_C = CE(real_cls, real_labels) + CE(fake_cls, "
            "fake_labels).": source,
            "That is the value without the source term of the fakes: add BCE(fake_src, 0).":
                real_source + real_class + fake_class,
            "That is the value without the source term of the real images: add BCE(real_src, 1).":
                fake_source + real_class + fake_class,
            "That is the value with a Sigmoid applied before a loss that takes logits: pass the raw logits to "
            "binary_cross_entropy_with_logits and cross_entropy.":
                (bce(torch.sigmoid(rs), torch.ones_like(rs)) + bce(torch.sigmoid(fs), torch.zeros_like(fs))).item()
                + real_class + fake_class,
            "That is the value with Softmax applied before cross_entropy, which applies log-softmax itself: pass the "
            "logits.": source + ce(rc.softmax(1), rl).item() + ce(fc.softmax(1), fl).item(),
            "That is the value with the source targets swapped: real images against 1, fakes against 0.":
                (bce(rs, torch.zeros_like(rs)) + bce(fs, torch.ones_like(fs))).item() + real_class + fake_class,
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
            "That is the saturating form: −BCE(fake_src, 0) = log(1 − D(G(z))) gives G almost no gradient when D "
            "rejects its fakes. Minimise BCE(fake_src, 1) = −log D(G(z)) instead.":
                -bce(fs, torch.zeros_like(fs)).item() + cls,
            "That is the value with the source target 0: G would be teaching D's verdict \"fake\". G wants its fakes "
            "called real: BCE(fake_src, 1).": bce(fs, torch.zeros_like(fs)).item() + cls,
            "That is the value without the class term: the class term is missing. G maximises L_C too, so add "
            "CE(fake_cls, fake_labels).": bce(fs, torch.ones_like(fs)).item(),
            "That is the value with the class term subtracted: it has the wrong sign. G maximises L_C, so it "
            "*minimises* + CE(fake_cls, fake_labels).": bce(fs, torch.ones_like(fs)).item() - cls,
            "That is the value with a Sigmoid applied before binary_cross_entropy_with_logits: pass the raw logit.":
                bce(torch.sigmoid(fs), torch.ones_like(fs)).item() + cls,
        }
    for hint, value in candidates.items():
        if abs(found - value) < 1e-4 * max(1, abs(value)):
            return hint
    return "acgan_g_loss = BCE(fake_src, 1) + CE(fake_cls, fake_labels), each the mean over the batch."


def _five_classes(answer, key: str, name: str, expected: float) -> None:
    """The loss on class logits of 5 classes (it was right on 10): a constant 10 in it shows here."""
    value = answer[key]
    if isinstance(value, dict) and isinstance(value.get("error"), str):
        expect(False, f"{name} failed on class logits of 5 classes (N×5), though it was right with 10: "
               f"{value['error']}. Something in it assumes 10 classes: take the number of classes from the logits "
               "(F.cross_entropy does), not a constant.")
    found = as_float(value, f"{name} on class logits of 5 classes")
    expect_close(found, expected, f"{name} on class logits of 5 classes (N×5; it was right with 10)", 1e-4,
                 "Something in it assumes 10 classes: take the number of classes from the logits (F.cross_entropy "
                 "does), not a constant.")


def _grad(answer, key, like):
    grad = answer[key]
    return grad if isinstance(grad, torch.Tensor) and grad.shape == like.shape and grad.is_floating_point() else None


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

    # Five classes: a constant 10 in either loss gives another value (or fails).
    rs, rc, fs, fc, rl, fl = fx.acgan_loss_inputs(answer.seed, n_classes=5)
    _five_classes(answer, "d_loss_5", "acgan_d_loss", ref.acgan_d_loss(rs, rc, fs, fc, rl, fl).item())
    _five_classes(answer, "g_loss_5", "acgan_g_loss", ref.acgan_g_loss(fs, fc, fl).item())
    # On the meta device: targets made without device= are on the CPU.
    fix = ("Make each target where its logits are: torch.ones_like(real_src), torch.zeros_like(fake_src) (or "
           "device=real_src.device).")
    expect_on_meta(answer["d_meta"], "acgan_d_loss on logits on the device meta", fix)
    expect_on_meta(answer["g_meta"], "acgan_g_loss on logits on the device meta",
                   "Make the target where the logits are: torch.ones_like(fake_src) (or device=fake_src.device).")
