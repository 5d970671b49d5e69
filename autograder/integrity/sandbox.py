"""Confine a process that runs student code: files it may read and write, signals, memory.

Linux's Landlock (kernel 5.13+, no privileges needed) restricts a process and everything it starts,
for good: :func:`confine` lets it read the whole machine *except* the protected folders (the course
directory with its gradebook and every other submission, the instructor repository with the hidden
checks and solutions), read back in only what it needs there (the ``shared`` library and the few
autograder files the hand-off uses), write only to its own folders, and (Landlock ABI 6+) send no
signal to a process outside its sandbox, so it cannot stop the grader. An address-space limit caps
its memory. Used for the nbgrader kernel (:class:`SandboxedKernelManager`), the CLI's notebook process
and every check's child process. Where Landlock is missing, :func:`available` says so and grading
goes on unconfined (the README's set-up with a separate user or container is then the barrier).

``python -m autograder.integrity.sandbox --write DIR --read PATH -- command …`` runs a command confined (an allow-list:
only what is named is readable). :func:`isolated_prefix` puts a command in PID and network namespaces of its own,
so nothing it starts outlives it.
"""
from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

_SYS_CREATE, _SYS_ADD_RULE, _SYS_RESTRICT = 444, 445, 446  # x86_64 and aarch64 share these numbers
_PR_SET_NO_NEW_PRIVS = 38
_RULE_PATH_BENEATH = 1
_CREATE_RULESET_VERSION = 1

_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_WRITE_ACCESS = sum(1 << i for i in range(4, 13))  # remove dir/file, make char/dir/reg/sock/fifo/block/sym
_REFER, _TRUNCATE, _IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_SCOPE_SIGNAL = 1 << 1

REPO = Path(__file__).resolve().parents[2]


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def abi() -> int:
    """Landlock's ABI version on this machine, 0 where it is missing (not Linux, old kernel, disabled)."""
    if not sys.platform.startswith("linux") or os.uname().machine not in ("x86_64", "aarch64"):
        return 0
    version = _libc().syscall(_SYS_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def available() -> bool:
    return abi() >= 1


def _access_masks(version: int) -> tuple[int, int]:
    read = _EXECUTE | _READ_FILE | _READ_DIR
    write = _WRITE_FILE | _WRITE_ACCESS
    if version >= 2:
        write |= _REFER
    if version >= 3:
        write |= _TRUNCATE
    if version >= 5:
        write |= _IOCTL_DEV
    return read, write


def readable_tree(protected: list[str], root: str = "/") -> tuple[list[str], list[str]]:
    """Folders to open for reading so that everything but ``protected`` is readable.

    Returns (whole subtrees, folders on the way to a protected one, which may only be listed).
    """
    protected = [os.path.realpath(p) for p in protected]
    subtrees, on_the_way = [], []

    def walk(folder: str) -> None:
        on_the_way.append(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = os.path.join(folder, entry.name)
            real = os.path.realpath(path)
            holds_protected = any(p.startswith(real.rstrip("/") + "/") for p in protected)
            if real in protected or (holds_protected and entry.is_symlink()):
                continue  # (a link to a folder holding a protected one would open all of it)
            if holds_protected:
                walk(path)
            else:
                subtrees.append(path)
    walk(root)
    return subtrees, on_the_way


def gpu_present() -> bool:
    """An NVIDIA GPU is here (its driver's control device exists)."""
    return os.path.exists("/dev/nvidiactl")


def limit_memory(memory_gb: float | None) -> None:
    """An address-space limit for this process and what it starts (no limit for None or 0, nor on a GPU machine:
    CUDA reserves address space far beyond any such limit, so there the memory cgroup is the limit)."""
    if memory_gb and not gpu_present():
        import resource

        size = int(float(memory_gb) * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


def machine_memory_gb() -> float:
    """The machine's memory in GiB."""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def default_memory_gb(jobs: int = 1) -> float:
    """The memory limit of each process that runs student code unless told otherwise: 80 % of the machine's
    memory shared among the ``jobs`` graded at once, so the whole batch stays within the machine. It is applied
    as an address-space limit (not on GPU machines) and as a memory cgroup (where one can be made here):
    :func:`memory_report` says which."""
    return round(0.8 * machine_memory_gb() / max(1, jobs), 1)


def memory_report() -> str:
    """How a memory limit is enforced on this machine."""
    from autograder.integrity import memory_cgroup

    parts = [] if gpu_present() else ["address-space limit"]
    if memory_cgroup.available():
        parts.append(memory_cgroup.describe())
    return " + ".join(parts) or "none (a GPU machine where this process may not create cgroups)"


def memory_limit_gb(asked: float | None, jobs: int = 1) -> float | None:
    """The limit a command-line option or configuration value ``asked`` stands for: None (not set) is
    :func:`default_memory_gb` for ``jobs``, 0 is no limit, anything else itself."""
    return default_memory_gb(jobs) if asked is None else (asked or None)


def memory_prefix(memory_gb: float) -> list[str]:
    """``prlimit --as=…``: what to put before a command to limit its address space where Landlock's wrapper is
    not used (util-linux; empty where missing)."""
    import shutil

    prlimit = shutil.which("prlimit")
    size = int(float(memory_gb) * 2**30)
    return [prlimit, f"--as={size}:{size}", "--"] if prlimit and not gpu_present() else []


def confine(write: list[str], protect: list[str], read: list[str] = (), memory_gb: float | None = None,
            signals: bool = True, listable: list[str] = ()) -> int:
    """Confine this process (and all it will start) for good; returns the Landlock ABI used (0: none).

    ``write``: folders it may write (and read); ``protect``: folders it may not read or write, apart
    from ``read``, files or folders inside them it may read; ``signals``: forbid signalling processes
    outside the sandbox (ABI 6+).
    """
    limit_memory(memory_gb)
    version = abi()
    if version < 1:
        return 0
    libc = _libc()
    read_access, write_access = _access_masks(version)
    attr = _RulesetAttr(read_access | write_access, 0, _SCOPE_SIGNAL if signals and version >= 6 else 0)
    size = ctypes.sizeof(attr) if version >= 6 else 8  # older kernels know only the first field
    ruleset = libc.syscall(_SYS_CREATE, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        if protect:  # the older deny-list form: everything readable but the protected folders
            subtrees, on_the_way = readable_tree([*protect])
            listable = [*on_the_way, str(REPO), *listable]
        else:  # an allow-list: only ``read`` (sys.path holds the repository: imports list it, names only)
            subtrees, listable = [], [str(REPO), *listable]
        rules = [(p, read_access) for p in subtrees] + [(p, _READ_DIR) for p in listable]
        rules += [(p, read_access) for p in read] + [(p, read_access | write_access) for p in write]
        for path, access in rules:
            _add_rule(libc, ruleset, path, access)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if libc.syscall(_SYS_RESTRICT, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return version


def _add_rule(libc, ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # gone since the walk, or unreadable anyway
    try:
        if not os.path.isdir(path):  # files take file rights only
            access &= _EXECUTE | _READ_FILE | _WRITE_FILE | _TRUNCATE | _IOCTL_DEV
        rule = _PathBeneathAttr(access, fd)
        libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule),
                     ctypes.c_uint32(0))
    finally:
        os.close(fd)


# What a student's process may read inside the repository: the course library, and the autograder files that
# run on the student's side (the runner, the wire format, the probes and fixtures). Not the checks, references,
# mutants, examples or solutions.
RUNNER_FILES = ("__init__.py",
                *(f"pipeline/{f}" for f in ("__init__.py", "grading.py", "registry.py", "student.py", "runner.py",
                                            "wire.py", "notebook.py", "report.py")),
                *(f"toolkit/{f}" for f in ("__init__.py", "tf32.py", "steps.py", "step_probe.py", "expect.py",
                                           "probes.py", "conditioning.py", "critics.py", "penalty_probe.py",
                                           "structure.py", "gradient_paths.py", "device_probe.py", "modes.py",
                                           "open_range.py", "call_log.py", "sizes.py", "mnist_digits.py")),
                "integrity/__init__.py", "integrity/student_text.py")
HOMEWORK_RUNNER_FILES = ("__init__.py", "probes.py", "fixtures.py")
# The rest of the machine a Python process needs: system libraries and settings, devices, process information.
SYSTEM_READ = ("/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev/urandom",
               "/dev/random", "/dev/zero", "/dev/full", "/dev/pts", "/dev/tty")


def runner_files() -> list[str]:
    """The repository's files a student's process may read (allow-list, see :data:`RUNNER_FILES`)."""
    files = [str(REPO / "autograder" / f) for f in RUNNER_FILES]
    for homework in sorted((REPO / "autograder").glob("hw*")):
        files += [str(homework / f) for f in HOMEWORK_RUNNER_FILES]
    return [f for f in files if os.path.isfile(f)]


def student_policy(workdir: str, course_root: str | None = None, extra_write: list[str] = ()) -> dict:
    """What a process running a student's notebook may touch: an allow-list.

    It reads the interpreter and its packages, the system's libraries and settings, the ``shared`` library, the
    student-side autograder files and the data folders; it writes its own folder, a private temp folder and the
    devices it needs. Nothing else is readable: not the course directory (gradebook, other submissions), not the
    instructor repository's checks, references and solutions, not another checkout, not the common temp folder.
    (``course_root`` is accepted for the callers' clarity; the allow-list already leaves it out.)
    """
    runner = runner_files()
    read = [*SYSTEM_READ, sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable)),
            str(REPO / "shared"), *runner]
    read += [p for p in (os.environ.get(v) for v in ("GAN_COURSE_DATA", "GAN_COURSE_INCEPTION_WEIGHTS",
                                                      "TORCH_HOME")) if p]
    read += [str(_default_data_root())]
    graders = REPO / "autograder"
    wide = [r for r in read if r not in runner and (graders == Path(r) or Path(r) in graders.parents)]
    if wide:  # an autograder installed into the environment (or under /usr …): its checks would be readable
        raise RuntimeError(f"the autograder's checks ({graders}) lie inside {wide[0]}, which the sandboxed notebook "
                           "must be able to read: run the grader from a checkout or an editable install "
                           "(pip install -e), not a copy installed into the Python environment")
    write = [workdir, *extra_write, "/dev/null", "/dev/shm"]
    write += [str(p) for p in Path("/dev").glob("nvidia*")]  # CUDA devices, where a GPU grades
    return {"write": [w for w in write if os.path.exists(w)], "protect": [],
            "read": [r for r in dict.fromkeys(read) if os.path.exists(r)], "list": [str(REPO), str(REPO / "autograder")]}


def _default_data_root() -> Path:
    from autograder.integrity.private_cache import grader_cache

    return grader_cache() / "gan-course" / "data"


def command_prefix(policy: dict, tmp: str, memory_gb: float | None = None) -> list[str]:
    """``python -m autograder.integrity.sandbox …  --``: what to put before a command to run it under ``policy``."""
    prefix = [sys.executable, "-m", "autograder.integrity.sandbox", "--tmp", tmp]
    for option in ("write", "protect", "read", "list"):
        for path in policy.get(option, []):
            prefix += [f"--{option}", path]
    if memory_gb:
        prefix += ["--memory-gb", str(memory_gb)]
    return prefix + ["--"]


def _holds_python(folder: str) -> bool:
    """A folder that holds Python itself (``/``, a home with the interpreter) cannot be made unreadable."""
    folder = os.path.realpath(folder).rstrip("/") + "/"
    return any(os.path.realpath(p).startswith(folder) for p in (sys.base_prefix, sys.executable))


def private_environment(tmp: str) -> dict[str, str]:
    """Caches and temp files of a confined process go to its own folder (the shared ones are not writable)."""
    return {"TMPDIR": tmp, "MPLCONFIGDIR": os.path.join(tmp, "matplotlib"), "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "IPYTHONDIR": os.path.join(tmp, "ipython"), "CUDA_CACHE_PATH": os.path.join(tmp, "cuda")}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m autograder.integrity.sandbox", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="append", default=[], help="a folder the command may write")
    parser.add_argument("--protect", action="append", default=[], help="a folder the command may not read")
    parser.add_argument("--read", action="append", default=[], help="a file or folder it may read (allow-list)")
    parser.add_argument("--list", action="append", default=[], help="a folder whose names it may list (not read)")
    parser.add_argument("--tmp", default=None, help="a private folder for temp files and caches (made writable)")
    parser.add_argument("--memory-gb", type=float, default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    if args.tmp:
        for name, value in private_environment(args.tmp).items():
            os.makedirs(value, exist_ok=True)
            os.environ[name] = value
        args.write.append(args.tmp)
    confine(args.write, args.protect, args.read, args.memory_gb, listable=args.list)
    os.execvp(command[0], command)
    return 127


if __name__ == "__main__":
    sys.exit(main())


_NAMESPACES: dict = {}


def namespace_prefix(network: bool = False) -> list[str]:
    """``unshare … --pid --fork --kill-child``: the command runs as PID 1 of a namespace of its own, so every
    process it starts (after ``setsid`` and double forks too) is killed by the kernel when it ends or is killed;
    with ``network`` it also gets an empty network namespace. Empty where the machine refuses namespaces."""
    key = network
    if key not in _NAMESPACES:
        import shutil
        import subprocess

        unshare = shutil.which("unshare")
        prefix: list[str] = []
        if unshare and sys.platform.startswith("linux"):
            users = [[], ["--user", "--map-current-user"]] if os.geteuid() == 0 else [["--user", "--map-current-user"]]
            nets = [["--net"], []] if network else [[]]  # a machine that refuses network namespaces keeps PID ones
            for user in users:
                for net in nets:
                    candidate = [unshare, *user, "--pid", "--fork", "--kill-child", *net]
                    try:  # generous: a loaded machine can take seconds to start a process
                        ok = subprocess.run([*candidate, "true"], capture_output=True, timeout=120).returncode == 0
                    except (OSError, subprocess.SubprocessError):
                        ok = False
                    if ok:
                        prefix = candidate
                        break
                if prefix:
                    break
        _NAMESPACES[key] = prefix
    return list(_NAMESPACES[key])


def stop(process, timeout: float = 30) -> None:
    """End a process started under :func:`namespace_prefix` and everything in its namespace, and return only when
    all of it is gone. PID 1 (``unshare``'s child) is killed first: ``unshare`` waits for it, and the kernel lets
    PID 1 finish only after every other process of the namespace has ended, so ``unshare``'s exit means an empty
    namespace (killing ``unshare`` first would return while the namespace is still being torn down)."""
    import signal
    import subprocess

    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        try:
            os.kill(int(child), signal.SIGKILL)
        except OSError:
            pass
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    for kill in (lambda: os.killpg(process.pid, signal.SIGKILL), lambda: os.kill(process.pid, signal.SIGKILL)):
        try:
            kill()
        except OSError:
            pass
    process.wait()


def scrub(folder) -> list[str]:
    """Remove from ``folder`` (recursively, never following a link) everything but regular files and folders:
    symbolic links, FIFOs, sockets, device files, and files with more than one hard link (which may be a file
    outside the folder). Called by the trusted side once the student's processes are gone, before anything of
    its own reads or writes there by path. Returns what was removed, as ``"path (kind)"`` relative to ``folder``."""
    import stat

    removed = []
    kinds = ((stat.S_ISLNK, "symbolic link"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
             (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))

    def walk(path: Path) -> None:
        for entry in os.scandir(path):
            info = entry.stat(follow_symlinks=False)
            kind = next((name for test, name in kinds if test(info.st_mode)), None)
            if kind is None and stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
                kind = "hard link"
            if kind is not None:
                os.unlink(entry.path)
                removed.append(f"{os.path.relpath(entry.path, folder)} ({kind})")
            elif stat.S_ISDIR(info.st_mode):
                walk(Path(entry.path))

    if os.path.isdir(folder) and not os.path.islink(folder):
        walk(Path(folder))
    return removed


def write_regular(path, text: str) -> None:
    """Write ``text`` to ``path`` as a new regular file: a link or other file planted at ``path`` is replaced,
    never written through."""
    import tempfile

    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gan-course-")
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)


def isolation_report() -> str:
    """One line for the README's set-up and the CLI: which barriers this machine gives."""
    parts = [f"Landlock ABI {abi()}" if available() else "no Landlock (files unconfined)",
             "PID namespace" if namespace_prefix() else "no PID namespace (processes may outlive grading)",
             "network namespace" if "--net" in namespace_prefix(network=True) else "no network namespace",
             f"memory: {memory_report()}"]
    return ", ".join(parts)
