"""The structural probe of the check toolkit: it sees each prescribed property and says which one is wrong."""
from __future__ import annotations

import pytest
from torch import nn

from autograder.toolkit.structure import expect_structure, structure


class Tiny(nn.Module):
    def __init__(self, n_classes=3, act=None, norm=True, embedding_rows=None):
        super().__init__()
        self.embed = nn.Embedding(embedding_rows or n_classes, 4)
        layers = [nn.Linear(4, 8, bias=False)] + ([nn.BatchNorm1d(8)] if norm else [])
        self.net = nn.Sequential(*layers, act or nn.LeakyReLU(0.2), nn.Linear(8, 1))


EXPECTED = dict(weights=3 * 4 + 4 * 8 + 8 * 1, norms=["BatchNorm1d"], activations={"LeakyReLU(0.2)"}, embeddings=[3])


def test_the_prescribed_network_passes_and_its_data_is_plain():
    found = structure(Tiny())
    assert found == {"weights": 52, "norms": ["BatchNorm1d"], "activations": ["LeakyReLU(0.2)"], "embeddings": [3]}
    expect_structure(found, "Tiny()", **EXPECTED)


@pytest.mark.parametrize("model,says", [
    (Tiny(embedding_rows=10), "needs one per class (3)"),
    (Tiny(norm=False), "has 0 normalisation layer(s)"),
    (Tiny(act=nn.ReLU()), "uses ReLU"),
    (Tiny(act=nn.LeakyReLU(0.01)), "uses LeakyReLU(0.01)"),
])
def test_each_property_changed_fails_with_its_own_message(model, says):
    with pytest.raises(AssertionError, match=r"(?s).*" + says.replace("(", r"\(").replace(")", r"\)")):
        expect_structure(structure(model), "Tiny()", **EXPECTED)


def test_a_missing_or_resized_layer_changes_the_weight_count():
    class Wider(Tiny):
        def __init__(self):
            super().__init__()
            self.net[0] = nn.Linear(4, 8)  # a bias is no weight matrix: still passes
    expect_structure(structure(Wider()), "Tiny()", **EXPECTED)
    with pytest.raises(AssertionError, match="weights in its weight matrices"):
        expect_structure({**structure(Tiny()), "weights": 60}, "Tiny()", **EXPECTED)


@pytest.mark.parametrize("odd", [None, [], {"weights": "52"}, {**structure(Tiny()), "norms": [1]}])
def test_malformed_data_from_the_runner_is_a_failure_not_a_crash(odd):
    with pytest.raises(AssertionError, match="could not read"):
        expect_structure(odd, "Tiny()", **EXPECTED)
