"""Markdown pages of the public website, generated from the model (never from YAML).

Each function returns the text of one page. Procedures live at thu-tuc/<id>/ and are not in the
nav (Material renders the nav into every page, so a nav of thousands of pages is quadratic); field,
agency and life-event index pages link to them.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Iterable

from thutuc import escaping, vi
from thutuc.catalogue.model import (
    Agency,
    Catalogue,
    Document,
    Procedure,
    ProcessingTime,
)
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
    reduction_name,
    reduction_text,
    result_name,
    source_record_text,
    source_text,
    sources_text,
    stage_text,
)

# Every catalogue value goes through one of these (thutuc.escaping says which context each is
# for); anything else written into a page is our own fixed markup.
esc = escaping.markdown  # Markdown text, and text or attribute values in the raw HTML blocks
h = escaping.markdown


def procedure_url(pid: str) -> str:
    return f"thu-tuc/{pid}/"


def rel(from_depth: int, target: str) -> str:
    """Relative link from a page at ``from_depth`` folders deep (directory URLs)."""
    return "../" * from_depth + target


def front_matter(title: str, description: str | None = None, search_exclude: bool = False,
                 hide: Iterable[str] = ()) -> str:
    # Material prints page.meta.title and .description raw into <title>, the header and <meta>:
    # they are given HTML-escaped (as JSON strings, which are YAML scalars).
    lines = ["---", f"title: {json.dumps(escaping.html_text(title), ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(escaping.html_text(description), ensure_ascii=False)}")
    if search_exclude:
        lines += ["search:", "  exclude: true"]
    hide = list(hide)
    if hide:
        lines += ["hide:"] + [f"  - {x}" for x in hide]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


# --- a procedure ---------------------------------------------------------------------------------

def shared_descriptions(docs, cat: Catalogue) -> list[str]:
    """What each shared paper is, said once under the list ("Giấy tờ tùy thân có ảnh: căn cước, …")."""
    seen, out = set(), []
    for d in docs:
        for p in d.papers:
            shared = cat.documents.get(p.ref) if p.ref else None
            if shared and shared.description and shared.id not in seen:
                seen.add(shared.id)
                out.append(f"- *{esc(shared.name)}*: {esc(shared.description)}")
    return out


def where_block(proc: Procedure, cat: Catalogue, depth: int) -> list[str]:
    """Where to file: every receiving point, and "any office regardless of residence" when so."""
    out = []
    for i, aid in enumerate(proc.receiving_points):
        if i:
            out.append("\nHoặc nộp tại:\n")
        out += agency_block(cat.agencies[aid], depth)
    text = any_office_text(proc, cat.legal)
    if text:
        out.append(f"\n{esc(text)}\n{{: .tt-any-office }}")
    return out


def roles_block(proc: Procedure, cat: Catalogue, depth: int) -> list[str]:
    """Who decides, carries out and coordinates, each name linked to its agency page."""
    ids = {"Cơ quan giải quyết": (proc.deciding,), "Cơ quan trực tiếp thực hiện": proc.carrying_out,
           "Cơ quan phối hợp": proc.coordinating}
    lines = []
    for role, _names in agency_roles(proc, cat.agencies):
        links = ", ".join(f"[{esc(cat.agencies[a].name)}]({rel(depth, f'co-quan/{a}/')})" for a in ids[role])
        lines.append(f"{role}: {links}.")
    source = own_source(proc.agencies_source, proc)
    if source:
        lines.append(esc(source) + ".")
    return ["\n" + "<br>\n".join(lines) + "\n"]


def sources_block(proc: Procedure) -> list[str]:
    """The sources the record was checked against; an older version is kept, and said to be one."""
    if not proc.sources:
        return []
    out = ["## Nguồn thông tin {#nguon}\n"]
    for s in proc.sources:
        text = esc(source_record_text(s))
        if s.url and s.text:
            text = f"[{esc(s.text)}]({escaping.url(s.url)})" + esc(source_record_text(s)[len(s.text):])
        elif s.url:
            text = f"[{esc(s.url)}]({escaping.url(s.url)})" + esc(source_record_text(s)[len(s.url):])
        out.append(f"- {text}")
    out.append("")
    return out


def document_item(doc: Document, proc: Procedure, depth: int) -> str:
    qty = quantity(doc, proc)
    if doc.alternatives:
        alts = "".join(f"\n    - {paper_text(p)}" for p in doc.papers)
        head = f"**Một trong các giấy tờ sau** — {esc(qty)}:{alts}"
    else:
        head = f"{paper_text(doc.papers[0], bold=True)} — {esc(qty)}"
    cond = condition_text(doc, proc)
    prefix = f"*{esc(cond)}:* " if cond else ""
    extra = []
    if doc.channels:
        extra.append("Chỉ khi nộp " + ", ".join(vi.CHANNELS[c].lower() for c in doc.channels) + ".")
    if doc.note:
        extra.append(esc(doc.note))
    source = own_source(doc.source, proc)
    if source:
        extra.append(esc(source) + ".")
    if doc.valid_from:
        extra.append(f"Áp dụng từ {vi.date(doc.valid_from)}.")
    if doc.valid_to:
        extra.append(f"Áp dụng đến {vi.date(doc.valid_to)}.")
    tail = ("<br>" + " ".join(extra)) if extra else ""
    return f"- {prefix}{head}{tail}"


def form_link(file: str, depth: int = 2) -> str:
    """The relative address of a form file, percent-encoded (spaces, Vietnamese letters)."""
    from urllib.parse import quote

    return escaping.url(rel(depth, quote(file, safe="/")))


def paper_text(paper, bold: bool = False) -> str:
    text = f"**{esc(paper.name)}**" if bold else esc(paper.name)
    if paper.form:
        form = paper.form
        if form.get("code"):
            text += f" {esc(form_phrase([form['code']], paper.name))}"
        if form.get("file"):
            text += f" ([tải mẫu]({form_link(form['file'])}))"
        if form.get("source"):
            src = form["source"]
            shown = (f"[{esc(src)}]({escaping.url(src)})" if escaping.valid_url(src) and src.startswith("https://")
                     else esc(src))
            text += f" (nguồn mẫu: {shown})"
    if getattr(paper, "note", None):
        text += f" ({esc(paper.note)})"
    return text


def lookup_item(doc: Document, proc: Procedure, cat: Catalogue) -> str:
    """A paper the office looks up: its name, where it is read, what to bring if that fails, and
    the legal basis."""
    names = (" / ".join(paper_text(p) for p in doc.papers) if doc.alternatives
             else paper_text(doc.papers[0], bold=True))
    cond = condition_text(doc, proc)
    prefix = f"*{esc(cond)}:* " if cond else ""
    extra = []
    if doc.lookup is not None:
        text = f"cán bộ tra cứu từ {sources_text(doc.lookup)}"
        fb = doc.fallback
        if fb is not None:
            text += f". Nếu không tra cứu được: {fallback_text(doc, proc)}"
        extra.append(esc(text[0].upper() + text[1:] + "."))
        if doc.lookup.note:
            extra.append(esc(doc.lookup.note))
        if fb is not None and fb.note:
            extra.append(esc(fb.note))
        basis = []
        for b in doc.lookup.basis:
            law = cat.legal.get(b["ref"])
            if law is not None:
                basis.append((f"{b['articles']} " if b.get("articles") else "") + f"{law.type} {law.number}")
        if basis:
            extra.append(esc("Căn cứ: " + "; ".join(basis) + "."))
    if doc.channels:
        extra.append("Chỉ khi nộp " + ", ".join(vi.CHANNELS[c].lower() for c in doc.channels) + ".")
    if doc.note:
        extra.append(esc(doc.note))
    return f"- {prefix}{names} — không cần mang" + ("<br>" + " ".join(extra) if extra else "")


def prepared_item(doc: Document, proc: Procedure) -> str:
    cond = condition_text(doc, proc)
    prefix = f"*{esc(cond)}:* " if cond else ""
    tail = f"<br>{esc(doc.note)}" if doc.note else ""
    return f"- {prefix}{paper_text(doc.papers[0], bold=True)} — {esc(PREPARED.lower())}{tail}"


# The section of each group on the procedure page: (heading id, intro).
GROUP_SECTIONS = {
    "submit": ("giay-to-nop", ""),
    "show": ("giay-to-xuat-trinh", ""),
    "lookup": ("giay-to-tra-cuu", "Bạn không phải mang các giấy tờ này: cán bộ tự tra cứu thông tin. "
                                  "Chỉ khi không tra cứu được, cán bộ mới đề nghị bạn bổ sung."),
    "prepared": ("giay-to-lap-tai-quay", "Cán bộ tiếp nhận lập các giấy tờ này tại quầy; bạn kiểm tra và ký."),
}


def document_sections(documents, proc: Procedure, cat: Catalogue, depth: int) -> list[str]:
    """The papers of the page, one section per group; a procedure whose record lists no papers says so."""
    out = []
    if any(d.group == "unknown" for d in documents):
        note = next((d.note for d in documents if d.group == "unknown" and d.note), None)
        out.append(f"*{esc(UNKNOWN_PAPERS)}.*" + (f" {esc(note)}" if note else "") + "\n{: .tt-unknown }\n")
    for group, (anchor, intro) in GROUP_SECTIONS.items():
        docs = [d for d in documents if d.group == group]
        if not docs:
            continue
        out.append(f"### {vi.GROUPS[group]} {{#{anchor}}}\n")
        if intro:
            out.append(intro + "\n")
        if group == "lookup":
            items = [lookup_item(d, proc, cat) for d in docs]
        elif group == "prepared":
            items = [prepared_item(d, proc) for d in docs]
        else:
            items = [document_item(d, proc, depth) for d in docs]
        out.append("\n".join(items) + "\n")
    return out


def time_text(t: ProcessingTime) -> str:
    text = processing_time_text(t)
    if t.max_extension:
        text += f" Có thể kéo dài thêm tối đa {t.max_extension:02d} ngày làm việc trong một số trường hợp."
    return esc(text)


def _sourced(text: str, source: str | None) -> str:
    """A line with its source after it: '… *(Nguồn: Điều 7 …)*'."""
    return text + (f" *({esc(source_text(source))})*" if source else "")


def time_lines(t: ProcessingTime, proc: Procedure, indent: str = "") -> list[str]:
    """A time's cases, each with its source where it has its own: '- Nếu …: 07 ngày làm việc …'."""
    if not t.cases:
        return []
    out = [f"{indent}- {_sourced(esc(case_text(c, t, proc)), c.source)}" for c in t.cases]
    return out + [f"{indent}- {esc(otherwise_text(t))}"]


def time_section(proc: Procedure) -> list[str]:
    """'Thời hạn giải quyết': the time, its cases, each channel's, stages, note, sources."""
    t = proc.processing_time
    out = [_sourced(time_text(t), t.source) + "\n"]
    if t.cases:
        out += time_lines(t, proc) + [""]
    for ch in proc.channels:
        if ch.processing_time:
            ct = ch.processing_time
            out.append(f"- {vi.CHANNELS[ch.kind]}: {_sourced(time_text(ct), ct.source if ct.source != t.source else None)}")
            out += time_lines(ct, proc, "    ")
    if t.stages:
        out.append("\nCác bước có thời hạn riêng:\n")
        out += [f"- {esc(stage_text(s))}" for s in t.stages]
    if t.note:
        out.append(f"\n{esc(t.note)}")
    return out


def result_lines(proc: Procedure, depth: int) -> list[str]:
    """'Kết quả': each result with its code, condition, own time, form and source."""
    out = []
    for r in proc.results:
        line = "- " + (f"{esc('Nếu ' + describe_condition(r.when, proc))}: " if r.when else "") + esc(result_name(r))
        if r.note:
            line += f" ({esc(r.note)})"
        if r.processing_time:
            line += f" — thời hạn: {time_text(r.processing_time)}"
        if r.form:
            line += " — mẫu: " + ", ".join(
                ([esc(r.form["code"])] if r.form.get("code") else [])
                + ([f"[tải mẫu](../../{escaping.url(r.form['file'])})"] if r.form.get("file") else []))
        out.append(_sourced(line, r.source or (r.processing_time.source if r.processing_time else None)))
        if r.processing_time:
            out += time_lines(r.processing_time, proc, "    ")
    return out


def _source_differs(source: str | None, proc: Procedure) -> bool:
    """A fact's source is worth showing when the procedure's own sources do not already name it."""
    if not source:
        return False
    named = [s if isinstance(s, str) else getattr(s, "label", "") for s in proc.sources]
    return source not in named


def fee_rows(proc: Procedure, fees, as_of: dt.date | None = None) -> list[str]:
    """The fee table: each reduction only while in force on ``as_of`` (the build day), with its
    channels; each fee's source where it differs from the procedure's."""
    from thutuc.catalogue.fees import in_force

    rows = ["| Khoản thu | Mức thu | Áp dụng |", "|---|---|---|"]
    for fee in fees:
        applies = []
        if fee.when is not None:
            applies.append(esc("Nếu " + describe_condition(fee.when, proc)))
        applies += [part[0].upper() + part[1:] for part in fee_scope(fee)]
        for ex in fee.exemptions:
            applies.append(f"Miễn cho: {esc(ex['who'])}")
        for red in fee.reductions:
            if as_of is None or in_force(red.get("valid_from"), red.get("valid_to"), as_of):
                text = reduction_text(red)
                applies.append(esc(text[0].upper() + text[1:]))
        if fee.note:
            applies.append(esc(fee.note))
        if _source_differs(fee.source, proc):
            applies.append(f'<small class="tt-source">{esc(source_text(fee.source))}</small>')
        rows.append(f"| {esc(fee.name)} | {esc(fee_text(fee, proc))} | {'<br>'.join(applies) or 'Mọi trường hợp'} |")
    return rows


def fees_by_channel(proc: Procedure, as_of: dt.date) -> list[str]:
    """What is paid on each channel, when it differs between channels (a fee or a reduction in
    force for some channels only): "- Trực tuyến: Lệ phí … 100.000 đồng (giảm 50 % …)"."""
    from thutuc.catalogue.fees import compute

    if len(proc.channels) < 2:
        return []
    per = {c.kind: compute(proc.fees, None, c.kind, as_of) for c in proc.channels}
    said = {kind: [(f, fee_line_reductions(f)) for f in lines] for kind, lines in per.items()}
    if len({tuple((f.name, f.amount, tuple(r)) for f, r in lines) for lines in said.values()}) < 2:
        return []
    by_name = {f.name: f for f in proc.fees}
    out = ["**Số tiền phải nộp theo cách nộp:**\n"]
    for kind, lines in said.items():
        parts = []
        for line, reductions in lines:
            fee = by_name.get(line.name)
            shown = (vi.money(line.amount) if line.kind == "fixed" and line.amount else
                     fee_text(fee, proc) if fee is not None else "")
            if reductions and line.kind != "fixed":
                shown += ", " + ", ".join(reductions)
            elif reductions and line.full is not None:
                shown += f" (thay vì {vi.money(line.full)}: {', '.join(reductions)})"
            case = f" (nếu {describe_condition(line.condition, proc)})" if line.condition is not None else ""
            parts.append(f"{line.name}{case}: {shown}" if shown else line.name + case)
        out.append(f"- {vi.CHANNELS[kind]}: " + esc("; ".join(parts) or "Không thu phí, lệ phí"))
    return out + [""]


def delivery_lines(proc: Procedure) -> list[str]:
    """Receiving the result by post: the carrier's charge, not a fee, not in any total."""
    out = []
    for d in proc.delivery:
        line = esc(delivery_text(d)) + "."
        if _source_differs(d.get("source"), proc):
            line += f' <small class="tt-source">{esc(source_text(d["source"]))}</small>'
        out += [line, ""]
    return out


def agency_block(agency: Agency, depth: int, with_name: bool = True) -> list[str]:
    lines = [f"**[{esc(agency.name)}]({rel(depth, f'co-quan/{agency.id}/')})**"] if with_name else []
    if agency.address:
        lines.append(f"Địa chỉ: {esc(agency.address)}")
    if agency.phone:
        lines.append(f"Điện thoại: {esc(agency.phone)}")
    if agency.hours:
        lines.append(f"Giờ tiếp nhận: {esc(hours_text(agency))}")
    if agency.sample:
        lines.append("*(Địa chỉ và giờ làm việc là dữ liệu mẫu.)*")
    return ["<br>\n".join(lines)]


def json_ld(proc: Procedure, cat: Catalogue, site_url: str | None) -> str:
    """schema.org GovernmentService, for search engines and other systems."""
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
    return f'<script type="application/ld+json">{escaping.script_json(data)}</script>'


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
    out = ['<form id="tt-form" class="tt-form" onsubmit="return false">']
    if len(proc.channels) > 1:
        out.append('<fieldset><legend>Bạn nộp hồ sơ bằng cách nào?</legend>')
        for i, c in enumerate(proc.channels):
            checked = " checked" if i == 0 else ""
            out.append(f'<label><input type="radio" name="tt-channel" value="{h(c.kind)}"{checked}> '
                       f"{vi.CHANNELS[c.kind]}</label>")
        out.append("</fieldset>")
    from thutuc.checklist.tailor import asked

    decided: dict = {}  # no answer yet: a question asked only in some cases starts hidden
    for q in proc.questions:
        state = asked(q, decided)
        hidden = state is not True
        if state is False:
            decided[q.key] = None
        out.append(f'<fieldset data-q="{h(q.key)}"{" hidden" if hidden else ""}><legend>{h(q.ask)}</legend>')
        if q.help:
            out.append(f'<p class="tt-help">{h(q.help)}</p>')
        if q.type == "boolean":
            for value, text in (("true", "Có"), ("false", "Không")):
                out.append(f'<label><input type="radio" name="{h(q.key)}" value="{value}"> {text}</label>')
        elif q.type == "choice":
            for o in q.options:
                out.append(f'<label><input type="radio" name="{h(q.key)}" value="{h(o["value"])}"> {h(o["label"])}</label>')
        elif q.type == "number":
            bounds = "".join(f' {k}="{v}"' for k, v in (("min", q.min), ("max", q.max)) if v is not None)
            unit = f" {h(q.unit)}" if q.unit else ""
            out.append(f'<label><input type="number" name="{h(q.key)}" step="any" inputmode="decimal"{bounds}'
                       f' aria-describedby="tt-error-{h(q.key)}">{unit}</label>')
            out.append(f'<p class="tt-error" id="tt-error-{h(q.key)}" role="alert" hidden></p>')
        else:
            out.append(f'<label><input type="date" name="{h(q.key)}"> (ngày)</label>')
        out.append("</fieldset>")
    out.append("</form>")
    out.append('<div id="tt-result" class="tt-result" aria-live="polite">')
    out.append('<p id="tt-status"></p><ul id="tt-docs" class="tt-docs"></ul>')
    out.append('<table class="tt-fees"><caption>Phí, lệ phí</caption><tbody id="tt-fees"></tbody></table>')
    out.append('<p id="tt-total" class="tt-total"></p>')
    for d in proc.delivery:  # a carrier's charge: said, never added to the total
        out.append(f'<p class="tt-delivery">{h(delivery_text(d))}</p>')
    out.append('<button type="button" id="tt-print" class="md-button">In danh sách của tôi</button>')
    out.append("</div>")
    out.append(f'<script type="application/json" id="tt-data">{escaping.script_json(tailor_data(proc))}</script>')
    return "\n".join(out)


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

    depth = 2
    documents = [d for d in proc.documents if in_force(d.valid_from, d.valid_to, as_of)]
    fees = [f for f in proc.fees if in_force(f.valid_from, f.valid_to, as_of)]
    if proc.lifecycle.status == "abolished":
        return abolished_page(proc, cat)
    field = cat.fields[proc.field]
    out = [front_matter(proc.title, proc.summary), f"# {esc(proc.title)}\n", f"{esc(proc.summary)}\n"]
    meta = []
    if proc.code:
        meta.append(f"Mã thủ tục: **{esc(proc.code)}**")
    if proc.decision:
        meta.append(esc(decision_text(proc)))
    meta.append(f"Lĩnh vực: [{esc(field['name'])}]({rel(depth, f'linh-vuc/{proc.field}/')})")
    meta.append("Cấp thực hiện: " + ", ".join(vi.LEVELS[lv] for lv in proc.levels))
    out.append(" · ".join(meta) + "\n{: .tt-meta }\n")
    if proc.lifecycle.status == "suspended":
        reason = f" {esc(proc.lifecycle.reason)}" if proc.lifecycle.reason else ""
        out.append(f'!!! warning "Thủ tục đang tạm ngừng"\n    Tạm ngừng áp dụng{reason}\n')
    if proc.keywords:
        out.append("Còn gọi là: " + ", ".join(esc(k) for k in proc.keywords) + "\n{: .tt-keywords }\n")
    soon = upcoming(proc, as_of)
    if soon:
        out.append('!!! info "Sắp thay đổi"\n' + "".join(f"    - Từ {vi.date(d)}: {esc(t)}\n" for d, t in soon))
    out.append(f"[Tải danh sách giấy tờ để in (PDF)]({rel(depth, f'pdf/{proc.id}.pdf')}){{ .md-button .tt-pdf }}\n")
    if proc.questions:
        out.append("## Danh sách giấy tờ cho trường hợp của bạn {#cua-ban}\n")
        out.append("Trả lời các câu hỏi để chỉ thấy những giấy tờ và khoản phí của riêng bạn.\n")
        out.append(tailor_form(proc) + "\n")

    out.append("## Ai được nộp {#ai-duoc-nop}\n")
    out.append(", ".join(vi.APPLICANTS[a] for a in proc.applicants) + ".\n")
    if proc.who_can_apply:
        out.append(f"{esc(proc.who_can_apply)}\n")

    out.append("## Giấy tờ cần chuẩn bị {#giay-to}\n")
    out.append(f"Số bộ hồ sơ: {proc.sets or 1:02d} bộ.\n")
    out += document_sections(documents, proc, cat, depth)
    described = shared_descriptions(documents, cat)
    if described:
        out.append("Giải thích:\n")
        out.append("\n".join(described) + "\n")

    out.append("## Lệ phí {#le-phi}\n")
    out.append("\n".join(fee_rows(proc, fees, as_of)) + "\n")
    out += fees_by_channel(proc, as_of)
    out += delivery_lines(proc)

    out.append("## Thời hạn giải quyết {#thoi-han}\n")
    out += time_section(proc)
    out.append("")

    out.append("## Nộp hồ sơ ở đâu, khi nào {#noi-nop}\n")
    out += where_block(proc, cat, depth)
    out.append("\n**Cách nộp:**\n")
    for ch in proc.channels:
        line = f"- {vi.CHANNELS[ch.kind]}"
        if ch.online_level:
            line += f" ({vi.ONLINE_LEVELS[ch.online_level].lower()})"
        if ch.url:
            line += f": [{esc(ch.url)}]({escaping.url(ch.url)})"
        if ch.where and ch.where != proc.receiving:
            line += f" — tại [{esc(cat.agencies[ch.where].name)}]({rel(depth, f'co-quan/{ch.where}/')})"
        if ch.note:
            line += f". {esc(ch.note)}"
        source = own_source(ch.source, proc)
        if source:
            line += f". {esc(source)}"
        out.append(line)
    out += roles_block(proc, cat, depth)

    if proc.steps:
        out.append("## Trình tự thực hiện {#trinh-tu}\n")
        out += [f"{i}. {esc(s)}" for i, s in enumerate(proc.steps, 1)]
        out.append("")
    out.append("## Kết quả {#ket-qua}\n")
    out += result_lines(proc, depth)
    out.append("")
    if proc.requirements:
        out.append("## Yêu cầu, điều kiện {#dieu-kien}\n")
        out += [f"- {esc(r)}" for r in proc.requirements]
        out.append("")
    out.append("## Căn cứ pháp lý {#can-cu-phap-ly}\n")
    for basis in proc.legal_basis:
        law = cat.legal[basis["ref"]]
        text = f"- {esc(law.type)} số {esc(law.number)} của {esc(law.issuer)}: {esc(law.title)}"
        if basis.get("articles"):
            text += f" ({esc(basis['articles'])})"
        dates = legal_dates_text(law, cat.legal)
        if dates:
            text += f"; {esc(dates)}"
        if law.repealed and dt.date.fromisoformat(law.repealed) <= as_of:
            text += f" — *hết hiệu lực từ {vi.date(law.repealed)}*"
        out.append(text)
    out.append("")
    if proc.notes:
        out.append("## Lưu ý {#luu-y}\n")
        out.append(esc(proc.notes) + "\n")
    out += sources_block(proc)
    out.append(f"Thông tin được kiểm tra lần cuối ngày {vi.date(proc.lifecycle.last_reviewed)}.\n{{: .tt-checked }}\n")
    out.append(json_ld(proc, cat, site_url) + "\n")
    return "\n".join(out)


def abolished_page(proc: Procedure, cat: Catalogue) -> str:
    """Old links and printed QR codes keep working: say what happened and where to go now."""
    life = proc.lifecycle
    out = [front_matter(proc.title, proc.summary, search_exclude=True), f"# {esc(proc.title)}\n"]
    since = f" từ ngày {vi.date(life.since)}" if life.since else ""
    body = [f"Thủ tục này đã bãi bỏ{since}."]
    if life.reason:
        body.append(esc(life.reason))
    if life.superseded_by:
        succ = cat.procedures[life.superseded_by]
        body.append(f"Thay thế bằng thủ tục: [{esc(succ.title)}](../{succ.id}/)")
    out.append('!!! danger "Thủ tục đã bãi bỏ"\n' + "\n".join("    " + b + "\n" for b in body))
    return "\n".join(out)


# --- index pages ----------------------------------------------------------------------------------

def procedure_list(procs: list[Procedure], depth: int) -> str:
    lines = []
    for p in sorted(procs, key=lambda p: (vi.fold(p.title), p.id)):
        code = f" <small>({esc(p.code)})</small>" if p.code else ""
        lines.append(f"- [{esc(p.title)}]({rel(depth, procedure_url(p.id))}){code}")
    return "\n".join(lines) + "\n" if lines else "Chưa có thủ tục nào.\n"


def field_page(field: dict, cat: Catalogue) -> str:
    procs = [p for p in cat.listed() if p.field == field["id"]]
    out = [front_matter(f"Lĩnh vực {field['name']}"), f"# Lĩnh vực {esc(field['name'])}\n"]
    if field.get("description"):
        out.append(esc(field["description"]) + "\n")
    out.append(f"{len(procs)} thủ tục.\n")
    out.append(procedure_list(procs, 2))
    return "\n".join(out)


def event_page(event: dict, cat: Catalogue) -> str:
    procs = [p for p in cat.listed() if event["id"] in p.life_events]
    out = [front_matter(event["name"]), f"# {esc(event['name'])}\n"]
    if event.get("description"):
        out.append(esc(event["description"]) + "\n")
    out.append(procedure_list(procs, 2))
    return "\n".join(out)


def involved(p: Procedure) -> set[str]:
    """Every agency a procedure names: deciding, receiving points, carrying out, coordinating."""
    return {p.deciding, *p.receiving_points, *p.carrying_out, *p.coordinating}


def agency_page(agency: Agency, cat: Catalogue) -> str:
    procs = [p for p in cat.listed() if agency.id in involved(p)]
    out = [front_matter(agency.name), f"# {esc(agency.name)}\n"]
    if agency.status == "abolished":
        when = f" từ ngày {vi.date(agency.abolished_on)}" if agency.abolished_on else ""
        succ = cat.agencies.get(agency.successor) if agency.successor else None
        then = f" Công việc chuyển sang [{esc(succ.name)}](../{succ.id}/)." if succ else ""
        out.append(f'!!! warning "Cơ quan không còn hoạt động"\n    Chấm dứt hoạt động{when}.{then}\n')
    out += agency_block(agency, 2, with_name=False)
    if agency.note:
        out.append(esc(agency.note) + "\n")
    out.append("## Thủ tục {#thu-tuc}\n")
    out.append(procedure_list(procs, 2))
    return "\n".join(out)


def listing_page(title: str, items: list[tuple[str, str, int]], intro: str = "") -> str:
    out = [front_matter(title), f"# {esc(title)}\n"]
    if intro:
        out.append(intro + "\n")
    out += [f"- [{esc(name)}]({url}) <small>({count} thủ tục)</small>" for name, url, count in items]
    return "\n".join(out) + "\n"


def home_page(cat: Catalogue) -> str:
    office = cat.office
    listed = cat.listed()
    out = [front_matter(office["name"], "Tra cứu thủ tục hành chính: giấy tờ cần mang, lệ phí, thời hạn, nơi nộp.",
                        hide=["navigation", "toc"])]
    out.append(f"# {esc(office['name'])}\n")
    out.append("Tra cứu thủ tục hành chính: cần mang giấy tờ gì, lệ phí bao nhiêu, bao lâu có kết quả, nộp ở đâu.\n")
    out.append(
        '<form class="tt-search" action="./" method="get" role="search">\n'
        '<label for="tt-q">Tìm thủ tục (gõ có dấu hoặc không dấu)</label>\n'
        '<input id="tt-q" name="q" type="search" placeholder="Ví dụ: làm giấy khai sinh, sang tên sổ đỏ" autocomplete="off">\n'
        '<button type="submit">Tìm</button>\n'
        "</form>\n"
    )
    out.append("## Theo sự kiện {#theo-su-kien}\n")
    for ev in cat.life_events.values():
        n = sum(ev["id"] in p.life_events for p in listed)
        if n:
            out.append(f"- [{esc(ev['name'])}](su-kien/{ev['id']}/) <small>({n})</small>")
    out.append("\n## Theo lĩnh vực {#theo-linh-vuc}\n")
    for f in cat.fields.values():
        n = sum(p.field == f["id"] for p in listed)
        if n:
            out.append(f"- [{esc(f['name'])}](linh-vuc/{f['id']}/) <small>({n})</small>")
    out.append("\n## Theo cơ quan {#theo-co-quan}\n")
    for a in cat.agencies.values():
        n = sum(a.id in involved(p) for p in listed)
        if n:
            out.append(f"- [{esc(a.name)}](co-quan/{a.id}/) <small>({n})</small>")
    home = cat.agencies[office["agency"]]
    out.append("\n## Địa chỉ và giờ làm việc {#dia-chi}\n")
    out += agency_block(home, 0)
    out.append("\n## Dữ liệu mở {#du-lieu-mo}\n")
    out.append("Toàn bộ danh mục cho các hệ thống khác (ví dụ phần mềm một cửa) dùng lại: "
               "[JSON](du-lieu/thu-tuc.json) · [CSV](du-lieu/thu-tuc.csv) (mở được bằng Excel). "
               f"Phiên bản danh mục: <code>{esc(cat.version)}</code>.\n")
    return "\n".join(out)


def changes_page(items: list, cat: Catalogue) -> str:
    """Recently added, amended and abolished procedures, newest first (from the git history)."""
    out = [front_matter("Thay đổi"), "# Thay đổi thủ tục hành chính\n",
           "Các thủ tục mới, được sửa đổi, bổ sung hoặc bị bãi bỏ gần đây. "
           "Theo dõi bằng [nguồn tin Atom](thay-doi.xml).\n"]
    if not items:
        out.append("Chưa có lịch sử thay đổi.\n")
    for item in items:
        out.append(f"## {vi.date(item.date.date())} {{#thay-doi-{item.rev[:8]}}}\n")
        for title, entries in (("Mới", item.report.added), ("Sửa đổi, bổ sung", item.report.amended),
                               ("Bãi bỏ", item.report.abolished)):
            for e in entries:
                link = f"[{esc(e.title)}](../thu-tuc/{e.id}/)" if e.id in cat.procedures else esc(e.title)
                details = (": " + esc("; ".join(e.details))) if e.details else ""
                out.append(f"- **{title}:** {link}{details}")
        out.append("")
    return "\n".join(out)


def atom_feed(items: list, cat: Catalogue, site_url: str | None) -> str:
    """The same changes as an Atom feed (thay-doi.xml)."""
    from xml.sax.saxutils import escape

    base = escaping.url((site_url or "").rstrip("/") + "/")
    updated = items[0].date.isoformat() if items else "2026-01-01T00:00:00+07:00"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
           f"  <title>{escape('Thay đổi thủ tục hành chính — ' + cat.office['name'])}</title>",
           f"  <id>{escape(base)}thay-doi/</id>", f"  <updated>{updated}</updated>",
           f'  <link rel="self" href="{escape(base)}thay-doi.xml"/>',
           f'  <link rel="alternate" href="{escape(base)}thay-doi/"/>']
    for item in items:
        r = item.report
        title = f"{vi.date(item.date.date())}: {len(r.added)} mới, {len(r.amended)} sửa đổi, {len(r.abolished)} bãi bỏ"
        body = "".join(f"<li>{kind}: {html.escape(e.title)}{html.escape(': ' + '; '.join(e.details)) if e.details else ''}</li>"
                       for kind, entries in (("Mới", r.added), ("Sửa đổi", r.amended), ("Bãi bỏ", r.abolished))
                       for e in entries)
        out += ["  <entry>", f"    <id>urn:thutuc:{item.rev}</id>", f"    <title>{escape(title)}</title>",
                f"    <updated>{item.date.isoformat()}</updated>",
                f'    <link href="{escape(base)}thay-doi/#thay-doi-{item.rev[:8]}"/>',
                f"    <content type=\"html\">{escape('<ul>' + body + '</ul>')}</content>", "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


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
