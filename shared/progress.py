"""Progress bars: tqdm's notebook-aware bar, one place to configure it."""
from __future__ import annotations

from tqdm.auto import tqdm


def progress(iterable=None, desc: str = "", total: int | None = None, leave: bool = True, **kwargs):
    """A tqdm bar (a widget in Jupyter, text elsewhere) that refreshes at most once a second."""
    return tqdm(iterable, desc=desc, total=total, leave=leave, mininterval=1.0, dynamic_ncols=True, **kwargs)
