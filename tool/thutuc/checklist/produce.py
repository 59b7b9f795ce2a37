"""Producing checklist files: one, a batch from CSV, with blank forms appended."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from thutuc.catalogue.model import Catalogue
from thutuc.checklist import render, slips
from thutuc.checklist.make import (
    TZ,
    Applicant,
    Checklist,
    find_procedure,
    make,
    to_json,
)
from thutuc.checklist.tailor import AnswerError, read_answers
from thutuc.i18n import _

FORMATS = ("pdf", "html", "md", "json")
APPLICANT_COLUMNS = ("applicant", "address", "phone", "email")


def parse_when(text: str) -> dt.datetime:
    """'2026-11-26 15:30', '2026-11-26T15:30' or '26/11/2026 15:30', in Vietnam's time, within
    the years whose days off thutuc knows (workdays.FIRST_YEAR to LAST_YEAR)."""
    from thutuc.checklist.workdays import FIRST_YEAR, LAST_YEAR, covered

    text = text.strip()
    value = None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            value = dt.datetime.strptime(text, fmt).replace(tzinfo=TZ)
            break
        except ValueError:
            continue
    if value is None:
        try:
            value = dt.datetime.fromisoformat(text)
            value = value.astimezone(TZ) if value.tzinfo else value.replace(tzinfo=TZ)
        except (ValueError, OverflowError):
            raise AnswerError(_("submission time '{when}' is not valid; write it as 2026-11-26 15:30").format(
                when=text[:40])) from None
    if not covered(value.date()):
        raise AnswerError(_("submission time '{when}' is outside the years whose days off thutuc knows "
                            "({first}–{last}); a due date cannot be counted").format(
                                when=text[:40], first=FIRST_YEAR, last=LAST_YEAR))
    return value


def now() -> dt.datetime:
    return dt.datetime.now(TZ).replace(second=0, microsecond=0)


def check_printable(fmt: str, fields: Mapping[str, str]) -> None:
    """For a PDF, AnswerError naming the first of ``fields`` (name -> text typed for this applicant)
    with a character the PDF font lacks: refused before anything is written, never a blank."""
    if fmt != "pdf":
        return
    from thutuc.glyphs import FONT_NAME, describe, unprintable

    for name, text in fields.items():
        bad = unprintable(text or "")
        if bad:
            raise AnswerError(_("{field}: the PDF font {font} cannot print {characters}; write it with Vietnamese "
                                "or Latin letters, or make the checklist with --format html").format(
                                    field=name, font=FONT_NAME, characters=describe(bad)))


def render_checklist(cl: Checklist, fmt: str, cat: Catalogue | None = None, append_forms: bool = False,
                     warn: Callable[[str], None] = lambda message: None) -> bytes:
    if fmt == "json":
        return (json.dumps(to_json(cl), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    slip = slips.slip_for(cl)
    if fmt == "md":
        return render.to_md(slip).encode()
    if fmt == "html":
        return render.to_html(slip).encode()
    pdf = render.to_pdf(slip, cl.submitted)
    if append_forms and cat is not None:
        files, skipped = forms_to_append(cl, cat)
        for message in skipped:
            warn(message)
        pdf = with_forms(pdf, files, warn, cat.root)
    return pdf


def filename(cl: Checklist, fmt: str, stem: str | None = None) -> str:
    kind = {"checklist": "", "missing": "-bo-sung", "receipt": "-tiep-nhan"}[cl.kind]
    return f"{stem or cl.procedure.id}-{cl.submitted.strftime('%Y%m%d-%H%M')}{kind}.{fmt}"


def form_files(cl: Checklist, cat: Catalogue) -> list[Path]:
    """Blank PDF forms of the papers on this checklist, in order, each once."""
    return forms_to_append(cl, cat)[0]


def forms_to_append(cl: Checklist, cat: Catalogue) -> tuple[list[Path], list[str]]:
    """(the blank PDF forms of the papers on this checklist, in order, each once; one message for
    each other form, saying why it is not appended and where to get it)."""
    from urllib.parse import quote

    files: list[Path] = []
    skipped: list[str] = []
    seen: set[str] = set()
    site = (cat.office.get("site_url") or "").rstrip("/")
    forms_dir = (cat.root / "forms").resolve()
    for doc, _conditional in cl.documents:
        for paper in doc.papers:
            f = paper.form.get("file") if paper.form else None
            if not f or f in seen:
                continue
            seen.add(f)
            path = cat.root / f
            where = f"{site}/{quote(f, safe='/')}" if site else f"catalogue/{f}"
            suffix = path.suffix.lower()
            if suffix != ".pdf":
                skipped.append(_("{file}: a {type} form cannot be appended to a PDF; download it from {where}").format(
                    file=f, type=suffix or _("file"), where=where))
            elif forms_dir not in path.resolve().parents or not path.is_file():
                skipped.append(_("{file}: the form file is missing from catalogue/forms/; it was not appended").format(
                    file=f))
            else:
                files.append(path)
    return files, skipped


def with_forms(pdf: bytes, forms: Iterable[Path], warn: Callable[[str], None] = lambda message: None,
               root: Path | None = None) -> bytes:
    """The checklist followed by the blank forms. A form that cannot be read as a PDF is left out,
    and ``warn`` told which: the checklist itself must still be written."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf)))
    for form in forms:
        try:
            pages = _read_form(form)
        except (PyPdfError, OSError, ValueError, TypeError, KeyError, IndexError, AttributeError,
                RecursionError, AssertionError, ZeroDivisionError) as exc:  # pypdf on a damaged file
            name = form.relative_to(root).as_posix() if root and form.is_relative_to(root) else str(form)
            warn(_("the blank form {file} is not a readable PDF ({reason}); it was not appended").format(
                file=name, reason=str(exc)[:100] or type(exc).__name__))
            continue
        writer.append(PdfReader(pages))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _read_form(form: Path) -> io.BytesIO:
    """The form's pages, read and written once on their own, so that a damaged file fails here
    and not halfway into the checklist."""
    import logging

    from pypdf import PdfReader, PdfWriter

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)  # its own complaints about the file: the warning says it once
    try:
        one = PdfWriter()
        one.append(PdfReader(str(form)))
        buf = io.BytesIO()
        one.write(buf)
    finally:
        log.setLevel(level)
    buf.seek(0)
    return buf


def read_batch(csv_path: Path) -> list[dict]:
    """The rows of a batch CSV file, as UTF-8 (with or without a byte order mark). A file in a
    Windows code page is refused, not guessed at: the same bytes are different letters in
    Windows-1258 (Vietnamese) and Windows-1252 (Western), and a wrong guess would print wrong
    names on official papers."""
    try:
        data = csv_path.read_bytes()
    except OSError as exc:
        raise AnswerError(_("{file}: cannot read it ({reason})").format(file=csv_path, reason=exc.strerror)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AnswerError(_("{file}: the file is in UTF-16 (Excel's 'Unicode Text'); save it as 'CSV UTF-8 "
                            "(Comma delimited)' and try again").format(file=csv_path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswerError(_("{file}: line {line}: byte 0x{byte:02X} is not UTF-8; the file was probably saved by "
                            "Excel in a Windows code page (Windows-1258 or 1252). Save it as 'CSV UTF-8 (Comma "
                            "delimited)' and try again").format(
                                file=csv_path, line=data[:exc.start].count(b"\n") + 1, byte=data[exc.start])) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as exc:
        raise AnswerError(_("{file}: line {line}: not valid CSV ({reason})").format(
            file=csv_path, line=reader.line_num, reason=exc)) from None


@dataclass
class RowResult:
    row: int  # 1-based data row number (the header is row 0)
    path: Path | None
    error: str | None
    warnings: tuple[str, ...] = ()  # answers to questions these answers do not ask, ignored


def run_batch(cat: Catalogue, procedure: str | None, csv_path: Path, out_dir: Path, fmt: str,
              channel: str, submitted: dt.datetime, tick: Callable[[], None] = lambda: None) -> list[RowResult]:
    """One checklist per CSV row. Columns: answer keys, optional procedure, channel, submitted,
    applicant, address, phone, email. A bad row is reported and the others still run."""
    from thutuc.outputs import OutputError, outside_catalogue, write_output

    outside_catalogue(out_dir, cat.root)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_("cannot write {path}: {reason}; nothing was written").format(
            path=out_dir, reason=exc.strerror or exc)) from None
    rows = read_batch(csv_path)
    results = []
    for n, row in enumerate(rows, 1):
        try:
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            proc = find_procedure(cat, row.pop("procedure", "") or procedure or "")
            person = Applicant(*(row.pop(c, "") for c in APPLICANT_COLUMNS))
            check_printable(fmt, dict(zip(APPLICANT_COLUMNS, (person.name, person.address, person.phone,
                                                              person.email))))
            ch = row.pop("channel", "") or channel
            when = parse_when(row.pop("submitted")) if row.get("submitted") else submitted
            ignored: list[str] = []
            answers, missing = read_answers(proc, {k: v for k, v in row.items() if v != ""}, warnings=ignored)
            if missing:
                raise AnswerError(_("missing answers: {keys}").format(keys=", ".join(q.key for q in missing)))
            cl = make(cat, proc, answers, ch, when, person)
            stem = f"{n:04d}-{proc.id}"
            path = out_dir / filename(cl, fmt, stem)
            write_output(path, render_checklist(cl, fmt), cat.root)
            results.append(RowResult(n, path, None, tuple(ignored)))
        except (AnswerError, OutputError, ValueError, KeyError) as exc:
            results.append(RowResult(n, None, str(exc)))
        tick()
    return results
