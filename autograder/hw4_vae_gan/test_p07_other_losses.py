import pytest

from autograder.hw2_dcgan_cifar10.test_p09_wasserstein_losses import test_p09_wasserstein_losses as wasserstein_as_in_hw2
from autograder.hw4_vae_gan import reference as ref
from autograder.hw4_vae_gan.losses import expect_loss


@pytest.mark.points(10)
def test_p07_other_losses(student):
    """LSGAN, WGAN and hinge losses"""
    dev = ref.device_of(student)
    real, fake = ref.scores(16, 3, 1.0, 2.0, dev), ref.scores(16, 4, -1.0, 2.0, dev)
    expect_loss(student.lsgan_d_loss, "lsgan_d_loss", (real, fake), ref.lsgan_d_loss(real, fake),
                "½·mean((r − 1)²) + ½·mean(f²)", {
                    "The factor ½ is missing: L_D = ½·mean((r − 1)²) + ½·mean(f²).": 2 * ref.lsgan_d_loss(real, fake),
                    "The targets are swapped: real scores towards 1, fake scores towards 0.": ref.lsgan_d_loss(fake, real),
                    "The scores are used raw in LSGAN: no sigmoid.":
                        ref.lsgan_d_loss(ref.torch.sigmoid(real), ref.torch.sigmoid(fake)),
                })
    expect_loss(student.lsgan_g_loss, "lsgan_g_loss", (fake,), ref.lsgan_g_loss(fake), "½·mean((f − 1)²)", {
        "G's target is the real label 1, not 0: ½·mean((f − 1)²).": 0.5 * fake.pow(2).mean(),
        "The factor ½ is missing.": 2 * ref.lsgan_g_loss(fake),
    })
    wasserstein_as_in_hw2(student)  # critic_loss and wgan_generator_loss: the same functions, the same check
    expect_loss(student.hinge_d_loss, "hinge_d_loss", (real, fake), ref.hinge_d_loss(real, fake),
                "mean(max(0, 1 − r)) + mean(max(0, 1 + f))", {
                    "The margins are missing: the hinge loss is mean(max(0, 1 − r)) + mean(max(0, 1 + f)), not the "
                    "Wasserstein mean(f) − mean(r).": fake.mean() - real.mean(),
                    "The signs inside the hinge are swapped: real scores are pushed above +1, fake ones below −1.":
                        ref.hinge_d_loss(fake, real),
                })
    expect_loss(student.hinge_g_loss, "hinge_g_loss", (fake,), ref.hinge_g_loss(fake), "−mean(f)", {
        "G's hinge loss is −mean(f), without a margin (as in SNGAN and BigGAN).": ref.torch.relu(1 - fake).mean(),
        "The sign is reversed: G wants high scores for its fakes, so it minimises −mean(f).": fake.mean(),
    })
