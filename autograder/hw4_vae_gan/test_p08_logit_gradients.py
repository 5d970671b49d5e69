import pytest
import torch

from autograder.expect import expect, expect_shape
from autograder.hw4_vae_gan import reference as ref


@pytest.mark.points(5)
def test_p08_logit_gradients(student):
    """The generator's gradient"""
    dev = ref.device_of(student)
    s = torch.tensor([[-9.0], [-3.0], [-0.5], [0.0], [2.0], [6.0]], device=dev)
    analytic = {"the non-saturating loss": (ref.nonsaturating_g_loss, torch.sigmoid(s) - 1),
                "the saturating minimax loss": (ref.minimax_g_loss, -torch.sigmoid(s)),
                "the LSGAN loss": (ref.lsgan_g_loss, s - 1),
                "the WGAN loss": (ref.wgan_generator_loss, -torch.ones_like(s))}
    for what, (g_loss, expected) in analytic.items():
        found = student.logit_gradients(g_loss, s)
        expect_shape(found, tuple(s.shape), f"logit_gradients(g_loss, scores) for scores of shape {tuple(s.shape)}",
                     "Return dL_G/ds for every score, shaped like the scores.")
        found = found.detach()
        if torch.allclose(found * len(s), expected, atol=1e-5):
            expect(False, f"For {what} the derivatives are {len(s)} times too small: g_loss averages over the batch, "
                   "so take the gradient of len(s) * g_loss(s) to get each score's own derivative.")
        if torch.allclose(found, g_loss(s.view(-1, 1)).detach().expand_as(s), atol=1e-5) or \
                torch.allclose(found, torch.stack([g_loss(v.view(1, 1)).detach() for v in s]).view_as(s), atol=1e-5):
            expect(False, f"logit_gradients returns the loss values for {what}; return its derivative with respect "
                   "to each score (torch.autograd.grad).")
        expect(torch.allclose(found, expected, atol=1e-5),
               f"For {what} at s = {s.flatten().tolist()}, dL_G/ds should be "
               f"{[round(v, 5) for v in expected.flatten().tolist()]}, found {[round(v, 5) for v in found.flatten().tolist()]}. "
               "Differentiate with respect to the scores themselves (not to σ(s)).")

    # The caller's tensor is left alone, even one that is part of a graph.
    w = torch.tensor(2.0, device=dev, requires_grad=True)
    in_graph = s * w
    found = student.logit_gradients(ref.nonsaturating_g_loss, in_graph)
    expect(torch.allclose(found.detach(), torch.sigmoid(in_graph.detach()) - 1, atol=1e-5),
           "logit_gradients should work on scores that are part of a graph: differentiate with respect to a detached "
           "copy (scores.detach().clone().requires_grad_(True)).")
    expect(w.grad is None, "logit_gradients put gradients into the network that produced the scores: work on "
           "scores.detach().clone().requires_grad_(True) and use torch.autograd.grad.")
    plain = s.clone()
    student.logit_gradients(ref.nonsaturating_g_loss, plain)
    expect(not plain.requires_grad and torch.equal(plain, s),
           "logit_gradients changed the caller's scores: work on a detached copy.")
