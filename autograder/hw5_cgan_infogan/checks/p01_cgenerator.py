from autograder.toolkit.expect import expect
from autograder.toolkit.structure import expect_structure
from autograder.hw5_cgan_infogan.checks_common import (expect_embedding, expect_gradients, expect_shape,
                                                       expect_tanh_output, expect_uses_labels, int_list, ran)


def test_p01_cgenerator(answer):
    """Conditional generator"""
    call, name, n, nz = "CGenerator(nz=20, n_classes=10, hidden=16)", "CGenerator", 6, 20
    expect(answer["G_is_module"] is True, f"{call} should create an nn.Module, found {answer['G_type']}.")
    expect_embedding(answer["has_embedding"], name)
    joined = "Each image's input is its noise followed by its label embedding, torch.cat([z, self.embed(labels)], dim=1)"
    out = ran(answer, "out", f"{call} applied to {n} noise vectors of size {nz} and {n} labels", joined)
    expect_shape(out, (n, 1, 28, 28), f"{call} applied to {n} noise vectors of size {nz} and {n} labels",
                 "The last Linear layer gives 784 numbers per image: reshape them to N×1×28×28.")
    out_4d = ran(answer, "out_4d", f"{call} applied to noise of shape N×{nz}×1×1", joined,
                 otherwise=f"It works for noise of shape N×{nz}, so flatten the noise first: z.reshape(len(z), -1).")
    expect_shape(out_4d, (n, 1, 28, 28), f"{call} applied to noise of shape N×{nz}×1×1",
                 "Flatten the noise first: z.reshape(len(z), -1).")
    expect(bool((out.abs() <= 1).all()), f"{name}'s images should lie in [-1, 1] (end with a Tanh).")
    expect_tanh_output(call, answer["trace"])
    expect_gradients(answer["gradients"], call, embedding=False)  # the embedding: by expect_uses_labels (its cause)
    expect_uses_labels(answer, "labels", name, "images", "noise", 1e-6,
                       "Concatenate the label embedding with z (torch.cat([z, embedding(labels)], dim=1)) and feed "
                       "the result to the network.")
    five = ran(answer, "five", call.replace("n_classes=10", "n_classes=5"), joined,
               otherwise="It works with n_classes=10, so some layer is sized for 10 classes: use the n_classes "
               "argument (nn.Embedding(n_classes, n_classes), and nz + n_classes inputs to the first Linear layer).")
    expect_shape(five, (5, 1, 28, 28),
                 f"{call.replace('n_classes=10', 'n_classes=5')} applied to 5 noise vectors and the labels 0–4",
                 "Use the n_classes argument for the embedding.")
    widths = int_list(answer["widths"])
    expect(widths == [16, 32, 784], f"With hidden=16 the Linear layers should have 16, 32 and 784 outputs, found "
           f"{widths if widths is not None else answer['widths']}: use the hidden argument (hidden, then 2·hidden).")
    # CGenerator(nz=20, n_classes=5, hidden=16): embedding 5·5, Linear 25→16, 16→32, 32→784
    expect_structure(answer["structure"], "CGenerator(nz=20, n_classes=5, hidden=16)",
                     weights=5 * 5 + 25 * 16 + 16 * 32 + 32 * 784, norms=["BatchNorm1d"],
                     activations={"LeakyReLU(0.2)", "Tanh"}, embeddings=[5])
