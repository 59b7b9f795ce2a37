"""Producing checklist files: one, a batch from CSV, with blank forms appended."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from thutuc import render, slips
from thutuc.checklist import TZ, Applicant, Checklist, find_procedure, make, to_json
from thutuc.i18n import _
from thutuc.model import Catalogue
from thutuc.tailor import AnswerError, read_answers

FORMATS = ("pdf", "html", "md", "json")
APPLICANT_COLUMNS = ("applicant", "address", "phone", "email")


def parse_when(text: str) -> dt.datetime:
    """'2026-11-26 15:30', '2026-11-26T15:30' or '26/11/2026 15:30', in Vietnam's time."""
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=TZ)
        except ValueError:
            continue
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise AnswerError(_("submission time '{when}' is not valid; write it as 2026-11-26 15:30").format(
            when=text)) from None
    return value.astimezone(TZ) if value.tzinfo else value.replace(tzinfo=TZ)


def now() -> dt.datetime:
    return dt.datetime.now(TZ).replace(second=0, microsecond=0)


def render_checklist(cl: Checklist, fmt: str, cat: Catalogue | None = None, append_forms: bool = False) -> bytes:
    if fmt == "json":
        return (json.dumps(to_json(cl), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    slip = slips.slip_for(cl)
    if fmt == "md":
        return render.to_md(slip).encode()
    if fmt == "html":
        return render.to_html(slip).encode()
    pdf = render.to_pdf(slip, cl.submitted)
    if append_forms and cat is not None:
        pdf = with_forms(pdf, form_files(cl, cat))
    return pdf


def filename(cl: Checklist, fmt: str, stem: str | None = None) -> str:
    kind = {"checklist": "", "missing": "-bo-sung", "receipt": "-tiep-nhan"}[cl.kind]
    return f"{stem or cl.procedure.id}-{cl.submitted.strftime('%Y%m%d-%H%M')}{kind}.{fmt}"


def form_files(cl: Checklist, cat: Catalogue) -> list[Path]:
    """Blank PDF forms of the papers on this checklist, in order, each once."""
    files: list[Path] = []
    for doc, _conditional in cl.documents:
        for paper in doc.papers:
            f = paper.form.get("file") if paper.form else None
            path = cat.root / f if f else None
            if path and path.suffix.lower() == ".pdf" and path.is_file() and path not in files:
                files.append(path)
    return files


def with_forms(pdf: bytes, forms: Iterable[Path]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf)))
    for form in forms:
        writer.append(PdfReader(str(form)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class RowResult:
    row: int  # 1-based data row number (the header is row 0)
    path: Path | None
    error: str | None


def run_batch(cat: Catalogue, procedure: str | None, csv_path: Path, out_dir: Path, fmt: str,
              channel: str, submitted: dt.datetime, tick: Callable[[], None] = lambda: None) -> list[RowResult]:
    """One checklist per CSV row. Columns: answer keys, optional procedure, channel, submitted,
    applicant, address, phone, email. A bad row is reported and the others still run."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    results = []
    for n, row in enumerate(rows, 1):
        try:
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            proc = find_procedure(cat, row.pop("procedure", "") or procedure or "")
            person = Applicant(*(row.pop(c, "") for c in APPLICANT_COLUMNS))
            ch = row.pop("channel", "") or channel
            when = parse_when(row.pop("submitted")) if row.get("submitted") else submitted
            answers, missing = read_answers(proc, {k: v for k, v in row.items() if v != ""})
            if missing:
                raise AnswerError(_("missing answers: {keys}").format(keys=", ".join(q.key for q in missing)))
            cl = make(cat, proc, answers, ch, when, person)
            stem = f"{n:04d}-{proc.id}"
            path = out_dir / filename(cl, fmt, stem)
            path.write_bytes(render_checklist(cl, fmt))
            results.append(RowResult(n, path, None))
        except (AnswerError, ValueError, KeyError) as exc:
            results.append(RowResult(n, None, str(exc)))
        tick()
    return results
