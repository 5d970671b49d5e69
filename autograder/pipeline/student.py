"""The namespace of a student's executed notebook, as the graders see it."""
from __future__ import annotations


class MissingAnswer(AssertionError):
    """The notebook does not define a name a check needs."""


class Student:
    """Attribute access to a notebook's globals, with an actionable error for missing names.

    ``cell_errors`` maps a cell's label (its nbgrader ``grade_id`` or its index) to the error
    it raised when the notebook was executed, so a failing check can point at the cause.
    """

    def __init__(self, namespace: dict, cell_errors: dict[str, str] | None = None,
                 unavailable: dict[str, str] | None = None):
        self._namespace = namespace
        self.cell_errors = dict(cell_errors or {})
        self.unavailable = dict(unavailable or {})  # names the grader could not receive, and why

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._namespace[name]
        except KeyError:
            if name in self.unavailable:
                raise MissingAnswer(f"`{name}` {self.unavailable[name]}.") from None
            hint = ""
            if self.cell_errors:
                where = ", ".join(f"{k}: {v}" for k, v in list(self.cell_errors.items())[:3])
                hint = f" Cells that raised an error when the notebook ran: {where}."
            raise MissingAnswer(
                f"Your notebook does not define `{name}`. Run the cell that defines it (and fix any "
                f"error it shows) before this test.{hint}"
            ) from None

    def has(self, name: str) -> bool:
        return name in self._namespace

    def __contains__(self, name: str) -> bool:
        return self.has(name)
