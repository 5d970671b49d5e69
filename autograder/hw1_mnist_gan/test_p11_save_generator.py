import pickle
import tempfile
from pathlib import Path

import pytest
import torch

from autograder.expect import expect


@pytest.mark.points(5)
def test_p11_save_generator(student):
    """Save the generator's state dict"""
    torch.manual_seed(0)
    G = student.Generator(100)
    with tempfile.TemporaryDirectory() as tmp:
        _check_saved(student, G, Path(tmp) / "my_generator.pth")


def _check_saved(student, G, path):
    student.save_generator(G, str(path))
    expect(path.is_file(), "save_generator(G, path) should write the file at the given path (here "
           "my_generator.pth); nothing was written there.")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, AttributeError) as error:
        raise AssertionError("The file is not a plain state dict (it could not be loaded with weights_only=True): "
                             "save G.state_dict(), not the whole model object.") from error
    expect(isinstance(state, dict) and all(isinstance(v, torch.Tensor) for v in state.values()),
           f"The file should hold G.state_dict() (names → tensors), found {type(state).__name__}.")
    fresh = student.Generator(100)
    try:
        fresh.load_state_dict(state, strict=True)
    except RuntimeError as error:
        raise AssertionError(f"The saved state dict does not load into a fresh Generator(100): {error}") from error
    for name, tensor in G.state_dict().items():
        expect(torch.equal(fresh.state_dict()[name], tensor), f"The saved tensor {name} differs from G's.")
