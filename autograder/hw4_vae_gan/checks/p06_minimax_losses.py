import torch

from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect
from autograder.hw4_vae_gan import fixtures as fx
from autograder.hw4_vae_gan import reference as ref
from autograder.hw4_vae_gan.losses import expect_finite, expect_loss


def test_p06_minimax_losses(answer):
    """Minimax and non-saturating losses"""
    seed = answer.seed
    real, fake = fx.scores(16, fx.sub_seed(seed, 61), 1.0, 1.5), fx.scores(16, fx.sub_seed(seed, 62), -1.0, 1.5)
    sigmoid_twice = torch.sigmoid(real)
    expect_loss(answer, "minimax_d_loss", ref.minimax_d_loss(real, fake),
                "BCE_with_logits(real_scores, 1) + BCE_with_logits(fake_scores, 0), each a mean over the batch", {
                    "The two terms are averaged instead of added: L_D = −log σ(r) − log(1 − σ(f)).":
                        ref.minimax_d_loss(real, fake) / 2,
                    "The labels are swapped: real scores against 1, fake scores against 0.": ref.minimax_d_loss(fake, real),
                    "The scores are logits: do not apply a sigmoid before BCE_with_logits.":
                        ref.minimax_d_loss(sigmoid_twice, torch.sigmoid(fake)),
                })
    expect_loss(answer, "minimax_g_loss", ref.minimax_g_loss(fake),
                "mean log(1 − σ(f)) = −BCE_with_logits(fake_scores, 0): the saturating form, a negative number", {
                    "This is the non-saturating loss −log σ(f): minimax_g_loss is the saturating log(1 − σ(f)).":
                        ref.nonsaturating_g_loss(fake),
                    "The sign is reversed: G minimises log(1 − σ(f)) (D maximises it).": -ref.minimax_g_loss(fake),
                })
    expect_loss(answer, "nonsaturating_g_loss", ref.nonsaturating_g_loss(fake),
                "mean −log σ(f) = BCE_with_logits(fake_scores, 1)", {
                    "This is the saturating loss log(1 − σ(f)): the non-saturating one is −log σ(f).":
                        ref.minimax_g_loss(fake),
                })
    for name in ("minimax_d_loss", "minimax_g_loss", "nonsaturating_g_loss"):
        expect_finite(answer, f"{name}_huge", name)

    # The reason for the non-saturating loss: when D is sure the fakes are fake, the saturating loss's gradient vanishes.
    for name, size in (("minimax_g_loss", torch.sigmoid(torch.tensor(-10.0)).item()),
                       ("nonsaturating_g_loss", 1 - torch.sigmoid(torch.tensor(-10.0)).item())):
        grad = answer[f"{name}_sure_grad"]
        expect(isinstance(grad, torch.Tensor) and grad.shape == (4, 1),
               f"{name}: no gradient reached the scores at s = −10 (compute the loss with torch operations).")
        found = (grad.float() * len(grad)).abs().max().item()
        expect(abs(found - size) < 1e-3 * max(size, 1e-2), f"{name}: |dL_G/ds| of each fake at s = −10 (D(G(z)) ≈ 4.5e-5) "
               f"should be {size:.3g}, found {found:.3g}.")

    # Where the losses make their tensors: on the scores' device (seen on the meta device, which every grader has).
    for name, args in (("minimax_d_loss", "real_scores, fake_scores"), ("minimax_g_loss", "fake_scores"),
                       ("nonsaturating_g_loss", "fake_scores")):
        expect_on_meta(answer[f"{name}_meta"], f"{name}({args}) for scores on the meta device",
                       "Make the targets with torch.ones_like(scores) / torch.zeros_like(scores): they take the scores' "
                       "shape and device.")
