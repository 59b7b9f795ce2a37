"""Writing a slip as PDF (ReportLab, through pdfdoc), standalone HTML or Markdown.

The PDF embeds Be Vietnam Pro from the fontpkg-be-vietnam-pro package (not a system font), draws
its own tick boxes (the font has no "☐"), refuses any character the font cannot show instead of
printing a blank, and fixes its creation date so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
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
from thutuc.escaping import markdown_file
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

def to_pdf(slip: Slip, created: dt.datetime) -> bytes:
    from thutuc.checklist.pdfdoc import Doc, register_fonts

    register_fonts(font_dir())
    pdf = Doc(left=16, top=14, right=16, bottom=18)
    pdf.add_page()
    width = pdf.epw

    def check(text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        cmap = pdf.cmap
        bad = sorted({c for c in text if ord(c) not in cmap and not c.isspace()})
        if bad:
            from thutuc.glyphs import describe

            raise MissingGlyph(_("the PDF font has no glyph for {characters} in {text}").format(
                characters=describe(bad), text=repr(text[:60])))
        return text

    def room() -> float:
        """Line width here: narrower beside the QR code at the top of the first page."""
        return width - (QR_SIZE + 6 if beside_qr() else 0)

    def para(text: str, size: float = 10, style: str = "", align: str = "L", h: float = 5) -> None:
        pdf.set_font(style, size)
        pdf.multi_cell(width if align == "C" else room(), h, check(text), align=align,
                       new_x="LMARGIN", new_y="NEXT")

    def lines_needed(text: str, w: float) -> int:
        return len(pdf.wrap(check(text), w)) or 1

    def table(block: Table) -> None:
        box = 7.0 if block.checkbox else 0.0
        widths = [w * (width - box) for _, w in block.columns]

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
            h = max(lines_needed(cell, w - 2) for cell, w in zip(row, widths)) * 5 + 1.5
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

    def fields(block: Fields) -> None:
        for name, value in block.items:
            full = room()
            pdf.set_font("B", 10)
            label_w = min(pdf.get_string_width(check(label(name))) + 2 * pdf.c_margin + 0.5, full * 0.45)
            label_lines = lines_needed(label(name), label_w)
            pdf.set_font("", 10)
            value_lines = lines_needed(value, full - label_w)
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

    def qr(block: Qr, x0: float, y0: float) -> None:
        import qrcode

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
        pdf.cell(QR_SIZE + 8, 3, check(block.caption), align="C")
        pdf.set_xy(pdf.l_margin, y_before)

    # The citizen's checklist carries its QR code top right, beside the title; official slips have
    # the national header there, so theirs goes bottom left, by the signatures.
    official = any(isinstance(b, NationalHeader) for b in slip.blocks)
    qr_bottom = pdf.t_margin + QR_SIZE + 5
    beside_qr = lambda: not official and pdf.page_no() == 1 and pdf.get_y() < qr_bottom  # noqa: E731

    for block in slip.blocks:
        if isinstance(block, Title):
            para(block.text, 14, "B", "C", 7)
            if block.sub:
                para(block.sub, 10, "I", "C")
            pdf.ln(2)
        elif isinstance(block, NationalHeader):
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
        elif isinstance(block, Qr):
            if official:
                qr(block, pdf.l_margin + 4, pdf.h - 18 - QR_SIZE - 6)
            else:
                qr(block, pdf.w - pdf.r_margin - QR_SIZE, pdf.t_margin)
        elif isinstance(block, Heading):
            if pdf.get_y() + 24 > pdf.page_break_trigger:  # keep a heading with what follows
                pdf.add_page()
            pdf.ln(1)
            para(block.text, 11, "B", h=6)
        elif isinstance(block, Para):
            style = ("B" if block.bold else "") + ("I" if block.italic else "")
            para(block.text, 8.5 if block.small else 10, style)
        elif isinstance(block, Fields):
            fields(block)
        elif isinstance(block, Table):
            if beside_qr():
                pdf.set_y(qr_bottom)  # tables are full width: keep them below the QR code
            table(block)
        elif isinstance(block, Signatures):
            if pdf.get_y() + 35 > pdf.page_break_trigger:
                pdf.add_page()
            pdf.ln(4)
            top = pdf.get_y()
            w = width / len(block.parties)
            for i, (title, note) in enumerate(block.parties):
                pdf.set_xy(pdf.l_margin + i * w, top)
                pdf.set_font("B", 10)
                pdf.cell(w, 5, check(title), align="C")
                pdf.set_xy(pdf.l_margin + i * w, top + 5)
                pdf.set_font("I", 9)
                pdf.cell(w, 5, check(note), align="C")
            pdf.set_xy(pdf.l_margin, top + 30)
    return pdf.output(slip.title, created.astimezone(dt.timezone.utc).replace(microsecond=0),
                      check(slip.footer), "Trang {page}/{pages}")


# --- HTML and Markdown ----------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;
color:#111;line-height:1.45}
h1{font-size:1.3rem;text-align:center;margin:.5rem 0}
.sub{text-align:center;font-style:italic;margin:0 0 1rem}
h2{font-size:1.05rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #555;padding:.3rem .45rem;vertical-align:top;text-align:left}
th{background:#eee}
td.box{width:1.4rem}
td.box span{display:inline-block;width:.8rem;height:.8rem;border:1.5px solid #111}
tr.total td{font-weight:700}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.4rem 0}
dt{font-weight:700}
dd{margin:0}
.national{display:flex;justify-content:space-between;text-align:center;font-weight:700;font-size:.9rem}
.national .motto{text-decoration:underline}
.national .date{font-weight:400;font-style:italic}
.signatures{display:flex;justify-content:space-around;text-align:center;margin-top:1.5rem;min-height:7rem}
.small{font-size:.85rem;color:#333}
footer{margin-top:2rem;font-size:.8rem;color:#444;border-top:1px solid #ccc;padding-top:.4rem}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
"""


def to_html(slip: Slip) -> str:
    e = html.escape
    out = ["<!doctype html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(slip.title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<main>"]
    for block in slip.blocks:
        if isinstance(block, Title):
            out.append(f"<h1>{e(block.text)}</h1>")
            if block.sub:
                out.append(f'<p class="sub">{e(block.sub)}</p>')
        elif isinstance(block, NationalHeader):
            out.append('<div class="national"><div>' + e(block.agency.upper()) + "</div><div>"
                       "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br><span class=\"motto\">Độc lập - Tự do - Hạnh phúc</span>"
                       f'<br><span class="date">{e(block.place_date)}</span></div></div>')
        elif isinstance(block, Qr):
            out.append(f'<p class="small">{e(block.caption)}: <a href="{e(block.url)}">{e(block.url)}</a></p>')
        elif isinstance(block, Heading):
            out.append(f"<h2>{e(block.text)}</h2>")
        elif isinstance(block, Para):
            cls = ' class="small"' if block.small else ""
            text = e(block.text)
            text = f"<strong>{text}</strong>" if block.bold else text
            text = f"<em>{text}</em>" if block.italic else text
            out.append(f"<p{cls}>{text}</p>")
        elif isinstance(block, Fields):
            out.append("<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in block.items) + "</dl>")
        elif isinstance(block, Table):
            head = ('<th scope="col">Đã có</th>' if block.checkbox else "") + \
                "".join(f'<th scope="col">{e(t)}</th>' for t, _ in block.columns)
            rows = []
            for i, row in enumerate(block.rows):
                cls = ' class="total"' if block.bold_last and i == len(block.rows) - 1 else ""
                box = '<td class="box"><span></span></td>' if block.checkbox else ""
                rows.append(f"<tr{cls}>{box}" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        elif isinstance(block, Signatures):
            out.append('<div class="signatures">' + "".join(
                f"<div><strong>{e(t)}</strong><br><em>{e(n)}</em></div>" for t, n in block.parties) + "</div>")
    out += ["</main>", f"<footer>{e(slip.footer)}</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def to_md(slip: Slip) -> str:
    """Markdown to read as text or render: every value escaped (escaping.markdown_file), so a
    catalogue text or an applicant's name never becomes a link, an image or markup."""
    m = markdown_file
    out = []
    for block in slip.blocks:
        if isinstance(block, Title):
            out += [f"# {m(block.text)}", ""] + ([f"*{m(block.sub)}*", ""] if block.sub else [])
        elif isinstance(block, NationalHeader):
            out += [f"**{m(block.agency.upper())}** — CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM, Độc lập - Tự do - Hạnh phúc",
                    "", f"*{m(block.place_date)}*", ""]
        elif isinstance(block, Qr):
            out += [f"{m(block.caption)}: <{block.url}>", ""]  # a checked site address (escaping.valid_url)
        elif isinstance(block, Heading):
            out += [f"## {m(block.text)}", ""]
        elif isinstance(block, Para):
            text = m(block.text)
            text = f"**{text}**" if block.bold else (f"*{text}*" if block.italic else text)
            out += [text, ""]
        elif isinstance(block, Fields):
            out += [f"- **{m(label(k))}** {m(v)}" for k, v in block.items] + [""]
        elif isinstance(block, Table):
            cols = (["Đã có"] if block.checkbox else []) + [m(t) for t, _ in block.columns]
            out.append("| " + " | ".join(cols) + " |")
            out.append("|" + "---|" * len(cols))
            for row in block.rows:
                cells = (["[ ]"] if block.checkbox else []) + [m(c) for c in row]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
        elif isinstance(block, Signatures):
            out += ["  ·  ".join(f"**{m(t)}** {m(n)}" for t, n in block.parties), ""]
    out += ["---", "", m(slip.footer), ""]
    return "\n".join(out)
