"""What a plotting helper returns once it has shown its figure.

Jupyter draws a cell's last value: a helper that showed a figure and returned it had the figure drawn twice (and
an ``Axes`` printed as ``<Axes: …>``). Helpers return :class:`Shown` instead, which Jupyter draws as nothing and
which still answers every attribute, index and iteration of the figure, axes or list it holds.
"""
from __future__ import annotations


class Shown:
    """A figure, axes or list of axes that has already been shown."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def _ipython_display_(self) -> None:  # shown once already: nothing to draw at the end of the cell
        pass

    def __getattr__(self, name: str):
        return getattr(self.value, name)

    def __getitem__(self, index):
        return self.value[index]

    def __iter__(self):
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __repr__(self) -> str:
        return f"Shown({self.value!r})"
