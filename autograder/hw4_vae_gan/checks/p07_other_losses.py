import torch

from autograder.toolkit.device_probe import expect_on_meta
from autograder.hw4_vae_gan import fixtures as fx
from autograder.hw4_vae_gan import reference as ref
from autograder.hw4_vae_gan.losses import expect_loss, recorded
from autograder.toolkit.wasserstein_check import judge_critic_loss, judge_generator_loss


def _wasserstein(answer, seed: int) -> None:
    """critic_loss and wgan_generator_loss, judged as HW2's Wasserstein check judges them."""
    real, fake = fx.scores(16, fx.sub_seed(seed, 73), 3.0, 2.0), fx.scores(16, fx.sub_seed(seed, 74), -1.0, 2.0)
    info = recorded(answer, "critic_loss")
    judge_critic_loss(info["value"], info.get("requires_grad"), lambda: answer["critic_loss_reached"], real, fake)
    info = recorded(answer, "wgan_generator_loss")
    judge_generator_loss(info["value"], info.get("requires_grad"), fx.scores(16, fx.sub_seed(seed, 75), 0.5, 2.0))


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

    # Where the losses make their tensors: on the scores' device (seen on the meta device, which every grader has).
    for name, args in (("lsgan_d_loss", "real_scores, fake_scores"), ("lsgan_g_loss", "fake_scores"),
                       ("hinge_d_loss", "real_scores, fake_scores"), ("hinge_g_loss", "fake_scores")):
        expect_on_meta(answer[f"{name}_meta"], f"{name}({args}) for scores on the meta device",
                       "Use the scores themselves (real_scores - 1, F.relu(1 - real_scores)); a target tensor needs "
                       "torch.ones_like(scores), which takes the scores' shape and device.")
