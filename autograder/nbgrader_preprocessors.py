"""nbgrader preprocessors the course's ``nbgrader_config.py`` adds to ``nbgrader autograde``.

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
  so one enormous line cannot make a feedback file of many megabytes.
"""
from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.preprocessors import LimitOutput, NbGraderPreprocessor
from traitlets import Integer


def _is_hidden_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade", False) and not meta.get("solution", False)


class StderrIsNotAFailure(NbGraderPreprocessor):
    def preprocess_cell(self, cell, resources, cell_index):
        if _is_hidden_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


class ReturnedValueIsAFailure(NbGraderPreprocessor):
    def preprocess_cell(self, cell, resources, cell_index):
        if _is_hidden_test_cell(cell) and any(o.output_type == "execute_result" for o in cell.get("outputs", [])):
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


def _cut(text: str, budget: int) -> tuple[str, int]:
    if len(text) <= budget:
        return text, budget - len(text)
    return text[:max(budget, 0)] + f"\n... output truncated ({len(text) - max(budget, 0):,} characters left out) ...\n", 0
