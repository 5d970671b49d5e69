from autograder.toolkit.expect import expect, expect_shape
from autograder.toolkit.gradient_paths import expect_gradients_everywhere


def test_p04_generator(answer):
    """Generator"""
    expect(answer["G_is_module"] is True, f"Generator() should create an nn.Module, found {answer['G_type']}.")
    out = answer["out"]
    hint = ""
    if hasattr(out, "ndim") and out.ndim == 4 and out.shape[-1] != 28 and out.shape[-1] == out.shape[-2]:
        hint = (f"Each ConvTranspose2d gives out = (in − 1)·stride − 2·padding + kernel + output_padding: work it out "
                f"layer by layer to find where {out.shape[-1]}×{out.shape[-1]} comes from, and choose kernel, "
                "padding and output_padding so that the last layer gives 28×28.")
    expect_shape(out, (6, 1, 28, 28), "G(z) for 6 noise vectors of size 100", hint or "Reshape to N×1×28×28.")
    expect(bool((out.abs() <= 1).all()), f"G(z) should lie in [-1, 1] like the normalised images; found "
           f"{out.min().item():.3f} … {out.max().item():.3f}. End the generator with nn.Tanh().")
    expect(out.std() > 1e-4, "G(z) is (almost) constant: different noise should give different images.")
    expect_gradients_everywhere(answer["gradients"], "Generator(z_dim=100)")
    big = answer.tensor("big", "G(z) with large weights")
    expect(bool((big.abs() <= 1).all()) and big.min() < -0.5 and big.max() > 0.5,
           f"With large weights G(z) should fill [-1, 1] (a Tanh output), found {big.min().item():.3f} … "
           f"{big.max().item():.3f}. Sigmoid gives [0, 1] and no activation is unbounded: use nn.Tanh().")
    z_dim = answer["small_z_dim"]
    if "small_error" in answer:
        expect(False, f"Generator(z_dim={z_dim}) fails on noise of size {z_dim} (the error is quoted below). Use the "
               "z_dim argument for the size of the first layer's input instead of a fixed 100.", answer["small_error"])
    expect_shape(answer["small"], (3, 1, 28, 28), f"Generator(z_dim={z_dim}) applied to 3 noise vectors of size {z_dim}",
                 "Use the z_dim argument for the size of the first layer's input.")
