from autograder.hw3_acgan_wgan import fixtures as fx
from autograder.toolkit.wasserstein_check import judge_critic_loss, judge_generator_loss


def test_p07_wasserstein_losses(answer):
    """Wasserstein losses"""
    # The same functions as in HW2, checked the same way.
    real, fake, g_fake = fx.wasserstein_scores(answer.seed)
    judge_critic_loss(answer["c_loss"], answer.get("c_loss_graph"), lambda: answer["c_grads"] == (True, True), real, fake)
    judge_generator_loss(answer["g_loss"], answer.get("g_loss_graph"), g_fake)
