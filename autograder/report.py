"""The score table printed by pytest and the CLI."""
from __future__ import annotations

import textwrap


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
    score, points = total(grades)
    lines.append("-" * (width + 12))
    lines.append(f"Total: {score:g} / {points:g}")
    return "\n".join(lines)
