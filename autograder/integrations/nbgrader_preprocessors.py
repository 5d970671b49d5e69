"""nbgrader preprocessors the course's ``nbgrader_config.py`` adds to ``nbgrader autograde``.

No verdict is decided in the student's kernel. :class:`HandOffToGrader` (before nbgrader's Execute) writes the
judge's inputs into a fresh folder and names it to the kernel (``GAN_COURSE_HANDOFF_DIR``), whose hidden test
cells then only answer with plain data (``autograder.grade``); :class:`SandboxedExecute` runs the kernel confined
and under a whole-notebook limit; :class:`JudgeTestCells` (after Execute) judges each hidden test cell in this
process (:mod:`autograder.pipeline.judge`) and *replaces the cell's outputs* with the verdict. nbgrader scores the cell
from those outputs, so nothing the kernel printed, returned or patched decides a score. A cell that answered
nothing (the notebook stopped before it, or the grading function was replaced) scores 0; what the trusted side
can see of tampering is written into the cell's output, logged, and listed in ``manual_review.json`` beside the
autograded notebook.

nbgrader scores a test cell 0 when anything in it is written to stderr, and takes a number the cell
returns as its score. Our hidden test cells signal a failure only by raising, and return nothing, so:

- :class:`StderrIsNotAFailure` turns stderr output of hidden test cells into stdout: a warning from a
  library, a student's ``logging.warning`` or a background thread printing can no longer cost a
  correct answer its points (a failing check still raises, which nbgrader scores 0);
- :class:`ReturnedValueIsAFailure` turns a value a hidden test cell returns into an error: such a
  cell only calls ``autograder.grade``, which returns None, so a value means the grading function was
  replaced (a student's ``grade = lambda *a: -1`` would otherwise score by nbgrader's partial-credit
  rule);
- :class:`LimitOutputSize` is nbgrader's ``LimitOutput`` (a line limit) plus a limit on characters,
  so one enormous line cannot make a feedback file of many megabytes;
- :class:`GraderPathsRelative` writes the grading machine's folders out of every output (a traceback through
  ``shared/sanity.py`` or PyTorch names the file relative to the course or to the installed packages).
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute, LimitOutput, NbGraderPreprocessor
from traitlets import Enum, Float, Integer

from autograder.pipeline.grading import HANDOFF_DIR
from autograder.pipeline.report import result_text
from autograder.pipeline.notebook import is_test_cell

# nbgrader loads nbgrader_config.py, which imports this module, from the course's root folder; nbgrader
# later changes folders while it grades, so the root (gradebook, all submissions) is taken now.
COURSE_ROOT = os.getcwd()
_GRADE_CALL = re.compile(r"""autograder\.grade\(\s*["']([\w.]+::\w+)["']""")


class StderrIsNotAFailure(NbGraderPreprocessor):
    def preprocess_cell(self, cell, resources, cell_index):
        if is_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


class ReturnedValueIsAFailure(NbGraderPreprocessor):
    def preprocess_cell(self, cell, resources, cell_index):
        if is_test_cell(cell) and any(o.output_type == "execute_result" for o in cell.get("outputs", [])):
            cell.outputs = [o for o in cell.outputs if o.output_type != "execute_result"]
            cell.outputs.append(new_output(
                "error", ename="GradingTampered",
                evalue="This test cell returned a value, which autograder.grade never does: the grading "
                       "function was replaced. The problem scores 0 and is flagged for manual review.",
                traceback=["GradingTampered: this test cell returned a value; flagged for manual review"]))
        return cell, resources


class LimitOutputSize(LimitOutput):
    max_chars = Integer(20_000, help="most characters of stream or text output kept per cell (-1: no limit)"
                        ).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if self.max_chars < 0 or cell.cell_type != "code":
            return cell, resources
        budget = self.max_chars
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                output.text, budget = _cut(output.text, budget)
            elif output.output_type in ("execute_result", "display_data") and "text/plain" in output.get("data", {}):
                output.data["text/plain"], budget = _cut(output.data["text/plain"], budget)
        return cell, resources


class GraderPathsRelative(NbGraderPreprocessor):
    """Outputs name files as the student knows them: ``shared/sanity.py``, ``torch/nn/modules/module.py``, paths
    in the course relative to it, never the grading machine's absolute folders."""

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                relative_paths(output)
        return cell, resources


@functools.lru_cache(maxsize=None)
def _grader_folders() -> tuple[str, ...]:
    import site
    import sysconfig

    from autograder.integrity.sandbox import REPO

    folders = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages(),
               str(REPO), os.path.realpath(REPO), os.path.dirname(os.path.realpath(sys.executable)), sys.prefix,
               COURSE_ROOT]
    return tuple(sorted({f.rstrip("/") for f in folders if f and f != "/"}, key=len, reverse=True))


def relative_paths(output) -> None:
    """Remove the grading machine's folders from one notebook output, in place (longest folder first)."""
    folders = _grader_folders()

    def clean(text: str) -> str:
        for folder in folders:
            text = text.replace(folder + "/", "")
        return text

    if "text" in output:
        output["text"] = clean(output["text"])
    if "traceback" in output:
        output["traceback"] = [clean(line) for line in output["traceback"]]
    if "evalue" in output:
        output["evalue"] = clean(output["evalue"])
    for kind in ("text/plain", "text/html"):
        if kind in output.get("data", {}):
            output["data"][kind] = clean(output["data"][kind])


def _cut(text: str, budget: int) -> tuple[str, int]:
    if len(text) <= budget:
        return text, budget - len(text)
    return text[:max(budget, 0)] + f"\n... output truncated ({len(text) - max(budget, 0):,} characters left out) ...\n", 0


# The judge's inputs of the notebook being graded, kept in nbgrader's (trusted) process: the kernel gets a copy
# to answer them, and whatever it does to that copy changes nothing here.
_INPUTS: dict[str, dict] = {}


class HandOffToGrader(NbGraderPreprocessor):
    """Before Execute: a fresh hand-off folder, named to the kernel through the environment, holding the judge's
    inputs (a fresh seed and nonce per problem) for every graded cell of the notebook."""

    def preprocess(self, nb, resources):
        from autograder.pipeline import judge, wire
        from autograder.pipeline.grading import REQUESTS_FILE

        folder = Path(tempfile.mkdtemp(prefix="gan-course-handoff-"))
        os.environ[HANDOFF_DIR] = str(folder)
        ids = [m.group(1) for cell in nb.cells if is_test_cell(cell) for m in [_GRADE_CALL.search(cell.source)] if m]
        _INPUTS.clear()
        _INPUTS.update(judge.inputs_for(dict.fromkeys(ids)))
        (folder / REQUESTS_FILE).write_bytes(wire.dump_requests(dict(_INPUTS)))
        return nb, resources


METADATA_CHANGES = "gan_course_metadata_changes"  # notebook metadata: what RestoreReleaseCells changed back


class RestoreReleaseCells(NbGraderPreprocessor):
    """Before nbgrader's own sanitising (``c.Autograde.sanitize_preprocessors``, ahead of ``OverwriteCells``): every
    cell's nbgrader metadata is the release's, from the gradebook, whatever the submission says. Points, the
    ``grade``/``solution``/``locked`` flags and the checksum of a cell the release has are put back; nbgrader
    metadata on a cell the release does not have (an extra or renamed test cell) is removed, so it runs as an
    ordinary cell and scores nothing. nbgrader then restores locked sources and adds missing test cells, as it does
    for any submission, instead of stopping at "Inconsistent checksums". What was changed is kept in the
    notebook's metadata and flagged for review by :class:`JudgeTestCells`."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            entry = gradebook.find_notebook(info["notebook"], info["assignment"])
            release = {cell.name: {"cell_type": cell.cell_type, "checksum": cell.checksum, "grade": False,
                                   "grade_id": cell.name, "locked": bool(cell.locked), "schema_version": 3,
                                   "solution": False, "task": False} for cell in entry.source_cells}
            for cell in entry.grade_cells:
                release[cell.name].update(grade=True, points=float(cell.max_score))
            for cell in entry.solution_cells:
                release[cell.name]["solution"] = True
            for cell in entry.task_cells:
                release[cell.name].update(task=True, points=float(cell.max_score))
        changes = []
        for index, cell in enumerate(nb.cells):
            meta = cell.get("metadata", {}).get("nbgrader")
            if not isinstance(meta, dict):
                continue
            grade_id = meta.get("grade_id")
            want = release.get(grade_id) if isinstance(grade_id, str) else None
            if want is None:
                if any(meta.get(key) for key in ("grade", "solution", "locked", "task")):
                    changes.append(f"cell {index}: nbgrader metadata of a cell the release does not have "
                                   f"(grade_id {str(grade_id)[:80]!r}) removed")
                del cell.metadata["nbgrader"]
                continue
            # The checksum is always put back but never compared: a release's test cell carries the checksum of
            # its visible part, the gradebook that of the whole cell. (The instructors' source notebook has no
            # cell_type yet: its absence is no edit.)
            differs = sorted(k for k in set(want) | set(meta) if k != "checksum"
                             and not _same(meta.get(k), want.get(k)) and not (k == "cell_type" and k not in meta))
            if differs:
                changes.append(f"cell {grade_id}: " + ", ".join(
                    f"{k} {str(meta.get(k))[:40]!r} → {want.get(k)!r}" for k in differs))
            cell.metadata["nbgrader"] = dict(want)
        nb.metadata[METADATA_CHANGES] = changes
        for change in changes:
            self.log.warning("Submission metadata differs from the release: %s", change)
        return nb, resources


def _same(found, wanted) -> bool:
    """Metadata values alike as nbgrader reads them (10 and 10.0 points; a missing flag is False)."""
    if isinstance(wanted, float) and isinstance(found, (int, float)) and not isinstance(found, bool):
        return float(found) == wanted
    if isinstance(wanted, bool) or wanted is None:
        return bool(found) == bool(wanted) and (found is None or isinstance(found, bool))
    return found == wanted


_KERNELS: list = []  # (kernel process, its memory cgroup or None) this nbgrader process started


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the student's kernel confined (:mod:`autograder.integrity.sandbox`): it writes only its notebook's folder,
    the hand-off folder and a private temp folder, reads neither the course directory (gradebook, other
    submissions) nor the hidden checks, and cannot signal the grader. Unconfined where Landlock is missing.
    Its memory is limited (``c.SandboxedKernelManager.memory_gb``; by default 80 % of the machine's memory,
    nbgrader grading one notebook at a time; 0: none) by an address-space limit (a submission that allocates
    without bound fails its own cells) and, where one can be made, a memory cgroup of its own (which holds on GPU
    machines too, and keeps the out-of-memory killer inside the submission)."""

    memory_gb = Float(None, allow_none=True, help="address-space limit of the student's kernel in GiB (default: "
                      "80% of the machine's memory; 0: none)").tag(config=True)

    async def _async_pre_start_kernel(self, **kw):
        from autograder.integrity import memory_cgroup, private_cache, sandbox

        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        memory_gb = sandbox.memory_limit_gb(self.memory_gb)  # nbgrader grades one notebook at a time
        if sandbox.available():
            workdir = str(kw.get("cwd") or os.getcwd())
            handoff = [os.environ[HANDOFF_DIR]] if os.environ.get(HANDOFF_DIR) else []
            policy = sandbox.student_policy(workdir, course_root=COURSE_ROOT, extra_write=handoff)
            # the kernel reads its connection file (ports and key), which jupyter writes into its runtime folder
            policy["read"] += [arg for arg in kernel_cmd if arg.endswith(".json") and os.path.isfile(arg)]
            tmp = tempfile.mkdtemp(prefix="kernel-tmp-", dir=handoff[0]) if handoff else tempfile.mkdtemp()
            kernel_cmd = sandbox.command_prefix(policy, tmp, memory_gb=memory_gb) + list(kernel_cmd)
            private_cache.fill(tmp)
        elif memory_gb:
            kernel_cmd = sandbox.memory_prefix(memory_gb) + list(kernel_cmd)
        # PID 1 of a namespace of its own: whatever the kernel starts dies with it (the kernel talks to nbgrader
        # over local TCP, so its network stays).
        kernel_cmd = sandbox.namespace_prefix(network=False) + list(kernel_cmd)
        self._memory_cgroup = memory_cgroup.create(memory_gb)
        if self._memory_cgroup is not None:  # outermost: the namespace and all in it start inside the cgroup
            kernel_cmd = self._memory_cgroup.command_prefix() + kernel_cmd
        return kernel_cmd, kw

    async def _async_post_start_kernel(self, **kw):
        await super()._async_post_start_kernel(**kw)
        process = getattr(getattr(self, "provisioner", None), "process", None)
        if process is not None:
            _KERNELS.append((process, getattr(self, "_memory_cgroup", None)))


class SandboxedExecute(Execute):
    """nbgrader's Execute with the student's kernel in the sandbox (configured like Execute: ``c.Execute.…``),
    and a limit on the whole notebook: a kernel that hangs or wedges its own channels is killed when the limit
    is reached, and the notebook is graded as far as it ran (a submission never stops the batch)."""

    notebook_timeout = Float(900, help="seconds the whole notebook may take before its kernel is killed"
                             ).tag(config=True)
    # Once the last cell has run, every result is in nbgrader's hands: the kernel is killed rather than left
    # seconds to tear torch down (a graceful shutdown waited ≈ 2.5 s per notebook on 2 cores).
    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        import threading

        started = len(_KERNELS)
        timer = threading.Timer(self.notebook_timeout, lambda: _kill_kernels(_KERNELS[started:]))
        timer.daemon = True
        timer.start()
        try:
            return super().preprocess(nb, resources, km)
        except Exception as error:  # the kernel died or stopped answering: grade what ran
            self.log.warning("The notebook's kernel stopped (%s: %s); grading the cells that ran.",
                             type(error).__name__, str(error)[:200])
            return nb, resources
        finally:
            timer.cancel()
            _kill_kernels(_KERNELS[started:])
            del _KERNELS[started:]
            self._scrub(resources)

    def _scrub(self, resources) -> None:
        """The kernel and all it started are gone: remove what it planted in its folder that is not a regular
        file or folder (links, FIFOs, devices, hard links), so nbgrader's own steps after this one (writing the
        autograded notebook, permissions, feedback) never follow them. What was removed is flagged."""
        from autograder.integrity import sandbox

        folder = (resources or {}).get("metadata", {}).get("path")
        if folder:
            removed = sandbox.scrub(folder)
            if removed:
                resources.setdefault("gan_course", {})["scrubbed"] = removed


def _kill_kernels(kernels) -> None:
    """End each kernel and everything it started; returns when they are gone (:func:`sandbox.stop`), their memory
    cgroups deleted."""
    from autograder.integrity import sandbox

    for process, cgroup in kernels:
        sandbox.stop(process)
        if cgroup is not None:
            cgroup.remove()


class JudgeTestCells(NbGraderPreprocessor):
    """After Execute: the judge decides each hidden test cell, in this process, from the answer the kernel left
    (plain data, :mod:`autograder.pipeline.wire`) and the inputs kept here; the verdict becomes the cell's output."""

    def preprocess(self, nb, resources):
        from autograder.pipeline import judge
        from autograder.pipeline.registry import get_check

        folder = Path(os.environ.pop(HANDOFF_DIR, "") or tempfile.mkdtemp(prefix="gan-course-handoff-"))
        flagged = []
        changes = nb.metadata.pop(METADATA_CHANGES, None)  # written by RestoreReleaseCells, before any kernel ran
        if isinstance(changes, list) and changes:
            resources.setdefault("gan_course", {})["metadata_changes"] = [str(item) for item in changes]
        try:
            for cell in nb.cells:
                match = _GRADE_CALL.search(cell.source) if is_test_cell(cell) else None
                if match is None:
                    continue
                check = get_check(match.group(1))
                inputs = _INPUTS.get(check.id)
                result = judge.verdict_of_folder(check, inputs, folder) if inputs else judge.Verdict(
                    check.id, False, "This problem was not graded: the grader had no inputs for it.")
                review = list(result.review)
                if (not result.passed and "never answered" in result.message
                        and not any(o.get("output_type") == "error" for o in cell.get("outputs", []))):
                    review.append("the hidden test cell ran without error but answered nothing (the grading "
                                  "function was replaced)")
                cell.outputs = [_output(check, result.passed, result.message, review, result.student_text)]
                if review:
                    flagged.append({"problem": check.label, "reasons": review})
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self._report(flagged, resources)
        return nb, resources

    def _report(self, flagged: list[dict], resources) -> None:
        from autograder.integrity import sandbox

        where = Path(resources.get("metadata", {}).get("path") or ".")
        target = where / "manual_review.json"
        changed = resources.get("gan_course", {}).get("metadata_changes")
        if changed:
            flagged.append({"problem": "cell metadata", "reasons": [
                f"edited in the submission, graded as in the release: {item}" for item in changed]})
        scrubbed = resources.get("gan_course", {}).get("scrubbed")
        if scrubbed:
            flagged.append({"problem": "files the notebook left", "reasons": [
                f"not a regular file, refused and removed before grading went on: {item}" for item in scrubbed]})
        if not flagged:
            target.unlink(missing_ok=True)
            return
        student = resources.get("nbgrader", {}).get("student", "?")
        for item in flagged:
            self.log.warning("Flagged for manual review: %s, problem %s: %s", student, item["problem"],
                             "; ".join(item["reasons"]))
        sandbox.write_regular(target, json.dumps({"student": student, "flagged": flagged}, indent=2))


def _output(check, passed: bool, message: str, review: list[str], student_text: str = ""):
    text = result_text(check, passed, message, review, student_text)
    if passed:
        return new_output("stream", name="stdout", text=text + "\n")
    return new_output("error", ename="GradingFailure", evalue=text, traceback=text.splitlines())
