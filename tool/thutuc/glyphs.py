"""Which characters the PDF checklists can print, and which catalogue texts end up in a PDF.

The PDFs embed Be Vietnam Pro (Regular, Bold and Italic), which covers Vietnamese and Latin text
but not, say, '№', '✓' or Chinese characters. render.py refuses to print a character the font
lacks (a blank on paper would silently lose information); `check` uses the same coverage to
report such a character in any text that lands in a PDF, at its file and line, before a build
or a checklist meets it. The coverage is read from the fonts' character maps once and kept in
the on-disk cache, keyed by the font files.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

STYLES = ("Regular", "Bold", "Italic")  # the ones render.py draws with (pdfdoc.STYLES)
FONT_NAME = "Be Vietnam Pro"

# Key paths (one pattern per printed value, "*" for a list index) of the catalogue texts that
# slips.py puts into a PDF, by kind of file. tests/test_bad_inputs.py checks that a character the
# font lacks, put into every other text of the bundled catalogue, never reaches a PDF.
PRINTED: dict[str, tuple[str, ...]] = {
    "procedure": (
        "title", "code", "decision",
        "questions.*.ask", "questions.*.unit", "questions.*.options.*.label",
        "documents.*.name", "documents.*.note", "documents.*.when_text", "documents.*.quantity_note",
        "documents.*.form.code", "documents.*.one_of.*.name", "documents.*.one_of.*.form.code",
        "documents.*.form.source", "documents.*.one_of.*.form.source",
        "documents.*.lookup.note", "documents.*.lookup.fallback.note", "documents.*.lookup.fallback.quantity_note",
        "fees.*.name", "fees.*.note", "fees.*.unit", "fees.*.exemptions.*.who",
        "documents.*.one_of.*.note", "results.*.name", "results.*.code",
        "processing_time.stages.*.what",
        "processing_time.cases.*.what",
        "processing_time.starts_note",
        "channels.*.processing_time.stages.*.what",
        "channels.*.processing_time.cases.*.what",
        "channels.*.processing_time.starts_note",
        "results.*.processing_time.stages.*.what",
        "results.*.processing_time.cases.*.what",
        "results.*.processing_time.starts_note",
    ),
    "documents": ("documents.*.name", "documents.*.lookup.note", "documents.*.lookup.fallback.note",
                  "documents.*.lookup.fallback.quantity_note"),
    "agencies": ("agencies.*.name", "agencies.*.address", "agencies.*.phone"),
    "office": ("office.name", "office.place"),
    "legal": ("legal_documents.*.type", "legal_documents.*.number"),
    "calendar": ("calendar.days_off.*.reason",),
}


def font_dir() -> Path:
    import fontpkg_be_vietnam_pro

    return Path(fontpkg_be_vietnam_pro.ROOT) / "files"


def font_files() -> list[Path]:
    return [font_dir() / f"BeVietnamPro-{style}.ttf" for style in STYLES]


@lru_cache(maxsize=None)
def coverage() -> frozenset[int]:
    """Code points every style of the PDF font has a glyph for."""
    from thutuc.cache import cached, fingerprint

    files = font_files()

    def read() -> frozenset[int]:
        from reportlab.pdfbase.ttfonts import TTFontFile

        maps = [set(TTFontFile(str(f)).charToGlyph) for f in files]
        return frozenset(set.intersection(*maps))

    return cached("font-coverage", fingerprint(files, "v1"), read)


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` (read as NFC) that the PDF cannot show, in order, each once.
    Spaces and line breaks are not drawn as glyphs and always pass."""
    have = coverage()
    bad: list[str] = []
    for c in unicodedata.normalize("NFC", text):
        if ord(c) not in have and not c.isspace() and c not in bad:
            bad.append(c)
    return bad


def describe(chars: list[str]) -> str:
    """"'✓' (U+2713)", joined with commas."""
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)


def printed(kind: str, path: tuple) -> bool:
    """Whether the value at this key path of a file of this kind is printed in PDF checklists."""
    parts = tuple("*" if isinstance(p, int) else str(p) for p in path)
    return parts in _patterns(kind)


@lru_cache(maxsize=None)
def _patterns(kind: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(p.split(".")) for p in PRINTED.get(kind, ()))
