from autograder.toolkit.expect import expect
from autograder.toolkit.structure import expect_structure
from autograder.hw5_cgan_infogan.checks_common import (expect_embedding, expect_gradients, expect_shape,
                                                       expect_uses_labels, int_list, ran)
from autograder.toolkit.open_range import expect_open_range


def test_p02_cdiscriminator(answer):
    """Conditional discriminator"""
    call = "CDiscriminator(n_classes=10, hidden=16)"
    expect(answer["D_is_module"] is True, f"{call} should create an nn.Module, found {answer['D_type']}.")
    expect_embedding(answer["has_embedding"], "CDiscriminator")
    joined = ("Each pair's input is its flattened image followed by its label embedding, "
              "torch.cat([x.flatten(1), self.embed(labels)], dim=1)")
    logits = ran(answer, "logits", f"{call} applied to 16 images and their labels", joined)
    expect_shape(logits, (16, 1), f"{call} applied to 16 images and their labels", "Return one logit per pair: N×1.")
    widths = int_list(answer["widths"])
    expect(widths == [1, 16, 32], f"With hidden=16 the Linear layers should have 32, 16 and 1 outputs, found "
           f"{widths if widths is not None else answer['widths']}: use the hidden argument (2·hidden, then hidden).")
    expect_open_range(answer.tensor("big", "CDiscriminator's outputs with large weights"), "CDiscriminator's outputs",
                      "Return logits, not probabilities or bounded scores: the last Linear layer's output as it is, with "
                      "no Sigmoid, Tanh or other activation after it (binary_cross_entropy_with_logits applies the "
                      "sigmoid itself).")
    expect_gradients(answer["gradients"], call, embedding=False)  # the embedding: by expect_uses_labels (its cause)
    expect_uses_labels(answer, "labels", "CDiscriminator", "logits", "images", 1e-7,
                       "Concatenate the label embedding with the flattened images (torch.cat([x.flatten(1), "
                       "embed(labels)], dim=1)) and feed the result to the network.")
    five = ran(answer, "five", "CDiscriminator(n_classes=5, hidden=16)", joined,
               otherwise="It works with n_classes=10, so some layer is sized for 10 classes: use the n_classes "
               "argument (nn.Embedding(n_classes, n_classes), and 784 + n_classes inputs to the first Linear layer).")
    expect_shape(five, (5, 1), "CDiscriminator(n_classes=5, hidden=16) applied to 5 images and the labels "
                 "0–4", "Use the n_classes argument for the embedding.")
    # CDiscriminator(n_classes=5, hidden=16): embedding 5·5, Linear 789→32, 32→16, 16→1
    expect_structure(answer["structure"], "CDiscriminator(n_classes=5, hidden=16)",
                     weights=5 * 5 + 789 * 32 + 32 * 16 + 16 * 1, norms=[], activations={"LeakyReLU(0.2)"},
                     embeddings=[5])
