import pytest

from autograder.expect import as_float, expect, expect_close
from autograder.hw3_acgan_wgan import fixtures as fx
from autograder.hw3_acgan_wgan.judging import loss_tensor


@pytest.mark.points(5)
def test_p07_wasserstein_losses(answer):
    """Wasserstein losses"""
    # The same functions as in HW2, checked the same way.
    real, fake, g_fake = fx.wasserstein_scores(answer.seed)
    loss = loss_tensor(answer, "c_loss", "critic_loss should return a one-element tensor with a graph (computed "
                       "from the scores with torch operations, so that .backward() works).")
    expected = (fake.mean() - real.mean()).item()
    found = as_float(loss, "critic_loss")
    hint = ("The sign is reversed: the critic minimises mean(C(fake)) − mean(C(real)), i.e. it raises the scores "
            "of real images and lowers those of fakes." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "critic_loss(real_scores, fake_scores) = mean(fake_scores) − mean(real_scores).")
    expect_close(found, expected, "critic_loss on fixed scores", 1e-5, hint)
    expect(answer["c_grads"] == (True, True), "critic_loss should depend on both real and fake scores.")

    loss = loss_tensor(answer, "g_loss", "wgan_generator_loss should return a one-element tensor with a graph.")
    expected = -g_fake.mean().item()
    found = as_float(loss, "wgan_generator_loss")
    hint = ("The sign is reversed: the generator wants high critic scores for its images, so it minimises "
            "−mean(C(G(z)))." if abs(found + expected) < 1e-4 * max(1, abs(expected)) else
            "wgan_generator_loss(fake_scores) = −mean(fake_scores).")
    expect_close(found, expected, "wgan_generator_loss on fixed scores", 1e-5, hint)
