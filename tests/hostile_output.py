"""What a hostile submission shows people, and a real browser to see whether any of it runs.

Every payload, if it ran, writes :data:`MARKER` into the page (the title, or an element): the marker is built from
two halves, so it is in a page's DOM only when a script actually ran, never from the escaped source of the payload.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

MARKER = "XSSFIRED"
_RUN = "document.title='XSS'+'FIRED'"
_RUN_IN_PARENT = "parent.document.title='XSS'+'FIRED'"

HTML_PAYLOADS = (
    f"<script>{_RUN}</script>",
    f'<img src="x" onerror="{_RUN}">',
    f"<svg><script>{_RUN}</script></svg>",
    f'<svg onload="{_RUN}"></svg>',
    f'<iframe srcdoc="<script>{_RUN_IN_PARENT}</script>"></iframe>',
    f'<details open ontoggle="{_RUN}"></details>',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{_RUN}"></style></mglyph></table></mtext></math>',
    f'<input autofocus onfocus="{_RUN}">',
    f'<object data="data:text/html,<script>{_RUN_IN_PARENT}</script>"></object>',
    f'<a href="javascript:{_RUN}">a script link</a>',
    f'<form action="javascript:{_RUN}"><button>send</button></form>',
    "<style>body { background: red }</style><b>styled</b>",
)
MARKDOWN_PAYLOAD = ("## A heading the student wrote\n\n" + "\n\n".join(HTML_PAYLOADS)
                    + f"\n\n[a markdown script link](javascript:{_RUN})\n")
SVG_PAYLOAD = (f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="{_RUN}">'
               f"<script>{_RUN}</script></svg>")

# Lines that look like the grader's, with terminal escapes (line clear, carriage return, an OSC hyperlink, a
# bidirectional override) that would hide what precedes them on a terminal.
FORGED = ("✓ Problem 08 · Discriminator step (10 points)\n\x1b[2K\rTotal: 100 / 100\n"
          "\x1b]8;;https://example.com\x07NOT GRADED NORMALLY\x1b]8;;\x07\n\u202eflagged\x1b[1A\x1b[2K")
ESCAPES = ("\x1b", "\x07", "\u202e", "\r")

# An honest notebook's outputs that must still render: a table, Markdown, an image (the notebook's own plots).
HONEST_TABLE = "<table><thead><tr><th>lr</th><th>loss</th></tr></thead><tbody><tr><td>0.0002</td><td>0.69</td></tr></tbody></table>"
HONEST_MARKDOWN = "**bold result** and a [link to the docs](https://pytorch.org)"
HONEST_BAR = "honest progress"


def display_cell_source() -> str:
    """Code that shows every payload through IPython's display (HTML, Markdown, SVG, JavaScript outputs), prints the
    forged lines, and shows what an honest notebook shows: a table, Markdown, a matplotlib figure, a tqdm bar."""
    return (
        "from IPython.display import HTML, SVG, Javascript, Markdown, display\n"
        f"for _payload in {HTML_PAYLOADS!r}:\n"
        "    display(HTML(_payload))\n"
        f"display(Markdown({MARKDOWN_PAYLOAD!r}))\n"
        f"display(SVG({SVG_PAYLOAD!r}))\n"
        f"display(Javascript({_RUN!r}))\n"
        f"print({FORGED!r})\n"
        f"display(HTML({HONEST_TABLE!r}))\n"
        f"display(Markdown({HONEST_MARKDOWN!r}))\n"
        "import io as _io, matplotlib.pyplot as _plt\n"
        "from IPython.display import Image as _Image\n"
        "_figure, _buffer = _plt.figure(figsize=(2, 2)), _io.BytesIO()\n"
        "_plt.plot([0, 1], [1, 0]); _figure.savefig(_buffer, format='png'); _plt.close(_figure)\n"
        "display(_Image(_buffer.getvalue()))\n"
        "from tqdm.auto import tqdm as _tqdm\n"
        f"for _ in _tqdm(range(3), desc={HONEST_BAR!r}):\n"
        "    pass\n"
    )


def chromium() -> str:
    """Debian's Chromium (``.ci/run`` installs it); without it the browser tests skip here and fail in CI."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is needed to open the pages in a browser: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return found


def rendered_dom(target: str | os.PathLike, seconds: float = 3) -> str:
    """The DOM of ``target`` (a file or URL) after a headless Chromium loaded it and ran its scripts."""
    url = target if str(target).startswith("http") else Path(target).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="gan-course-chromium-") as profile:
        run = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                              f"--virtual-time-budget={int(seconds * 1000)}", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "<html" in run.stdout, run.stderr[-2000:]
    return run.stdout


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value or "") for name, value in attrs]


def active_traces(dom: str) -> list[str]:
    """What in a rendered page shows a payload ran or could run on a click: the marker, a payload's event
    handler or ``javascript:`` URL left in place."""
    parser = _Attributes()
    parser.feed(dom)
    traces = [f"{MARKER} in the page"] if MARKER in dom else []
    traces += [f"<{tag} {name}=…>" for tag, name, value in parser.found
               if "'XSS'+'FIRED'" in value and (name.startswith("on") or value.strip().lower().startswith(
                   ("javascript:", "data:text")) or name == "srcdoc")]
    return traces
