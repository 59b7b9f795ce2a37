"""What a checklist says, as a list of neutral blocks that the PDF, HTML and Markdown writers share.

Three layouts: the citizen's checklist; the counter's request to complete a file (Phiếu yêu cầu
bổ sung, hoàn thiện hồ sơ); and the receipt with the appointment (Giấy tiếp nhận hồ sơ và hẹn trả
kết quả), after Circular 03/2025/TT-VPCP, annex I.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thutuc import vi
from thutuc.catalogue.model import Document
from thutuc.checklist.make import Checklist
from thutuc import wording
from thutuc.wording import (
    NOT_PUBLISHED,
    PREPARED,
    UNKNOWN_PAPERS,
    case_text,
    condition_text,
    decision_text,
    describe_condition,
    fallback_quantity,
    form_phrase,
    hours_text,
    limit_text,
    looked_up_text,
    lookup_failed_text,
    lookup_text,
    otherwise_text,
    paper_notes,
    papers_text,
    quantity,
    result_name,
    saturday_text,
    stage_text,
    starts_text,
)


@dataclass(frozen=True)
class Title:
    text: str
    sub: str = ""


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    italic: bool = False
    small: bool = False


@dataclass(frozen=True)
class Fields:
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[tuple[str, float], ...]  # (header, share of the width)
    rows: tuple[tuple[str, ...], ...]
    checkbox: bool = False
    bold_last: bool = False  # a total row


@dataclass(frozen=True)
class NationalHeader:
    agency: str
    place_date: str


@dataclass(frozen=True)
class Signatures:
    parties: tuple[tuple[str, str], ...]  # (title, "(Ký, ghi rõ họ tên)")


@dataclass(frozen=True)
class Qr:
    url: str
    caption: str


@dataclass(frozen=True)
class Slip:
    blocks: tuple = field(default_factory=tuple)
    footer: str = ""
    title: str = ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def paper_cell(d: Document, conditional: bool, cl: Checklist) -> str:
    """A paper as a checklist row: its name, the form it is written on "(theo Mẫu CT01)" and the
    form's source, the case it is for, and its notes (the paper's own, then the document's)."""
    text = papers_text(d)
    phrase = form_phrase([p.form.get("code") for p in d.papers if p.form], "" if d.alternatives else d.name)
    if phrase:
        text += f" {phrase}"
    if conditional:
        text = f"{condition_text(d, cl.procedure) or 'Nếu có'}: {text}"
    notes = paper_notes(d)
    if notes:
        text = _sentence(text) + " " + " ".join(_sentence(n) for n in notes)
    return text


def document_tables(cl: Checklist, checkbox: bool) -> list:
    blocks = []
    columns = (("STT", 0.07), ("Giấy tờ", 0.63), ("Số lượng", 0.30))
    for group in ("submit", "show"):
        docs = [(d, c) for d, c in cl.documents if d.group == group]
        if not docs:
            continue
        blocks.append(Heading(vi.GROUPS[group]))
        rows = tuple((f"{i}", paper_cell(d, c, cl), quantity(d, cl.procedure, cl.answers))
                     for i, (d, c) in enumerate(docs, 1))
        blocks.append(Table(columns, rows, checkbox=checkbox))
    looked = [(d, c) for d, c in cl.documents if d.group == "lookup"]
    if looked:  # nothing to bring: no tick box; the fallback is said in words
        blocks.append(Heading(vi.GROUPS["lookup"]))
        rows = tuple((f"{i}", paper_cell(d, c, cl), _lookup_quantity(d, cl)) for i, (d, c) in enumerate(looked, 1))
        blocks.append(Table((("STT", 0.07), ("Giấy tờ", 0.50), ("Cán bộ tra cứu", 0.43)), rows))
    prepared = [(d, c) for d, c in cl.documents if d.group == "prepared"]
    if prepared:
        blocks.append(Heading(vi.GROUPS["prepared"]))
        rows = tuple((f"{i}", paper_cell(d, c, cl), PREPARED) for i, (d, c) in enumerate(prepared, 1))
        blocks.append(Table(columns, rows))
    for d, _c in cl.documents:
        if d.group == "unknown":
            blocks.append(Heading("Giấy tờ cần chuẩn bị"))
            blocks.append(Para(UNKNOWN_PAPERS + "." + (f" {_sentence(d.note)}" if d.note else ""), italic=True))
    return blocks


def _lookup_quantity(d: Document, cl: Checklist) -> str:
    return lookup_text(d, cl.procedure, cl.answers, name=False)


def _missing_rows(cl: Checklist) -> tuple:
    failed = dict((d.id, reason) for d, reason in cl.lookup_failed)
    rows = []
    for i, d in enumerate(cl.missing, 1):
        if d.id in failed:
            # what to bring now: the paper, its fallback's note, and why the officer could not read it
            note = f". {_sentence(d.fallback.note)}" if d.fallback and d.fallback.note else ""
            cell = f"{papers_text(d)}{note} — {lookup_failed_text(d, failed[d.id])}"
            qty = fallback_quantity(d, cl.procedure, cl.answers) + (" (xuất trình)" if d.fallback and
                                                                   d.fallback.group == "show" else "")
        else:
            cell, qty = paper_cell(d, False, cl), quantity(d, cl.procedure, cl.answers)
        rows.append((str(i), cell, qty))
    return tuple(rows)


def fee_table(cl: Checklist) -> list:
    rows = []
    generic = cl.answers is None
    for f in cl.fees:
        if f.amount is None:
            shown = "Theo mức HĐND tỉnh quyết định" if f.kind == "set_by_province" else "Chưa rõ mức thu"
        elif f.kind == "per_unit" and generic:
            shown = "Theo số lượng"
        elif f.kind == "percent" and generic:
            shown = "Theo giá trị kê khai"
        else:
            shown = vi.money(f.amount) if f.amount else "Miễn phí"
        case = "Nếu " + describe_condition(f.condition, cl.procedure) if f.condition is not None else ""
        detail = (wording.fee_line_detail(f) if f.amount and not generic
                  else wording.clauses(wording.fee_line_reductions(f)))
        rows.append((f.name, shown, wording.clauses([case, detail, wording.fee_line_note(f)])))
    rows.append(("Tổng cộng", *wording.fee_total(*cl.total)))
    blocks = [Heading("Phí, lệ phí"),
              Table((("Khoản thu", 0.42), ("Số tiền", 0.22), ("Ghi chú", 0.36)), tuple(rows), bold_last=True)]
    blocks += [Para(wording.delivery_text(d), small=True) for d in cl.procedure.delivery]
    return blocks


def time_text(cl: Checklist) -> str:
    return "Thời hạn giải quyết: " + limit_text(cl.limit)


def _moment(at) -> str:
    return f"trước {at.strftime('%H giờ %M')}, {vi.WEEKDAYS[at.weekday()]}, {vi.date(at.date())}"


def _submitted(cl: Checklist) -> str:
    return f"nếu nộp đủ hồ sơ lúc {cl.submitted.strftime('%H:%M')} ngày {vi.date(cl.submitted.date())}"


def due_text(cl: Checklist) -> str:
    if cl.due is None:
        return "Ngày hẹn trả kết quả: cán bộ tiếp nhận sẽ ghi trên giấy hẹn."
    return f"Ngày hẹn trả kết quả: {_moment(cl.due.at)} ({_submitted(cl)})."


def own_times(cl: Checklist) -> bool:
    """Some result has its own time limit: each gets its own date."""
    return any(r.own for r in cl.results)


def time_blocks(cl: Checklist) -> list:
    """The time limit, its cases (generic list), stages, results and due dates: the checklist's
    "Thời hạn" section."""
    generic = cl.answers is None
    t = cl.limit.time
    blocks: list = [Heading("Thời hạn"), Para(time_text(cl))]
    if generic and t.cases:
        blocks += [Para("- " + case_text(c, t, cl.procedure), small=True) for c in t.cases]
    if t.stages:
        blocks.append(Para("Các bước theo quy định: " + "; ".join(stage_text(x) for x in t.stages) + ".", small=True))
    if own_times(cl):
        rows = []
        for r in cl.results:
            lim = r.limit
            name = result_name(r.result)
            if r.conditional:
                name = f"Nếu {describe_condition(r.result.when, cl.procedure)}: {name}"
            if generic:  # every case of the result's time, and the time for the others
                t_r = lim.time
                shown = " ".join([case_text(c, t_r, cl.procedure) for c in t_r.cases]
                                 + [otherwise_text(t_r) if t_r.cases else limit_text(lim)])
                rows.append((name, shown))
            else:
                rows.append((name, limit_text(lim), _moment(r.due.at) if r.due else "Cán bộ ghi trên giấy hẹn"))
        columns = (("Kết quả", 0.34), ("Thời hạn", 0.66)) if generic else \
            (("Kết quả", 0.30), ("Thời hạn", 0.40), ("Ngày hẹn trả", 0.30))
        blocks.append(Table(columns, tuple(rows)))
        if not generic:
            blocks.append(Para(f"Ngày hẹn trả theo từng kết quả ({_submitted(cl)}).", small=True))
    else:
        if cl.results:
            blocks.append(Para("Kết quả: " + "; ".join(
                (f"Nếu {describe_condition(r.result.when, cl.procedure)}: " if r.conditional else "")
                + result_name(r.result) for r in cl.results) + ".", small=True))
        if not generic:
            blocks.append(Para(due_text(cl), bold=True))
    if not generic:
        skipped = sorted({x for r in cl.results if r.due for x in r.due.skipped} | set(cl.due.skipped if cl.due else ()))
        if skipped:
            blocks.append(Para("Đã trừ các ngày nghỉ: " + "; ".join(f"{vi.date(d)} ({n})" for d, n in skipped) + ".",
                               small=True))
    if cl.calendar.saturday:
        blocks.append(Para(saturday_text(cl.calendar.saturday) + ".", small=True))
    return blocks


def where_fields(cl: Checklist) -> Fields:
    a = cl.receiving
    items = [("Nơi nộp hồ sơ", a.name)]
    if a.address:
        items.append(("Địa chỉ", a.address))
    if a.phone:
        items.append(("Điện thoại", a.phone))
    if a.hours:
        items.append(("Giờ tiếp nhận", hours_text(a)))
    for other in cl.other_points:
        text = other.name + (f", {other.address}" if other.address else "")
        if other.hours:
            text += f" ({hours_text(other)})"
        items.append(("Hoặc nộp tại", text))
    if cl.any_office:
        items.append(("Nơi cư trú", cl.any_office))
    items += list(cl.roles)
    return Fields(tuple(items))


def answer_fields(cl: Checklist) -> list:
    if not cl.answers:
        return []
    items = []
    for q in cl.procedure.questions:
        if q.key not in cl.answers:
            continue
        value = cl.answers[q.key]
        if q.type == "boolean":
            shown = "Có" if value else "Không"
        elif q.type == "choice":
            shown = next(o["label"] for o in q.options if o["value"] == value)
        elif q.type == "date":
            shown = vi.date(value)
        else:
            shown = vi.number(value) + (f" {q.unit}" if q.unit else "")
        items.append((q.ask, shown))
    return [Heading("Trường hợp của bạn"), Fields(tuple(items))]


def applicant_fields(cl: Checklist, blank: bool = False) -> Fields:
    a = cl.applicant
    dots = "…" * 20 if blank else ""
    items = [("Họ và tên", a.name or dots), ("Địa chỉ", a.address or dots), ("Điện thoại", a.phone or dots)]
    if a.email or blank:
        items.append(("Thư điện tử", a.email or dots))
    return Fields(tuple(i for i in items if i[1]))


def footer(cl: Checklist) -> str:
    made = cl.submitted.strftime("%H:%M %d/%m/%Y")
    return f"Mã danh sách: {cl.code} · Danh mục phiên bản {cl.version} · Lập lúc {made}"


def place_date(cl: Checklist) -> str:
    place = cl.office.get("place", "")
    d = cl.submitted.date()
    return f"{place + ', ' if place else ''}ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def citizen(cl: Checklist) -> Slip:
    p = cl.procedure
    generic = cl.answers is None
    blocks: list = [Title("DANH SÁCH GIẤY TỜ CẦN CHUẨN BỊ", cl.office["name"])]
    if cl.url:
        blocks.append(Qr(cl.url, "Xem thủ tục trên web"))
    blocks.append(Para(p.title, bold=True))
    if not cl.published:
        blocks.append(Para(NOT_PUBLISHED, italic=True))
    meta = " · ".join(x for x in (f"Mã thủ tục: {p.code}" if p.code else "", decision_text(p),
                                   f"Cách nộp: {vi.CHANNELS[cl.channel]}") if x)
    blocks.append(Para(meta, small=True))
    if generic:
        blocks.append(Para("Danh sách chung: giấy tờ ghi \"Nếu …\" chỉ cần trong trường hợp đó.", italic=True))
    if any((cl.applicant.name, cl.applicant.address, cl.applicant.phone)):
        blocks.append(applicant_fields(cl))
    blocks += answer_fields(cl)
    blocks += document_tables(cl, checkbox=True)
    blocks += fee_table(cl)
    blocks += time_blocks(cl)
    blocks += [Heading("Nơi nộp và nhận kết quả"), where_fields(cl)]
    return Slip(tuple(blocks), footer(cl), f"Danh sách giấy tờ — {p.title}")


def missing(cl: Checklist) -> Slip:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    p = cl.procedure
    rows = _missing_rows(cl)
    basis = "; ".join(cl.legal_basis)
    reason = "Hồ sơ chưa có đủ thành phần theo quy định của thủ tục."
    if cl.lookup_failed:
        reason += " " + " ".join(_sentence(f"{d.name}: {lookup_failed_text(d, r)}") for d, r in cl.lookup_failed)
    blocks = [
        NationalHeader(cl.receiving.name, place_date(cl)),
        Title("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Số: ……………"),
        applicant_fields(cl, blank=True),
        Fields((("Nội dung yêu cầu giải quyết", p.title + (f" (mã {p.code})" if p.code else "")),)),
        Para("Hồ sơ cần bổ sung, hoàn thiện những nội dung sau:", bold=True),
        Table((("STT", 0.07), ("Giấy tờ cần bổ sung", 0.63), ("Số lượng", 0.30)), rows, checkbox=True),
        Fields((("Lý do", reason),
                ("Căn cứ", basis),
                ("Tra cứu quy định tại", cl.url or cl.receiving.name))),
        Para("Cán bộ hướng dẫn: ……………………  Điện thoại: ……………", small=True),
        Signatures((("NGƯỜI HƯỚNG DẪN", "(Ký, ghi rõ họ tên)"),)),
    ]
    if cl.url:
        blocks.insert(2, Qr(cl.url, "Quy định của thủ tục"))
    return Slip(tuple(blocks), footer(cl), f"Phiếu yêu cầu bổ sung — {p.title}")


def receipt(cl: Checklist) -> Slip:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    p = cl.procedure
    failed = {d.id for d, _reason in cl.lookup_failed}
    received = [d for d, c in cl.documents if not c and (d.group in ("submit", "show") or d.id in failed)]
    docs = tuple((str(i), paper_cell(d, False, cl),
                  fallback_quantity(d, cl.procedure, cl.answers)
                  + (" (xuất trình)" if d.fallback and d.fallback.group == "show" else "") if d.id in failed
                  else quantity(d, cl.procedure, cl.answers)) for i, d in enumerate(received, 1))
    def legal_time(lim) -> str:
        text = "trong ngày" if lim.unit == "same_day" else (
            "chưa có thông tin" if lim.unit == "unknown" else f"{lim.amount:02d} {vi.TIME_UNITS[lim.unit]}")
        said = starts_text(lim.starts, lim.time.starts_note) if lim.unit not in ("same_day", "unknown") else ""
        return text + (f", {said}" if said else "") + (f" ({lim.what})" if lim.what else "")

    def moment(d) -> str:
        return (f"{d.at.strftime('%H giờ %M phút')}, ngày {vi.date(d.at.date())}" if d
                else "…… giờ …… phút, ngày ……/……/……")

    each = "theo từng kết quả:"
    if own_times(cl):  # one line per result, under its heading
        legal = ((("3. Thời gian giải quyết theo quy định", each),)
                 + tuple((f"– {r.result.name}", legal_time(r.limit)
                          + (f"; mã kết quả {r.result.code}" if r.result.code else "")) for r in cl.results))
        returned = ((("5. Thời gian trả kết quả", each),)
                    + tuple((f"– {r.result.name}", moment(r.due)) for r in cl.results))
    else:
        legal = (("3. Thời gian giải quyết theo quy định", legal_time(cl.limit)),)
        returned = (("5. Thời gian trả kết quả", moment(cl.due)),)
    stages = cl.limit.time.stages
    amount, complete = cl.total
    blocks = [
        NationalHeader(cl.receiving.name, place_date(cl)),
        Title("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: ……………………"),
        Para(f"{cl.receiving.name} tiếp nhận hồ sơ của:"),
        applicant_fields(cl, blank=True),
        Fields((("Nội dung yêu cầu giải quyết", p.title + (f" (mã {p.code})" if p.code else "")),)),
        Para("1. Thành phần hồ sơ nộp gồm:", bold=True),
        Table((("STT", 0.07), ("Tên giấy tờ", 0.63), ("Số lượng", 0.30)), docs),
        *([Para(looked_up_text(cl.looked_up))] if cl.looked_up else []),
        Fields((
            ("2. Số lượng hồ sơ", f"{p.sets or 1:02d} bộ"),
        ) + legal + ((("Các bước giải quyết", "; ".join(stage_text(x) for x in stages)),) if stages else ()) + (
            ("4. Thời gian nhận hồ sơ", f"{cl.submitted.strftime('%H giờ %M phút')}, ngày {vi.date(cl.submitted.date())}"),
        ) + returned + (
            ("6. Nơi nhận kết quả", cl.receiving.name + (f", {cl.receiving.address}" if cl.receiving.address else "")),
            ("Phí, lệ phí", wording.fee_total(amount, complete)[0] if amount is None
             else vi.money(amount) + ("" if complete else " (chưa gồm khoản chưa rõ mức thu)")),
            *(("Nhận kết quả qua bưu chính (nếu yêu cầu)", wording.delivery_charge(d)) for d in p.delivery),
        )),
        Para("Vào Sổ theo dõi hồ sơ, Quyển số: ……  Số thứ tự: ……", small=True),
        Signatures((("NGƯỜI NỘP HỒ SƠ", "(Ký, ghi rõ họ tên)"), ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký, ghi rõ họ tên)"))),
    ]
    if cl.url:
        blocks.insert(2, Qr(cl.url, "Tra cứu thủ tục"))
    return Slip(tuple(blocks), footer(cl), f"Giấy tiếp nhận — {p.title}")


def slip_for(cl: Checklist) -> Slip:
    return {"checklist": citizen, "missing": missing, "receipt": receipt}[cl.kind](cl)
