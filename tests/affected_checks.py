"""Which checks a change to one answer cell can affect, so a wrong answer's test runs only those.

A check can see a changed cell only through the notebook's names: the names it reads (recorded on the solution),
and whatever those names' cells use in turn. From the changed cell (its names as the solution and as the wrong
answer bind them, and the mutable objects it touches, which it could change in place) the change spreads to every
cell that uses a changed name, until nothing new is reached. Both sides over-approximate (any use of a name
anywhere in a cell, locals included), so a check left out provably reads nothing the change reached. Not modelled:
a wrong answer that patches a module (``torch.randn = …``) or shifts the global random stream for later cells'
draws; the catalogue's mistakes do neither, and ``test_pruning_misses_no_failure`` runs every check on a sample.
"""
from __future__ import annotations

import ast
import symtable
import types

import torch

from autograder.pipeline.student import Student

_IMMUTABLE = (int, float, complex, str, bytes, bool, tuple, frozenset, type(None), torch.device, torch.dtype)


def _python(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def bound_and_used(source: str) -> tuple[set[str], set[str]] | None:
    """(names the cell binds at module level, names it loads anywhere), or None when it is not Python."""
    try:
        tree = ast.parse(_python(source))
    except SyntaxError:
        return None
    bound: set[str] = set()
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    stack = list(tree.body)
    while stack:  # module-level statements, not the bodies of functions and classes
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        if not isinstance(node, scopes):
            stack.extend(ast.iter_child_nodes(node))
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Global):
            bound |= set(sub.names)
    return bound, _global_reads(symtable.symtable(ast.unparse(tree), "<cell>", "exec"))


def _global_reads(table: symtable.SymbolTable) -> set[str]:
    """Names a cell's code reads from the notebook's globals: at module level, and inside functions and classes
    the ones they do not bind themselves (a function's locals and parameters are its own)."""
    top = table.get_type() == symtable.SymbolTableType.MODULE if hasattr(symtable, "SymbolTableType") \
        else table.get_type() == "module"
    found = {s.get_name() for s in table.get_symbols()
             if s.is_referenced() and (top or s.is_global() or (table.get_type() == "class" and not s.is_local()))}
    for child in table.get_children():
        found |= _global_reads(child)
    return found


def _mutable(value) -> bool:
    return not isinstance(value, (_IMMUTABLE, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type))


def mutable_names(namespace: dict) -> set[str]:
    """The notebook's names bound to objects a cell could change in place (networks, tensors, lists, …)."""
    return {name for name, value in namespace.items() if not name.startswith("_") and _mutable(value)}


def tainted_names(cells: list[str], changed: tuple[str, str], mutable: set[str]) -> set[str] | None:
    """Names whose value may differ when the cell whose solution source is ``changed[0]`` is handed in as
    ``changed[1]``, given the other executed ``cells`` and the ``mutable`` names; None when that cannot be told (a
    cell that is not Python)."""
    parsed = [bound_and_used(source) for source in cells]
    before, after = bound_and_used(changed[0]), bound_and_used(changed[1])
    if before is None or after is None or any(p is None for p in parsed):
        return None
    taint = before[0] | after[0] | ((before[1] | after[1]) & mutable)
    grew = True
    while grew:
        grew = False
        for bound, used in parsed:
            reached = bound | (used & mutable)
            if used & taint and not reached <= taint:
                taint |= reached
                grew = True
    return taint


class RecordingStudent(Student):
    """A :class:`Student` that notes every notebook name a check reads (``device`` is read directly by the
    steps' helpers, so it always counts)."""

    def __init__(self, student: Student):
        super().__init__(student._namespace, student.cell_errors, student.unavailable)
        self.read = {"device"}

    def __getattr__(self, name: str):
        if not name.startswith("_"):
            self.read.add(name)
        return super().__getattr__(name)

    def has(self, name: str) -> bool:
        self.read.add(name)
        return super().has(name)
