"""Checking one optimisation step of a student's function against a reference step.

Shared by every homework: the notebook's device, two identical copies of a (D, G) pair with stale
gradients and an optimiser each, the assertions about what a step may and may not change, and
:func:`reference_helpers`, which runs a step with the reference versions of the functions it calls
so that a mistake in one of those is charged to its own problem only.
"""
from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from autograder.toolkit.expect import expect, same_parameters


def device_of(student) -> torch.device:
    """The notebook's ``device`` (so checks run where the student's code expects its tensors), else CPU.

    A student who writes ``torch.ones(n, 1, device=device)`` inside a step is right; on a GPU grading
    machine the check must then hand that step tensors on the GPU too.
    """
    device = student._namespace.get("device") if hasattr(student, "_namespace") else None
    try:
        return torch.device(device) if device is not None else torch.device("cpu")
    except (TypeError, RuntimeError):
        return torch.device("cpu")


def adam(module: nn.Module, lr: float = 1e-3) -> torch.optim.Adam:
    return torch.optim.Adam(module.parameters(), lr=lr, betas=(0.5, 0.999))


def fill_grads(module: nn.Module, value: float = 0.37) -> None:
    """Stale gradients, as left by an earlier step: a step that forgets zero_grad() is thrown off."""
    for p in module.parameters():
        p.grad = torch.full_like(p, value)


def stale_with_adam(*nets: nn.Module) -> tuple:
    """``(*nets, *optimizers)``: every network with stale gradients (so a missing zero_grad() shows) and an Adam
    optimiser of its own, in the same order."""
    for net in nets:
        fill_grads(net)
    return (*nets, *(adam(net) for net in nets))


def record_events(optimizer: torch.optim.Optimizer) -> list[str]:
    """A list of what happens to ``optimizer``'s parameters, in order: "grad" (backward reached them),
    "zero_grad" and "step". It tells a missing ``step()`` from one whose gradients were cleared first."""
    events: list[str] = []
    params = [p for group in optimizer.param_groups for p in group["params"]]
    for p in params:
        p.register_post_accumulate_grad_hook(lambda p: events.append("grad"))
    zero_grad = optimizer.zero_grad

    def recorded_zero_grad(*args, **kwargs):
        events.append("zero_grad")
        return zero_grad(*args, **kwargs)
    optimizer.zero_grad = recorded_zero_grad
    optimizer.register_step_pre_hook(lambda opt, args, kwargs: events.append("step"))
    return events


def read_events(answer, key: str = "events") -> list[str]:
    """The optimiser events a step's probe reported under ``key`` (see :func:`record_events`), validated."""
    events = answer[key]
    expect(isinstance(events, list) and all(e in ("grad", "zero_grad", "step") for e in events),
           "The grader could not read what your step did with its optimiser.")
    return events


def expect_backward_before_step(events: list[str], optimizer: str, net: str) -> None:
    """Every ``step()`` of ``optimizer`` follows a ``backward()`` that reached ``net`` since the step before it.

    A step taken before ``loss.backward()`` moves the weights by the previous gradients (or not at all), which a
    weight comparison would otherwise blame on ``zero_grad()``.
    """
    if "grad" not in events:
        return  # no gradient at all: the callers say so with the cause (a detached output, no backward)
    fresh = cleared = False
    for i, event in enumerate(events):
        if event == "grad":
            fresh, cleared = True, False
        elif event == "zero_grad":
            fresh, cleared = False, fresh
        elif not fresh:  # a step with no gradient since the last step or zero_grad()
            backward_follows = events[i + 1:i + 2] == ["grad"]
            expect(backward_follows or not cleared,
                   f"{optimizer}.step() was called, but {optimizer}.zero_grad() had cleared the "
                   f"gradients after loss.backward(), so {net} did not change: call zero_grad() before backward(), "
                   "not between backward() and step().")
            expect(False, f"{optimizer}.step() was called before loss.backward() had put this step's gradients into "
                   f"{net}'s parameters: it moved {net} by old gradients (or not at all). Call backward() first, then "
                   f"{optimizer}.step().")
        else:
            fresh = False


def expect_moved(moved: bool, events: list[str], net: str, optimizer: str, hint: str = "") -> None:
    """``net`` changed in a step; if not, the message names what ``optimizer``'s events (:func:`record_events`) show:
    gradients cleared between backward() and step(), no gradient at all, or no step. ``hint`` is said before the
    advice for a missing gradient (e.g. "do not detach G's output in this step; ")."""
    if moved:
        return
    if "step" in events and "grad" in events:
        last_step = len(events) - 1 - events[::-1].index("step")
        expect("zero_grad" not in events[events.index("grad"):last_step],
               f"{optimizer}.step() was called, but {optimizer}.zero_grad() had cleared the gradients after "
               f"loss.backward(), so {net} did not change: call zero_grad() before backward(), not between backward() "
               "and step().")
    expect("step" not in events or "grad" in events,
           f"{optimizer}.step() was called, but no gradient reached {net}'s parameters, so {net} did not change: "
           f"{hint}compute the loss from {net}'s output and call loss.backward() before step().")
    expect(False, f"{net[:1].upper()}{net[1:]}'s weights did not change: call {optimizer}.step() after loss.backward().")


def _times(n: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(n, f"{n} times")


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class Update:
    """One optimiser's part in a training step, as the step's checks judge it.

    ``events`` come from :func:`record_events`; ``times`` is how often ``optimizer.step()`` should be called (None:
    not counted here); ``moved`` whether ``net``'s weights changed (None: judged by the caller); ``hint`` is said
    before the advice for a missing gradient (see :func:`expect_moved`).
    """

    optimizer: str
    net: str
    events: list
    times: int | None = 1
    moved: bool | None = None
    hint: str = ""


def expect_updates(function: str, *updates: Update) -> None:
    """A training step's optimiser calls, every optimiser judged the same way: first how often each ``step()`` was
    called, then that each followed a ``backward()`` reaching its network (:func:`expect_backward_before_step`),
    then that each network moved (:func:`expect_moved`)."""
    counted = [u for u in updates if u.times is not None]
    if any(u.events.count("step") != u.times for u in counted):
        wanted = _joined([f"{u.optimizer}.step() {_times(u.times)}" for u in counted])
        found = _joined([f"{u.optimizer}.step() {_times(u.events.count('step'))}" for u in counted])
        expect(False, f"{function} should call {wanted}; it called {found}.")
    for u in updates:
        expect_backward_before_step(u.events, u.optimizer, u.net)
    for u in updates:
        if u.moved is not None:
            expect_moved(u.moved, u.events, u.net, u.optimizer, u.hint)


def expect_wgan_updates(c_events: list, g_events: list, n_critic: int) -> None:
    """A WGAN step (``n_critic`` critic updates, then one of G): how often each optimiser's ``step()`` was called
    (said with the reason for ``n_critic``), then :func:`expect_updates`."""
    expect(c_events.count("step") == n_critic,
           f"With {n_critic} real batches in real_batches the critic should be updated {n_critic} times (one "
           f"c_optimizer.step() per batch: n_critic updates), found {c_events.count('step')}.")
    expect(g_events.count("step") == 1,
           f"The generator should be updated once per call (one g_optimizer.step()), found {g_events.count('step')}.")
    expect_updates("", Update("c_optimizer", "the critic", c_events, times=None),
                   Update("g_optimizer", "G", g_events, times=None))


def expect_each_updated_once(function: str, G: nn.Module, G_start: nn.Module, g_events: list, D: nn.Module,
                             D_start: nn.Module, d_events: list) -> None:
    """A two-network step (D's update, then G's): :func:`expect_updates` with one ``step()`` of each optimiser.

    ``*_start`` are copies taken before the step, ``*_events`` come from :func:`record_events`.
    """
    expect_updates(function, Update("d_optimizer", "D", d_events, moved=not same_parameters(D, D_start)),
                   Update("g_optimizer", "G", g_events, moved=not same_parameters(G, G_start),
                          hint="in G's update pass the fakes through D *without* detaching them; "))


@dataclass
class StepCase:
    """Two identical copies of a (D, G) pair: one for the student's step, one for the reference step.

    The network being trained has an Adam optimiser in each copy and stale gradients (so a missing
    ``zero_grad()`` shows); ``frozen`` keeps the other network's starting weights for comparison,
    ``start`` the trained network's.
    """

    D: nn.Module
    G: nn.Module
    D_ref: nn.Module
    G_ref: nn.Module
    opt: torch.optim.Optimizer
    opt_ref: torch.optim.Optimizer
    frozen: nn.Module
    start: nn.Module
    events: list = field(default_factory=list)  # see record_events

    def _expect_trained_update(self, net: str, trained: nn.Module, optimizer: str, hint: str = "") -> None:
        expect_updates("", Update(optimizer, net, self.events, times=None,
                                  moved=not same_parameters(trained, self.start), hint=hint))

    def expect_discriminator_step_effects(self) -> None:
        """After the student's D step on this case: G untouched, D moved exactly as the reference step moved it."""
        expect(all(p.grad is None or p.grad.abs().sum() == 0 for p in self.G.parameters()),
               "The discriminator step put gradients into G: detach the fake images (G(noise).detach()) so D's "
               "loss does not backpropagate into the generator.")
        expect(same_parameters(self.G, self.frozen), "The discriminator step changed G's weights; it must only update D.")
        self._expect_trained_update("D", self.D, "d_optimizer")
        expect(same_parameters(self.D, self.D_ref, atol=1e-5),
               "D's weights after one step differ from a correct step. Call d_optimizer.zero_grad() before backward() "
               "(stale gradients are left in .grad from the last step), and backpropagate the sum of both losses once.")

    def expect_generator_step_effects(self) -> None:
        """After the student's G step on this case: D untouched, G moved exactly as the reference step moved it."""
        expect(same_parameters(self.D, self.frozen), "The generator step changed D's weights; it must only update G.")
        self._expect_trained_update("G", self.G, "g_optimizer", "do not detach G's output in this step; ")
        expect(same_parameters(self.G, self.G_ref, atol=1e-5),
               "G's weights after one step differ from a correct step. Call g_optimizer.zero_grad() before backward().")


def expect_generator_raises_verdict(answer, key: str, D: nn.Module, G: nn.Module, z: torch.Tensor,
                                    steps: int = 10) -> None:
    """Short training with D frozen: G's weights after ``steps`` of the student's generator steps (reported under
    ``key``) raise D's mean verdict on G(z), measured here from G's starting weights and the reported ones."""
    with torch.no_grad():
        before = D(G(z)).mean().item()
        G.load_state_dict(answer.state(key, G, f"G's weights after {steps} steps"))
        after = D(G(z)).mean().item()
    expect(after > before + 0.05,
           f"{steps} generator steps with D frozen should raise the mean D(G(z)); it went {before:.3f} → {after:.3f}.")


def load_student_states(answer, case: "StepCase", grads_of: str | None = None) -> "StepCase":
    """The states the student's side reports after its step (``answer["D"]``, ``answer["G"]``, ``answer["events"]``),
    loaded into the judge's copies ``case.D`` and ``case.G``; with ``grads_of`` ("G" or "D") that network's
    reported ``.grad`` too (``answer["<net>_grads"]``)."""
    for net in ("D", "G"):
        module = getattr(case, net)
        module.load_state_dict(answer.state(net, module, f"{net}'s weights after your step"))
    case.events[:] = read_events(answer)
    if grads_of:
        reported = answer[f"{grads_of}_grads"]
        params = list(getattr(case, grads_of).parameters())
        expect(isinstance(reported, list) and len(reported) == len(params),
               "The grader could not read the gradients after your step.")
        for p, g in zip(params, reported):
            expect(g is None or (isinstance(g, torch.Tensor) and g.shape == p.shape),
                   "The grader could not read the gradients after your step.")
            p.grad = g
    return case


def step_case(device, trains: str, make_discriminator: Callable, make_generator: Callable) -> StepCase:
    """``trains`` is "D" or "G"; the factories (``f(device=...)``) build the homework's small reference nets."""
    D, G = make_discriminator(device=device), make_generator(device=device)
    D_ref, G_ref = copy.deepcopy(D), copy.deepcopy(G)
    trained, trained_ref, other = (D, D_ref, G) if trains == "D" else (G, G_ref, D)
    start = copy.deepcopy(trained)
    fill_grads(trained)
    fill_grads(trained_ref)
    opt = adam(trained)
    case = StepCase(D, G, D_ref, G_ref, opt, adam(trained_ref), copy.deepcopy(other), start)
    case.events = record_events(opt)
    return case


@contextlib.contextmanager
def reference_helpers(function: Callable, **helpers: Callable):
    """Run ``function`` with the reference versions of the helpers it calls by global name.

    A step function calls the student's own losses or penalty (graded elsewhere); while this is
    active it finds the reference versions instead, so a wrong loss costs the loss's problem and
    not the step's as well. Only names the function's module already defines are swapped, and
    they are restored afterwards.
    """
    namespace = getattr(function, "__globals__", None)
    saved = {}
    if isinstance(namespace, dict):
        for name, helper in helpers.items():
            if name in namespace:
                saved[name] = namespace[name]
                namespace[name] = helper
    try:
        yield
    finally:
        for name, value in saved.items():
            namespace[name] = value
