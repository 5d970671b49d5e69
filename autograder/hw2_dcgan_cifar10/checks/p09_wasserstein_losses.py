from autograder.hw2_dcgan_cifar10 import fixtures as fx
from autograder.hw2_dcgan_cifar10.probes import scores
from autograder.toolkit.wasserstein_check import judge_critic_loss, judge_generator_loss


def judge_wasserstein_losses(answer, prefix: str = "") -> None:
    """What ``probes.p09_wasserstein_losses`` recorded (with the same ``prefix``)."""
    seed, key = answer.seed, lambda name: answer[prefix + name]
    real, fake = scores(16, fx.derived(seed, 0), 3.0), scores(16, fx.derived(seed, 1), -1.0)
    judge_critic_loss(key("critic_loss"), key("critic_loss_requires_grad"),
                      lambda: key("critic_grads") in ((True, True), [True, True]), real, fake)
    judge_generator_loss(key("generator_loss"), key("generator_loss_requires_grad"),
                         scores(16, fx.derived(seed, 2), 0.5))


def test_p09_wasserstein_losses(answer):
    """Wasserstein losses"""
    judge_wasserstein_losses(answer)
