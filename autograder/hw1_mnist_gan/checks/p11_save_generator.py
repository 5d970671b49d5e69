import io

import torch

from autograder.toolkit.expect import expect


def test_p11_save_generator(answer):
    """Save the generator's state dict"""
    expect(answer["written"] is True, "save_generator(G, path) should write the file at the given path (here "
           "my_generator.pth); nothing was written there.")
    blob = answer.tensor("file", "the saved file").numpy().tobytes()
    try:  # the judge reads the student's file itself, as data only
        state = torch.load(io.BytesIO(blob), map_location="cpu", weights_only=True)
    except Exception as error:
        raise AssertionError("The file is not a plain state dict (it could not be loaded with weights_only=True): "
                             "save G.state_dict(), not the whole model object.") from error
    expect(isinstance(state, dict) and state and all(isinstance(v, torch.Tensor) for v in state.values()),
           f"The file should hold G.state_dict() (names → tensors), found {type(state).__name__}.")
    if "fresh_error" in answer:
        expect(False, "The saved state dict does not load into a fresh Generator(100):", answer["fresh_error"])
    G_state, fresh = answer["G_state"], answer["fresh_state"]
    expect(isinstance(G_state, dict) and set(state) == set(G_state),
           "The file should hold G.state_dict(): its names differ from G's.")
    for name, tensor in G_state.items():
        expect(isinstance(tensor, torch.Tensor) and state[name].shape == tensor.shape
               and torch.equal(state[name], tensor) and torch.equal(fresh.get(name, torch.zeros(0)), tensor),
               f"The saved tensor {name} differs from G's.")
