"""The judge's messages for a step whose network did not move (problems 05 and 11): what the optimiser's events show."""
from __future__ import annotations

from autograder.expect import expect


def expect_moved(moved: bool, events: list, net: str, optimizer: str) -> None:
    """``net`` changed in the step; if not, the message names what the optimiser's events show."""
    if moved:
        return
    if "step" in events and "grad" in events:
        last_step = len(events) - 1 - events[::-1].index("step")
        expect("zero_grad" not in events[events.index("grad"):last_step],
               f"{optimizer}.step() was called, but {optimizer}.zero_grad() had cleared the gradients after backward(), "
               f"so {net} did not change: call zero_grad() before backward(), not between backward() and step().")
    expect("step" not in events or "grad" in events,
           f"{optimizer}.step() was called, but no gradient reached {net}'s parameters, so {net} did not change: "
           "compute the loss from the network's output (no .detach(), no torch.no_grad()) and call backward() before "
           "step().")
    expect(False, f"{net[:1].upper()}{net[1:]}'s weights did not change: call {optimizer}.step() after backward().")
