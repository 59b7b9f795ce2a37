"""`thutuc export`: the catalogue as open data for other systems — JSON, CSV and JSON-LD.

Pure functions over the immutable model (never over YAML); the same catalogue gives byte-identical
output: records sorted by id, keys sorted, no timestamps (only dates from the catalogue), text in
Unicode NFC, a final newline.

- JSON (``export_json``): the documented, versioned shape of
  ``schemas/export/catalogue-export-v1.schema.json``, for importing into other systems (e.g. a
  one-stop-desk case system). Facts the catalogue does not give are ``null`` or kind ``unknown``.
- CSV (``export_csv``): one row per listed procedure (active or suspended), for spreadsheets; UTF-8
  with a byte order mark, because Excel opens a UTF-8 CSV without one as ANSI and garbles
  Vietnamese.
- JSON-LD (``export_jsonld``): schema.org ``GovernmentService`` items with CPSV-AP terms, in one
  ``@graph``, with the ``@context`` written inline so reading it needs no network.

Without ``as_of`` every paper and fee is exported with its ``valid_from``/``valid_to``; with
``as_of`` only those in force on that date (like the website's ``--as-of``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from typing import Any, Callable
from urllib.parse import quote

from thutuc import vi
from thutuc.catalogue.fees import in_force
from thutuc.catalogue.model import (
    Catalogue,
    Channel,
    Document,
    Fee,
    Paper,
    Procedure,
    ProcessingTime,
    plain,
)
from thutuc.escaping import csv_cell
from thutuc.i18n import _
from thutuc.website.pages import procedure_url
from thutuc.wording import (
    case_text,
    condition_text,
    delivery_text,
    describe_condition,
    fallback_quantity,
    fee_scope,
    fee_text,
    form_phrase,
    lookup_text,
    processing_time_text,
    quantity,
    reduction_text,
    result_name,
    sources_text,
)

FORMAT = "thutuc-catalogue-export"
VERSION = 1
FORMATS = ("json", "csv", "jsonld")
SCHEMA_ID = "https://thutuc.invalid/schemas/export/catalogue-export-v1.schema.json"
CURRENCY = "VND"


# --- shared helpers --------------------------------------------------------------------------------

def nfc(text: str) -> str:
    """The text in Unicode NFC. The loader already normalises every file, so this is a check that
    almost never has work to do; done once on the whole output rather than value by value."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _dump(data: Any) -> str:
    """Compact JSON, keys sorted (json's C encoder only runs without indentation, and 5,000
    procedures pretty-printed took seconds); `jq .` shows it indented."""
    return nfc(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)) + "\n"


def site_base(cat: Catalogue) -> str | None:
    """The office's public site address ending in '/', or None when office.yaml gives none."""
    url = cat.office.get("site_url")
    return url.rstrip("/") + "/" if url else None


def page_url(cat: Catalogue, path: str) -> str | None:
    base = site_base(cat)
    return base + path if base else None


def exported_procedures(cat: Catalogue) -> list[Procedure]:
    """Every published procedure (drafts are not published), by id; abolished ones too."""
    return sorted((p for p in cat.procedures.values() if p.lifecycle.status != "draft"), key=lambda p: p.id)


def listed_procedures(cat: Catalogue) -> list[Procedure]:
    """Procedures citizens can use now (active or suspended), by id: the CSV rows and JSON-LD items."""
    return sorted(cat.listed(), key=lambda p: p.id)


def _documents(proc: Procedure, as_of: dt.date | None) -> list[Document]:
    return [d for d in proc.documents if as_of is None or in_force(d.valid_from, d.valid_to, as_of)]


def _fees(proc: Procedure, as_of: dt.date | None) -> list[Fee]:
    return [f for f in proc.fees if as_of is None or in_force(f.valid_from, f.valid_to, as_of)]


def quantity_known(doc: Document) -> bool:
    return bool(doc.originals or doc.certified_copies or doc.copies or doc.quantity_note)


def time_summary(t: ProcessingTime) -> str:
    """The processing time in plain Vietnamese (as on the website, without Markdown)."""
    text = processing_time_text(t)
    if t.max_extension:
        text += (f" Có thể kéo dài thêm tối đa {t.max_extension:02d} ngày làm việc"
                 " trong một số trường hợp.")
    return text


def iso_duration(t: ProcessingTime) -> str | None:
    """ISO 8601 duration when the time is a fixed number of calendar days ('P15D'), else None:
    working days and hours depend on the holiday calendar, and same-day depends on the hour."""
    if t.unit == "calendar_days" and t.amount:
        return f"P{t.amount}D"
    return None


def online_level(ch: Channel) -> str | None:
    """full / partial for online channels, 'unknown' when the catalogue does not say; None off-line."""
    if ch.kind != "online":
        return None
    return ch.online_level or "unknown"


def fee_summary(fee: Fee, proc: Procedure, as_of: dt.date | None = None) -> str:
    """'Name: amount' with the dates and channels it is limited to, in plain Vietnamese."""
    text = f"{fee.name}: {fee_text(fee, proc)}"
    scope = fee_scope(fee) + [reduction_text(r) for r in _reductions(fee, as_of)]
    return text + (f" ({', '.join(scope)})" if scope else "")


def legal_citation(cat: Catalogue, basis) -> str:
    law = cat.legal[basis["ref"]]
    text = f"{law.type} số {law.number} của {law.issuer}: {law.title}"
    return text + (f" ({basis['articles']})" if basis.get("articles") else "")


# --- JSON --------------------------------------------------------------------------------------------

def _ref(cat: Catalogue, agency_id: str) -> dict:
    return {"id": agency_id, "name": cat.agencies[agency_id].name}


def _time_json(t: ProcessingTime, proc: Procedure) -> dict:
    return {
        "unit": t.unit, "amount": t.amount, "cutoff": t.cutoff,
        # one value as before; a list when several must have happened (the YAML's own shape)
        "starts": (t.starts[0] if len(t.starts) == 1 else list(t.starts)) if t.starts else None,
        "starts_note": t.starts_note,
        "max_extension": t.max_extension,
        "stages": [{"amount": s["amount"], "unit": s["unit"], "what": s["what"]} for s in t.stages],
        "cases": [{"condition": plain(c.when), "condition_text": "Nếu " + describe_condition(c.when, proc),
                   "what": c.what, "unit": c.unit, "amount": c.amount, "cutoff": c.cutoff, "note": c.note,
                   "source": c.source or t.source, "text": case_text(c, t, proc)} for c in t.cases],
        "note": t.note, "source": t.source, "text": time_summary(t), "duration": iso_duration(t),
    }


def _result_json(cat: Catalogue, proc: Procedure, r) -> dict:
    return {"name": r.name, "code": r.code, "note": r.note, "condition": plain(r.when),
            "condition_text": ("Nếu " + describe_condition(r.when, proc)) if r.when is not None else None,
            "processing_time": _time_json(r.processing_time, proc) if r.processing_time else None,
            "form": _form_json(cat, r.form), "source": r.source}


def _form_json(cat: Catalogue, form, name: str = "") -> dict | None:
    if not form:
        return None
    file = form.get("file")
    return {"code": form.get("code"), "file": file, "url": page_url(cat, quote(file, safe="/")) if file else None,
            "source": form.get("source"), "text": form_phrase([form.get("code")], name) or None}


def _paper_json(cat: Catalogue, paper: Paper) -> dict:
    return {"name": paper.name, "shared_document": paper.ref, "form": _form_json(cat, paper.form, paper.name),
            "note": paper.note}


def lookup_json(cat: Catalogue, doc_or_shared) -> dict | None:
    """A lookup (the office reads the paper's data itself) in the export shape, or None."""
    lk = doc_or_shared.lookup
    if lk is None:
        return None
    fb = lk.fallback
    return {
        "sources": [{"id": s, "name": vi.LOOKUP_SOURCES[s]} for s in lk.sources],
        "basis": [{"ref": b["ref"], "number": cat.legal[b["ref"]].number if b["ref"] in cat.legal else None,
                   "articles": b.get("articles")} for b in lk.basis],
        "fallback": None if fb is None else {
            "originals": fb.originals, "certified_copies": fb.certified_copies, "copies": fb.copies,
            "quantity_note": fb.quantity_note, "group": fb.group, "note": fb.note,
            "quantity_text": fallback_quantity(doc_or_shared) if isinstance(doc_or_shared, Document) else
            vi.quantity(fb.originals, fb.certified_copies, fb.copies, fb.quantity_note)},
        "source": lk.source, "note": lk.note,
        "text": lookup_text(doc_or_shared) if isinstance(doc_or_shared, Document) else None,
    }


def _document_json(cat: Catalogue, proc: Procedure, doc: Document) -> dict:
    known = quantity_known(doc) and doc.group in ("submit", "show")
    return {
        "id": doc.id, "group": doc.group, "name": doc.name, "alternatives": doc.alternatives,
        "papers": [_paper_json(cat, p) for p in doc.papers],
        "originals": doc.originals if known else None,
        "certified_copies": doc.certified_copies if known else None,
        "copies": doc.copies if known else None,
        "quantity_note": doc.quantity_note,
        "quantity_text": quantity(doc),
        "condition": plain(doc.when), "condition_text": condition_text(doc, proc) or None,
        "channels": list(doc.channels), "note": doc.note,
        "valid_from": doc.valid_from, "valid_to": doc.valid_to, "source": doc.source,
        "lookup": lookup_json(cat, doc), "times": doc.times, "pages": doc.pages,
    }


def _reductions(fee: Fee, as_of: dt.date | None):
    """The reductions of a fee, only those in force on ``as_of`` when one is given."""
    return [r for r in fee.reductions if as_of is None or in_force(r.get("valid_from"), r.get("valid_to"), as_of)]


def _delivery_json(d) -> dict:
    return {"how": d["how"], "charge": d["charge"], "currency": CURRENCY, "is_fee": False,
            "note": d.get("note"), "source": d.get("source"), "text": delivery_text(d)}


def _fee_json(proc: Procedure, fee: Fee, as_of: dt.date | None = None) -> dict:
    return {
        "id": fee.id, "name": fee.name, "kind": fee.kind, "currency": CURRENCY,
        "amount": fee.amount, "unit": fee.unit, "units": fee.units, "times": fee.times,
        "tiers": [{"from": t["from"], "to": t.get("to"), "amount": t["amount"]} for t in fee.tiers],
        "cap": fee.cap, "percent": fee.percent, "of": fee.of, "min": fee.min, "max": fee.max,
        "condition": plain(fee.when),
        "condition_text": ("Nếu " + describe_condition(fee.when, proc)) if fee.when is not None else None,
        "channels": list(fee.channels),
        "exemptions": [{"who": e["who"], "condition": plain(e.get("when")), "source": e.get("source")}
                       for e in fee.exemptions],
        "reductions": [{"percent": r.get("percent"), "amount": r.get("amount"), "valid_from": r.get("valid_from"),
                        "valid_to": r.get("valid_to"), "channels": list(r.get("channels", ())),
                        "source": r.get("source"), "text": reduction_text(r)} for r in _reductions(fee, as_of)],
        "valid_from": fee.valid_from, "valid_to": fee.valid_to, "note": fee.note, "source": fee.source,
        "text": fee_text(fee, proc),
    }


def _channel_json(cat: Catalogue, proc: Procedure, ch: Channel) -> dict:
    return {
        "kind": ch.kind, "name": vi.CHANNELS[ch.kind], "online_level": online_level(ch),
        "legacy_level": ch.legacy_level, "url": ch.url,
        "receiving_agency": _ref(cat, ch.where or proc.receiving),
        "processing_time": _time_json(proc.time_for(ch.kind), proc), "note": ch.note, "source": ch.source,
    }


def _legal_basis_json(cat: Catalogue, basis) -> dict:
    law = cat.legal[basis["ref"]]
    return {"id": law.id, "number": law.number, "type": law.type, "title": law.title, "issuer": law.issuer,
            "articles": basis.get("articles"), "in_force": law.in_force, "repealed": law.repealed, "url": law.url}


def _any_office_basis_json(cat: Catalogue, proc: Procedure) -> dict | None:
    basis = proc.any_office_basis
    if not basis:
        return None
    law = cat.legal[basis["ref"]]
    return {"id": law.id, "number": law.number, "type": law.type, "articles": basis.get("articles")}


def procedure_json(cat: Catalogue, proc: Procedure, as_of: dt.date | None = None) -> dict:
    """One procedure in the export shape (``$defs/procedure`` of the export schema)."""
    life = proc.lifecycle
    path = procedure_url(proc.id)
    return {
        "id": proc.id, "code": proc.code, "decision": proc.decision, "title": proc.title, "summary": proc.summary,
        "path": path, "url": page_url(cat, path),
        "field": {"id": proc.field, "name": cat.fields[proc.field]["name"]},
        "levels": [{"id": lv, "name": vi.LEVELS[lv]} for lv in proc.levels],
        "procedure_type": proc.procedure_type,
        "keywords": list(proc.keywords),
        "life_events": [{"id": e, "name": cat.life_events[e]["name"]} for e in proc.life_events],
        "agencies": {"deciding": _ref(cat, proc.deciding), "receiving": _ref(cat, proc.receiving),
                     "coordinating": [_ref(cat, a) for a in proc.coordinating],
                     "receiving_points": [_ref(cat, a) for a in proc.receiving_points],
                     "carrying_out": [_ref(cat, a) for a in proc.carrying_out],
                     "any_office": proc.any_office,
                     "any_office_basis": _any_office_basis_json(cat, proc),
                     "source": proc.agencies_source},
        "applicants": [{"id": a, "name": vi.APPLICANTS[a]} for a in proc.applicants],
        "who_can_apply": proc.who_can_apply,
        "questions": [{"key": q.key, "ask": q.ask, "type": q.type, "help": q.help,
                       "options": [{"value": o["value"], "label": o["label"]} for o in q.options],
                       "unit": q.unit, "min": q.min, "max": q.max, "default": q.default,
                       "condition": plain(q.when)} for q in proc.questions],
        "sets": proc.sets,
        "documents": [_document_json(cat, proc, d) for d in _documents(proc, as_of)],
        "channels": [_channel_json(cat, proc, c) for c in proc.channels],
        "processing_time": _time_json(proc.processing_time, proc),
        "fees": [_fee_json(proc, f, as_of) for f in _fees(proc, as_of)],
        "delivery": [_delivery_json(d) for d in proc.delivery],
        "steps": list(proc.steps), "requirements": list(proc.requirements),
        "results": [_result_json(cat, proc, r) for r in proc.results],
        "legal_basis": [_legal_basis_json(cat, b) for b in proc.legal_basis],
        "lifecycle": {"status": life.status, "since": life.since, "reason": life.reason,
                      "superseded_by": life.superseded_by, "last_reviewed": life.last_reviewed,
                      "reviewed_by": life.reviewed_by, "review_every_months": life.review_every_months},
        "sources": [s.label for s in proc.sources],
        "source_records": [{"url": s.url, "text": s.text, "retrieved": s.retrieved, "status": s.status or "current",
                            "note": s.note} for s in proc.sources],
        "notes": proc.notes,
        "source_file": proc.source_path,
    }


def export_data(cat: Catalogue, as_of: dt.date | None = None) -> dict:
    """The whole export as plain data (what ``export_json`` writes)."""
    office = cat.office
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "version": VERSION,
        "generated_from": {
            "office": {"name": office["name"], "agency": _ref(cat, office["agency"]),
                       "province": office.get("province"), "place": office.get("place"),
                       "site_url": office.get("site_url")},
            "catalogue_version": cat.version,
            "as_of": as_of.isoformat() if as_of else None,
        },
        "fields": [{"id": f["id"], "name": f["name"], "description": f.get("description"),
                    "path": f"linh-vuc/{f['id']}/", "url": page_url(cat, f"linh-vuc/{f['id']}/")}
                   for f in sorted(cat.fields.values(), key=lambda f: f["id"])],
        "life_events": [{"id": e["id"], "name": e["name"], "description": e.get("description"),
                         "path": f"su-kien/{e['id']}/", "url": page_url(cat, f"su-kien/{e['id']}/")}
                        for e in sorted(cat.life_events.values(), key=lambda e: e["id"])],
        "agencies": [{
            "id": a.id, "name": a.name, "short_name": a.short_name, "level": a.level, "address": a.address,
            "phone": a.phone, "email": a.email, "website": a.website,
            "hours": [{"days": list(h.days), "open": h.open, "close": h.close} for h in a.hours],
            "sample": a.sample, "status": a.status, "abolished_on": a.abolished_on, "successor": a.successor,
            "note": a.note, "source": a.source, "path": f"co-quan/{a.id}/", "url": page_url(cat, f"co-quan/{a.id}/"),
        } for a in sorted(cat.agencies.values(), key=lambda a: a.id)],
        "legal": [{
            "id": law.id, "number": law.number, "type": law.type, "title": law.title, "issuer": law.issuer,
            "issued": law.issued, "in_force": law.in_force, "repealed": law.repealed,
            "repealed_by": law.repealed_by, "amended_by": sorted(law.amended_by), "url": law.url, "note": law.note,
            "looked_up": sorted(law.looked_up),
        } for law in sorted(cat.legal.values(), key=lambda law: law.id)],
        "shared_documents": [{
            "id": d.id, "name": d.name, "description": d.description, "issued_by": d.issued_by,
            "legal_basis": sorted(d.legal_basis), "note": d.note, "lookup": lookup_json(cat, d),
        } for d in sorted(cat.documents.values(), key=lambda d: d.id)],
        "procedures": [procedure_json(cat, p, as_of) for p in exported_procedures(cat)],
    }


def export_json(cat: Catalogue, as_of: dt.date | None = None) -> str:
    """The catalogue as JSON in the versioned export shape (format thutuc-catalogue-export, version 1)."""
    return _dump(export_data(cat, as_of))


# --- CSV ---------------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "code", "title", "field", "levels", "agency", "receiving_agency", "channels", "online_level",
               "processing_time", "fees", "delivery", "legal_basis", "status", "last_reviewed", "url",
               "carrying_out", "coordinating", "any_office", "looked_up")
CSV_SEPARATOR = "; "
NOT_ONLINE = "Không nộp trực tuyến"
LEVEL_UNKNOWN = "Chưa rõ mức độ"


def _join(items) -> str:
    """Multi-valued cell: items joined with '; ' (a '; ' inside an item becomes ', ')."""
    return CSV_SEPARATOR.join(str(i).replace(CSV_SEPARATOR, ", ") for i in items)


def csv_row(cat: Catalogue, proc: Procedure, as_of: dt.date | None = None) -> dict[str, str]:
    online = [c for c in proc.channels if c.kind == "online"]
    levels = [vi.ONLINE_LEVELS[c.online_level] if c.online_level else LEVEL_UNKNOWN for c in online]
    times = [time_summary(proc.processing_time)]
    times += [case_text(c, proc.processing_time, proc) for c in proc.processing_time.cases]
    times += [f"{vi.CHANNELS[c.kind]}: {time_summary(c.processing_time)}"
              for c in proc.channels if c.processing_time and c.processing_time != proc.processing_time]
    times += [f"{result_name(r)}: {time_summary(r.processing_time)}" for r in proc.results if r.processing_time]
    times = [t.rstrip(".") for t in times]
    path = procedure_url(proc.id)
    return {
        "id": proc.id, "code": proc.code or "", "title": proc.title, "field": cat.fields[proc.field]["name"],
        "levels": _join(vi.LEVELS[lv] for lv in proc.levels),
        "agency": cat.agencies[proc.deciding].name, "receiving_agency": _join(cat.agencies[a].name for a in proc.receiving_points),
        "carrying_out": _join(cat.agencies[a].name for a in proc.carrying_out),
        "coordinating": _join(cat.agencies[a].name for a in proc.coordinating),
        "any_office": "Có" if proc.any_office else "",
        "channels": _join(vi.CHANNELS[c.kind] for c in proc.channels),
        "online_level": _join(levels) if online else NOT_ONLINE,
        "processing_time": _join(times),
        "fees": _join(fee_summary(f, proc, as_of) for f in _fees(proc, as_of)),
        "delivery": _join(delivery_text(d) for d in proc.delivery),
        "legal_basis": _join(cat.legal[b["ref"]].number for b in proc.legal_basis),
        "status": vi.STATUS[proc.lifecycle.status], "last_reviewed": proc.lifecycle.last_reviewed,
        "url": page_url(cat, path) or path,
        "looked_up": _join(f"{d.name} ({sources_text(d.lookup)})" if d.lookup else d.name
                           for d in _documents(proc, as_of) if d.looked_up),
    }


def export_csv(cat: Catalogue, as_of: dt.date | None = None) -> str:
    """One row per listed procedure; UTF-8 with BOM (for Excel), CRLF line ends (RFC 4180)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for proc in listed_procedures(cat):
        writer.writerow({k: csv_cell(v) for k, v in csv_row(cat, proc, as_of).items()})
    return "\ufeff" + nfc(buf.getvalue())


# --- JSON-LD -----------------------------------------------------------------------------------------

JSONLD_CONTEXT = {
    "@vocab": "http://schema.org/",
    "@language": "vi",
    "schema": "http://schema.org/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "url": {"@type": "@id"},
    "serviceUrl": {"@type": "@id"},
    "identifier": {"@language": None},
    "priceCurrency": {"@language": None},
    "telephone": {"@language": None},
    "email": {"@language": None},
    "processingTime": {"@language": None},
    "validFrom": {"@type": "xsd:date"},
    "validThrough": {"@type": "xsd:date"},
    "dct:identifier": {"@language": None},
    "dct:language": {"@type": "@id"},
    "cv:currency": {"@type": "@id"},
    "cv:processingTime": {"@type": "xsd:duration"},
    "eli:id_local": {"@language": None},
    "eli:date_document": {"@type": "xsd:date"},
    "eli:first_date_entry_in_force": {"@type": "xsd:date"},
    "eli:date_no_longer_in_force": {"@type": "xsd:date"},
}
VIETNAMESE = "http://publications.europa.eu/resource/authority/language/VIE"
VND = "http://publications.europa.eu/resource/authority/currency/VND"


def _node_id(cat: Catalogue, path: str, fragment: str = "") -> str:
    """An IRI on the site (``path`` plus an optional #fragment), or a blank node id without a site."""
    base = site_base(cat)
    if base:
        return base + path + (f"#{fragment}" if fragment else "")
    return "_:" + path.strip("/").replace("/", "-") + (f"-{fragment}" if fragment else "")


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != []}


def _agency_ld(cat: Catalogue, agency_id: str) -> dict:
    a = cat.agencies[agency_id]
    return _drop_none({"@id": _node_id(cat, f"co-quan/{a.id}/"),
                       "@type": ["GovernmentOrganization", "cv:PublicOrganisation"],
                       "name": a.name, "alternateName": a.short_name, "address": a.address, "telephone": a.phone,
                       "email": a.email, "url": page_url(cat, f"co-quan/{a.id}/")})


def _channel_ld(cat: Catalogue, proc: Procedure, ch: Channel) -> dict:
    t = proc.time_for(ch.kind)
    parts = [f"Thời hạn giải quyết: {time_summary(t)}"]
    if ch.kind == "online":
        parts.append(vi.ONLINE_LEVELS[ch.online_level] + "." if ch.online_level
                     else "Chưa rõ mức độ dịch vụ công trực tuyến.")
    if ch.note:
        parts.append(ch.note)
    where = cat.agencies[ch.where or proc.receiving]
    location = None
    if ch.kind in ("in_person", "post"):
        location = _drop_none({"@type": "Place", "name": where.name, "address": where.address})
    return _drop_none({
        "@id": _node_id(cat, procedure_url(proc.id), f"kenh-{ch.kind}"), "@type": ["ServiceChannel", "cv:Channel"],
        "name": vi.CHANNELS[ch.kind], "description": " ".join(parts), "serviceUrl": ch.url,
        "serviceLocation": location, "processingTime": iso_duration(t), "cv:processingTime": iso_duration(t),
    })


def _offer_ld(cat: Catalogue, proc: Procedure, fee: Fee, index: int, as_of: dt.date | None = None) -> dict:
    node: dict[str, Any] = {
        "@id": _node_id(cat, procedure_url(proc.id), f"phi-{fee.id or index + 1}"), "@type": ["Offer", "cv:Cost"],
        "name": fee.name, "description": fee_summary(fee, proc, as_of), "dct:description": fee_summary(fee, proc, as_of),
        "priceCurrency": CURRENCY, "cv:currency": VND, "validFrom": fee.valid_from, "validThrough": fee.valid_to,
    }
    if fee.kind in ("free", "fixed"):
        node["price"] = node["cv:value"] = fee.amount if fee.kind == "fixed" else 0
    elif fee.kind == "per_unit":
        unit = fee.unit or "đơn vị"
        if fee.tiers:
            tiers = fee.tiers
        else:
            tiers = ({"from": 1, "amount": fee.amount},) if fee.amount is not None else ()
        specs = [_drop_none({"@type": "UnitPriceSpecification", "price": t["amount"], "priceCurrency": CURRENCY,
                             "unitText": unit,
                             "eligibleQuantity": _drop_none({"@type": "QuantitativeValue", "minValue": t["from"],
                                                             "maxValue": t.get("to"), "unitText": unit})})
                 for t in tiers]
        if fee.cap is not None:
            specs.append({"@type": "PriceSpecification", "maxPrice": fee.cap, "priceCurrency": CURRENCY})
        node["priceSpecification"] = specs
    elif fee.kind == "percent" and (fee.min is not None or fee.max is not None):
        node["priceSpecification"] = [_drop_none({"@type": "PriceSpecification", "minPrice": fee.min,
                                                  "maxPrice": fee.max, "priceCurrency": CURRENCY})]
    # percent without bounds, set_by_province and unknown: no price; the description says why.
    return _drop_none(node)


def _legal_ld(cat: Catalogue, basis) -> dict:
    law = cat.legal[basis["ref"]]
    return _drop_none({
        "@id": f"_:legal-{law.id}", "@type": "eli:LegalResource", "name": f"{law.type} số {law.number}: {law.title}",
        "eli:id_local": law.number, "dct:title": law.title, "eli:date_document": law.issued,
        "eli:first_date_entry_in_force": law.in_force, "eli:date_no_longer_in_force": law.repealed, "url": law.url,
    })


def _evidence_ld(cat: Catalogue, proc: Procedure, doc: Document) -> dict:
    qty = quantity(doc)
    parts = [f"{vi.GROUPS[doc.group]}: {qty}."]
    cond = condition_text(doc, proc)
    if cond:
        parts.append(cond.rstrip(".") + ".")
    if doc.alternatives:
        parts.append("Một trong các giấy tờ: " + "; ".join(p.name for p in doc.papers) + ".")
    if doc.note:
        parts.append(doc.note)
    return {"@id": _node_id(cat, procedure_url(proc.id), f"giay-to-{doc.id}"), "@type": "cv:Evidence",
            "dct:identifier": doc.id, "dct:title": doc.name, "name": doc.name, "dct:description": " ".join(parts)}


def procedure_jsonld(cat: Catalogue, proc: Procedure, as_of: dt.date | None = None) -> dict:
    """One procedure as a schema.org GovernmentService that is also a CPSV-AP cpsv:PublicService."""
    path = procedure_url(proc.id)
    deciding = _agency_ld(cat, proc.deciding)
    summary = " ".join(proc.summary.split())
    if proc.lifecycle.status == "suspended":  # schema.org has no status for a service: say it in words
        summary = f"Tạm ngừng áp dụng. {summary}"
    office = cat.office
    area = ", ".join(x for x in (office.get("place"), office.get("province")) if x)
    channels = [_channel_ld(cat, proc, c) for c in proc.channels]
    # numbered among all fees, so a fee's @id stays the same with or without as_of
    offers = [_offer_ld(cat, proc, f, i, as_of) for i, f in enumerate(proc.fees)
              if as_of is None or in_force(f.valid_from, f.valid_to, as_of)]
    return _drop_none({
        "@id": _node_id(cat, path), "@type": ["GovernmentService", "cpsv:PublicService"],
        "name": proc.title, "dct:title": proc.title,
        "description": summary, "dct:description": summary,
        "identifier": proc.code, "dct:identifier": proc.code or proc.id, "dct:language": VIETNAMESE,
        "url": page_url(cat, path),
        "serviceType": cat.fields[proc.field]["name"],
        "provider": deciding, "cv:hasCompetentAuthority": {"@id": deciding["@id"]},
        "serviceOperator": _agency_ld(cat, proc.receiving),
        "areaServed": {"@type": "AdministrativeArea", "name": area} if area else None,
        "audience": [{"@type": "Audience", "audienceType": vi.APPLICANTS[a]} for a in proc.applicants],
        "availableChannel": channels, "cv:hasChannel": [{"@id": c["@id"]} for c in channels],
        "cv:processingTime": iso_duration(proc.processing_time),
        "offers": offers, "cv:hasCost": [{"@id": o["@id"]} for o in offers],
        "cpsv:hasInput": [_evidence_ld(cat, proc, d) for d in _documents(proc, as_of)],
        "cpsv:produces": [_drop_none({"@type": "cv:Output", "dct:title": r.name, "name": r.name,
                                     "dct:identifier": r.code}) for r in proc.results],
        "termsOfService": [legal_citation(cat, b) for b in proc.legal_basis],
        "cv:hasLegalResource": [_legal_ld(cat, b) for b in proc.legal_basis],
    })


def export_jsonld(cat: Catalogue, as_of: dt.date | None = None) -> str:
    """Listed procedures as one JSON-LD document: an inline @context and a @graph of services."""
    return _dump({"@context": JSONLD_CONTEXT,
                  "@graph": [procedure_jsonld(cat, p, as_of) for p in listed_procedures(cat)]})


# --- dispatch ----------------------------------------------------------------------------------------

EXPORTERS: dict[str, Callable[..., str]] = {"json": export_json, "csv": export_csv, "jsonld": export_jsonld}


def export(cat: Catalogue, fmt: str, as_of: dt.date | None = None) -> str:
    """The catalogue in ``fmt`` (json, csv or jsonld) as text, ready to write as UTF-8."""
    if fmt not in EXPORTERS:
        raise ValueError(_("unknown export format {format}; use one of: {formats}").format(
            format=repr(fmt), formats=", ".join(FORMATS)))
    return EXPORTERS[fmt](cat, as_of)
