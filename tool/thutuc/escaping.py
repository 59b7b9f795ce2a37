"""Escaping for every context a catalogue value lands in on the public site — one module.

Catalogue text is staff-typed and must appear exactly as typed, never as markup. MkDocs' Jinja
does not autoescape and Material prints page titles, descriptions, the site URL and search results
as HTML, and Python-Markdown (with attr_list and md_in_html) interprets Markdown, inline HTML,
entities and ``{: …}`` in any text it sees. So each value is escaped for where it goes:

- ``markdown(text)``: text in generated Markdown *and* in the raw HTML blocks inside it (text or a
  quoted attribute value). Whitespace is collapsed to single spaces (no line can start a block),
  and every character that HTML or Markdown could read (``& < > " '`` and ``\\ ` * _ { } [ ] ( ) #
  + - . ! | ~ : =``) becomes a numeric character reference. Python-Markdown leaves references
  alone, attr_list sees no braces, the browser shows the characters as typed.
- ``html_text(text)``: a value a Jinja template prints raw into HTML text or a quoted attribute
  (front-matter title and description, search-index title and text).
- ``script_json(data)``: JSON inside ``<script>``: ``< > &`` and U+2028/U+2029 as ``\\uXXXX``, so
  neither ``</script>`` nor ``<!--`` can end or swallow the element.
- ``url(address)``: a checked http(s) address, with anything that could leave a quoted attribute
  percent-encoded anyway.
- ``markdown_file(text)``: text in a Markdown *file* a person reads as text and any Markdown tool
  may render (the checklist in Markdown): backslash escapes, which every dialect undoes, for the
  characters that make emphasis, code, links, tables or attributes, and entities for ``< &``
  (Python-Markdown keeps ``\\<`` as typed); a line-starting heading, list or quote marker escaped.
- ``csv_cell(text)``: a cell of the open-data CSV, which offices open in Excel: a value that a
  spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage return) gets a
  leading apostrophe, the usual defence (OWASP "CSV injection").

Raw output (our own fixed HTML around these values) is the visible exception, in website.py.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

# Characters read by HTML (& < > " ') or by Markdown and its extensions (emphasis, code, links,
# images, attr_list braces, tables, headings, lists, block quotes, admonitions, def lists,
# setext/abbr "=", strike "~", backslash escapes).
_SPECIAL = frozenset("&<>\"'\\`*_{}[]()#+-.!|~:=")
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def markdown(text: Any) -> str:
    """Catalogue text for a generated Markdown page (also fine inside its raw HTML blocks)."""
    if text is None or text == "":
        return ""
    return _one_line(text).translate(_TABLE)


def html_text(text: Any) -> str:
    """Text a template prints raw into HTML (element text or a double-quoted attribute)."""
    if text is None:
        return ""
    return html.escape(_one_line(text), quote=True)


_SCRIPT_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                  0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(data: Any) -> str:
    """JSON that is safe as the content of a <script> element (also application/json, ld+json)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_UNSAFE)


# An address we accept: http or https, a host, and no character that could end an attribute, a
# Markdown link or an autolink. The same rule is in schemas/common.schema.json ($defs/url).
URL_PATTERN = re.compile(r"""^https?://[^\s"'<>`\\{}|^]+$""")


def valid_url(address: str) -> bool:
    return bool(URL_PATTERN.match(address or ""))


_URL_UNSAFE = {c: f"%{c:02X}" for c in [*range(0x21), 0x7F, *map(ord, "\"'<>`\\{}|^()")]}


def url(address: str) -> str:
    """A URL for an href/src or a Markdown link target: percent-encodes what could end an
    attribute, a Markdown link or an autolink (quotes, angle brackets, spaces, parentheses…), so
    even an address that slipped past validation cannot leave its place. Letters outside ASCII
    stay as they are (a Vietnamese domain name must not be percent-encoded)."""
    return address.translate(_URL_UNSAFE)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: Any) -> str:
    value = str(text)
    return "'" + value if value.startswith(_FORMULA) else value


_MD_FILE = {**{ord(c): "\\" + c for c in "\\`*_{}[]|~>#!"}, ord("<"): "&lt;", ord("&"): "&amp;"}
_BLOCK_START = re.compile(r"^(?:([+-])|(\d+)([.)]))(?=\s|$)")  # a list item needs the space after


def markdown_file(text: Any) -> str:
    value = _one_line(text).translate(_MD_FILE)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), value)
