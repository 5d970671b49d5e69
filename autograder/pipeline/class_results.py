"""A class's results file: written after every graded notebook, and read back to resume an interrupted class.

Each result carries the SHA-256 of the notebook it graded and the grader's version (a digest of the autograder's
own files), so ``grade --resume`` keeps exactly the results that regrading would reproduce: same path, same
content, same checks. Everything else is graded again.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # autograder/


@lru_cache(maxsize=1)
def grader_version() -> str:
    """A digest of every Python file of the autograder (checks, references, pipeline): any change regrades."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def notebook_digest(path: str | os.PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def stamp(result: dict, digest: str) -> dict:
    """Mark ``result`` with the graded notebook's digest and this grader's version."""
    result["sha256"], result["grader"] = digest, grader_version()
    return result


def reusable(path: str | os.PathLike) -> dict[tuple[str, str], dict]:
    """Results of an earlier run that may be kept: ``(notebook, sha256) → result``, this grader's version only.
    A missing file holds none; a file that is not a results list is an error (it would be overwritten)."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        results = json.loads(path.read_text())
    except ValueError as error:
        raise SystemExit(f"--resume: {path} is not a results file of this grader ({error})") from None
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise SystemExit(f"--resume: {path} is not a results file of this grader (not a list of results)")
    return {(r.get("notebook"), r.get("sha256")): r for r in results if r.get("grader") == grader_version()}


def write(path: str | os.PathLike, results: list[dict]) -> None:
    """Write the results whole, then move them into place: an interruption never leaves half a file."""
    from autograder.integrity.sandbox import write_regular

    write_regular(path, json.dumps(results, indent=2))
