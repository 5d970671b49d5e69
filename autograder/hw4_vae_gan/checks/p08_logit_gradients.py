import torch

from autograder.toolkit.expect import expect, expect_shape
from autograder.hw4_vae_gan import fixtures as fx


def _derivatives(g_loss, s: torch.Tensor) -> torch.Tensor:
    """dL_G/ds_i of each score as if it were a batch of one (the judge's own autograd)."""
    s = s.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(len(s) * g_loss(s), s)
    return grad


def test_p08_logit_gradients(answer):
    """The generator's gradient"""
    s = fx.logit_scores(answer.seed)
    # The generator losses given to logit_gradients are generic ones (batch means); their derivatives come from autograd.
    for i, (what, g_loss) in enumerate(fx.G_LOSSES.items()):
        expected = _derivatives(g_loss, s)
        found = answer[f"found_{i}"]
        expect_shape(found, tuple(s.shape), f"logit_gradients(g_loss, scores) for scores of shape {tuple(s.shape)}",
                     "Return dL_G/ds for every score, shaped like the scores.")
        found = found.float()
        if torch.allclose(found * len(s), expected, atol=1e-5):
            expect(False, f"For {what} the derivatives are {len(s)} times too small: g_loss averages over the batch, "
                   "so take the gradient of len(s) * g_loss(s) to get each score's own derivative.")
        with torch.no_grad():
            values = g_loss(s.view(-1, 1)).expand_as(s)
            each = torch.stack([g_loss(v.view(1, 1)) for v in s]).view_as(s)
        if torch.allclose(found, values, atol=1e-5) or torch.allclose(found, each, atol=1e-5):
            expect(False, f"logit_gradients returns the loss values for {what}; return its derivative with respect "
                   "to each score (torch.autograd.grad).")
        expect(torch.allclose(found, expected, atol=1e-5),
               f"For {what} at s = {s.flatten().tolist()}, dL_G/ds should be "
               f"{[round(v, 5) for v in expected.flatten().tolist()]}, found {[round(v, 5) for v in found.flatten().tolist()]}. "
               "Differentiate with respect to the scores themselves (not to σ(s)).")

    # The caller's tensor is left alone, even one that is part of a graph.
    first = next(iter(fx.G_LOSSES.values()))
    found = answer["in_graph"]
    expect(isinstance(found, torch.Tensor) and found.shape == s.shape
           and torch.allclose(found.float(), _derivatives(first, s * 2), atol=1e-5),
           "logit_gradients should work on scores that are part of a graph: differentiate with respect to a detached "
           "copy (scores.detach().clone().requires_grad_(True)).")
    expect(answer["w_grad_is_none"] is True, "logit_gradients put gradients into the network that produced the scores: "
           "work on scores.detach().clone().requires_grad_(True) and use torch.autograd.grad.")
    after = answer["plain_after"]
    expect(answer["plain_requires_grad"] is False and isinstance(after, torch.Tensor) and after.shape == s.shape
           and torch.equal(after, s), "logit_gradients changed the caller's scores: work on a detached copy.")
