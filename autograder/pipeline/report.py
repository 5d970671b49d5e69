"""The grader's words as people read them: one problem's result text, and the score table of pytest and the CLI.

Every line that quotes a message starts indented (the student's own text also behind ``│``), with escape
sequences and control characters removed (:mod:`autograder.integrity.student_text`); the grader's status and the total are
the last lines and the only ones at the margin besides the table itself, so nothing a submission prints or
raises can pass for them.
"""
from __future__ import annotations

import textwrap

from autograder.integrity.student_text import clean, quote

REVIEW = "⚠ FLAGGED FOR MANUAL REVIEW: "
INDENT = "    "


def result_text(check, passed: bool, message: str, review=(), student_text: str = "") -> str:
    """``✓ Problem 08 · Discriminator step (10 points)``, or ✗ with the message and the student's own error quoted
    below it; review reasons last."""
    label = f"Problem {check.label} ({check.points:g} points)"
    note = f"\n{REVIEW}{'; '.join(review)}" if review else ""
    return f"✓ {label}{note}" if passed else f"✗ {label}\n{with_student_text(message, student_text)}{note}"


def with_student_text(message: str, student_text: str = "") -> str:
    """The grader's ``message`` and, below it, the student's own text as a quoted block (``│`` lines)."""
    message = clean(message, 20_000)
    if not student_text:
        return message
    return message + "\n" + "\n".join(quote(student_text, indent="", max_lines=40))


def total(grades: list[dict]) -> tuple[float, float]:
    return sum(g["score"] for g in grades), sum(g["points"] for g in grades)


def _wrapped(text: str, max_lines: int = 4) -> list[str]:
    return textwrap.wrap(clean(text, 2000), width=100, initial_indent=INDENT, subsequent_indent=INDENT,
                         max_lines=max_lines, placeholder=" …")


def format_table(grades: list[dict], error: str | None = None, student_text: str = "") -> str:
    """One notebook's table: a row per problem with the grader's message and the student's own error quoted
    below a failed one; then ``NOT GRADED NORMALLY`` (``error``, with the process's last output), the review
    flag and, last, the total."""
    width = max([len(g["title"]) for g in grades] + [len("problem")])
    lines = [f"{'problem':<{width}}   score", "-" * (width + 12)]
    for g in grades:
        mark = "✓" if g["score"] == g["points"] else "✗"
        lines.append(f"{g['title']:<{width}}  {g['score']:>3g} / {g['points']:<3g} {mark}")
        if g["score"] != g["points"] and g.get("message"):
            lines.extend(_wrapped(g["message"]))
        if g["score"] != g["points"] and g.get("student_text"):
            lines.extend(quote(g["student_text"], INDENT))
        if g.get("review"):
            lines.extend(_wrapped(REVIEW + "; ".join(g["review"])))
    score, points = total(grades)
    lines.append("-" * (width + 12))
    if error:
        lines.append("NOT GRADED NORMALLY:")
        lines.extend(_wrapped(error))
        if student_text:
            lines.extend(quote(student_text, INDENT))
    if any(g.get("review") for g in grades):
        lines.append("⚠ This submission is flagged for manual review (reasons above).")
    lines.append(f"Total: {score:g} / {points:g}")
    return "\n".join(lines)
