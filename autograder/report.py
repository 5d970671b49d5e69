"""The score table printed by pytest and the CLI."""
from __future__ import annotations

import textwrap


REVIEW = "⚠ FLAGGED FOR MANUAL REVIEW: "


def total(grades: list[dict]) -> tuple[float, float]:
    return sum(g["score"] for g in grades), sum(g["points"] for g in grades)


def format_table(grades: list[dict]) -> str:
    width = max(len(g["title"]) for g in grades)
    lines = [f"{'problem':<{width}}   score", "-" * (width + 12)]
    for g in grades:
        mark = "✓" if g["score"] == g["points"] else "✗"
        lines.append(f"{g['title']:<{width}}  {g['score']:>3g} / {g['points']:<3g} {mark}")
        if g["score"] != g["points"] and g.get("message"):
            lines.extend(textwrap.wrap(g["message"], width=100, initial_indent="    ", subsequent_indent="    ",
                                       max_lines=4, placeholder=" …"))
        if g.get("review"):
            lines.extend(textwrap.wrap(REVIEW + "; ".join(g["review"]), width=100, initial_indent="    ",
                                       subsequent_indent="    ", max_lines=4, placeholder=" …"))
    score, points = total(grades)
    lines.append("-" * (width + 12))
    lines.append(f"Total: {score:g} / {points:g}")
    if any(g.get("review") for g in grades):
        lines.append("⚠ This submission is flagged for manual review (reasons above).")
    return "\n".join(lines)
