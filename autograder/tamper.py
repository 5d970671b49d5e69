"""Tamper evidence: fingerprints of the functions a check relies on, and what changed between two.

A fingerprint names every public callable of the watched modules (torch, its functional API and
optimisers, the Tensor and Module classes' methods, builtins, the autograder itself) together with
*what* it is: a built-in by its qualified name, a Python function by a hash of its code. Two
fingerprints of pristine processes of the same environment are equal; a notebook that replaced
``torch.allclose`` or patched a check's ``__code__`` gives a different one, and :func:`changes`
says which names changed. Kept free of torch at import time: the sandboxed kernel imports it.
"""
from __future__ import annotations

import builtins
import hashlib
import sys
import types

# The built-ins used below, bound when this module is imported (in a pristine process), so that a
# notebook replacing ``builtins.isinstance`` cannot blind the fingerprint taken after it ran.
isinstance, getattr, vars, list, callable, type, repr, str = (  # noqa: A001
    builtins.isinstance, builtins.getattr, builtins.vars, builtins.list, builtins.callable, builtins.type,
    builtins.repr, builtins.str)

WATCHED_MODULES = (
    "builtins", "torch", "torch.nn.functional", "torch.optim", "torch.autograd", "torch.nn.utils", "math",
    "numpy", "json", "os", "pickle", "inspect",
)
# Names a Jupyter kernel itself replaces (IPython's input, exit and help): not evidence of anything.
INTERACTIVE = {"builtins:input", "builtins:exit", "builtins:quit", "builtins:help", "builtins:copyright",
               "builtins:credits", "builtins:license", "builtins:display", "builtins:get_ipython"}
WATCHED_CLASSES = (
    ("torch", "Tensor"), ("torch.nn", "Module"), ("torch.nn", "Parameter"), ("torch.optim", "Optimizer"),
    ("torch.optim", "Adam"), ("torch.optim", "RMSprop"), ("torch.optim", "SGD"),
    ("torch.utils.data", "DataLoader"),
)


def _describe(obj) -> str | None:
    """What a callable is, stable across processes: built-ins by name, Python code by a hash."""
    code = getattr(obj, "__code__", None)
    if isinstance(code, types.CodeType):
        digest = _code_digest(code)
        if digest in _torch_wrappers() and getattr(obj, "__wrapped__", None) is not None:
            return _describe(obj.__wrapped__)
        return f"code:{digest}"
    if isinstance(obj, (types.BuiltinFunctionType, types.MethodDescriptorType, types.WrapperDescriptorType,
                        types.MethodWrapperType, types.ClassMethodDescriptorType)):
        return f"builtin:{getattr(obj, '__qualname__', getattr(obj, '__name__', '?'))}"
    if isinstance(obj, type):
        return f"class:{obj.__module__}.{obj.__qualname__}"
    if isinstance(obj, (staticmethod, classmethod)):
        return _describe(obj.__func__)
    if isinstance(obj, property):
        return "property:" + ",".join(str(_describe(f)) for f in (obj.fget, obj.fset))
    if callable(obj):
        return f"callable:{type(obj).__module__}.{type(obj).__qualname__}"
    return None


def _torch_wrappers() -> set[str]:
    """Digests of the wrappers torch itself puts around its functions: an optimiser's ``step`` the first
    time one is made (``profile_hook_step``), ``manual_seed`` and others once ``torch._dynamo`` is imported
    (``_disable_dynamo``). A function wrapped by these is described by what it wraps."""
    torch = sys.modules.get("torch")
    optimizer = getattr(sys.modules.get("torch.optim.optimizer"), "Optimizer", None)
    digests = set()
    for wrapper_maker in (getattr(optimizer, "profile_hook_step", None), getattr(torch, "_disable_dynamo", None)):
        code = getattr(getattr(wrapper_maker, "__func__", wrapper_maker), "__code__", None)
        if code is not None:
            digests |= {_code_digest(c) for c in code.co_consts if isinstance(c, types.CodeType)}
    return digests


def _code_digest(code: types.CodeType) -> str:
    """A hash of what code does, equal in every process (no addresses, no set ordering)."""
    def stable(const):
        if isinstance(const, types.CodeType):
            return _code_digest(const)
        if isinstance(const, frozenset):
            return "frozenset" + repr(sorted(repr(c) for c in const))
        if isinstance(const, tuple):
            return "(" + ",".join(stable(c) for c in const) + ")"
        return repr(const)
    text = repr((code.co_code, code.co_names, stable(code.co_consts)))
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]


def _safely_describe(obj) -> str | None:
    try:
        return _describe(obj)
    except Exception as error:  # an object built to break introspection is itself a change
        return f"unreadable:{type(error).__name__}"


def _grader_modules() -> list[str]:
    return sorted(name for name in sys.modules if name == "autograder" or name.startswith("autograder."))


def fingerprint(modules=None) -> dict[str, str]:
    """``{"torch:allclose": "builtin:allclose", "autograder.steps:adam": "code:…", …}`` for what is loaded.

    Only modules already imported are read (nothing is imported here), so a fingerprint never changes
    what a process has loaded.
    """
    names = list(modules or WATCHED_MODULES) + _grader_modules()
    found: dict[str, str] = {}
    for name in names:
        module = sys.modules.get(name)
        if module is None:
            continue
        found[f"{name}:"] = "module"
        for attr, value in list(vars(module).items()):
            if attr.startswith("__") or isinstance(value, types.ModuleType):
                continue
            if name.startswith("autograder") and getattr(value, "__module__", name) != name:
                continue  # names a grader module imported from elsewhere are fingerprinted where they live
            description = _safely_describe(value)
            if description is not None and f"{name}:{attr}" not in INTERACTIVE:
                found[f"{name}:{attr}"] = description
    for module_name, class_name in WATCHED_CLASSES:
        cls = getattr(sys.modules.get(module_name), class_name, None)
        if isinstance(cls, type):
            for attr, value in _effective_attributes(cls):
                description = _safely_describe(value)
                if description is not None:
                    found[f"{module_name}:{class_name}.{attr}"] = description
    return found


def _effective_attributes(cls: type):
    """Each attribute as the class resolves it (inherited ones too: patching ``Tensor.__eq__`` shadows one)."""
    seen = set()
    for klass in cls.__mro__:
        for attr, value in list(vars(klass).items()):
            if attr not in seen:
                seen.add(attr)
                yield attr, value


def changes(baseline: dict[str, str], now: dict[str, str], limit: int = 5) -> list[str]:
    """Names whose meaning differs from the baseline (replaced or removed), at most ``limit`` of them.

    Names the baseline lacks are ignored (a module loaded later adds names, it replaces none), and so
    are the names of modules one side never loaded.
    """
    changed = [name for name, what in baseline.items() if name in now and now[name] != what]
    removed = [name for name in baseline if name not in now and f"{name.split(':')[0]}:" in now]
    names = [name.replace(":", ".") for name in sorted(changed) + sorted(removed)]
    if len(names) > limit:
        return names[:limit] + [f"… and {len(names) - limit} more"]
    return names


def environment() -> dict[str, str]:
    """What a fingerprint depends on: fingerprints of different environments are not compared."""
    torch = sys.modules.get("torch")
    return {"python": sys.version.split()[0], "torch": str(getattr(torch, "__version__", ""))}
