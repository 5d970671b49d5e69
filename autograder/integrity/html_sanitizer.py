"""The HTML a student's notebook puts on a page, made inert: nbconvert's ``clean_html`` and ``markdown2html``
filters, replaced (the course's ``nbgrader_config.py`` names them).

nbgrader's feedback and formgrader render a submission with nbconvert's HTML exporter. With
``HTMLExporter.sanitize_html`` on, nbconvert passes HTML and Markdown outputs through its ``clean_html`` filter
and drops JavaScript and widget outputs. Two gaps remain, closed here:

- nbgrader's own templates render Markdown cells and comments with ``markdown2html`` alone, never cleaned:
  :class:`SanitizedMarkdown` cleans what nbconvert's renderer makes of them, in every template.
- nbconvert's ``clean_html`` (bleach with a short list of tags) shows headings, paragraphs, images and table
  headers as escaped source. :func:`clean_html` uses ammonia's allow-list (nh3) instead: Markdown and tables
  render as written, and only active content goes: scripts, event handlers, ``javascript:`` and other unsafe
  URLs, SVG and MathML, iframes, forms, styles. Images keep ``data:`` sources of raster types only.
"""
from __future__ import annotations

import re

import nh3
from jinja2 import pass_context
from traitlets.config import LoggingConfigurable

_RASTER = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.IGNORECASE)
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"class", "title", "align"}  # nbconvert's code highlighting and table styles are classes


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """Only raster images may use ``data:`` URLs; no other attribute may."""
    if value.strip().lower().startswith("data:"):
        return value if tag == "img" and attribute == "src" and _RASTER.match(value.strip()) else None
    return value


def clean_html(element) -> str:
    """``element`` (HTML, str or bytes) with only inert content left."""
    html = element.decode() if isinstance(element, bytes) else str(element)
    return nh3.clean(html, attributes=_ATTRIBUTES, attribute_filter=_keep,
                     url_schemes={"http", "https", "mailto", "data"},
                     clean_content_tags={"script", "style", "template", "noscript"})


class SanitizedMarkdown(LoggingConfigurable):
    """The ``markdown2html`` filter: the exporter's own rendering (math, attachments, anchors), then
    :func:`clean_html`. nbconvert builds it with the exporter as its parent."""

    jinja_pass_arg = pass_context(lambda: None).jinja_pass_arg  # jinja passes the template's context

    def __call__(self, context, source) -> str:
        return clean_html(self.parent.markdown2html(context, source))
