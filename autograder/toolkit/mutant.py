"""Answers to inject into a solution notebook: realistic wrong ones (mutants) and correct variants.

A mutant edits one answer cell of the solution (its source with the solution markers removed):
``find`` is replaced by ``replace`` (or the whole cell by ``replace`` when ``find`` is None), and
the check ``caught_by`` must fail. A variant is written the same way but is a *correct* answer in
another style: every check must pass it. tests/test_checks.py proves both for every homework.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    name: str
    cell: str  # grade_id of the answer cell
    find: str | None
    replace: str
    caught_by: str  # name of the check that must fail
    why: str
    says: str = ""  # words the failure message must contain (it names the mistake)
    also_fails: tuple[str, ...] = ()  # other checks that rightly fail too (they build on this answer)

    def apply(self, source: str) -> str:
        if self.find is None:
            return self.replace
        if self.find not in source:
            raise ValueError(f"{self.name}: {self.find!r} is no longer in cell {self.cell}; update the catalogue")
        return source.replace(self.find, self.replace)


@dataclass(frozen=True)
class Variant:
    """A correct answer written differently from the model answer: it must earn full marks."""

    name: str
    cell: str
    find: str | None
    replace: str
    why: str

    apply = Mutant.apply
