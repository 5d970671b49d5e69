"""The documentation checks itself: README.md and docs/**/*.md.

Cheap (no notebook runs): the README's length, every relative link and anchor, every command in a fenced code
block (``python -m autograder …`` parsed by the CLI's own parser and run by some test, ``nbgrader SUB`` a real
nbgrader subcommand, scripts and test files that exist), the commands and repository paths named in inline code,
and no internal process words. Each checker is also fed a bad snippet, so each check can fail.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
README_MAX_LINES = 150

# Internal process words: where and when a part was built or measured, by whom, under which ticket.
PROCESS_WORDS = (
    r"\bissues? #?\d+",
    r"\bsessions?\b",
    r"\bseed \d{3}\b",
    r"\breview that filed\b",
    r"\bwas lent\b",
)

FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
PYTHONS = {"python", "python3", ".venv/bin/python", ".venv/bin/python3"}
REPO_DIRS = ("autograder/", "shared/", "tests/", "bench/", "bin/", "docs/", "solutions/", "assignments/",
             "examples/", ".ci/")


def doc_files() -> list[Path]:
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


# --- Markdown structure ---------------------------------------------------------------------------------------

def split_fences(text: str) -> tuple[str, list[tuple[str, int, list[str]]]]:
    """(the text with fenced blocks blanked, line numbers kept; the blocks as (language, first line, lines))."""
    prose, blocks, block = [], [], None
    for number, line in enumerate(text.splitlines(), 1):
        fence = FENCE.match(line)
        if block is None and fence:
            block = (fence.group(1), fence.group(2).lower(), number + 1, [])
            prose.append("")
        elif block is not None:
            if line.strip().startswith(block[0]) and not line.strip().strip(block[0][0]):
                blocks.append(block[1:])
                block = None
            else:
                block[3].append(line)
            prose.append("")
        else:
            prose.append(line)
    assert block is None, f"a fenced block opened at line {block[2] - 1} is never closed"
    return "\n".join(prose), blocks


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]{1,2}(?=\S)|(?<=\S)[`*_]{1,2}", "", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors a page's headings make (a repeated heading gets -1, -2, …)."""
    prose, _ = split_fences(text)
    seen: dict[str, int] = {}
    out = set()
    for line in prose.splitlines():
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            base = slug(heading.group(1))
            out.add(base if base not in seen else f"{base}-{seen[base]}")
            seen[base] = seen.get(base, 0) + 1
    return out


def link_problems(path: Path, text: str | None = None) -> list[str]:
    """Relative links that point nowhere: a missing file, or an anchor no heading makes."""
    text = path.read_text() if text is None else text
    prose, _ = split_fences(text)
    prose = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), prose)
    problems = []
    for target in LINK.findall(prose):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else None
        if dest is not None and not dest.exists():
            problems.append(f"{path.name}: link to a missing file: {target}")
        elif anchor and (dest is None or dest.suffix == ".md") and \
                anchor not in anchors(text if dest is None else dest.read_text()):
            problems.append(f"{path.name}: link to a missing anchor: {target}")
    return problems


def readme_problems(text: str) -> list[str]:
    lines = len(text.splitlines())
    return [f"README.md has {lines} lines (at most {README_MAX_LINES}): move detail to docs/"] \
        if lines > README_MAX_LINES else []


def process_word_problems(name: str, text: str) -> list[str]:
    return [f"{name}:{text.count(chr(10), 0, m.start()) + 1}: internal wording {m.group(0)!r}"
            for pattern in PROCESS_WORDS for m in re.finditer(pattern, text, re.I)]


# --- commands -------------------------------------------------------------------------------------------------

def block_commands(text: str) -> list[str]:
    """Every line of every fenced block but Python code and ``text`` blocks (output, layouts), continuation lines
    joined."""
    _, blocks = split_fences(text)
    lines = []
    for language, _, body in blocks:
        if language in ("python", "py", "text"):
            continue
        pending = ""
        for line in body:
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1] + " "
                continue
            lines.append((pending + line).strip())
            pending = ""
    return [line for line in lines if line]


def python_blocks(text: str) -> list[str]:
    _, blocks = split_fences(text)
    return ["\n".join(body) for language, _, body in blocks if language in ("python", "py")]


def words_of(line: str) -> list[str] | None:
    """The command's words, comments and leading ``VAR=value`` and ``time`` dropped; None for text that is no
    command this check knows (output, layouts, other tools)."""
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        words = line.split()
    while words and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]) or words[0] == "time"):
        words = words[1:]
    if not words:
        return None
    head = words[0]
    if head in PYTHONS or head in ("pytest", "nbgrader", "bash", "sh") or head.startswith(("bin/", ".ci/", "bench/")):
        return words
    return None


def cli_parser():
    from autograder.cli import build_parser

    return build_parser()


def parse_error(parser, argv: list[str]) -> str | None:
    """None if ``argv`` parses; argparse's message otherwise."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            parser.parse_args(argv)
    except SystemExit as stop:
        if stop.code not in (0, None):
            return stderr.getvalue().strip().splitlines()[-1] if stderr.getvalue().strip() else f"exit {stop.code}"
    return None


def nbgrader_subcommands() -> set[str]:
    from nbgrader.apps import NbGraderApp

    return set(NbGraderApp.subcommands)


def module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def script_options_problems(script: Path, words: list[str]) -> list[str]:
    """Options given to a bench script that neither it nor a bench module it imports from mentions."""
    text = script.read_text()
    for name in re.findall(r"(?m)^from (\w+) import", text):
        sibling = script.parent / f"{name}.py"
        if sibling.is_file():
            text += sibling.read_text()
    return [f"{script.relative_to(ROOT)} has no option {w.split('=')[0]}" for w in words
            if w.startswith("--") and w.split("=")[0] not in text]


def pytest_problems(args: list[str]) -> list[str]:
    problems = []
    for i, arg in enumerate(args):
        if i and args[i - 1] == "--pyargs":
            if not module_exists(arg):
                problems.append(f"pytest --pyargs: no module {arg}")
        elif not arg.startswith("-") and ("/" in arg or arg.endswith(".py")):
            if not (ROOT / arg.split("::")[0]).exists():
                problems.append(f"pytest: no such path {arg}")
    return problems


def command_problems(line: str, tested: dict[str, list[str]] | None, parser=None, nbgrader=None) -> list[str]:
    """What is wrong with one documented command line (``tested``: subcommand → test files that run it; None:
    do not require a test)."""
    words = words_of(line)
    if words is None:
        return []
    head, args = words[0], words[1:]
    if head in ("bash", "sh"):
        head, args = (args[0], args[1:]) if args else ("", [])
    if head.endswith("/"):  # a folder named on its own
        return [] if (ROOT / head).is_dir() else [f"no such folder: {head}"]
    if head.startswith(("bin/", ".ci/")):
        path = ROOT / head
        if not path.is_file():
            return [f"no such script: {head}"]
        return [] if os.access(path, os.X_OK) or words[0] in ("bash", "sh") else [f"{head} is not executable"]
    if head == "nbgrader" and args:  # (the tool's name alone is no command)
        nbgrader = nbgrader_subcommands() if nbgrader is None else nbgrader
        return [] if args[0] in nbgrader else [f"nbgrader has no subcommand {args[0]!r}: {line}"]
    if head == "pytest":
        return pytest_problems(args)
    if head in PYTHONS:
        if args[:1] == ["-m"] and len(args) > 1:
            module, rest = args[1], args[2:]
            if module == "autograder":
                parser = cli_parser() if parser is None else parser
                error = parse_error(parser, rest)
                if error:
                    return [f"{line}: {error}"]
                sub = rest[0]
                if tested is not None and sub not in tested:
                    return [f"`python -m autograder {sub}` is documented but no test runs it: {line}"]
                return []
            if module == "pytest":
                return pytest_problems(rest)
            return [] if module_exists(module) else [f"no module {module}: {line}"]
        if args and args[0].endswith(".py"):
            script = ROOT / args[0]
            if not script.is_file():
                return [f"no such script: {args[0]}"]
            return script_options_problems(script, args[1:])
        return []
    if head.startswith("bench/"):
        script = ROOT / head
        return script_options_problems(script, args) if script.is_file() else [f"no such script: {head}"]
    return []


def inline_problems(text: str, parser=None, nbgrader=None) -> list[str]:
    """Commands and repository paths named in inline code: a real subcommand with real options, an existing
    module, script or file. (Inline mentions may leave arguments out, so they are not parsed in full.)"""
    prose, _ = split_fences(text)
    problems = []
    for span in (m.group(2).strip() for m in CODE_SPAN.finditer(prose)):
        if span.startswith("python -m autograder "):
            problems += mention_problems(span.split()[3:], parser or cli_parser(), span)
        elif words_of(span):
            problems += [f"`{span}`: {p}" for p in command_problems(span, None, parser, nbgrader)]
        elif span.startswith(REPO_DIRS) and not re.search(r"[<>*…\s]|hwN|pNN", span.split("::")[0]):
            if not (ROOT / span.split("::")[0]).exists():
                problems.append(f"no such path in the repository: `{span}`")
    return problems


def mention_problems(words: list[str], parser, span: str) -> list[str]:
    """``words`` after ``python -m autograder``: a subcommand of the parser, and options it has."""
    action = parser._subparsers._group_actions[0]  # argparse keeps subparsers here; no public accessor
    if not words or words[0] not in action.choices:
        return [f"no subcommand {words[:1]}: `{span}`"]
    sub = action.choices[words[0]]
    if sub._subparsers is not None and len(words) > 1 and not words[1].startswith("-"):
        nested = sub._subparsers._group_actions[0].choices
        if words[1] not in nested:
            return [f"no subcommand {words[0]} {words[1]}: `{span}`"]
        sub = nested[words[1]]
    return [f"{words[0]} has no option {w.split('=')[0]}: `{span}`" for w in words
            if w.startswith("-") and w.split("=")[0] not in sub._option_string_actions]


# How a test runs a subcommand: ``main([SUB, …])`` / ``cli_main([SUB, …])``, ``[…, "-m", "autograder", SUB, …]``,
# or a shell line ``python -m autograder SUB``; a mention in backticks (a message, a docstring) does not count.
RUNS_SUBCOMMAND = (
    re.compile(r"(?:\bcli_main|\bmain)\(\s*\[\s*[\"']([a-z][\w-]*)[\"']"),
    re.compile(r"[\"']-m[\"']\s*,\s*[\"']autograder[\"']\s*,\s*[\"']([a-z][\w-]*)[\"']"),
    re.compile(r"(?<![`\w])(?:python3?|\{sys\.executable\}|\$PYTHON)\s+-m\s+autograder\s+([a-z][\w-]*)"),
)


def subcommands_run_by(text: str) -> set[str]:
    return {sub for pattern in RUNS_SUBCOMMAND for sub in pattern.findall(text)}


def subcommands_with_tests() -> dict[str, list[str]]:
    """Subcommand → the test files (other than this one) that run it."""
    found: dict[str, list[str]] = {}
    for test in sorted((ROOT / "tests").glob("test_*.py")):
        if test.name != Path(__file__).name:
            for sub in sorted(subcommands_run_by(test.read_text())):
                found.setdefault(sub, []).append(test.name)
    return found


# --- the checks -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tested():
    return subcommands_with_tests()


@pytest.fixture(scope="module")
def parser():
    return cli_parser()


@pytest.fixture(scope="module")
def nbgrader():
    return nbgrader_subcommands()


def test_readme_is_short():
    assert readme_problems(README.read_text()) == []


def test_the_pages_exist():
    names = {p.relative_to(ROOT).as_posix() for p in doc_files()}
    assert {"docs/instructor.md", "docs/integrity.md", "docs/shared.md", "docs/development.md",
            *(f"docs/homeworks/hw{n}.md" for n in range(1, 6))} <= names


def test_every_relative_link_and_anchor_exists():
    problems = [p for path in doc_files() for p in link_problems(path)]
    assert problems == []


def test_every_command_in_a_code_block_is_real(tested, parser, nbgrader):
    problems = [f"{path.relative_to(ROOT)}: {p}" for path in doc_files()
                for line in block_commands(path.read_text())
                for p in command_problems(line, tested, parser, nbgrader)]
    assert problems == []


def test_every_documented_subcommand_is_run_by_a_test(tested):
    """The mapping from the tests, asserted: each ``python -m autograder SUB`` in a code block has a test that
    runs SUB."""
    assert {"grade", "report", "gradescope", "course", "student-repo", "demo"} <= set(tested), tested
    documented = {words_of(line)[3] for path in doc_files() for line in block_commands(path.read_text())
                  if (words_of(line) or [None])[0] in PYTHONS and words_of(line)[1:3] == ["-m", "autograder"]}
    assert documented, "no `python -m autograder` command found in the documentation's code blocks"
    assert documented <= set(tested), f"documented without a test: {sorted(documented - set(tested))}"


def test_python_blocks_compile():
    for path in doc_files():
        for source in python_blocks(path.read_text()):
            compile(source, str(path), "exec")


def test_inline_commands_and_paths_are_real(parser, nbgrader):
    problems = [f"{path.relative_to(ROOT)}: {p}" for path in doc_files()
                for p in inline_problems(path.read_text(), parser, nbgrader)]
    assert problems == []


def test_no_process_words():
    problems = [p for path in doc_files() for p in process_word_problems(path.name, path.read_text())]
    assert problems == []


# --- each check can fail --------------------------------------------------------------------------------------

def test_the_checkers_catch_bad_snippets(tmp_path, tested, parser, nbgrader):
    def fails(line, tested=tested):
        return command_problems(line, tested, parser, nbgrader)

    assert fails("python -m autograder nonesuch class.json")  # unknown subcommand
    assert fails("python -m autograder grade submissions/ --fast")  # unknown option
    assert fails("python -m autograder report")  # a required argument left out
    assert fails("python -m autograder report class.json -o report.html", tested={"grade": ["x"]})  # no test
    assert not fails("python -m autograder report class.json -o report.html")
    assert fails("nbgrader formgrader")  # not an nbgrader subcommand (formgrader is a Jupyter extension)
    assert not fails("nbgrader generate_feedback hw1_mnist_gan")
    assert fails("bin/nonesuch") and fails(".venv/bin/python bench/nonesuch.py")
    assert fails(".venv/bin/python bench/hw2_full_mode_cost.py --no-such-option 3")
    assert not fails("OMP_WAIT_POLICY=PASSIVE .venv/bin/python bench/hw5_full_mode_cost.py --steps 3")
    assert fails(".venv/bin/python -m pytest tests/test_nonesuch.py -q")
    assert fails("python -m autograder.nonesuch --help")
    assert fails("CI=true bash .ci/nonesuch")

    page = tmp_path / "page.md"
    bad = "# Title\n\nSee [there](nowhere.md), [here](#no-such-heading) and [top](#title).\n"
    page.write_text(bad)
    assert len(link_problems(page)) == 2

    assert process_word_problems("x.md", "Fixed in this session, see issue 12.")
    assert process_word_problems("x.md", "the conv GAN of seed 003")
    assert not process_word_problems("x.md", "flagged for review; fresh seeds every grading")

    assert inline_problems("Run `python -m autograder grade --jobz 2`.", parser, nbgrader)
    assert inline_problems("Run `nbgrader formgrader`.", parser, nbgrader)
    assert inline_problems("See `tests/test_nonesuch.py`.", parser, nbgrader)
    assert inline_problems("Time it with `.venv/bin/python bench/metrics_time.py --sizez 100`.", parser, nbgrader)
    assert not inline_problems("Run `python -m autograder course new` and `nbgrader export`; `bench/` is not run by "
                               "`pytest tests/test_checks.py -k hw2 --durations=0`.", parser, nbgrader)

    assert words_of("problem   score") is None  # output is no command
    assert block_commands("```text\nbin/nonesuch   a layout line\n```\n```\nbin/nonesuch\n```\n") == ["bin/nonesuch"]
    with pytest.raises(AssertionError):
        split_fences("```bash\nbin/test\n")  # an unclosed block
    assert readme_problems("line\n" * (README_MAX_LINES + 1))
    assert not readme_problems("line\n" * README_MAX_LINES)


def test_the_subcommand_scan_reads_calls_not_mentions():
    """A test that only names a command in a message does not count as running it."""
    assert subcommands_run_by('assert ok, "run `python -m autograder release` and commit"') == set()
    assert subcommands_run_by('cli_main(["course", "new", str(d)])') == {"course"}
    assert subcommands_run_by('subprocess.run([sys.executable, "-m", "autograder", "report", "x.json"])') == {"report"}
    assert subcommands_run_by('subprocess.run(f"{sys.executable} -m autograder gradescope hw1", shell=True)') == \
        {"gradescope"}
