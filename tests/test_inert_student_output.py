"""Student text is inert wherever people read it: the cleaning of terminal text, the HTML sanitiser of feedback and
formgrader pages, the score table, Gradescope's output and the class report, each on crafted input.

(The same, end to end on a graded hostile submission in a real browser: test_nbgrader_e2e.py.)
"""
from __future__ import annotations

import json

import pytest

from autograder.pipeline import batch

from autograder.course import class_report
from autograder.cli import main
from autograder.integrity.html_sanitizer import clean_html
from autograder.pipeline.report import format_table
from autograder.integrity.student_text import clean, one_line, quote

from . import hostile_output as hostile


def test_clean_removes_escapes_controls_and_bidi_but_keeps_text():
    text = ("ok \x1b[31mred\x1b[0m \x1b]8;;https://x.org\x07link\x1b]8;;\x07 \x9b2J\u202egnp.exe\u200b tab\there"
            "\r\nnext\x0bline\u2028last\x07")
    assert clean(text) == "ok red link gnp.exe tab    here\nnext\nline\nlast"
    assert clean("é ü 漢字 ✓ │ — “quoted”") == "é ü 漢字 ✓ │ — “quoted”"
    assert clean("x" * 50, limit=10) == "x" * 10 + " …"
    assert one_line("a\nb\x1b[2K  c") == "a b c"


def test_quote_marks_every_line_and_caps_the_block():
    lines = quote("one\n" + "two " * 60 + "\n" * 3 + "\n".join(["more"] * 20), indent="  ", max_lines=5)
    assert all(line.startswith("  │") for line in lines) and len(lines) == 6
    assert lines[-1].endswith("more lines")


@pytest.mark.parametrize("payload", hostile.HTML_PAYLOADS + (hostile.SVG_PAYLOAD,))
def test_sanitiser_leaves_no_active_content(payload):
    cleaned = clean_html(payload)
    lowered = cleaned.lower()
    assert not any(word in lowered for word in ("<script", "onerror", "onload", "ontoggle", "onfocus", "javascript:",
                                                "<iframe", "srcdoc", "<svg", "<math", "<object", "<form", "<style",
                                                "<input", "data:text")), cleaned


def test_sanitiser_keeps_what_honest_notebooks_show():
    table = '<table class="dataframe"><thead><tr><th>lr</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>'
    assert clean_html(table) == table
    png = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="plot" width="200">'
    assert clean_html(png) == png
    assert clean_html('<img src="data:image/svg+xml;base64,PHN2Zz4=">') == "<img>"
    kept = clean_html('<h2>Results</h2><p><strong>b</strong> <a href="https://pytorch.org">docs</a></p>'
                      '<div class="highlight"><pre><span class="n">x</span></pre></div>')
    assert kept == ('<h2>Results</h2><p><strong>b</strong> <a href="https://pytorch.org" rel="noopener noreferrer">'
                    'docs</a></p><div class="highlight"><pre><span class="n">x</span></pre></div>')


def _result(student_text=hostile.FORGED, error=None):
    grades = [{"check": "hw::test_p01", "title": "01 · First", "points": 10.0, "score": 0.0,
               "message": "Your code raised an error when the grader ran it:", "student_text": student_text,
               "review": []},
              {"check": "hw::test_p02", "title": "02 · Second", "points": 90.0, "score": 90.0, "message": "",
               "student_text": "", "review": []}]
    return {"notebook": "class/ann/\x1b[2Khw.ipynb", "homework": "hw", "grades": grades, "score": 90.0,
            "points": 100.0, "error": error, "student_text": "", "review": []}


def test_table_quotes_student_text_and_ends_with_the_true_total():
    result = _result()
    table = format_table(result["grades"], "the notebook's process ended (exit code 3)", hostile.FORGED)
    assert not any(ch in table for ch in hostile.ESCAPES)
    lines = table.splitlines()
    assert lines[-1] == "Total: 90 / 100"
    assert lines.index("NOT GRADED NORMALLY:") > max(i for i, line in enumerate(lines) if "02 · Second" in line)
    outside = [line for line in lines[:-1] if ("Total:" in line or "Problem 08" in line or "NOT GRADED" in line)
               and not line.startswith("    │")]
    assert outside == ["NOT GRADED NORMALLY:"]


def test_gradescope_output_is_plain_text_with_the_student_text_quoted():
    out = batch.gradescope(_result(error="the notebook's process ended"))
    assert out["output_format"] == "text" and all(t["output_format"] == "text" for t in out["tests"])
    first = out["tests"][0]["output"].splitlines()
    assert first[0] == "Your code raised an error when the grader ran it:"
    assert all(line.startswith("│") for line in first[1:]) and "Total: 100 / 100" in "\n".join(first)
    assert not any(ch in json.dumps(out, ensure_ascii=False) for ch in ("\x1b", "\u202e"))


def test_report_groups_failures_by_message_with_numbers_as_placeholders(tmp_path):
    def result(name, found, flagged=()):
        grades = [{"check": "hw::test_p01", "title": "01 · Loss", "points": 10.0, "score": 0.0,
                   "message": f"The loss should be 0.693, found {found}.", "student_text": "<b>mine</b>"},
                  {"check": "hw::test_p02", "title": "02 · Step", "points": 10.0, "score": 10.0, "message": ""}]
        return {"notebook": f"{name}.ipynb", "homework": "hw", "grades": grades, "score": 10.0, "points": 20.0,
                "error": None, "review": list(flagged)}

    results = [result("a", 0.5), result("b", 1.25), result("<script>c</script>", -3e-2, ["answer forged"])]
    summary = class_report.summary(results)
    loss, step = summary["problems"]
    assert loss["failures"] == [("The loss should be #, found #.", 3)] and (loss["passed"], loss["graded"]) == (0, 3)
    assert (step["passed"], step["graded"]) == (3, 3)
    assert [a["notebook"] for a in summary["attention"]] == ["<script>c</script>.ipynb"]
    page = class_report.render(results)
    assert "<script>c" not in page and "&lt;script&gt;c&lt;/script&gt;.ipynb" in page and "mine" not in page
    assert page.count("data:image/png;base64,") == 2 and class_report.CSP in page


def test_report_merges_results_files_and_writes_the_class_csv(tmp_path):
    """A Slurm array writes one results file per notebook; ``report`` takes them all, a notebook graded twice
    counting once with its last result, and writes the class CSV beside the page."""
    def result(name, score):
        grades = [{"check": "hw::test_p01", "title": "01 · Loss", "points": 10.0, "score": score, "message": ""}]
        return {"notebook": f"{name}.ipynb", "homework": "hw", "grades": grades, "score": score, "points": 10.0,
                "error": None, "review": []}

    for name, results in {"a": [result("ann", 0.0)], "b": [result("bob", 10.0)], "c": [result("ann", 10.0)]}.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(results))
    files = [str(tmp_path / f"{name}.json") for name in "abc"]
    assert [(r["notebook"], r["score"]) for r in class_report.load_all(files)] == [("bob.ipynb", 10.0),
                                                                                    ("ann.ipynb", 10.0)]
    assert main(["report", *files, "-o", str(tmp_path / "r.html"), "--csv", str(tmp_path / "class.csv")]) == 0
    page = (tmp_path / "r.html").read_text()
    assert "Class report: 3 results files" in page and "2 submissions · mean 10.0" in page
    rows = (tmp_path / "class.csv").read_text().splitlines()
    assert rows[0].startswith("notebook,homework,score,points,01 · Loss") and len(rows) == 3
    assert rows[1].startswith("bob.ipynb,hw,10.0") and rows[2].startswith("ann.ipynb,hw,10.0")


def test_report_command_refuses_what_is_not_a_results_file(tmp_path):
    (tmp_path / "grades.csv").write_text("notebook,score\n")
    with pytest.raises(SystemExit, match="not a results file"):
        main(["report", str(tmp_path / "grades.csv")])
    (tmp_path / "list.json").write_text('[{"notebook": "x"}]')
    with pytest.raises(SystemExit, match="each with its grades"):
        main(["report", str(tmp_path / "list.json")])
