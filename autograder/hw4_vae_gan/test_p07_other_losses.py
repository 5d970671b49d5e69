import pytest
import torch

from autograder.expect import as_float, expect, expect_close
from autograder.hw4_vae_gan import fixtures as fx
from autograder.hw4_vae_gan import reference as ref
from autograder.hw4_vae_gan.losses import expect_loss, recorded


def _wasserstein(answer, seed: int) -> None:
    """critic_loss and wgan_generator_loss, judged as HW2's Wasserstein check judges them."""
    real, fake = fx.scores(16, fx.sub_seed(seed, 73), 3.0, 2.0), fx.scores(16, fx.sub_seed(seed, 74), -1.0, 2.0)
    info = recorded(answer, "critic_loss")
    loss = info["value"]
    expect(isinstance(loss, torch.Tensor) and loss.numel() == 1 and info.get("requires_grad") is True,
           "critic_loss should return a one-element tensor with a graph (computed from the scores with torch "
           "operations, so that .backward() works).")
    expected = (fake.mean() - real.mean()).item()
    found = as_float(loss, "critic_loss")
    hint = ("The sign is reversed: the critic minimises mean(C(fake)) − mean(C(real)), i.e. it raises the scores "
            "of real images and lowers those of fakes." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "critic_loss(real_scores, fake_scores) = mean(fake_scores) − mean(real_scores).")
    expect_close(found, expected, "critic_loss on fixed scores", 1e-5, hint)
    expect(answer["critic_loss_reached"] is True, "critic_loss should depend on both real and fake scores.")

    fake = fx.scores(16, fx.sub_seed(seed, 75), 0.5, 2.0)
    info = recorded(answer, "wgan_generator_loss")
    loss = info["value"]
    expect(isinstance(loss, torch.Tensor) and loss.numel() == 1 and info.get("requires_grad") is True,
           "wgan_generator_loss should return a one-element tensor with a graph.")
    expected = -fake.mean().item()
    found = as_float(loss, "wgan_generator_loss")
    hint = ("The sign is reversed: the generator wants high critic scores for its images, so it minimises "
            "−mean(C(G(z)))." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "wgan_generator_loss(fake_scores) = −mean(fake_scores).")
    expect_close(found, expected, "wgan_generator_loss on fixed scores", 1e-5, hint)


@pytest.mark.points(10)
def test_p07_other_losses(answer):
    """LSGAN, WGAN and hinge losses"""
    seed = answer.seed
    real, fake = fx.scores(16, fx.sub_seed(seed, 71), 1.0, 2.0), fx.scores(16, fx.sub_seed(seed, 72), -1.0, 2.0)
    expect_loss(answer, "lsgan_d_loss", ref.lsgan_d_loss(real, fake), "½·mean((r − 1)²) + ½·mean(f²)", {
        "The factor ½ is missing: L_D = ½·mean((r − 1)²) + ½·mean(f²).": 2 * ref.lsgan_d_loss(real, fake),
        "The targets are swapped: real scores towards 1, fake scores towards 0.": ref.lsgan_d_loss(fake, real),
        "The scores are used raw in LSGAN: no sigmoid.": ref.lsgan_d_loss(torch.sigmoid(real), torch.sigmoid(fake)),
    })
    expect_loss(answer, "lsgan_g_loss", ref.lsgan_g_loss(fake), "½·mean((f − 1)²)", {
        "G's target is the real label 1, not 0: ½·mean((f − 1)²).": 0.5 * fake.pow(2).mean(),
        "The factor ½ is missing.": 2 * ref.lsgan_g_loss(fake),
    })
    _wasserstein(answer, seed)  # critic_loss and wgan_generator_loss: the same functions as HW2's, the same check
    expect_loss(answer, "hinge_d_loss", ref.hinge_d_loss(real, fake), "mean(max(0, 1 − r)) + mean(max(0, 1 + f))", {
        "The margins are missing: the hinge loss is mean(max(0, 1 − r)) + mean(max(0, 1 + f)), not the "
        "Wasserstein mean(f) − mean(r).": fake.mean() - real.mean(),
        "The signs inside the hinge are swapped: real scores are pushed above +1, fake ones below −1.":
            ref.hinge_d_loss(fake, real),
    })
    expect_loss(answer, "hinge_g_loss", ref.hinge_g_loss(fake), "−mean(f)", {
        "G's hinge loss is −mean(f), without a margin (as in SNGAN and BigGAN).": torch.relu(1 - fake).mean(),
        "The sign is reversed: G wants high scores for its fakes, so it minimises −mean(f).": fake.mean(),
    })
