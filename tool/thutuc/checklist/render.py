"""Writing a slip as PDF (ReportLab, through pdfdoc), standalone HTML or Markdown.

The PDF embeds Be Vietnam Pro from the fontpkg-be-vietnam-pro package (not a system font), draws
its own tick boxes (the font has no "☐"), refuses any character the font cannot show instead of
printing a blank, and fixes its creation date so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from thutuc.checklist.slips import (
    Fields,
    Heading,
    NationalHeader,
    Para,
    Qr,
    Signatures,
    Slip,
    Table,
    Title,
)
from thutuc.i18n import _

QR_SIZE = 22.0  # mm


def label(text: str) -> str:
    """'Họ và tên' -> 'Họ và tên:'; a question keeps its question mark alone."""
    return text if text.endswith(("?", ":")) else text + ":"


class MissingGlyph(ValueError):
    """A character the PDF font cannot draw: a blank on paper would silently lose information."""


def font_dir() -> Path:
    from thutuc.glyphs import font_dir

    return font_dir()


# --- PDF ------------------------------------------------------------------------------------------

class PdfPage:
    """The document being drawn and what every block needs to know about the page."""

    def __init__(self, slip: Slip):
        from thutuc.checklist.pdfdoc import Doc, register_fonts

        register_fonts(font_dir())
        self.pdf = Doc(left=16, top=14, right=16, bottom=18)
        self.pdf.add_page()
        self.width = self.pdf.epw
        # The citizen's checklist carries its QR code top right, beside the title; official slips
        # have the national header there, so theirs goes bottom left, by the signatures.
        self.official = any(isinstance(b, NationalHeader) for b in slip.blocks)
        self.qr_bottom = self.pdf.t_margin + QR_SIZE + 5

    def check(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        cmap = self.pdf.cmap
        bad = sorted({c for c in text if ord(c) not in cmap and not c.isspace()})
        if bad:
            from thutuc.glyphs import describe

            raise MissingGlyph(_("the PDF font has no glyph for {characters} in {text}").format(
                characters=describe(bad), text=repr(text[:60])))
        return text

    def beside_qr(self) -> bool:
        return not self.official and self.pdf.page_no() == 1 and self.pdf.get_y() < self.qr_bottom

    def room(self) -> float:
        """Line width here: narrower beside the QR code at the top of the first page."""
        return self.width - (QR_SIZE + 6 if self.beside_qr() else 0)

    def para(self, text: str, size: float = 10, style: str = "", align: str = "L", h: float = 5) -> None:
        self.pdf.set_font(style, size)
        self.pdf.multi_cell(self.width if align == "C" else self.room(), h, self.check(text), align=align,
                            new_x="LMARGIN", new_y="NEXT")

    def lines_needed(self, text: str, w: float) -> int:
        return len(self.pdf.wrap(self.check(text), w)) or 1


def pdf_title(page: PdfPage, block: Title) -> None:
    page.para(block.text, 14, "B", "C", 7)
    if block.sub:
        page.para(block.sub, 10, "I", "C")
    page.pdf.ln(2)


def pdf_national_header(page: PdfPage, block: NationalHeader) -> None:
    pdf, width, check = page.pdf, page.width, page.check
    top = pdf.get_y()
    pdf.set_font("B", 9.5)
    pdf.set_xy(pdf.l_margin, top)
    pdf.multi_cell(width * 0.42, 4.5, check(block.agency.upper()), align="C")
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width * 0.42, top)
    pdf.multi_cell(width * 0.58, 4.5, check("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), align="C")
    pdf.set_x(pdf.l_margin + width * 0.42)
    pdf.set_font("BU", 10)
    pdf.multi_cell(width * 0.58, 5, check("Độc lập - Tự do - Hạnh phúc"), align="C")
    pdf.set_font("I", 9.5)
    pdf.set_x(pdf.l_margin + width * 0.42)
    pdf.multi_cell(width * 0.58, 6, check(block.place_date), align="C")
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), left_bottom) + 3)


def pdf_qr(page: PdfPage, block: Qr) -> None:
    """Official slips: bottom left, by the signatures; the citizen's checklist: top right."""
    import qrcode

    pdf = page.pdf
    if page.official:
        x0, y0 = pdf.l_margin + 4, pdf.h - 18 - QR_SIZE - 6
    else:
        x0, y0 = pdf.w - pdf.r_margin - QR_SIZE, pdf.t_margin
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(block.url)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = QR_SIZE / len(matrix)
    y_before = pdf.get_y()
    pdf.set_fill_color(0)
    for r, row in enumerate(matrix):
        for c, on in enumerate(row):
            if on:
                pdf.rect(x0 + c * cell, y0 + r * cell, cell, cell, style="F")
    pdf.set_font("", 6.5)
    pdf.set_xy(x0 - 4, y0 + QR_SIZE + 0.5)
    pdf.cell(QR_SIZE + 8, 3, page.check(block.caption), align="C")
    pdf.set_xy(pdf.l_margin, y_before)


def pdf_heading(page: PdfPage, block: Heading) -> None:
    if page.pdf.get_y() + 24 > page.pdf.page_break_trigger:  # keep a heading with what follows
        page.pdf.add_page()
    page.pdf.ln(1)
    page.para(block.text, 11, "B", h=6)


def pdf_para(page: PdfPage, block: Para) -> None:
    style = ("B" if block.bold else "") + ("I" if block.italic else "")
    page.para(block.text, 8.5 if block.small else 10, style)


def pdf_fields(page: PdfPage, block: Fields) -> None:
    pdf, check = page.pdf, page.check
    for name, value in block.items:
        full = page.room()
        pdf.set_font("B", 10)
        label_w = min(pdf.get_string_width(check(label(name))) + 2 * pdf.c_margin + 0.5, full * 0.45)
        label_lines = page.lines_needed(label(name), label_w)
        pdf.set_font("", 10)
        value_lines = page.lines_needed(value, full - label_w)
        height = max(label_lines, value_lines) * 5
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font("B", 10)
        pdf.multi_cell(label_w, 5, check(label(name)), align="L", new_x="RIGHT", new_y="TOP")
        pdf.set_font("", 10)
        pdf.multi_cell(full - label_w, 5, check(value), align="L", new_x="LMARGIN", new_y="TOP")
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.ln(1)


def pdf_table(page: PdfPage, block: Table) -> None:
    pdf, check = page.pdf, page.check
    if page.beside_qr():
        pdf.set_y(page.qr_bottom)  # tables are full width: keep them below the QR code
    box = 7.0 if block.checkbox else 0.0
    widths = [w * (page.width - box) for _, w in block.columns]

    def header() -> None:
        pdf.set_font("B", 9)
        pdf.set_fill_color(235)
        x = pdf.l_margin
        if box:
            pdf.rect(x, pdf.get_y(), box, 6, style="DF")
            x += box
        for (title, _width), w in zip(block.columns, widths):
            pdf.set_xy(x, pdf.get_y())
            pdf.cell(w, 6, check(title), border=1, fill=True)
            x += w
        pdf.ln(6)

    header()
    for i, row in enumerate(block.rows):
        bold = block.bold_last and i == len(block.rows) - 1
        pdf.set_font("B" if bold else "", 9)
        h = max(page.lines_needed(cell, w - 2) for cell, w in zip(row, widths)) * 5 + 1.5
        if pdf.get_y() + h > pdf.page_break_trigger:
            pdf.add_page()
            header()
            pdf.set_font("B" if bold else "", 9)
        y, x = pdf.get_y(), pdf.l_margin
        if box:
            pdf.rect(x, y, box, h)
            pdf.rect(x + 1.75, y + 1.5, 3.5, 3.5)  # the tick box
            x += box
        for cell, w in zip(row, widths):
            pdf.rect(x, y, w, h)
            pdf.set_xy(x + 1, y + 0.75)
            pdf.multi_cell(w - 2, 5, check(cell), align="L")
            x += w
        pdf.set_xy(pdf.l_margin, y + h)
    pdf.ln(2)


def pdf_signatures(page: PdfPage, block: Signatures) -> None:
    pdf = page.pdf
    if pdf.get_y() + 35 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(4)
    top = pdf.get_y()
    w = page.width / len(block.parties)
    for i, (title, note) in enumerate(block.parties):
        pdf.set_xy(pdf.l_margin + i * w, top)
        pdf.set_font("B", 10)
        pdf.cell(w, 5, page.check(title), align="C")
        pdf.set_xy(pdf.l_margin + i * w, top + 5)
        pdf.set_font("I", 9)
        pdf.cell(w, 5, page.check(note), align="C")
    pdf.set_xy(pdf.l_margin, top + 30)


PDF_BLOCKS = {Title: pdf_title, NationalHeader: pdf_national_header, Qr: pdf_qr, Heading: pdf_heading,
              Para: pdf_para, Fields: pdf_fields, Table: pdf_table, Signatures: pdf_signatures}


def to_pdf(slip: Slip, created: dt.datetime) -> bytes:
    page = PdfPage(slip)
    for block in slip.blocks:
        PDF_BLOCKS[type(block)](page, block)
    return page.pdf.output(slip.title, created.astimezone(dt.timezone.utc).replace(microsecond=0),
                           page.check(slip.footer), "Trang {page}/{pages}")


# --- HTML and Markdown: the layouts are templates/checklist/slip.html.j2 and slip.md.j2 ----------

def _blocks(slip: Slip) -> list[tuple[str, object]]:
    return [(type(block).__name__, block) for block in slip.blocks]


def to_html(slip: Slip) -> str:
    """A standalone HTML page; every value escaped for HTML."""
    from thutuc.layout import render_checklist  # Jinja2 costs 0.1 s to import: not for PDFs

    return render_checklist("slip.html.j2", slip=slip, blocks=_blocks(slip))


def to_md(slip: Slip) -> str:
    """Markdown to read as text or render: every value escaped (escaping.markdown_file), so a
    catalogue text or an applicant's name never becomes a link, an image or markup."""
    from thutuc.layout import render_checklist

    return render_checklist("slip.md.j2", slip=slip, blocks=_blocks(slip), label=label)
