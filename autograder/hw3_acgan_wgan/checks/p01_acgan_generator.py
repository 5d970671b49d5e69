import torch

from autograder.toolkit.conditioning import _change, _expect_per_image_labels
from autograder.toolkit.expect import expect
from autograder.toolkit.gradient_paths import expect_gradients_everywhere
from autograder.hw3_acgan_wgan.judging import shape
from autograder.toolkit.structure import expect_structure

CALL, NAME, NZ, N = "ACGenerator(nz=20, n_classes=10, ngf=8)", "ACGenerator", 20, 6
SHAPE_HINT = "7×7 from the Linear layer, then two ConvTranspose2d(kernel 4, stride 2, padding 1): 14×14, 28×28."


def _expect_tanh_output(answer, out: torch.Tensor) -> None:
    """The output is nn.Tanh of what the layer before computed (as autograder.toolkit.probes.expect_output_activation)."""
    run, run_out = answer["trace"], answer["trace_out"]
    expect(isinstance(run, list) and isinstance(run_out, torch.Tensor)
           and all(isinstance(step, tuple) and len(step) == 2 for step in run),
           "The grader could not read what your generator computed.")

    def same(a, b):
        return (isinstance(a, torch.Tensor) and a.numel() == b.numel() and a.dtype == b.dtype
                and torch.equal(a.reshape(-1), b.reshape(-1)))

    if any(is_tanh is True and same(output, run_out) for is_tanh, output in run):
        return
    for _, pre in reversed(run):  # the functional form: the output is tanh(the last tensor of the output's size)
        if isinstance(pre, torch.Tensor) and pre.numel() == run_out.numel() and not same(pre, run_out):
            if pre.is_floating_point() and torch.allclose(torch.tanh(pre).reshape(-1), run_out.reshape(-1).to(pre.dtype),
                                                          atol=1e-6):
                return
            break
    expect(False, f"{CALL}: the output should be nn.Tanh() of the last layer's output, and it is not: end the "
           "network with nn.Tanh(). (A clamp to the same range is not the same: it passes no gradient where it "
           "clips.)")


def test_p01_acgan_generator(answer):
    """ACGAN generator"""
    expect(answer["G_is_module"] is True, f"{CALL} should create an nn.Module, found {answer['G_type']}.")
    expect(answer["has_embedding"] is True,
           f"{NAME} should learn a vector per class with an nn.Embedding(n_classes, ...) layer; it has none. Turn the "
           "integer labels into embeddings rather than feeding the raw label numbers to the network.")
    out = shape(answer["out"], (N, 1, 28, 28), f"{CALL} applied to {N} noise vectors of size {NZ} and {N} labels",
                SHAPE_HINT)
    shape(answer["out_4d"], (N, 1, 28, 28), f"{CALL} applied to noise of shape N×{NZ}×1×1",
          "Flatten the noise first: z.reshape(len(z), -1).")
    expect(bool((out.abs() <= 1).all()), f"{NAME}'s images should lie in [-1, 1] (end with a Tanh).")
    _expect_tanh_output(answer, out)

    # Changing only the labels must change the images, image by image (eval mode: each image on its own).
    base = answer.tensor("base", "G(z, labels) in eval mode")
    results = {key: answer.tensor(key, "G(z, labels) in eval mode") for key in ("by_input", "by_label", "by_one_label")}
    expect(all(r.shape == base.shape and r.is_floating_point() for r in results.values()) and base.is_floating_point(),
           "The grader could not read your generator's images in eval mode.")
    tiny = 1e-6
    by_input, by_label = _change(base, results["by_input"]), _change(base, results["by_label"])
    expect(by_input > tiny, f"{NAME}'s images do not depend on the noise: feed them to the network together with "
           "the label embedding.")
    expect(by_label > max(tiny, 1e-3 * by_input),
           f"Changing only the labels (same noise, eval mode) changed {NAME}'s images by {by_label:.2e} on average "
           f"(changing the noise: {by_input:.2e}): the labels are ignored. Concatenate the label embedding with z "
           "(torch.cat([z, embedding(labels)], dim=1)) and feed the result to the network.")
    _expect_per_image_labels(base, results["by_one_label"], 3, NAME, "images")
    expect_gradients_everywhere(answer["gradients"], CALL)
    grads = answer["embedding_grads"]
    expect(isinstance(grads, list) and any(isinstance(g, float) and g > 0 for g in grads),
           f"{NAME}'s nn.Embedding gets no gradient from the output: the embedding exists but the network does not "
           "use it (feeding the raw label numbers instead?). Feed embedding(labels) to the network.")
    shape(answer["five"], (5, 1, 28, 28),
          f"{CALL.replace('n_classes=10', 'n_classes=5')} applied to 5 noise vectors and the labels 0–4",
          "Use the n_classes argument for the embedding.")
    # ACGenerator(nz=20, n_classes=5, ngf=8): embedding 5·50, Linear 70→784, ConvT 16→8 and 8→1 (4×4 kernels)
    expect_structure(answer["structure"], "ACGenerator(nz=20, n_classes=5, ngf=8)",
                     weights=5 * 50 + 70 * 784 + 16 * 8 * 16 + 8 * 1 * 16, norms=["BatchNorm1d", "BatchNorm2d"],
                     activations={"ReLU", "Tanh"}, embeddings=[5])
