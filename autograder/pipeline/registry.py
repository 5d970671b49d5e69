"""Find graded checks: ``"hw1_mnist_gan::test_p08_discriminator_step"`` → function, title and points."""
from __future__ import annotations

import importlib
import pkgutil
import re
import threading
from dataclasses import dataclass
from typing import Callable


CHECK_FILE = re.compile(r"p\d\d_\w+\.py")  # a check's file in autograder/<homework>/checks/


@dataclass(frozen=True)
class Check:
    homework: str
    name: str  # the check function's name, e.g. test_p08_discriminator_step (the problem's id in notebooks)
    function: Callable
    points: float

    @property
    def id(self) -> str:
        return f"{self.homework}::{self.name}"

    @property
    def problem(self) -> str:
        return problem_of(self.name)

    @property
    def title(self) -> str:
        doc = (self.function.__doc__ or "").strip().splitlines()
        return doc[0] if doc else self.name

    @property
    def label(self) -> str:
        """``08 · Discriminator step``: how tables and messages name the problem."""
        return f"{self.problem[1:]} · {self.title}"


def problem_of(name: str) -> str:
    """``p08`` from ``test_p08_discriminator_step``."""
    return name.split("_")[1]


def points_for(homework: str, name: str) -> float:
    """A check's points, from its homework's manifest (``test_p08_…`` → ``points["p08"]``)."""
    from autograder.pipeline.manifest import manifest

    problem = problem_of(name)
    points = manifest(homework).points
    if problem not in points:
        raise ValueError(f"autograder/{homework}/manifest.json gives no points to problem {problem} ({name})")
    return points[problem]


def checks(homework: str) -> list[Check]:
    """Every graded check of a homework (``autograder/<homework>/checks/pNN_*.py``), in problem order, with its
    points from the homework's manifest (which must name exactly these problems)."""
    from autograder.pipeline.manifest import manifest

    package = importlib.import_module(f"autograder.{homework}.checks")
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if not CHECK_FILE.fullmatch(info.name + ".py"):
            continue
        module = importlib.import_module(f"autograder.{homework}.checks.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("test_") and callable(obj) and obj.__module__ == module.__name__:
                found.append(Check(homework, name, obj, points_for(homework, name)))
    unchecked = set(manifest(homework).points) - {c.problem for c in found}
    if unchecked:
        raise ValueError(f"autograder/{homework}/manifest.json gives points to problems without a check: "
                         f"{', '.join(sorted(unchecked))}")
    return sorted(found, key=lambda c: c.name)


_PARSED: dict[str, list[str]] = {}
_PARSING = threading.Lock()  # CPython 3.11's parser fails when two threads parse at once (jobs grade in threads)


def check_names(homework: str) -> list[str]:
    """The names of a homework's graded checks, in problem order, read from its check files without importing
    them (importing loads torch and the references: seconds a grading should not wait for before it starts)."""
    with _PARSING:
        if homework not in _PARSED:
            _PARSED[homework] = _parse_check_names(homework)
        return list(_PARSED[homework])


def _parse_check_names(homework: str) -> list[str]:
    import ast
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(f"autograder.{homework}")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"no homework {homework!r}")
    names = []
    folder = Path(next(iter(spec.submodule_search_locations))) / "checks"
    for path in sorted(p for p in folder.glob("p*.py") if CHECK_FILE.fullmatch(p.name)):
        tree = ast.parse(path.read_text())
        names += [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]
    return sorted(names)


def probe_of(check_id: str) -> Callable:
    """The probe of a check (the student's side of it): ``hw1_mnist_gan::test_p08_…`` → ``probes.p08_…``.

    Imports only the homework's ``probes`` module, which holds no reference answers (the sandbox lets the
    student's process read it, and nothing else of the homework's graders).
    """
    homework, _, name = check_id.partition("::")
    if not homework.startswith("hw") or not homework.replace("_", "").isalnum():
        raise KeyError(f"no homework {homework!r}")
    module = importlib.import_module(f"autograder.{homework}.probes")
    wanted = name.removeprefix("test_")
    probe = getattr(module, wanted, None)
    if not callable(probe):
        raise KeyError(f"no probe {wanted} in autograder.{homework}.probes")
    return probe


def has_probes(homework: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(f"autograder.{homework}.probes") is not None


def get_check(check_id: str) -> Check:
    homework, _, name = check_id.partition("::")
    for check in checks(homework):
        if check.name == name:
            return check
    raise KeyError(f"no graded check {check_id!r}; known: {[c.id for c in checks(homework)]}")


def homeworks() -> list[str]:
    """Every grader package ``autograder/hwN_*``."""
    from pathlib import Path

    package = [str(Path(__file__).resolve().parents[1])]  # autograder/
    return sorted(i.name for i in pkgutil.iter_modules(package) if i.ispkg and i.name.startswith("hw"))
