"""Text that came from a student's process, made inert before a person reads it on a terminal or in a report.

A submission controls its exception messages, its printed output and the names of its own types, and can put
anything there: terminal escape sequences (cursor moves, line clears, OSC hyperlinks), carriage returns that
overwrite a line, bidirectional overrides, or lines that look like the grader's own (``Total: 100 / 100``).
:func:`clean` removes everything that is not printable text; :func:`quote` shows what is left as a marked,
indented, size-capped block, so no line of it can start where the grader's own lines start.
"""
from __future__ import annotations

import re
import textwrap
import unicodedata

# ESC-introduced sequences: CSI (cursor moves, colours, clears), OSC (titles, hyperlinks; ended by BEL or ST),
# DCS/SOS/PM/APC strings, and two-character escapes; also their 8-bit C1 forms.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)
_NEWLINES = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
MARK = "│ "  # starts every quoted line: the grader's own lines never do


def clean(text, limit: int = 4000) -> str:
    """``text`` as plain printable lines: escape sequences and control or format characters (bidi overrides,
    zero-width characters) removed, every kind of line break a newline, tabs as spaces, at most ``limit``
    characters (cut with " …")."""
    text = _ESCAPES.sub("", str(text))
    text = _NEWLINES.sub("\n", text).replace("\t", "    ")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


def one_line(text, limit: int = 80) -> str:
    """A short inline value from the student's side (a type's name, a device): one cleaned line."""
    return " ".join(clean(text, limit).split())


def quote(text, indent: str = "    ", max_lines: int = 12, width: int = 100) -> list[str]:
    """The cleaned ``text`` as lines ``indent + "│ " + line``, wrapped at ``width`` characters: at most
    ``max_lines`` lines, with a last line saying how much was left out."""
    lines = [part for line in clean(text).strip("\n").splitlines()
             for part in (textwrap.wrap(line, width, subsequent_indent="  ", drop_whitespace=False) or [""])] or [""]
    kept = lines[:max_lines] + ([f"… {len(lines) - max_lines} more lines"] if len(lines) > max_lines else [])
    return [f"{indent}{MARK}{line}".rstrip() for line in kept]
