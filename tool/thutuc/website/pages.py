"""Markdown pages of the public website, generated from the model (never from YAML).

Each function returns the text of one page. Procedures live at thu-tuc/<id>/ and are not in the
nav (Material renders the nav into every page, so a nav of thousands of pages is quadratic); field,
agency and life-event index pages link to them.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from markupsafe import Markup

from thutuc import escaping, vi
from thutuc.catalogue.model import (
    Agency,
    Catalogue,
    Document,
    Procedure,
    ProcessingTime,
)
from thutuc.layout import render_site
from thutuc.wording import (
    PREPARED,
    UNKNOWN_PAPERS,
    agency_roles,
    any_office_text,
    case_text,
    condition_text,
    decision_text,
    delivery_text,
    describe_condition,
    fallback_text,
    fee_line_reductions,
    fee_scope,
    fee_text,
    form_phrase,
    hours_text,
    legal_dates_text,
    lookup_text,
    otherwise_text,
    own_source,
    paper_notes,
    papers_text,
    processing_time_text,
    quantity,
    reduced_from_text,
    reduction_name,
    reduction_text,
    result_name,
    source_record_text,
    sentence,
    source_text,
    sources_text,
    stage_text,
)



def procedure_url(pid: str) -> str:
    return f"thu-tuc/{pid}/"


def rel(from_depth: int, target: str) -> str:
    """Relative link from a page at ``from_depth`` folders deep (directory URLs)."""
    return "../" * from_depth + target


def front_matter(title: str, description: str | None = None, search_exclude: bool = False,
                 hide: Iterable[str] = ()) -> str:
    """The YAML front matter of a page (templates/site/partials/front_matter.md.j2)."""
    return render_site("partials/front_matter.md.j2", title=title, description=description,
                       search_exclude=search_exclude, hide=list(hide))


# --- a procedure ---------------------------------------------------------------------------------

def form_link(file: str, depth: int = 2) -> str:
    """The relative address of a form file, percent-encoded (spaces, Vietnamese letters)."""
    from urllib.parse import quote

    return escaping.url(rel(depth, quote(file, safe="/")))


def paper_view(paper) -> dict:
    """What partials/paper.md.j2 shows of a paper: its name, form (in words, its link and where the
    form comes from) and note."""
    form = paper.form or {}
    source = form.get("source")
    return {"name": paper.name, "note": paper.note,
            "form_phrase": form_phrase([form["code"]], paper.name) if form.get("code") else None,
            "form_link": Markup(form_link(form["file"])) if form.get("file") else None,
            "form_source": source,
            "form_source_url": source if source and escaping.valid_url(source) and source.startswith("https://")
            else None}


def lookup_view(doc: Document, proc: Procedure, cat: Catalogue) -> dict:
    """A paper the office looks up: where it is read, what to bring if that fails, the legal basis."""
    extra: list[tuple[str, object]] = []
    if doc.lookup is not None:
        text = f"cán bộ tra cứu từ {sources_text(doc.lookup)}"
        fb = doc.fallback
        if fb is not None:
            text += f"; nếu không tra cứu được, {fallback_text(doc, proc, name=False)}"
        extra.append(("text", text[0].upper() + text[1:] + "."))
        if doc.lookup.note:
            extra.append(("text", doc.lookup.note))
        if fb is not None and fb.note:
            extra.append(("text", fb.note))
        basis = []
        for b in doc.lookup.basis:
            law = cat.legal.get(b["ref"])
            if law is not None:
                basis.append((f"{b['articles']} " if b.get("articles") else "") + f"{law.type} {law.number}")
        if basis:
            extra.append(("text", "Căn cứ: " + "; ".join(basis) + "."))
    if doc.channels:
        extra.append(("channels", [vi.CHANNELS[c].lower() for c in doc.channels]))
    if doc.note:
        extra.append(("text", doc.note))
    return {"condition": condition_text(doc, proc), "alternatives": bool(doc.alternatives),
            "papers": [paper_view(p) for p in doc.papers], "extra": extra}


def prepared_view(doc: Document, proc: Procedure) -> dict:
    """A paper the office prepares at the counter for the applicant to sign."""
    return {"condition": condition_text(doc, proc), "papers": [paper_view(p) for p in doc.papers], "note": doc.note}


def document_view(doc: Document, proc: Procedure) -> dict:
    """What partials/document.md.j2 shows of one paper of the list, in words."""
    extra: list[tuple[str, object]] = []
    if doc.channels:
        extra.append(("channels", [vi.CHANNELS[c].lower() for c in doc.channels]))
    if doc.note:
        extra.append(("note", doc.note))
    source = own_source(doc.source, proc)
    if source:
        extra.append(("source", source))
    if doc.valid_from:
        extra.append(("valid_from", vi.date(doc.valid_from)))
    if doc.valid_to:
        extra.append(("valid_to", vi.date(doc.valid_to)))
    return {"quantity": quantity(doc, proc), "condition": condition_text(doc, proc),
            "alternatives": bool(doc.alternatives), "papers": [paper_view(p) for p in doc.papers], "extra": extra}


def document_sections(documents, proc: Procedure, cat: Catalogue) -> list[dict]:
    """The papers of the page, one section per group (in this order; the template says each
    group's heading id and intro)."""
    views = {"lookup": lambda d: lookup_view(d, proc, cat), "prepared": lambda d: prepared_view(d, proc)}
    sections = []
    for group in ("submit", "show", "lookup", "prepared"):
        docs = [d for d in documents if d.group == group]
        if docs:
            view = views.get(group, lambda d: document_view(d, proc))
            sections.append({"group": group, "title": vi.GROUPS[group], "documents": [view(d) for d in docs]})
    return sections


def time_text(t: ProcessingTime) -> str:
    """A processing time in words (plain text)."""
    text = processing_time_text(t)
    if t.max_extension:
        text += f" Có thể kéo dài thêm tối đa {t.max_extension:02d} ngày làm việc trong một số trường hợp."
    return text


def time_view(t: ProcessingTime, proc: Procedure, source: str | None) -> dict:
    """A time in words for the page: its text, its source (when shown), its cases ('Nếu …: …',
    each with its own source) and then the other cases' time."""
    return {"text": time_text(t), "source": source_text(source) if source else None,
            "cases": [(case_text(c, t, proc), source_text(c.source) if c.source else None) for c in t.cases],
            "otherwise": otherwise_text(t) if t.cases else None}


def result_view(r, proc: Procedure) -> dict:
    """A result: its condition, name and code, own time, form and source, in words."""
    source = r.source or (r.processing_time.source if r.processing_time else None)
    return {"when": "Nếu " + describe_condition(r.when, proc) if r.when else None, "name": result_name(r),
            "note": r.note, "time": time_view(r.processing_time, proc, None) if r.processing_time else None,
            "form": r.form, "source": source_text(source) if source else None}


def shared_descriptions(docs, cat: Catalogue) -> list[tuple[str, str]]:
    """What each shared paper is, said once under the list ("Giấy tờ tùy thân có ảnh: căn cước, …")."""
    seen, out = set(), []
    for d in docs:
        for p in d.papers:
            shared = cat.documents.get(p.ref) if p.ref else None
            if shared and shared.description and shared.id not in seen:
                seen.add(shared.id)
                out.append((shared.name, shared.description))
    return out


def source_views(proc: Procedure) -> list[tuple[str | None, str | None, str]]:
    """The sources the record was checked against, as (link text, address, the rest in words);
    an older version is kept, and said to be one."""
    out = []
    for s in proc.sources:
        record = source_record_text(s)
        link = (s.text or s.url) if s.url else None
        out.append((link, s.url, record[len(link):] if link else record))
    return out


def involved(p: Procedure) -> set[str]:
    """Every agency a procedure names: deciding, receiving points, carrying out, coordinating."""
    return {p.deciding, *p.receiving_points, *p.carrying_out, *p.coordinating}


def _source_differs(source: str | None, proc: Procedure) -> bool:
    """A fact's source is worth showing when the procedure's own sources do not already name it."""
    if not source:
        return False
    named = [s if isinstance(s, str) else getattr(s, "label", "") for s in proc.sources]
    return source not in named


def fee_view(fee, proc: Procedure, as_of: dt.date | None = None) -> dict:
    """What partials/fee_row.md.j2 shows of one fee: its amount and where it applies, in words;
    each reduction only while in force on ``as_of`` (the build day), with its channels; the fee's
    source where it differs from the procedure's."""
    from thutuc.catalogue.fees import in_force

    applies: list[tuple[str, object]] = []
    if fee.when is not None:
        applies.append(("text", "Nếu " + describe_condition(fee.when, proc)))
    applies += [("text", part[0].upper() + part[1:]) for part in fee_scope(fee)]
    applies += [("exemption", ex["who"]) for ex in fee.exemptions]
    for red in fee.reductions:
        if as_of is None or in_force(red.get("valid_from"), red.get("valid_to"), as_of):
            text = reduction_text(red)
            applies.append(("text", text[0].upper() + text[1:]))
    if fee.note:
        applies.append(("text", fee.note))
    if _source_differs(fee.source, proc):
        applies.append(("source", source_text(fee.source)))
    return {"name": fee.name, "amount": fee_text(fee, proc), "applies": applies}


def fees_by_channel(proc: Procedure, as_of: dt.date) -> list[tuple[str, str]]:
    """What is paid on each channel, when it differs between channels (a fee or a reduction in
    force for some channels only): ("Trực tuyến", "Lệ phí … 100.000 đồng (giảm 50 % …)")."""
    from thutuc.catalogue.fees import compute

    if len(proc.channels) < 2:
        return []
    per = {c.kind: compute(proc.fees, None, c.kind, as_of) for c in proc.channels}
    said = {kind: [(f, fee_line_reductions(f)) for f in lines] for kind, lines in per.items()}
    if len({tuple((f.name, f.amount, tuple(r)) for f, r in lines) for lines in said.values()}) < 2:
        return []
    by_name = {f.name: f for f in proc.fees}
    out = []
    for kind, lines in said.items():
        parts = []
        for line, reductions in lines:
            fee = by_name.get(line.name)
            shown = (vi.money(line.amount) if line.kind == "fixed" and line.amount else
                     fee_text(fee, proc) if fee is not None else "")
            if reductions and line.kind != "fixed":
                shown += ", " + ", ".join(reductions)
            elif reductions and line.full is not None:
                shown += " " + reduced_from_text(line.full, line.reductions)
            case = f" (nếu {describe_condition(line.condition, proc)})" if line.condition is not None else ""
            parts.append(f"{line.name}{case}: {shown}" if shown else line.name + case)
        out.append((vi.CHANNELS[kind], "; ".join(parts) or "Không thu phí, lệ phí"))
    return out


def delivery_views(proc: Procedure) -> list[tuple[str, str | None]]:
    """Receiving the result by post: (the carrier's charge in words, its source where it differs);
    not a fee, not in any total."""
    return [(sentence(delivery_text(d)), source_text(d["source"]) if _source_differs(d.get("source"), proc) else None)
            for d in proc.delivery]


def agency_values(agency: Agency, with_name: bool = True) -> dict:
    """The values partials/agency.md.j2 needs."""
    return {"agency": agency, "hours": hours_text(agency) if agency.hours else "", "with_name": with_name}


def json_ld(proc: Procedure, cat: Catalogue, site_url: str | None) -> dict:
    """schema.org GovernmentService, for search engines and other systems (the page prints it in
    a <script type="application/ld+json">)."""
    agency = cat.agencies[proc.deciding]
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": proc.title,
        "description": " ".join(proc.summary.split()),
        "serviceType": cat.fields[proc.field]["name"],
        "provider": {"@type": "GovernmentOrganization", "name": agency.name},
        "availableChannel": [
            {"@type": "ServiceChannel", "name": vi.CHANNELS[c.kind],
             **({"serviceUrl": c.url} if c.url else {})} for c in proc.channels
        ],
    }
    if proc.code:
        data["identifier"] = proc.code
    if site_url:
        data["url"] = site_url.rstrip("/") + "/" + procedure_url(proc.id)
    return data


def tailor_data(proc: Procedure) -> dict:
    """What checklist.js needs: the same rules `thutuc checklist` applies, as JSON."""
    from thutuc.catalogue.model import plain
    from thutuc.checklist.tailor import LARGEST, counted

    whole = counted(proc)

    def question(q) -> dict:
        if q.type != "number":
            return {"key": q.key, "type": q.type, "when": plain(q.when)}
        # the limits `thutuc checklist -a` applies (tailor.parse_answer): the form refuses the same
        return {"key": q.key, "type": q.type, "min": q.min if q.min is not None else -LARGEST,
                "max": q.max if q.max is not None else LARGEST, "declared_max": q.max is not None,
                "whole": q.key in whole, "when": plain(q.when)}

    fee_keys = ("name", "kind", "amount", "unit", "units", "times", "tiers", "cap", "percent", "of", "min", "max",
                "when", "channels", "exemptions", "reductions", "valid_from", "valid_to")
    def counts(d: Document) -> dict | None:
        """The numbers checklist.js multiplies by the times answer (the paper's, or its fallback's)."""
        if not (d.times or d.pages):
            return None
        fb = d.fallback
        src = fb if d.group == "lookup" and fb is not None else d
        return {"originals": src.originals, "certified_copies": src.certified_copies, "copies": src.copies,
                "quantity_note": src.quantity_note, "times": d.times, "pages": d.pages}

    def document(d: Document) -> dict:
        out = {"id": d.id, "group": d.group, "text": tailored_paper_text(d), "quantity": quantity(d),
               "when": plain(d.when), "channels": list(d.channels),
               "valid_from": d.valid_from, "valid_to": d.valid_to, "notes": paper_notes(d), "counts": counts(d)}
        if d.group == "lookup":
            out["lookup"] = lookup_text(d)
            fb = d.fallback
            if fb is not None:  # the parts checklist.js needs to say the multiplied fallback
                out["lookup_head"] = f"Không cần mang — cán bộ tra cứu từ {sources_text(d.lookup)}"
                out["fallback_tail"] = f" {papers_text(d)}" + (" để xuất trình" if fb.group == "show" else "")
        elif d.group == "unknown":
            out["text"] = UNKNOWN_PAPERS
        return out

    return {
        "id": proc.id,
        "channels": [c.kind for c in proc.channels],
        "questions": [question(q) for q in proc.questions],
        "documents": [document(d) for d in proc.documents],
        "fees": [{**{k: plain(getattr(f, k)) for k in fee_keys},
                  "reductions": [{**plain(r), "text": reduction_text(r)} for r in f.reductions]} for f in proc.fees],
    }


def tailored_paper_text(d: Document) -> str:
    """A paper as the tailored list says it: its name(s) and the form it is written on."""
    text = papers_text(d)
    phrase = form_phrase([p.form.get("code") for p in d.papers if p.form], "" if d.alternatives else d.name)
    return f"{text} {phrase}" if phrase else text


def tailor_form(proc: Procedure) -> str:
    """The questions as an HTML form; checklist.js fills in the list as they are answered."""
    return render_site("partials/tailor_form.md.j2", **tailor_values(proc))


def tailor_values(proc: Procedure) -> dict:
    from thutuc.checklist.tailor import asked

    decided: dict = {}  # no answer yet: a question asked only in some cases starts hidden
    questions = []
    for q in proc.questions:
        state = asked(q, decided)
        if state is False:
            decided[q.key] = None
        questions.append((q, state is not True))
    return {"proc": proc, "channel_choices": [(c.kind, vi.CHANNELS[c.kind]) for c in proc.channels],
            "questions": questions, "deliveries": [delivery_text(d) for d in proc.delivery],
            "tailor_data": tailor_data(proc)}


UPCOMING_DAYS = 60


def upcoming(proc: Procedure, as_of: dt.date) -> list[tuple[dt.date, str]]:
    """Changes that take effect within the next 60 days: "Từ 01/01/2027: …"."""
    horizon = as_of + dt.timedelta(days=UPCOMING_DAYS)
    out = []

    def window(start, end, starts: str, ends: str):
        for when, text in ((start, starts), (end, ends)):
            day = dt.date.fromisoformat(when) if when else None
            if day and as_of < day <= horizon:
                out.append((day, text))

    for d in proc.documents:
        window(d.valid_from, d.valid_to and (dt.date.fromisoformat(d.valid_to) + dt.timedelta(days=1)).isoformat(),
               f"cần thêm giấy tờ: {d.name}", f"không còn phải nộp: {d.name}")
    for f in proc.fees:
        window(f.valid_from, f.valid_to and (dt.date.fromisoformat(f.valid_to) + dt.timedelta(days=1)).isoformat(),
               f"áp dụng {f.name}: {fee_text(f, proc)}", f"không còn thu {f.name}")
        for r in f.reductions:
            end = r.get("valid_to") and (dt.date.fromisoformat(r["valid_to"]) + dt.timedelta(days=1)).isoformat()
            window(r.get("valid_from"), end, f"áp dụng mức giảm — {reduction_name(f.name, r)}",
                   f"hết mức giảm — {reduction_name(f.name, r)}")
    return sorted(out)


def procedure_page(proc: Procedure, cat: Catalogue, as_of: dt.date, site_url: str | None) -> str:
    from thutuc.catalogue.fees import in_force

    if proc.lifecycle.status == "abolished":
        return abolished_page(proc, cat)
    documents = [d for d in proc.documents if in_force(d.valid_from, d.valid_to, as_of)]
    fees = [f for f in proc.fees if in_force(f.valid_from, f.valid_to, as_of)]
    unknown = None  # the record lists no papers: said so, with the note if there is one
    if any(d.group == "unknown" for d in documents):
        unknown = next((d.note for d in documents if d.group == "unknown" and d.note), "")
    channels = []
    for ch in proc.channels:
        where = cat.agencies[ch.where] if ch.where and ch.where != proc.receiving else None
        channels.append({"name": vi.CHANNELS[ch.kind], "url": ch.url, "where": where, "note": ch.note,
                         "level": vi.ONLINE_LEVELS[ch.online_level].lower() if ch.online_level else None,
                         "source": own_source(ch.source, proc)})
    legal = []
    for basis in proc.legal_basis:
        law = cat.legal[basis["ref"]]
        repealed = law.repealed and dt.date.fromisoformat(law.repealed) <= as_of
        legal.append({"law": law, "articles": basis.get("articles"), "dates": legal_dates_text(law, cat.legal),
                      "repealed": vi.date(law.repealed) if repealed else None})
    ids = {"Cơ quan giải quyết": (proc.deciding,), "Cơ quan trực tiếp thực hiện": proc.carrying_out,
           "Cơ quan phối hợp": proc.coordinating}
    roles = [(role, [cat.agencies[a] for a in ids[role]]) for role, _names in agency_roles(proc, cat.agencies)]
    t = proc.processing_time
    return render_site(
        "procedure.md.j2", proc=proc, root=Markup(rel(2, "")), field=cat.fields[proc.field],
        decision=decision_text(proc) if proc.decision else None, described=shared_descriptions(documents, cat),
        receiving_points=[agency_values(cat.agencies[a]) for a in proc.receiving_points],
        any_office=any_office_text(proc, cat.legal), roles=roles,
        roles_source=own_source(proc.agencies_source, proc), results=[result_view(r, proc) for r in proc.results],
        sources=source_views(proc),
        levels=[vi.LEVELS[lv] for lv in proc.levels], applicants=[vi.APPLICANTS[a] for a in proc.applicants],
        soon=[(vi.date(d), t) for d, t in upcoming(proc, as_of)],
        sections=document_sections(documents, proc, cat), unknown=unknown, unknown_papers=UNKNOWN_PAPERS,
        prepared=PREPARED.lower(),
        fees=[fee_view(f, proc, as_of) for f in fees], fees_by_channel=fees_by_channel(proc, as_of),
        delivery=delivery_views(proc), time=time_view(t, proc, t.source),
        channel_times=[(vi.CHANNELS[ch.kind], time_view(ch.processing_time, proc, ch.processing_time.source
                                                        if ch.processing_time.source != t.source else None))
                       for ch in proc.channels if ch.processing_time],
        stages=[stage_text(s) for s in t.stages], time_note=t.note, channels=channels, legal=legal,
        reviewed=vi.date(proc.lifecycle.last_reviewed), json_ld=json_ld(proc, cat, site_url),
        **{k: v for k, v in tailor_values(proc).items() if k != "proc"})


def abolished_page(proc: Procedure, cat: Catalogue) -> str:
    """Old links and printed QR codes keep working: say what happened and where to go now."""
    life = proc.lifecycle
    return render_site("abolished.md.j2", proc=proc, since=vi.date(life.since) if life.since else None,
                       successor=cat.procedures[life.superseded_by] if life.superseded_by else None)


# --- index pages ----------------------------------------------------------------------------------

def listed(procs: list[Procedure]) -> list[Procedure]:
    """Procedures in the order index pages list them: by title as citizens read it."""
    return sorted(procs, key=lambda p: (vi.fold(p.title), p.id))


def field_page(field: dict, cat: Catalogue) -> str:
    procs = [p for p in cat.listed() if p.field == field["id"]]
    return render_site("field.md.j2", field=field, procedures=listed(procs), root=Markup(rel(2, "")))


def event_page(event: dict, cat: Catalogue) -> str:
    procs = [p for p in cat.listed() if event["id"] in p.life_events]
    return render_site("event.md.j2", event=event, procedures=listed(procs), root=Markup(rel(2, "")))


def agency_page(agency: Agency, cat: Catalogue) -> str:
    procs = [p for p in cat.listed() if agency.id in involved(p)]
    abolished = None
    if agency.status == "abolished":
        abolished = {"since": vi.date(agency.abolished_on) if agency.abolished_on else None,
                     "successor": cat.agencies.get(agency.successor) if agency.successor else None}
    return render_site("agency.md.j2", **agency_values(agency, with_name=False), abolished=abolished,
                       procedures=listed(procs), root=Markup(rel(2, "")))


def listing_page(title: str, items: list[tuple[str, str, int]], intro: str = "") -> str:
    """A list of fields, events or agencies; ``intro`` is our own Markdown, ``items`` are
    (name, relative URL, number of procedures)."""
    return render_site("listing.md.j2", title=title, items=items, intro=Markup(intro))


def home_page(cat: Catalogue) -> str:
    office = cat.office
    listed_procs = cat.listed()

    def counted(items, matches):
        return [(item, n) for item in items if (n := sum(matches(item, p) for p in listed_procs))]

    return render_site(
        "home.md.j2", office=office, version=cat.version,
        events=counted(cat.life_events.values(), lambda ev, p: ev["id"] in p.life_events),
        fields=counted(cat.fields.values(), lambda f, p: p.field == f["id"]),
        agencies=counted(cat.agencies.values(), lambda a, p: a.id in involved(p)),
        root=Markup(""), **agency_values(cat.agencies[office["agency"]]))


def changes_page(items: list, cat: Catalogue) -> str:
    """Recently added, amended and abolished procedures, newest first (from the git history)."""
    return render_site("changes.md.j2", changes=_changes(items), known=cat.procedures)


def _changes(items: list) -> list[dict]:
    return [{"date": vi.date(item.date.date()), "rev": item.rev, "updated": item.date.isoformat(),
             "added": item.report.added, "amended": item.report.amended, "abolished": item.report.abolished}
            for item in items]


def atom_feed(items: list, cat: Catalogue, site_url: str | None) -> str:
    """The same changes as an Atom feed (thay-doi.xml)."""
    return render_site("feed.xml.j2", office=cat.office, changes=_changes(items),
                       base=escaping.url((site_url or "").rstrip("/") + "/"),
                       updated=items[0].date.isoformat() if items else "2026-01-01T00:00:00+07:00")


def pages(cat: Catalogue, as_of: dt.date, site_url: str | None, history: list | None = None) -> dict[str, str]:
    """Every generated page: path under docs/ -> Markdown (and the Atom feed)."""
    out = {"index.md": home_page(cat)}
    out["thay-doi.md"] = changes_page(history or [], cat)
    out["thay-doi.xml"] = atom_feed(history or [], cat, site_url)
    listed = cat.listed()
    out["linh-vuc/index.md"] = listing_page("Lĩnh vực", [
        (f["name"], f"{f['id']}/", sum(p.field == f["id"] for p in listed)) for f in cat.fields.values()])
    for f in cat.fields.values():
        out[f"linh-vuc/{f['id']}.md"] = field_page(f, cat)
    out["su-kien/index.md"] = listing_page("Sự kiện", [
        (e["name"], f"{e['id']}/", sum(e["id"] in p.life_events for p in listed)) for e in cat.life_events.values()])
    for e in cat.life_events.values():
        out[f"su-kien/{e['id']}.md"] = event_page(e, cat)
    out["co-quan/index.md"] = listing_page("Cơ quan", [
        (a.name, f"{a.id}/", sum(a.id in involved(p) for p in listed)) for a in cat.agencies.values()])
    for a in cat.agencies.values():
        out[f"co-quan/{a.id}.md"] = agency_page(a, cat)
    for p in cat.procedures.values():
        if p.lifecycle.status != "draft":
            out[f"thu-tuc/{p.id}.md"] = procedure_page(p, cat, as_of, site_url)
    return out
