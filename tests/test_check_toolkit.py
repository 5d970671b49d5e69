"""The check toolkit's probes for issue-wide classes of mistakes: gradient paths, open ranges, devices seen on a
CPU-only grader, modes after a step and the order of backward() and step(). Each passes correct code, fails the
mistake with a message that says what was observed, and never crashes on malformed data from the runner."""
from __future__ import annotations

import pytest
import torch
from torch import nn

from autograder.toolkit.device_probe import expect_on_meta, on_meta
from autograder.toolkit.gradient_paths import expect_gradients_everywhere, layer_name, parameter_gradients
from autograder.toolkit.modes import expect_training_mode, modes
from autograder.toolkit.open_range import expect_open_range, large_weight_outputs
from autograder.toolkit.steps import Update, expect_backward_before_step, expect_updates, record_events


class Net(nn.Module):
    def __init__(self, cut=None, tail=None):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.LeakyReLU(0.2))
        self.head = nn.Linear(8, 1)
        self.cut, self.tail = cut, tail

    def forward(self, x):
        h = self.body(x)
        if self.cut == "detach":
            h = h.detach()
        elif self.cut == "data":
            h = h.data
        out = self.head(h)
        return self.tail(out) if self.tail else out


def _x(n=6):
    return torch.randn(n, 4, generator=torch.Generator().manual_seed(0))


def test_every_parameter_of_a_correct_network_gets_a_gradient():
    found = parameter_gradients(Net(), _x(), seed=1)
    assert [name for name, _ in found] == ["layer body.0 (Linear) weight", "layer body.0 (Linear) bias",
                                           "layer body.1 (BatchNorm1d) weight", "layer body.1 (BatchNorm1d) bias",
                                           "layer head (Linear) weight", "layer head (Linear) bias"]
    expect_gradients_everywhere(found, "Net()")


@pytest.mark.parametrize("cut", ["detach", "data"])
def test_a_graph_cut_inside_forward_is_named_by_layer(cut):
    found = parameter_gradients(Net(cut=cut), _x(), seed=1)
    with pytest.raises(AssertionError, match=r"no gradient in 4 of its 6 parameters \(layer body\.0 \(Linear\) weight"):
        expect_gradients_everywhere(found, "Net()")


def test_a_fully_detached_output_and_tuple_outputs():
    class Heads(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(4, 1), nn.Linear(4, 2)

        def forward(self, x):
            return self.a(x), {"b": self.b(x).detach()}

    with pytest.raises(AssertionError, match="2 of its 4 parameters"):
        expect_gradients_everywhere(parameter_gradients(Heads(), _x()), "Heads()")
    reach = parameter_gradients(Heads(), _x(), only=0)
    assert [name for name, grad in reach if grad] == ["layer a (Linear) weight", "layer a (Linear) bias"]
    assert layer_name(nn.Sequential(nn.Linear(1, 1)), "0.bias") == "layer 0 (Linear) bias"


@pytest.mark.parametrize("odd", [None, "x", [["a"]], [["a", "b"]], [[1, 2.0]], []])
def test_gradients_from_the_runner_are_validated(odd):
    with pytest.raises(AssertionError):
        expect_gradients_everywhere(odd, "Net()")


def test_an_open_output_passes_and_capped_ones_fail_with_what_was_seen():
    expect_open_range(large_weight_outputs(Net().eval(), _x(64) * 3), "the scores", "Return raw scores.")
    for tail, seen in ((nn.Tanh(), "bounded range"), (nn.Sigmoid(), "bounded range"), (nn.ReLU(), "never (much) below 0"),
                       (nn.Softplus(), "never (much) below 0"), (nn.Hardtanh(), "bounded range")):
        big = large_weight_outputs(Net(tail=tail).eval(), _x(64) * 3)
        with pytest.raises(AssertionError, match=r"(?s)range from .*" + seen.replace("(", r"\(").replace(")", r"\)")):
            expect_open_range(big, "the scores", "Return raw scores.")
    for odd in (None, torch.zeros(1), torch.tensor([float("nan"), 1.0]), torch.arange(4)):
        with pytest.raises(AssertionError):
            expect_open_range(odd, "the scores", "")


def test_tensors_made_without_the_device_are_seen_on_a_cpu_grader():
    good = on_meta(lambda device: (torch.randn(2, 3, device=device), nn.Linear(2, 2).to(device)))
    assert good == {"devices": ["meta"]}
    expect_on_meta(good, "f(device)", "")
    forgotten = on_meta(lambda device: torch.randn(2, 3))
    with pytest.raises(AssertionError, match="gave tensors on cpu"):
        expect_on_meta(forgotten, "f(device)", "Pass device=device.")
    mixed = on_meta(lambda device: torch.randn(2, 3, device=device) + torch.randn(2, 3))
    assert mixed["mixed"] is True
    with pytest.raises(AssertionError, match="mixes devices"):
        expect_on_meta(mixed, "f(device)", "")
    # Code that reads values cannot run on meta at all: judged on the real device only, not failed here.
    reads = on_meta(lambda device: torch.randn(3, device=device).sum().item())
    assert reads["mixed"] is False
    expect_on_meta(reads, "f(device)", "")
    for odd in (None, {}, {"devices": [1]}, {"error": 3}):
        with pytest.raises(AssertionError):
            expect_on_meta(odd, "f(device)", "")


def test_a_network_left_in_eval_mode_is_named():
    G, D = Net(), Net()
    expect_training_mode(modes(G=G, D=D), "step", ("G", "D"))
    D.body.eval()
    with pytest.raises(AssertionError, match="D is left in evaluation mode \\(4 of its 6 modules\\)"):
        expect_training_mode(modes(G=G, D=D), "step", ("G", "D"))
    for odd in (None, {"G": [True]}, {"G": [], "D": []}, {"G": ["x"], "D": [True]}):
        with pytest.raises(AssertionError):
            expect_training_mode(odd, "step", ("G", "D"))


def _events(order):
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    events = record_events(opt)
    for action in order:
        if action == "backward":
            net(_x()).sum().backward()
        else:
            getattr(opt, action)()
    return events


def test_a_one_signed_logit_still_reaches_both_sides():
    """A last layer fed by positive features (after a ReLU) gives one sign for every input; negating it in turn
    shows the range is open, over many draws."""
    for seed in range(40):
        torch.manual_seed(seed)
        net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
        with torch.no_grad():
            net[2].weight.abs_()
        expect_open_range(large_weight_outputs(net, _x(8) * 3), "the logits", "")


def test_step_before_backward_has_its_own_message():
    expect_backward_before_step(_events(["zero_grad", "backward", "step"]), "opt", "D")
    expect_backward_before_step(_events(["zero_grad", "backward", "step"] * 3), "opt", "D")  # an inner loop
    expect_backward_before_step(_events(["zero_grad", "step"]), "opt", "D")  # no gradient at all: said elsewhere
    with pytest.raises(AssertionError, match="opt.step\\(\\) was called before loss.backward\\(\\)"):
        expect_backward_before_step(_events(["zero_grad", "step", "backward"]), "opt", "D")
    with pytest.raises(AssertionError, match="before loss.backward"):
        expect_backward_before_step(_events(["zero_grad", "backward", "step", "zero_grad", "step"]), "opt", "D")
    # A zero_grad() after backward() leaves nothing for the step: said as such, also where another loss's gradients
    # reached the parameters first (an optimiser shared between losses).
    with pytest.raises(AssertionError, match="had cleared the gradients after loss.backward"):
        expect_backward_before_step(_events(["zero_grad", "backward", "zero_grad", "step"]), "opt", "D")
    with pytest.raises(AssertionError, match="before loss.backward"):
        expect_backward_before_step(_events(["backward", "zero_grad", "step", "backward"]), "opt", "D")


def test_every_step_check_judges_its_optimisers_the_same_way():
    """expect_updates, which every training-step check uses: counts first (naming each optimiser's calls), then
    backward() before each step(), then each network moved."""
    good = ["zero_grad", "grad", "step"]
    expect_updates("two_step", Update("d_opt", "D", _events(["zero_grad", "backward", "step"]), moved=True),
                   Update("g_opt", "G", _events(["zero_grad", "backward", "step"]), moved=True))
    expect_updates("wgan", Update("c_opt", "the critic", good * 3, times=3), Update("g_opt", "G", good))
    with pytest.raises(AssertionError, match=r"two_step should call d_opt.step\(\) once and g_opt.step\(\) once; "
                                             r"it called d_opt.step\(\) never and g_opt.step\(\) once\."):
        expect_updates("two_step", Update("d_opt", "D", ["zero_grad", "grad"]), Update("g_opt", "G", good))
    with pytest.raises(AssertionError, match=r"c_opt.step\(\) 3 times; it called c_opt.step\(\) twice"):
        expect_updates("wgan", Update("c_opt", "the critic", good * 2, times=3))
    expect_updates("uncounted", Update("opt", "D", good * 2, times=None))
    with pytest.raises(AssertionError, match="opt.step\\(\\) was called before loss.backward"):
        expect_updates("step", Update("opt", "D", ["zero_grad", "step", "grad"]))
    with pytest.raises(AssertionError, match="no gradient reached D's parameters, so D did not change: detach nothing; "):
        expect_updates("step", Update("opt", "D", ["zero_grad", "step"], moved=False, hint="detach nothing; "))
    with pytest.raises(AssertionError, match="G's weights did not change"):
        expect_updates("step", Update("d_opt", "D", good, moved=True), Update("g_opt", "G", good, moved=False))


def test_probe_sizes_never_coincide_with_the_courses():
    from autograder.toolkit import sizes

    for name, chosen in sizes.PROBE.items():
        assert len(set(chosen)) == len(chosen), name
        assert not any(sizes.coincides(name, size) for size in chosen), name
    assert not any(sizes.coincides(name, sizes.z_dim_for(seed)) for seed in range(50) for name in ("nz", "z_dim"))


def test_the_course_sizes_are_the_solutions_defaults():
    """Every size argument's default in the solutions' answers is a course size probes avoid (a new default in a
    notebook shows here first)."""
    import ast

    from autograder.toolkit import sizes
    from autograder.pipeline.registry import homeworks
    from autograder.course.submissions import answer_sources

    from .conftest import solution_path

    seen = set()
    for hw in homeworks():
        for cell, source in answer_sources(solution_path(hw)).items():
            try:
                tree = ast.parse(source)
            except SyntaxError:  # a written answer, not code
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef):
                    continue
                args = node.args
                defaults = [*zip(args.args[len(args.args) - len(args.defaults):], args.defaults),
                            *zip(args.kwonlyargs, args.kw_defaults)]
                for arg, default in defaults:
                    if arg.arg in sizes.COURSE and isinstance(default, ast.Constant):
                        assert default.value in sizes.COURSE[arg.arg], f"{hw} {cell}: {arg.arg}={default.value}"
                        seen.add(arg.arg)
    assert {"n_classes", "n_cat", "n_cont", "n_noise", "nz", "z_dim", "latent_dim", "hidden", "width"} <= seen


@pytest.mark.parametrize("n", [2, 4, 5, 10])
def test_labels_short_of_the_top_class_catch_a_one_hot_without_its_width(n):
    from autograder.toolkit.sizes import labels_short_of_top

    for seed in range(20):
        labels = labels_short_of_top(n, 5, torch.Generator().manual_seed(seed))
        assert labels.max() <= n - 2
        assert nn.functional.one_hot(labels).shape[1] < n  # the mistake is visible whatever the draw
        assert nn.functional.one_hot(labels, n).shape[1] == n
    with pytest.raises(ValueError):
        labels_short_of_top(1, 5)
