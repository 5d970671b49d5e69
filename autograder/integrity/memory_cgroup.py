"""A memory cgroup per grading: the kernel's out-of-memory killer stays inside one submission.

An address-space limit (:func:`autograder.integrity.sandbox.limit_memory`) makes an allocation fail with a ``MemoryError``
inside the student's own cell, but it counts reserved address space, not memory, so GPU machines (CUDA reserves
far more address space than any limit) cannot use it. A cgroup counts the memory a process really holds (its
pages, page cache, kernel memory): where this process may create cgroups (root, or a subtree delegated to the
grading user), every process that runs student code starts in a cgroup of its own, capped at the same size,
so a submission that escapes or outgrows the address-space limit is killed on its own and never takes a
classmate's grading or the instructor's processes with it. Both cgroup versions are used: v2 where the memory
controller is delegated below this process's cgroup, else v1's memory hierarchy.
"""
from __future__ import annotations

import itertools
import os
import signal
from pathlib import Path

_COUNTER = itertools.count()
_PARENT: dict = {}


def _mounts() -> list[tuple[str, str, str, str]]:
    """(mount point, root inside the hierarchy, file system type, super options) of every cgroup mount."""
    found = []
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if " - " not in line:
            continue
        after = line.split(" - ", 1)[1].split()
        if after and after[0] in ("cgroup", "cgroup2"):
            found.append((fields[4], fields[3], after[0], after[2] if len(after) > 2 else ""))
    return found


def _own_paths() -> dict[str, str]:
    """'v2' and 'v1' → this process's cgroup path in that hierarchy (v1: its memory controller's)."""
    paths = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return paths
    for line in lines:
        number, controllers, path = line.split(":", 2)
        if number == "0" and controllers == "":
            paths["v2"] = path
        elif "memory" in controllers.split(","):
            paths["v1"] = path
    return paths


def _usable(folder: Path, version: str) -> bool:
    """Can a child cgroup with a memory limit be made in ``folder``? (tried with a probe child)"""
    if version == "v2":
        try:
            if "memory" not in (folder / "cgroup.subtree_control").read_text().split():
                (folder / "cgroup.subtree_control").write_text("+memory")
        except OSError:
            return False
    probe = folder / f"gan-course-probe-{os.getpid()}"
    try:
        probe.mkdir()
    except OSError:
        return False
    try:
        return (probe / ("memory.max" if version == "v2" else "memory.limit_in_bytes")).exists()
    finally:
        try:
            probe.rmdir()
        except OSError:
            pass


def parent() -> tuple[Path, str] | None:
    """The cgroup folder gradings' cgroups are made in, and its version ('v2' or 'v1'); None where none can be."""
    if "found" not in _PARENT:
        _PARENT["found"] = None
        own = _own_paths()
        for version, fstype in (("v2", "cgroup2"), ("v1", "cgroup")):
            if version not in own:
                continue
            for mount, root, kind, options in _mounts():
                if kind != fstype or (version == "v1" and "memory" not in options.split(",")):
                    continue
                inside = os.path.relpath(own[version], root) if own[version].startswith(root) else None
                if inside is None:
                    continue
                folder = Path(mount) / inside if inside != "." else Path(mount)
                if folder.is_dir() and _usable(folder, version):
                    _PARENT["found"] = (folder, version)
                    return _PARENT["found"]
    return _PARENT["found"]


def available() -> bool:
    return parent() is not None


def describe() -> str:
    found = parent()
    return f"memory cgroup {found[1]}" if found else "no memory cgroup (this process may not create cgroups)"


class MemoryCgroup:
    """One grading's cgroup: ``enter()`` (in a child before exec) or :meth:`command_prefix` puts a process in it;
    everything it starts stays in it; :meth:`remove` kills what is left and deletes it."""

    def __init__(self, folder: Path, version: str, limit_bytes: int):
        self.path, self.version, self.limit_bytes = folder, version, limit_bytes

    @property
    def procs(self) -> Path:
        return self.path / "cgroup.procs"

    def enter(self) -> None:
        """Move the calling process into the cgroup (a ``preexec_fn``: it runs in the child, before exec)."""
        with open(self.procs, "w") as f:
            f.write(str(os.getpid()))

    def command_prefix(self) -> list[str]:
        """``sh -c 'echo $$ > …/cgroup.procs && exec "$@"'``: put before a command to start it in the cgroup."""
        return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(self.procs)]

    def out_of_memory(self) -> bool:
        """Did the kernel kill a process of this cgroup for going over the limit?"""
        name = "memory.events" if self.version == "v2" else "memory.oom_control"
        try:
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value or 0) > 0:
                    return True
        except (OSError, ValueError):
            pass
        try:  # v1 kernels without an oom_kill counter: the limit was hit
            return self.version == "v1" and int((self.path / "memory.failcnt").read_text()) > 0 and \
                int((self.path / "memory.max_usage_in_bytes").read_text()) >= self.limit_bytes
        except (OSError, ValueError):
            return False

    def remove(self) -> None:
        """Kill whatever is still in the cgroup and delete it (a cgroup can only be deleted empty)."""
        import time

        for _ in range(100):
            try:
                pids = [int(p) for p in self.procs.read_text().split()]
            except OSError:
                return
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)
        for _ in range(100):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:  # the kernel is still tearing the last process down
                time.sleep(0.05)


def create(memory_gb: float | None) -> MemoryCgroup | None:
    """A new cgroup capped at ``memory_gb`` GiB (memory and swap together), or None (no limit asked, or no
    cgroup can be made here)."""
    found = parent() if memory_gb else None
    if found is None:
        return None
    folder, version = found
    limit = int(float(memory_gb) * 2**30)
    path = folder / f"gan-course-{os.getpid()}-{next(_COUNTER)}"
    try:
        path.mkdir()
        if version == "v2":
            (path / "memory.max").write_text(str(limit))
            if (path / "memory.swap.max").exists():
                (path / "memory.swap.max").write_text("0")
        else:
            (path / "memory.limit_in_bytes").write_text(str(limit))
            if (path / "memory.memsw.limit_in_bytes").exists():
                (path / "memory.memsw.limit_in_bytes").write_text(str(limit))
    except OSError:
        try:
            path.rmdir()
        except OSError:
            pass
        return None
    return MemoryCgroup(path, version, limit)
