"""The memory cgroup each grading runs in (where this machine lets the grader make one): a process over its limit
is killed on its own, the cgroup is deleted afterwards, and the CLI says why a submission's process died; also on
a GPU machine, where no address-space limit can be used."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from autograder.integrity import memory_cgroup, sandbox
from autograder.pipeline.batch import grade_notebook

from .test_batch_grading import _release_with_first_cell

pytestmark = pytest.mark.skipif(not memory_cgroup.available(), reason=memory_cgroup.describe())

TOUCH = "b = bytearray({mb} * 2**20); print('survived')"  # bytearray writes its pages: memory, not address space


def test_a_process_over_its_cgroup_limit_is_killed_and_the_cgroup_removed():
    cgroup = memory_cgroup.create(0.25)
    try:
        over = subprocess.run([sys.executable, "-c", TOUCH.format(mb=600)], preexec_fn=cgroup.enter,
                              capture_output=True, text=True)
        assert over.returncode == -9 and "survived" not in over.stdout
        assert cgroup.out_of_memory()
    finally:
        cgroup.remove()
    assert not cgroup.path.exists()
    cgroup = memory_cgroup.create(0.25)
    try:  # under the limit, through the command prefix (the nbgrader kernel's way in)
        under = subprocess.run(cgroup.command_prefix() + [sys.executable, "-c", TOUCH.format(mb=50) +
                               "; print(open('/proc/self/cgroup').read())"], capture_output=True, text=True)
        assert under.returncode == 0 and "survived" in under.stdout and cgroup.path.name in under.stdout
        assert not cgroup.out_of_memory()
    finally:
        cgroup.remove()
    assert not cgroup.path.exists() and memory_cgroup.create(0) is None


def test_on_a_gpu_machine_the_cgroup_alone_stops_a_memory_bomb(tmp_path, monkeypatch):
    """As on a GPU grading machine (no address-space limit there: CUDA reserves more): a notebook that fills memory
    is killed by its cgroup, its grading says so, and nothing of it is left."""
    monkeypatch.setattr(sandbox, "gpu_present", lambda: True)
    bomb = _release_with_first_cell(tmp_path, "filler", "chunks = []\nwhile True:\n    chunks.append(bytearray(2**28))")
    result = grade_notebook(bomb, memory_gb=1.0, notebook_timeout=120)
    assert result["score"] == 0
    assert "killed for using more than its 1 GB of memory" in result["error"], result["error"]
    assert not list(memory_cgroup.parent()[0].glob(f"gan-course-{os.getpid()}-*"))  # (this process's cgroups)
