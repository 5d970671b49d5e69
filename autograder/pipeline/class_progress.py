"""Where grading a class stands: a line per finished notebook (score, seconds, time left) and, on a terminal, a
bar with the time left. Both go to stderr: stdout and the ``--json``/``--csv`` files hold the results.
"""
from __future__ import annotations

import sys
import time

from tqdm.auto import tqdm

from autograder.integrity.student_text import one_line


class ClassProgress:
    def __init__(self, to_grade: int, reused: int = 0, stream=None):
        self.stream = stream or sys.stderr
        self.to_grade, self.finished = to_grade, 0
        if reused:
            print(f"{reused} notebook(s) kept from the results file (unchanged notebook and grader); "
                  f"{to_grade} to grade", file=self.stream)
        interactive = getattr(self.stream, "isatty", lambda: False)()
        self.bar = tqdm(total=to_grade, unit="notebook", desc="grading", file=self.stream,
                        disable=to_grade < 2 or not interactive, dynamic_ncols=True)
        self.start = time.perf_counter()

    def done(self, result: dict) -> None:
        self.finished += 1
        status = " · not graded normally" if result.get("error") else ""
        left = self.to_grade - self.finished
        eta = f" · about {_duration((time.perf_counter() - self.start) / self.finished * left)} left" if left else ""
        line = (f"[{self.finished}/{self.to_grade}] {one_line(result['notebook'], 300)}: "
                f"{result['score']:g} / {result['points']:g}"
                f" in {result.get('seconds', 0):.1f} s{status}{eta}")
        self.bar.write(line, file=self.stream)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
