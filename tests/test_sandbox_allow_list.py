"""The student's side can import everything it needs from the sandbox's allow-list of autograder files.

A probe that imports a toolkit module missing from ``sandbox.RUNNER_FILES`` fails every submission under
nbgrader and the CLI (the sandboxed process cannot read it) while the in-process tests still pass.
"""
from __future__ import annotations

import ast
from pathlib import Path

from autograder.integrity import sandbox


def _module_level(tree: ast.Module):
    """Statements that run on import (a function's own imports run only where it is called)."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.If, ast.Try)):
            todo += node.body + node.orelse + getattr(node, "finalbody", []) + \
                [s for h in getattr(node, "handlers", []) for s in h.body]


def _autograder_imports(path: Path) -> set[Path]:
    """The files of ``autograder`` that ``path`` imports when it is imported (absolute and relative imports)."""
    root = Path(sandbox.REPO) / "autograder"
    found = set()
    for node in _module_level(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
                parts = (node.module or "").split(".") if node.module else []
            elif node.module and node.module.split(".")[0] == "autograder":
                base, parts = root, node.module.split(".")[1:]
            else:
                continue
            target = base.joinpath(*parts)
            names = [target / f"{a.name}.py" for a in node.names] + [target.with_suffix(".py"), target / "__init__.py"]
            found |= {n for n in names if n.is_file()}
    return found


def test_every_autograder_module_the_student_side_imports_is_readable_in_the_sandbox():
    allowed = {Path(f).resolve() for f in sandbox.runner_files()}
    missing = {}
    for file in allowed:
        for imported in _autograder_imports(file):
            if imported.resolve() not in allowed:
                missing.setdefault(str(imported.relative_to(sandbox.REPO)), []).append(file.name)
    assert not missing, f"add these to sandbox.RUNNER_FILES (imported on the student's side): {missing}"


def test_an_autograder_installed_where_the_sandbox_reads_is_refused(monkeypatch, tmp_path):
    """Installed into the environment (not editable), the checks and references would sit under sys.prefix,
    which the notebook process reads: grading refuses to start rather than hand them over."""
    import sys

    import pytest

    monkeypatch.setattr(sandbox, "REPO", Path(sys.prefix) / "lib" / "site-packages")
    with pytest.raises(RuntimeError, match="editable install"):
        sandbox.student_policy(str(tmp_path))
    monkeypatch.undo()
    assert sandbox.student_policy(str(tmp_path))["write"]
