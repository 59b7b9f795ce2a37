"""Page layouts as Jinja2 templates (tool/thutuc/templates/), with escaping that is automatic and
right for where the text lands.

A designer changes a page by editing a template; Python decides *what* is shown (which fees are in
force, the tailored data, the wording from thutuc.wording) and passes plain values. Every
``{{ value }}`` is escaped by default for the template's context, chosen by its name:

- ``*.md.j2`` (website pages, Markdown with raw HTML blocks): thutuc.escaping.markdown;
- ``*.xml.j2`` (the Atom feed): XML text (``& < >``);
- ``checklist/*.html.j2`` (standalone HTML slips): HTML (``html.escape``);
- ``checklist/*.md.j2`` (the checklist as a Markdown file): thutuc.escaping.markdown_file.

A value that is already right for its place is a ``markupsafe.Markup`` and passes unchanged: the
filters below return one, and so may Python for a fragment our own code built. Other contexts are
explicit filters: ``html_text`` (front-matter title and description, which Material prints raw as
HTML), ``json`` (a front-matter scalar), ``script_json`` (JSON inside ``<script>``), ``url`` (a link
target), ``html`` (HTML inside the feed's content). Jinja's ``safe``, ``escape``/``e``,
``forceescape``, ``tojson``, ``urlize`` and ``xmlattr`` are removed from every environment:
nothing from the catalogue can reach a page unescaped or escaped for the wrong context. (HTML is
escaped by our finalize too, not Jinja's autoescape: the same function, so the same bytes, as
before the layouts moved, and the same rule for every kind of template.)

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

# How a printed value is escaped, by the kind of template (its name's ending), in each folder.
SITE = {".md.j2": escaping.markdown, ".xml.j2": xml_escape}
CHECKLIST = {".html.j2": html.escape, ".md.j2": escaping.markdown_file}


def _finalize(contexts: dict):
    @pass_context
    def finalize(context, value: Any) -> Any:
        """Every printed value: a Markup passes, a string is escaped for the template's context."""
        if value is None:
            raise TypeError(f"{context.name}: a template printed None (test it with {{% if %}} first)")
        if isinstance(value, Markup) or not isinstance(value, str):
            return value
        name = context.name or ""
        for suffix, escape in contexts.items():
            if name.endswith(suffix):
                return escape(value)
        raise ValueError(f"{name}: no escaping is known for this kind of template ({', '.join(contexts)})")

    return finalize


def _markup(function):
    return lambda value, *args, **kwargs: Markup(function(value, *args, **kwargs))


def _autolink(address: str) -> Markup:
    """A checked site address inside <…> (a Markdown autolink), as it is; anything else encoded."""
    return Markup(address if escaping.valid_url(address) else escaping.url(address))


FILTERS = {
    "md": _markup(escaping.markdown),
    "html_text": _markup(escaping.html_text),
    "html": _markup(html.escape),
    "xml": _markup(xml_escape),
    "script_json": _markup(escaping.script_json),
    "url": _markup(escaping.url),
    "json": _markup(lambda value: json.dumps(str(value), ensure_ascii=False)),
    "autolink": _autolink,
}
# Jinja's own filters that would print a value raw, or escaped for HTML where the context is not
# HTML: a template cannot use them.
UNSAFE = ("safe", "escape", "e", "forceescape", "tojson", "urlize", "xmlattr")


@functools.lru_cache(maxsize=16)
def environment(folder: Path, contexts: tuple[tuple[str, Any], ...]) -> Environment:
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=False, finalize=_finalize(dict(contexts)),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      comment_start_string="{##", comment_end_string="##}")
    for name in UNSAFE:
        env.filters.pop(name, None)
    env.filters.update(FILTERS)
    return env


def render_site(name: str, **values: Any) -> str:
    """Render templates/site/<name> (``TEMPLATES`` is read on each call, so a test or a
    designer's copy of the folder can stand in for it)."""
    return environment(TEMPLATES / "site", tuple(SITE.items())).get_template(name).render(**values)


def render_checklist(name: str, **values: Any) -> str:
    """Render templates/checklist/<name>: *.html.j2 escaped for HTML, *.md.j2 for a Markdown file."""
    return environment(TEMPLATES / "checklist", tuple(CHECKLIST.items())).get_template(name).render(**values)
