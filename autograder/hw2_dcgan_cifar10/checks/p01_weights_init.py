from autograder.toolkit.expect import expect


def _stats(answer, key: str, what: str) -> tuple[float, float]:
    t = answer.tensor(key, what).float()
    expect(t.numel() > 1, f"The grader could not read {what}.")
    return t.mean().item(), t.std().item()


def test_p01_weights_init(answer):
    """DCGAN weight initialisation"""
    # Large layers, so the sample mean and std of their weights are close to the distribution's; small fan-in, so
    # PyTorch's default initialisation (std 0.048 here) is far from the target. The BatchNorm layer starts at 0.5.
    for name, key in (("nn.Conv2d", "conv"), ("nn.ConvTranspose2d", "convT")):
        mean, std = _stats(answer, key, f"the weights of the {name} layer")
        expect(abs(mean) < 0.002 and abs(std - 0.02) < 0.002,
               f"After model.apply(weights_init) the weights of an {name} layer should be drawn from N(0, 0.02²): "
               f"mean 0, std 0.02. Found mean {mean:.4f}, std {std:.4f}. "
               + ("Also initialise nn.ConvTranspose2d (the generator's layers), e.g. "
                  "isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)). " if name == "nn.ConvTranspose2d" else "")
               + "Use nn.init.normal_(m.weight, 0.0, 0.02): the second number is the standard deviation.")
    mean, std = _stats(answer, "bn_weight", "the weights of the nn.BatchNorm2d layer")
    expect(abs(mean - 1) < 0.005 and abs(std - 0.02) < 0.003,
           f"The weights (γ) of an nn.BatchNorm2d layer should be drawn from N(1, 0.02²): mean 1, std 0.02. Found "
           f"mean {mean:.4f}, std {std:.4f}. Use nn.init.normal_(m.weight, 1.0, 0.02) for isinstance(m, nn.BatchNorm2d).")
    bias = answer.tensor("bn_bias", "the bias of the nn.BatchNorm2d layer")
    expect(bias.numel() > 0 and bool((bias == 0).all()),
           f"The bias (β) of an nn.BatchNorm2d layer should be 0, found values from "
           f"{bias.min().item() if bias.numel() else float('nan'):.3f} to "
           f"{bias.max().item() if bias.numel() else float('nan'):.3f}. Use nn.init.zeros_(m.bias).")
