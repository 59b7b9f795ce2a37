"""Post-processing of Material's search index: Vietnamese without diacritics, and small.

Material (lunr) does not fold diacritics: "chuyen nhuong" finds nothing in "chuyển nhượng". Each
procedure therefore gets one entry holding its title, summary and keywords both as written and
folded (lower case, no diacritics, đ→d). Section entries are dropped: they repeat the page and made
the index grow with every heading.
"""

from __future__ import annotations

import json
from pathlib import Path

from thutuc import escaping, vi
from thutuc.catalogue.model import Catalogue, Procedure

INDEX = Path("search") / "search_index.json"


def _text(*parts: str) -> str:
    written = " ".join(" ".join(p.split()) for p in parts if p)
    return f"{written} {vi.fold(written)}"


KEYWORD_BOOST = 1e4  # between Material's title (1e3) and tags (1e6): a colloquial name is a strong hint


def procedure_entry(proc: Procedure, cat: Catalogue) -> dict:
    field = cat.fields[proc.field]["name"]
    # Material's search shows title and text as HTML: every value is HTML-escaped, like the
    # entries Material writes itself (it escapes the text it takes from the pages).
    return {
        "location": f"thu-tuc/{proc.id}/",
        "title": escaping.html_text(proc.title),
        "text": escaping.html_text(_text(proc.summary, field, proc.code or "")),
        # A field of our own: Material's worker indexes every field named in config.fields and
        # shows only title and text, so the folded copies stay out of sight.
        "keywords": escaping.html_text(_text(" ; ".join(proc.keywords), proc.title)),
    }


def rewrite(site_dir: Path, cat: Catalogue) -> int:
    """Rewrite site_dir/search/search_index.json; returns its size in bytes."""
    path = site_dir / INDEX
    index = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for doc in index["docs"]:
        location = doc["location"]
        if "#" in location or location.startswith("thu-tuc/") or location == "":
            continue  # sections, procedures (added below) and the home page
        # Material's own titles are HTML already (escaped from the page's text); fold keeps that.
        docs.append({"location": location, "title": doc["title"], "text": vi.fold(doc["title"])})
    docs += [procedure_entry(p, cat) for p in cat.listed()]
    docs.sort(key=lambda d: d["location"])
    index["docs"] = docs
    index["config"]["fields"]["keywords"] = {"boost": KEYWORD_BOOST}
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(data, encoding="utf-8")
    return len(data.encode("utf-8"))
