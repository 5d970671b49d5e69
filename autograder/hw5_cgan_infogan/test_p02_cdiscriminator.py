import pytest

from autograder.expect import expect
from autograder.structure import expect_structure
from autograder.hw5_cgan_infogan.checks_common import expect_embedding, expect_shape, expect_uses_labels, int_list
from autograder.probes import expect_logits


@pytest.mark.points(10)
def test_p02_cdiscriminator(answer):
    """Conditional discriminator"""
    call = "CDiscriminator(n_classes=10, hidden=16)"
    expect(answer["D_is_module"] is True, f"{call} should create an nn.Module, found {answer['D_type']}.")
    expect_embedding(answer["has_embedding"], "CDiscriminator")
    expect_shape(answer["logits"], (16, 1), f"{call} applied to 16 images and their labels",
                 "Return one logit per pair: N×1.")
    widths = int_list(answer["widths"])
    expect(widths == [1, 16, 32], f"With hidden=16 the Linear layers should have 32, 16 and 1 outputs, found "
           f"{widths if widths is not None else answer['widths']}: use the hidden argument (2·hidden, then hidden).")
    expect_logits(answer.tensor("big", "CDiscriminator's outputs with large weights"), "the outputs")
    expect_uses_labels(answer, "labels", "CDiscriminator", "logits", "images", 1e-7,
                       "Concatenate the label embedding with the flattened images (torch.cat([x.flatten(1), "
                       "embed(labels)], dim=1)) and feed the result to the network.")
    expect_shape(answer["five"], (5, 1), "CDiscriminator(n_classes=5, hidden=16) applied to 5 images and the labels "
                 "0–4", "Use the n_classes argument for the embedding.")
    # CDiscriminator(n_classes=5, hidden=16): embedding 5·5, Linear 789→32, 32→16, 16→1
    expect_structure(answer["structure"], "CDiscriminator(n_classes=5, hidden=16)",
                     weights=5 * 5 + 789 * 32 + 32 * 16 + 16 * 1, norms=[], activations={"LeakyReLU(0.2)"},
                     embeddings=[5])
