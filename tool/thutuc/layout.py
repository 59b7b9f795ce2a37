"""Page layouts as Jinja2 templates (tool/thutuc/templates/), with escaping that is automatic and
right for where the text lands.

A designer changes a page by editing a template; Python decides *what* is shown (which fees are in
force, the tailored data, the wording from thutuc.wording) and passes plain values. Every
``{{ value }}`` is escaped by default for the template's context, chosen by its name:

- ``*.md.j2`` (website pages, Markdown with raw HTML blocks): thutuc.escaping.markdown;
- ``*.xml.j2`` (the Atom feed): XML text (``& < >``);
- ``checklist/*.html.j2``: HTML, by Jinja's own autoescape (a separate environment).

A value that is already right for its place is a ``markupsafe.Markup`` and passes unchanged: the
filters below return one, and so may Python for a fragment our own code built. Other contexts are
explicit filters: ``html_text`` (front-matter title and description, which Material prints raw as
HTML), ``json`` (a front-matter scalar), ``script_json`` (JSON inside ``<script>``), ``url`` (a link
target), ``html`` (HTML inside the feed's content). Jinja's ``safe``, ``escape``/``e``,
``forceescape``, ``tojson``, ``urlize`` and ``xmlattr`` are removed from the Markdown environment:
nothing from the catalogue can reach a page unescaped or escaped for the wrong context.

Partials are included (``{% include %}``), not called as macros: a macro's output is plain text
and would be escaped a second time. Comments are ``{## … ##}``, because ``{#id}`` is Markdown (a
heading's anchor). Undefined names are errors (StrictUndefined); ``trim_blocks``,
``lstrip_blocks`` and ``keep_trailing_newline`` keep the output exactly as laid out.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from thutuc import escaping

TEMPLATES = Path(__file__).resolve().parent / "templates"  # package data: templates/{site,checklist}/

_BY_SUFFIX = {".md.j2": escaping.markdown, ".xml.j2": xml_escape}


@pass_context
def _finalize(context, value: Any) -> Any:
    """Every printed value: a Markup passes, a string is escaped for the template's context."""
    if isinstance(value, Markup) or not isinstance(value, str):
        if value is None:
            raise TypeError(f"{context.name}: a template printed None (test it with {{% if %}} first)")
        return value
    name = context.name or ""
    for suffix, escape in _BY_SUFFIX.items():
        if name.endswith(suffix):
            return escape(value)
    raise ValueError(f"{name}: no escaping known for this kind of template (name it *.md.j2 or *.xml.j2)")


def _markup(function):
    return lambda value, *args, **kwargs: Markup(function(value, *args, **kwargs))


_FILTERS = {
    "md": _markup(escaping.markdown),
    "html_text": _markup(escaping.html_text),
    "html": _markup(html.escape),
    "xml": _markup(xml_escape),
    "script_json": _markup(escaping.script_json),
    "url": _markup(escaping.url),
    "json": _markup(lambda value: json.dumps(str(value), ensure_ascii=False)),
}
_UNSAFE = ("safe", "escape", "e", "forceescape", "tojson", "urlize", "xmlattr")


def _options(folder: Path) -> dict:
    return dict(loader=FileSystemLoader(str(folder)), undefined=StrictUndefined, trim_blocks=True,
                lstrip_blocks=True, keep_trailing_newline=True,
                comment_start_string="{##", comment_end_string="##}")


@functools.lru_cache(maxsize=8)
def site_environment(folder: Path) -> Environment:
    """Markdown and XML templates: no HTML autoescape, our finalize escapes every value."""
    env = Environment(autoescape=False, finalize=_finalize, **_options(folder))
    for name in _UNSAFE:
        env.filters.pop(name, None)
    env.filters.update(_FILTERS)
    return env


@functools.lru_cache(maxsize=8)
def html_environment(folder: Path) -> Environment:
    """Standalone HTML documents: Jinja's HTML autoescape."""
    return Environment(autoescape=True, **_options(folder))


def render_site(name: str, **values: Any) -> str:
    """Render tool/thutuc/templates/site/<name> (``TEMPLATES`` is read on each call, so a test or
    a designer's copy of the folder can stand in for it)."""
    return site_environment(TEMPLATES / "site").get_template(name).render(**values)


def render_checklist(name: str, **values: Any) -> str:
    """Render tool/thutuc/templates/checklist/<name>: HTML autoescaped, Markdown by its filters."""
    folder = TEMPLATES / "checklist"
    env = html_environment(folder) if name.endswith(".html.j2") else checklist_md_environment(folder)
    return env.get_template(name).render(**values)


@functools.lru_cache(maxsize=8)
def checklist_md_environment(folder: Path) -> Environment:
    """The checklist as a Markdown *file* (read as text or by any Markdown tool): every value
    through thutuc.escaping.markdown_file."""
    def finalize(value: Any) -> Any:
        if value is None:
            raise TypeError("a checklist template printed None")
        if isinstance(value, Markup) or not isinstance(value, str):
            return value
        return escaping.markdown_file(value)

    env = Environment(autoescape=False, finalize=finalize, **_options(folder))
    for name in _UNSAFE:
        env.filters.pop(name, None)
    env.filters["url"] = _FILTERS["url"]
    return env
