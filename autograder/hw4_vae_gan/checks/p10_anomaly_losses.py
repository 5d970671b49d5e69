import torch

from autograder.toolkit.expect import as_float, expect, expect_close, expect_shape
from autograder.hw4_vae_gan import fixtures as fx
from autograder.hw4_vae_gan import reference as ref


def test_p10_anomaly_losses(answer):
    """Anomaly-model losses and score"""
    x, x_hat, z, z_hat = (t.detach() for t in fx.anomaly_loss_inputs(answer.seed))
    expect(answer["pair"] is True, "anomaly_losses should return the tuple (l_con, l_enc).")
    values = answer["values"]
    expect(isinstance(values, list) and len(values) == 2, "anomaly_losses should return the tuple (l_con, l_enc).")
    l_con, l_enc = (as_float(v, name) for v, name in zip(values, ("l_con", "l_enc")))
    e_con, e_enc = (v.item() for v in ref.anomaly_losses(x, x_hat, z, z_hat))
    if abs(l_con - (x - x_hat).pow(2).mean().item()) < 1e-5:
        expect(False, "l_con is a squared error: the contextual loss is the L1 loss mean |x − x_hat|.")
    expect_close(l_con, e_con, "l_con = mean |x − x_hat|", 1e-5, "The mean over every pixel of the batch of |x − x_hat|.")
    if abs(l_enc - (z - z_hat).abs().mean().item()) < 1e-5:
        expect(False, "l_enc is an L1 loss: the encoder loss is the squared error mean (z − z_hat)².")
    if abs(l_enc - (z - z_hat).flatten(1).norm(dim=1).mean().item()) < 1e-5:
        expect(False, "l_enc is the mean norm ‖z − z_hat‖: the loss is the mean *squared* error mean (z − z_hat)².")
    expect_close(l_enc, e_enc, "l_enc = mean (z − z_hat)²", 1e-5, "The mean over every entry of (z − z_hat)².")
    expect(answer["reached"] is True,
           "The losses should be computed with torch operations, so that they reach x_hat, z and z_hat.")

    # The score, on a model with BatchNorm left in training mode: eval mode makes each image's score its own.
    model, images = fx.score_model(answer.seed)
    scores = answer["scores"]
    expect_shape(scores, (len(images),), f"anomaly_score(model, x) for {len(images)} images", "One score per image.")
    expect(answer["scores_requires_grad"] is False,
           "anomaly_score should work without a graph: compute it under torch.no_grad().")
    expect(answer["training_after"] is True,
           "anomaly_score left the model in eval mode: remember model.training and restore it.")
    model.load_state_dict(answer.state("model_after", model, "the model after anomaly_score"))
    scores = scores.float()
    expected = ref.anomaly_score(model, images)
    model.eval()
    with torch.no_grad():
        z_e, _, z_hat_e = model(images)
    model.train()
    if torch.allclose(scores, (z_e - z_hat_e).flatten(1).pow(2).sum(1), rtol=1e-4):
        expect(False, "anomaly_score returns the squared distance: the score is the norm ‖z − z_hat‖₂ (take the root).")
    with torch.no_grad():
        z_t, _, z_hat_t = model(images)
    if torch.allclose(scores, (z_t - z_hat_t).flatten(1).norm(dim=1), rtol=1e-4):
        expect(False, "anomaly_score runs the model in training mode: BatchNorm then normalises with the batch's own "
               "statistics, so an image's score depends on the other images. Call model.eval() first.")
    expect(torch.allclose(scores, expected, rtol=1e-4, atol=1e-5),
           f"anomaly_score: expected {[round(v, 4) for v in expected.tolist()]}, found "
           f"{[round(v, 4) for v in scores.tolist()]}. The score is ‖z − z_hat‖₂ of each image, "
           "(z - z_hat).flatten(1).norm(dim=1), with the model in eval mode.")
