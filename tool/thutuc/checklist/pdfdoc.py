"""A4 pages laid out top-down in millimetres, drawn with ReportLab.

The checklists need little: text in one font family wrapped to a width, boxes, grey fills and a
footer with "page n of N". This module gives render.py just that, with the same conventions as
fpdf2 (which it replaced): x and y in mm from the top-left corner, a cell's text 1 mm from its
left edge, its baseline at half its height plus 0.3 of the font size. ReportLab starts in a third
of the time fpdf2 needed (fpdf2 imports fontTools whole), which is most of a checklist's run at
the counter. Pages are recorded first and drawn at the end, when the number of pages is known.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4  # points per millimetre
STYLES = {"": "Regular", "B": "Bold", "I": "Italic"}


@dataclass(frozen=True)
class _Text:
    x: float
    baseline: float
    font: str
    size: float
    gray: int
    text: str
    underline: bool


@dataclass(frozen=True)
class _Rect:
    x: float
    y: float
    w: float
    h: float
    style: str  # D (stroke), F (fill), DF (both)
    gray: int


def _font_name(style: str) -> str:
    return "thutuc-" + STYLES[style]


def register_fonts(folder: Path, pattern: str = "BeVietnamPro-{}.ttf") -> None:
    """Load the three TrueType styles once per process (ReportLab keeps a global registry)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    known = set(pdfmetrics.getRegisteredFontNames())
    for style, name in STYLES.items():
        if _font_name(style) not in known:
            pdfmetrics.registerFont(TTFont(_font_name(style), str(folder / pattern.format(name))))


class Doc:
    """One document being laid out. Call :func:`register_fonts` first."""

    w, h = 210.0, 297.0
    c_margin = 1.0  # space between a cell's edge and its text

    def __init__(self, left: float, top: float, right: float, bottom: float):
        from reportlab.pdfbase import pdfmetrics

        self._metrics = pdfmetrics
        self.l_margin, self.t_margin, self.r_margin = left, top, right
        self.page_break_trigger = self.h - bottom
        self.epw = self.w - left - right
        self.pages: list[list[_Text | _Rect]] = []
        self.x, self.y = left, top
        self.style, self.size, self.underline = "", 10.0, False
        self.fill_gray = self.text_gray = 0
        self.last_h = 0.0

    # --- state ---------------------------------------------------------------------------------
    def add_page(self) -> None:
        self.pages.append([])
        self.x, self.y = self.l_margin, self.t_margin

    def page_no(self) -> int:
        return len(self.pages)

    def set_font(self, style: str, size: float) -> None:
        """``style``: "", "B", "I", "BU" (bold, underlined)."""
        self.underline = "U" in style
        self.style = style.replace("U", "")
        self.size = size

    @property
    def cmap(self) -> dict[int, int]:
        """Code point -> glyph of the current font: what it can draw."""
        return self._metrics.getFont(_font_name(self.style)).face.charToGlyph

    def set_fill_color(self, gray: int) -> None:
        self.fill_gray = gray

    def set_text_color(self, gray: int) -> None:
        self.text_gray = gray

    def get_y(self) -> float:
        return self.y

    def set_x(self, x: float) -> None:
        self.x = x

    def set_y(self, y: float) -> None:
        """Like fpdf2: a new line starts at the left margin."""
        self.x, self.y = self.l_margin, y

    def set_xy(self, x: float, y: float) -> None:
        self.x, self.y = x, y

    def ln(self, h: float | None = None) -> None:
        self.x = self.l_margin
        self.y += self.last_h if h is None else h

    def get_string_width(self, text: str) -> float:
        return self._metrics.stringWidth(text, _font_name(self.style), self.size) / MM

    # --- drawing -------------------------------------------------------------------------------
    def rect(self, x: float, y: float, w: float, h: float, style: str = "D") -> None:
        self.pages[-1].append(_Rect(x, y, w, h, style, self.fill_gray))

    def cell(self, w: float, h: float, text: str = "", border: bool = False, fill: bool = False,
             align: str = "L") -> None:
        """One line of text in a box ``w`` wide (0: to the right margin); the cursor moves right."""
        if w == 0:
            w = self.w - self.r_margin - self.x
        if fill or border:
            self.rect(self.x, self.y, w, h, ("F" if fill else "") + ("D" if border else ""))
        if text:
            width = self.get_string_width(text)
            x = {"L": self.x + self.c_margin, "C": self.x + (w - width) / 2,
                 "R": self.x + w - self.c_margin - width}[align]
            baseline = self.y + 0.5 * h + 0.3 * self.size / MM
            self.pages[-1].append(_Text(x, baseline, _font_name(self.style), self.size, self.text_gray,
                                        text, self.underline))
        self.x += w
        self.last_h = h

    def wrap(self, text: str, w: float) -> list[str]:
        """The lines ``text`` takes in a cell ``w`` wide: broken at spaces, a word too long for a
        line broken where it must, explicit newlines kept."""
        room = w - 2 * self.c_margin
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if self.get_string_width(candidate) <= room or not candidate.strip():
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                line = ""
                while self.get_string_width(word) > room and len(word) > 1:
                    cut = len(word) - 1
                    while cut > 1 and self.get_string_width(word[:cut]) > room:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                line = word
            lines.append(line)
        return lines

    def multi_cell(self, w: float, h: float, text: str, align: str = "L", new_x: str = "RIGHT",
                   new_y: str = "NEXT") -> None:
        """Wrapped text, one cell per line, a new page when a line would cross the bottom margin.
        Afterwards the cursor goes to ``new_x`` (RIGHT of the cell or LMARGIN) and ``new_y`` (NEXT
        line or back to the TOP of the cell)."""
        if w == 0:
            w = self.w - self.r_margin - self.x
        x0, y0 = self.x, self.y
        for line in self.wrap(text, w):
            if self.y + h > self.page_break_trigger:
                self.add_page()
            self.x = x0
            self.cell(w, h, line, align=align)
            self.y += h
        self.x = self.l_margin if new_x == "LMARGIN" else x0 + w
        if new_y == "TOP":
            self.y = y0

    # --- output --------------------------------------------------------------------------------
    def output(self, title: str, created: dt.datetime, footer: str, page_label: str) -> bytes:
        """The PDF: every page with its footer (``footer`` left, ``page_label`` formatted with
        {page} and {pages} right). Same input, same bytes: the creation date is the one given."""
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=(self.w * MM, self.h * MM), invariant=1, lang="vi", pageCompression=1,
                          initialFontName=_font_name(""))  # no reference to a font we do not embed
        stamp = created.strftime("D:%Y%m%d%H%M%S") + created.strftime("%z")[:3] + "'" + created.strftime("%z")[3:] + "'"
        c.setDateFormatter(lambda *_: stamp)
        c.setTitle(title)
        c.setSubject(title)
        c.setAuthor("thutuc")
        c.setProducer("thutuc")
        c.setCreator("thutuc")
        c.setLineWidth(0.2 * MM)
        pages = len(self.pages)
        for n, ops in enumerate(self.pages, 1):
            for op in ops + self._footer(footer, page_label.format(page=n, pages=pages)):
                if isinstance(op, _Rect):
                    c.setFillGray(op.gray / 255)
                    c.rect(op.x * MM, (self.h - op.y - op.h) * MM, op.w * MM, op.h * MM,
                           stroke="D" in op.style, fill="F" in op.style)
                else:
                    c.setFillGray(op.gray / 255)
                    c.setFont(op.font, op.size)
                    y = (self.h - op.baseline) * MM
                    c.drawString(op.x * MM, y, op.text)
                    if op.underline:
                        width = self._metrics.stringWidth(op.text, op.font, op.size)
                        c.setLineWidth(op.size * 0.05)
                        c.line(op.x * MM, y - op.size * 0.1, op.x * MM + width, y - op.size * 0.1)
                        c.setLineWidth(0.2 * MM)
            c.showPage()
        c.save()
        return buf.getvalue()

    def _footer(self, left: str, right: str) -> list[_Text | _Rect]:
        """Footer cells 12 mm above the bottom edge, small and grey, drawn without moving anything."""
        saved = (self.pages, self.x, self.y, self.style, self.size, self.underline, self.text_gray, self.last_h)
        self.pages = [[]]
        self.set_font("", 7)
        self.text_gray = 90
        self.set_xy(self.l_margin, self.h - 12)
        self.cell(0, 4, left, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, right, align="R")
        ops = self.pages[0]
        self.pages, self.x, self.y, self.style, self.size, self.underline, self.text_gray, self.last_h = saved
        return ops
