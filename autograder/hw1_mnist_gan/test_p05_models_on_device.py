import pytest
import torch

from autograder.expect import expect


@pytest.mark.points(5)
def test_p05_models_on_device(student):
    """Models on the device"""
    pair = student.make_models(100, torch.device("cpu"))
    expect(isinstance(pair, tuple) and len(pair) == 2, "make_models(z_dim, device) should return (G, D).")
    G, D = pair
    expect(isinstance(G, student.Generator), f"The first model should be a Generator, found {type(G).__name__}.")
    expect(isinstance(D, student.Discriminator), f"The second model should be a Discriminator, found {type(D).__name__}.")
    for name, model in (("G", G), ("D", D)):
        expect(model.training, f"make_models returned {name} in eval mode: training needs train mode (BatchNorm and "
               "Dropout behave differently in eval mode). Return the models as created, without .eval().")
    # The 'meta' device exists on every machine: it shows whether .to(device) was called without needing a GPU.
    G, D = student.make_models(100, torch.device("meta"))
    for name, model in (("G", G), ("D", D)):
        devices = {p.device.type for p in model.parameters()}
        expect(devices == {"meta"}, f"{name}'s parameters should be on the requested device (meta in this test), "
               f"found {sorted(devices)}. Move each model with .to(device).")
