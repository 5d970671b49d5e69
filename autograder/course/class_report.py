"""A graded class on one page: ``python -m autograder report class.json -o report.html``.

Reads the results file of ``grade --json`` and writes one self-contained HTML page: the score histogram, each
problem's pass rate, the commonest failure messages of each problem (grouped once numbers are replaced by ``#``,
so "found 0.693" and "found 0.701" count as one), and the submissions a person should look at: flagged for
review or not graded normally.

The page is inert whatever the results hold: every text is escaped (``html.escape``), the only images are the
page's own PNG figures, the student's own text (``student_text``) is never shown, and a Content-Security-Policy
forbids scripts, frames and any request outside the page.
"""
from __future__ import annotations

import base64
import html
import io
import json
import re
from collections import Counter
from pathlib import Path

from autograder.integrity.student_text import clean, one_line

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def load(path: str | Path) -> list[dict]:
    """The results of ``grade --json``; a clear error for a file that is not one."""
    try:
        results = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} is not a results file of `python -m autograder grade --json` ({error})") from None
    if not isinstance(results, list) or not all(isinstance(r, dict) and isinstance(r.get("grades"), list)
                                                for r in results):
        raise ValueError(f"{path} is not a results file of `python -m autograder grade --json` (expected a list of "
                         "results, each with its grades)")
    return results


def load_all(paths: list[str | Path]) -> list[dict]:
    """The results of one or more ``grade --json`` files merged (a Slurm array writes one file per task): a notebook
    found in several files counts once, with its result from the last file named."""
    merged: dict[str, dict] = {}
    for path in paths:
        for result in load(path):
            merged.pop(result.get("notebook"), None)
            merged[result.get("notebook")] = result
    return list(merged.values())


def pattern(message: str) -> str:
    """A failure message with its numbers as ``#``: messages that differ only in values group together."""
    return _NUMBER.sub("#", " ".join(clean(message, 500).split()))


def summary(results: list[dict], top: int = 3) -> dict:
    """What the page shows, as data: scores, per problem (title, points, passed, graded, commonest failures),
    and the submissions to look at."""
    problems: dict[str, dict] = {}
    for result in results:
        for g in result["grades"]:
            p = problems.setdefault(g["title"], {"title": g["title"], "points": g["points"], "passed": 0,
                                                 "graded": 0, "failures": Counter()})
            p["graded"] += 1
            if g["score"] == g["points"]:
                p["passed"] += 1
            elif g.get("message"):
                p["failures"][pattern(g["message"])] += 1
    for p in problems.values():
        p["failures"] = p["failures"].most_common(top)
    attention = [{"notebook": r["notebook"], "score": r["score"], "points": r["points"],
                  "why": ([f"not graded normally: {r['error']}"] if r.get("error") else [])
                  + [f"flagged for review: {reason}" for reason in r.get("review") or []]}
                 for r in results if r.get("error") or r.get("review")]
    return {"scores": [r["score"] for r in results], "points": max((r["points"] for r in results), default=0),
            "problems": list(problems.values()), "attention": attention}


def _figure_png(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _figures(s: dict) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(s["scores"], bins=min(20, max(5, len(s["scores"]))), range=(0, s["points"] or 1), color="#4C72B0")
    ax.set_xlabel(f"score (out of {s['points']:g})")
    ax.set_ylabel("submissions")
    ax.set_title("Scores")
    histogram = _figure_png(fig)
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(s["problems"]) + 1))
    titles = [p["title"] for p in s["problems"]][::-1]
    rates = [100 * p["passed"] / p["graded"] if p["graded"] else 0 for p in s["problems"]][::-1]
    ax.barh(titles, rates, color="#55A868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of submissions with full marks")
    ax.set_title("Pass rate per problem")
    return histogram, _figure_png(fig)


def render(results: list[dict], title: str = "Class report") -> str:
    """The page (a str of HTML) for ``results``."""
    s = summary(results)
    e = html.escape
    scores = s["scores"]
    mean = sum(scores) / len(scores) if scores else 0
    median = sorted(scores)[len(scores) // 2] if scores else 0
    parts = [
        "<!DOCTYPE html>", "<html><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">",
        f"<title>{e(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
        "td.n{text-align:right}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{len(results)} submissions · mean {mean:.1f} · median {median:g} · out of {s['points']:g}</p>",
    ]
    if results:
        histogram, rates = _figures(s)
        parts.append(f"<p><img alt='score histogram' src='data:image/png;base64,{histogram}'></p>")
        parts.append(f"<p><img alt='pass rate per problem' src='data:image/png;base64,{rates}'></p>")
    parts.append("<h2>Problems</h2><table><tr><th>problem</th><th>points</th><th>full marks</th>"
                 "<th>commonest failures (numbers as #)</th></tr>")
    for p in s["problems"]:
        failures = "".join(f"<li>{count} × {e(text)}</li>" for text, count in p["failures"])
        parts.append(f"<tr><td>{e(p['title'])}</td><td class='n'>{p['points']:g}</td>"
                     f"<td class='n'>{p['passed']} / {p['graded']}</td><td><ul>{failures}</ul></td></tr>")
    parts.append("</table><h2>To look at</h2>")
    if s["attention"]:
        parts.append("<table><tr><th>submission</th><th>score</th><th>why</th></tr>")
        for a in s["attention"]:
            why = "".join(f"<li>{e(clean(reason, 1000))}</li>" for reason in a["why"])
            parts.append(f"<tr><td>{e(one_line(a['notebook'], 300))}</td><td class='n'>{a['score']:g} / "
                         f"{a['points']:g}</td><td><ul>{why}</ul></td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No submission was flagged for review, and every one was graded normally.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write(results_paths: list[str | Path], output: str | Path, csv: str | Path | None = None) -> Path:
    """The report page of the merged results files (:func:`load_all`) at ``output``; with ``csv`` also the class's
    CSV, one row per notebook, as ``grade --csv`` writes it."""
    from autograder.integrity.sandbox import write_regular

    results = load_all(results_paths)
    named = Path(results_paths[0]).name if len(results_paths) == 1 else f"{len(results_paths)} results files"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_regular(output, render(results, f"Class report: {named}"))
    if csv is not None:
        from autograder.pipeline.batch import write_class_csv

        write_class_csv(results, csv)
    return output
