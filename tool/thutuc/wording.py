"""The Vietnamese wording of the catalogue's facts, in plain text: conditions, quantities, fees and
opening hours. Every renderer (page, checklist, slip, export) takes its words from here and escapes
them for the place they land in, so one fact reads the same everywhere."""

from __future__ import annotations

from typing import Mapping

from thutuc import vi
from thutuc.catalogue.model import Agency, Document, Fee, Procedure


def condition_text(doc: Document, proc: Procedure) -> str:
    """'Nếu …' in plain words: the editor's when_text, else one made from the condition."""
    if doc.when_text:
        return doc.when_text
    if doc.when is None:
        return ""
    return "Nếu " + describe_condition(doc.when, proc)


def describe_condition(cond, proc: Procedure) -> str:
    if "all_of" in cond:
        return " và ".join(describe_condition(c, proc) for c in cond["all_of"])
    if "any_of" in cond:
        return " hoặc ".join(describe_condition(c, proc) for c in cond["any_of"])
    if "not" in cond:
        return "không phải trường hợp: " + describe_condition(cond["not"], proc)
    q = proc.question(cond["q"])
    ask = q.ask.rstrip("?") if q else cond["q"]
    labels = {o["value"]: o["label"] for o in (q.options if q else ())}
    for op, word in (("eq", ""), ("ne", "không phải "), ("in", "")):
        if op in cond:
            value = cond[op]
            if isinstance(value, bool):
                return f"{ask.lower()}: {'có' if value == (op != 'ne') else 'không'}"
            values = value if op == "in" else [value]
            shown = " hoặc ".join(labels.get(v, str(v)) for v in values)
            return f"{ask.lower()}: {word}{shown}"
    for op, word in (("gt", "trên"), ("gte", "từ"), ("lt", "dưới"), ("lte", "tối đa")):
        if op in cond:
            unit = f" {q.unit}" if q and q.unit else ""
            return f"{ask.lower()}: {word} {cond[op]}{unit}"
    return ask


def papers_text(d: Document) -> str:
    """The paper's name, or its alternatives numbered: "Một trong các giấy tờ sau: (1) …; (2) …"."""
    if d.alternatives:
        return "Một trong các giấy tờ sau: " + "; ".join(
            f"({i}) {p.name}" + (f" ({p.note})" if p.note else "") for i, p in enumerate(d.papers, 1))
    return d.name


PREPARED = "Cán bộ lập tại quầy, bạn ký"
UNKNOWN_PAPERS = "Chưa có thông tin chính thức về thành phần hồ sơ"
NO_NEED = "Không cần mang"


def form_phrase(codes, name: str = "") -> str:
    """The form a paper is written on, after its name: "(theo Mẫu CT01)"; a code that does not
    say "Mẫu" itself gets it: "(theo mẫu: Tờ khai …)"; a code that repeats the paper's name is
    not said twice: "Tờ khai X (mẫu ban hành kèm Thông tư 04/2020/TT-BTP)" after "Tờ khai X" reads
    "(theo mẫu ban hành kèm Thông tư 04/2020/TT-BTP)", and a name that already names its form
    ("Tờ khai … (mẫu CT01)") gets nothing more. Several: "(theo Mẫu 1A; Mẫu 1B)"."""
    shown = []
    for code in codes:
        if not code or (name and code.casefold() in name.casefold()):
            continue  # "Tờ khai … (mẫu CT01)" already says its form
        if name and code.casefold().startswith(name.casefold()) and len(code) > len(name):
            rest = code[len(name):].strip()
            if rest.startswith("(") and rest.endswith(")"):
                rest = rest[1:-1].strip()
            code = rest or code
        shown.append(code)
    if not shown:
        return ""
    text = "; ".join(shown)
    return f"(theo {text})" if text.casefold().startswith("mẫu") else f"(theo mẫu: {text})"


def _factor(d: Document, answers) -> int | None:
    """The answer to the document's times question, when it is a number."""
    if not d.times or not answers:
        return None
    value = answers.get(d.times)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _pages(d: Document, answers) -> str:
    value = answers.get(d.pages) if d.pages and answers else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f", mỗi bản {vi.number(value)} trang"
    return ""


def _per(d: Document, proc: Procedure | None) -> str:
    """ " cho mỗi người" for a generic list: the counts are per unit of the times question."""
    q = proc.question(d.times) if proc is not None and d.times else None
    if q is None:
        return ""
    return f" cho mỗi {q.unit}" if q.unit else f" cho mỗi trường hợp ({q.ask.rstrip('?')})"


def counts(originals: int, certified: int, copies: int, note: str | None, d: Document,
           proc: Procedure | None, answers, per: bool = True) -> str:
    """``per=False``: without " cho mỗi …" (the caller puts it after the paper's name)."""
    n = _factor(d, answers)
    if n is not None:
        text = vi.quantity(originals * n, certified * n, copies * n, note)
    else:
        text = vi.quantity(originals, certified, copies, note)
        if d.times and answers is None and per:
            text += _per(d, proc)
    return text + _pages(d, answers)


def paper_notes(d: Document) -> list[str]:
    """The notes shown with a paper in a tailored list: the form's source, the document's, the
    lookup's and its fallback's (an alternative's own note is in papers_text)."""
    notes = [f"Nguồn mẫu: {p.form['source']}" for p in d.papers if p.form and p.form.get("source")]
    for extra in (d.note, d.lookup.note if d.lookup else None, d.fallback.note if d.fallback else None):
        if extra:
            notes.append(extra)
    return notes


def quantity(d: Document, proc: Procedure | None = None, answers=None) -> str:
    """The quantity as citizens read it; counts multiplied by the times answer and ", mỗi bản N
    trang" from the pages answer when ``answers`` are given. A looked-up paper: "Không cần mang";
    a paper the office prepares: "Cán bộ lập tại quầy, bạn ký"."""
    if d.group == "lookup":
        return NO_NEED
    if d.group == "prepared":
        return PREPARED
    if d.group == "unknown":
        return ""
    return counts(d.originals, d.certified_copies, d.copies, d.quantity_note, d, proc, answers)


def fallback_quantity(d: Document, proc: Procedure | None = None, answers=None, per: bool = True) -> str:
    """What to bring when the lookup fails, as a quantity: "01 bản sao"."""
    fb = d.fallback
    if fb is None:
        return ""
    return counts(fb.originals, fb.certified_copies, fb.copies, fb.quantity_note, d, proc, answers, per)


def fallback_text(d: Document, proc: Procedure | None = None, answers=None, name: bool = True) -> str:
    """ "mang 01 bản sao Giấy xác nhận … cho mỗi người để xuất trình": what to bring if the lookup fails."""
    fb = d.fallback
    if fb is None:
        return ""
    per = _per(d, proc) if d.times and answers is None else ""
    paper = f" {papers_text(d)}" if name else ""
    show = " để xuất trình" if fb.group == "show" else ""
    return f"mang {fallback_quantity(d, proc, answers, per=False)}{paper}{per}{show}"


def sources_text(lookup) -> str:
    """The databases read, joined: "Cơ sở dữ liệu quốc gia về dân cư, Cơ sở dữ liệu về cư trú"."""
    names = [vi.LOOKUP_SOURCES[s] for s in lookup.sources]
    if len(names) > 1:
        return ", ".join(names[:-1]) + " hoặc " + names[-1]
    return names[0] if names else ""


def lookup_text(d: Document, proc: Procedure | None = None, answers=None, name: bool = True) -> str:
    """ "Không cần mang — cán bộ tra cứu từ <sources> (nếu không tra cứu được: mang <fallback
    quantity> <name>)". ``name=False`` where the paper's name stands next to it (a table row)."""
    if d.lookup is None:
        return NO_NEED
    text = f"{NO_NEED} — cán bộ tra cứu từ {sources_text(d.lookup)}"
    if d.fallback is not None:
        text += f" (nếu không tra cứu được: {fallback_text(d, proc, answers, name)})"
    return text


def lookup_failed_text(d: Document, reason: str) -> str:
    """The reason a lookup failed, on the request for additions."""
    where = sources_text(d.lookup) if d.lookup else "cơ sở dữ liệu"
    return f"Không tra cứu được từ {where}: {reason}" if reason else f"Không tra cứu được từ {where}"


def looked_up_text(docs) -> str:
    """ "Đã tra cứu: Giấy xác nhận thông tin về cư trú (Cơ sở dữ liệu về cư trú); …" on the receipt."""
    return "Đã tra cứu: " + "; ".join(
        f"{papers_text(d)} ({sources_text(d.lookup)})" if d.lookup else papers_text(d) for d in docs) + "."


def fee_text(fee: Fee, proc: Procedure) -> str:
    if fee.kind == "free":
        return "Miễn phí"
    if fee.kind == "unknown":
        return "Chưa có thông tin chính thức về mức thu"
    if fee.kind == "set_by_province":
        return "Theo mức do Hội đồng nhân dân tỉnh quyết định"
    if fee.kind == "fixed":
        return vi.money(fee.amount) + (f"/{fee.unit}" if fee.unit else "")
    if fee.kind == "per_unit":
        unit = fee.unit or "đơn vị"
        if fee.tiers:
            parts = []
            for t in fee.tiers:
                rng = f"từ {unit} thứ {t['from']}" + (f" đến thứ {t['to']}" if t.get("to") else " trở đi")
                parts.append(f"{vi.money(t['amount'])}/{unit} ({rng})")
            text = "; ".join(parts)
        else:
            text = f"{vi.money(fee.amount)}/{unit}"
        if fee.cap:
            text += f"; tối đa {vi.money(fee.cap)}" + (" mỗi bản" if fee.times else "")
        return text
    if fee.kind == "percent":
        text = f"{vi.number(fee.percent)} % giá trị kê khai"
        if fee.min:
            text += f", tối thiểu {vi.money(fee.min)}"
        if fee.max:
            text += f", tối đa {vi.money(fee.max)}"
        return text
    return ""


def fee_scope(fee) -> list[str]:
    """The channels and dates a fee is limited to, in lower case: ['nộp trực tuyến', 'từ 01/01/2027']."""
    scope = []
    if fee.channels:
        scope.append("nộp " + ", ".join(vi.CHANNELS[c].lower() for c in fee.channels))
    if fee.valid_from:
        scope.append(f"từ {vi.date(fee.valid_from)}")
    if fee.valid_to:
        scope.append(f"đến {vi.date(fee.valid_to)}")
    return scope


def channels_text(channels) -> str:
    """'khi nộp trực tuyến', 'khi nộp trực tiếp, dịch vụ bưu chính'; '' for every channel."""
    return ("khi nộp " + ", ".join(vi.CHANNELS[c].lower() for c in channels)) if channels else ""


def reduction_text(red) -> str:
    """One reduction in plain words, with its channels and dates: 'giảm 50 % khi nộp trực tuyến,
    đến 31/12/2026'; 'giảm còn 100.000 đồng khi nộp trực tuyến, từ 01/07/2026'."""
    if red.get("amount") is not None:
        text = f"giảm còn {vi.money(red['amount'])}"
    elif isinstance(red.get("percent"), (int, float)):
        text = f"giảm {vi.number(red['percent'])} %"
    else:  # only in a file that did not pass check
        text = "giảm"
    where = channels_text(red.get("channels") or ())
    if where:
        text += f" {where}"
    dates = reduction_dates(red)
    return text + (f", {dates}" if dates else "")


def reduction_dates(red) -> str:
    """'từ 01/07/2023 đến 31/12/2023', 'đến 31/12/2026', or '' for a reduction without an end."""
    dates = []
    if red.get("valid_from"):
        dates.append(f"từ {vi.date(red['valid_from'])}")
    if red.get("valid_to"):
        dates.append(f"đến {vi.date(red['valid_to'])}")
    return " ".join(dates)


def reduced_from_text(full: int, reductions) -> str:
    """What a reduced fixed fee replaces, for a list per channel: '(thay vì 200.000 đồng, giảm 20 %,
    đến 31/12/2023)' — the channel is the list's own, so it is not said again."""
    parts = [f"thay vì {vi.money(full)}"]
    for r in reductions:
        if r.get("percent") is not None:
            parts.append(f"giảm {vi.number(r['percent'])} %")
        if reduction_dates(r):
            parts.append(reduction_dates(r))
    return f"({', '.join(parts)})"


def reduction_name(fee_name: str, red) -> str:
    """A reduction named for a reviewer: 'Lệ phí cấp hộ chiếu: giảm 50 % khi nộp trực tuyến, đến 31/12/2026'."""
    return f"{fee_name}: {reduction_text(red)}"


def clauses(parts) -> str:
    """Notes of one fee (case, how it was computed, the editor's note, exemptions) as one text: joined
    with '; ' while they are clauses, as whole sentences ('Mỗi lần đăng ký. Được miễn …') when one
    of them is a sentence already — never 'đăng ký.; Được miễn'."""
    parts = [" ".join(str(p).split()).rstrip(" ;,") for p in parts if p and str(p).strip()]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    if any(p.endswith((".", "!", "?")) for p in parts[:-1]) or any(". " in p for p in parts):
        return " ".join(p if p.endswith((".", "!", "?", ")")) else p + "." for p in parts)
    return "; ".join(parts)


def exemption_unknown_text(who: str) -> str:
    return f"Được miễn nếu thuộc trường hợp: {who}"


def fee_line_reductions(line) -> list[str]:
    """The reductions applied to one fee of a checklist, in words."""
    return [reduction_text(r) for r in line.reductions]


def fee_line_detail(line) -> str:
    """How a checklist's amount was reached: '5 trang × 3 bản', '0,5 % × … ; giảm 50 % khi nộp trực tuyến, …'."""
    return clauses([line.detail, *fee_line_reductions(line)]) if line.amount else line.detail


def fee_line_note(line) -> str:
    """The fee's note and the exempt groups the answers cannot tell, as one text: 'Mỗi lần đăng
    ký. Được miễn nếu thuộc trường hợp: …' (never 'đăng ký.; Được miễn')."""
    return clauses([line.note or "", *(exemption_unknown_text(w) for w in line.exempt_if)])


def sentence(text: str) -> str:
    """The text as one sentence: a full stop added unless it already ends one (never '..')."""
    text = text.rstrip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def delivery_charge(d) -> str:
    """The carrier's charge alone: 'theo giá cước của doanh nghiệp bưu chính (không phải lệ phí)',
    or '30.000 đồng (cước chuyển phát, không phải lệ phí)'."""
    if d["charge"] == "carrier":
        return "theo giá cước của doanh nghiệp bưu chính (không phải lệ phí)"
    return f"{vi.money(d['charge'])} (cước chuyển phát, không phải lệ phí)"


def delivery_text(d) -> str:
    """'Nhận kết quả qua dịch vụ bưu chính (nếu bạn yêu cầu): cước chuyển phát theo giá cước của doanh
    nghiệp bưu chính (không phải lệ phí), không tính vào tổng phí, lệ phí'."""
    charge = ("theo giá cước của doanh nghiệp bưu chính" if d["charge"] == "carrier"
              else vi.money(d["charge"]))
    text = (f"Nhận kết quả qua dịch vụ bưu chính (nếu bạn yêu cầu): cước chuyển phát {charge} (không phải lệ phí), "
            "không tính vào tổng phí, lệ phí")
    if d.get("note"):
        note = " ".join(d["note"].split())
        text += ". " + (note if note.endswith((".", "!", "?")) else note + ".")
    return text


def fee_total(amount: int | None, complete: bool) -> tuple[str, str]:
    """(the total, a note) for a fee table: amount None is the generic list, whose fees exclude
    each other or depend on answers — 'Tùy trường hợp', never a sum of them."""
    if amount is None:
        return "Tùy trường hợp", "Xem từng khoản thu ở trên"
    return vi.money(amount), "" if complete else "Chưa gồm các khoản chưa rõ mức thu"


def _clock(hhmm: str) -> str:
    """'07:00' -> '7:00' (as hours are said and written on office notices)."""
    return hhmm[1:] if hhmm.startswith("0") else hhmm


def _days_words(days) -> str:
    """('mon', …, 'fri') -> 'thứ Hai–thứ Sáu'; ('sat',) -> 'thứ Bảy'; ('mon', 'wed') -> 'thứ Hai, thứ Tư'."""
    order = list(vi.DAYS)
    idx = sorted(order.index(d) for d in days)
    name = [vi.DAYS[d][0].lower() + vi.DAYS[d][1:] for d in order]
    if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{name[idx[0]]}–{name[idx[-1]]}"
    return ", ".join(name[i] for i in idx)


def _part_of_day(open_: str, close: str) -> str:
    if close <= "12:30":
        return "sáng"
    if open_ >= "12:00" and close <= "18:30":
        return "chiều"
    return ""


def hours_text(agency: Agency) -> str:
    """Opening hours said once per set of days: "Sáng 7:00–11:30, chiều 13:30–17:00, thứ Hai–thứ Sáu;
    sáng thứ Bảy 7:30–11:30" (periods on the same days together, the widest set of days first)."""
    if not agency.hours:
        return ""
    order = list(vi.DAYS)
    groups: dict[tuple, list[tuple[str, str]]] = {}
    for x in agency.hours:
        days = tuple(sorted(x.days, key=order.index))
        groups.setdefault(days, []).append((x.open, x.close))
    parts = []
    for days, periods in sorted(groups.items(), key=lambda g: (order.index(g[0][0]), -len(g[0]))):
        periods = sorted(set(periods))
        spans = [(_part_of_day(o, c), f"{_clock(o)}–{_clock(c)}") for o, c in periods]
        if len(spans) == 1 and spans[0][0]:
            parts.append(f"{spans[0][0]} {_days_words(days)} {spans[0][1]}")
        else:
            parts.append(", ".join(f"{label} {span}" if label else span for label, span in spans)
                         + f", {_days_words(days)}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]



# --- time limits (processing_time, its cases and stages, results) ---------------------------------

# What starts the clock, when it is more than one thing: "tính từ khi nhận đủ hồ sơ hợp lệ và nộp lệ phí".
_START_PARTS = {"complete_file": "nhận đủ hồ sơ hợp lệ", "payment": "nộp lệ phí"}
NOT_PUBLISHED = "Trang của thủ tục này chưa được công bố."


def starts_text(starts: tuple[str, ...], note: str | None = None) -> str:
    """'kể từ ngày nhận đủ hồ sơ hợp lệ' (one start), 'tính từ khi nhận đủ hồ sơ hợp lệ và nộp lệ
    phí' (all of several); 'other' is told by the note. Empty when nothing is said."""
    if len(starts) == 1 and starts[0] in vi.STARTS:
        return vi.STARTS[starts[0]]
    parts = [_START_PARTS[s] for s in starts if s in _START_PARTS]
    if "other" in starts and note:
        parts.append(note)
    return "tính từ khi " + " và ".join(parts) if parts else ""


def time_limit(unit: str, amount: int | None, cutoff: str | None, starts: tuple[str, ...] = (),
               starts_note: str | None = None, what: str | None = None) -> str:
    """A time limit in words, the same on the page, the checklists and the export:
    '07 ngày làm việc tính từ khi nhận đủ hồ sơ hợp lệ và nộp lệ phí (biển số trúng đấu giá).'"""
    if len(starts) <= 1:
        text = vi.time_limit(unit, amount, cutoff, starts[0] if starts else None)
        if starts_note:
            text = text[:-1] + f" ({starts_note})."
    else:
        text = vi.time_limit(unit, amount, cutoff)
        said = starts_text(starts, starts_note)
        if said and unit not in ("same_day", "unknown"):
            text = text[:-1] + f" {said}."
        if starts_note and "other" not in starts:
            text = text[:-1] + f" ({starts_note})."
    if what:
        text = text[:-1] + f" — trường hợp: {what}."
    return text


def limit_text(lim) -> str:
    """The time that applies (thutuc.catalogue.times.Limit) in words."""
    return time_limit(lim.unit, lim.amount, lim.cutoff, lim.starts, lim.time.starts_note, lim.what)


def processing_time_text(t) -> str:
    """A ProcessingTime's own (base) time in words."""
    return time_limit(t.unit, t.amount, t.cutoff, t.starts, t.starts_note)


def case_text(case, time, proc: Procedure) -> str:
    """One of a time's cases: 'Nếu <case>: 07 ngày làm việc …'."""
    head = case.what[:1].upper() + case.what[1:] if case.what else "Nếu " + describe_condition(case.when, proc)
    return f"{head}: {time_limit(case.unit, case.amount, case.cutoff, time.starts, time.starts_note)}"


def otherwise_text(time) -> str:
    """The base time of a time that has cases: 'Các trường hợp khác: 02 ngày làm việc …'."""
    return f"Các trường hợp khác: {processing_time_text(time)}"


def stage_text(stage) -> str:
    """A sub-deadline: '01 ngày làm việc: kiểm tra hồ sơ'."""
    return f"{stage['amount']:02d} {vi.TIME_UNITS[stage['unit']]}: {stage['what']}"


def result_name(result) -> str:
    """'Biển số xe (mã KQ.G01.000015)'."""
    return result.name + (f" (mã {result.code})" if result.code else "")


def source_text(source: str | None) -> str:
    return f"Nguồn: {source}" if source else ""


def saturday_text(hours) -> str:
    """'Sáng thứ Bảy: 07:30 – 11:30 (nhận hồ sơ và tính vào thời hạn theo giờ; không tính là ngày làm việc)'."""
    if not hours:
        return ""
    shown = ", ".join(f"{a.strftime('%H:%M')} – {b.strftime('%H:%M')}" for a, b in hours)
    return f"Sáng thứ Bảy: {shown} (tính vào thời hạn theo giờ; không tính là ngày làm việc)"

# --- agencies, sources, publishing facts (issue 12) -------------------------------------------------

ANY_OFFICE = "Nộp tại bất kỳ điểm tiếp nhận nào, không phụ thuộc nơi cư trú"
SOURCE_STATUS = {"current": "", "stale": "bản cũ, chưa đối chiếu lại", "superseded": "đã có bản thay thế"}


def any_office_text(proc: Procedure, legal: Mapping | None = None) -> str:
    """"Nộp tại bất kỳ điểm tiếp nhận nào, không phụ thuộc nơi cư trú (Điều 5 Nghị định 118/2025/NĐ-CP)."."""
    if not proc.any_office:
        return ""
    basis = proc.any_office_basis
    law = (legal or {}).get(basis["ref"]) if basis else None
    cite = ""
    if law is not None:
        cite = f"{law.type} {law.number}"
        if basis.get("articles"):
            cite = f"{basis['articles']} {cite}"
        cite = f" ({cite})"
    return f"{ANY_OFFICE}{cite}."


def agency_names(ids, agencies: Mapping) -> str:
    return ", ".join(agencies[a].name for a in ids)


def agency_roles(proc: Procedure, agencies: Mapping) -> list[tuple[str, str]]:
    """(role, names) for the roles a citizen may meet besides where to file: who decides, who
    carries it out, who coordinates (the tax office, the land registry branch…)."""
    roles = [("Cơ quan giải quyết", agencies[proc.deciding].name)]
    if proc.carrying_out:
        roles.append(("Cơ quan trực tiếp thực hiện", agency_names(proc.carrying_out, agencies)))
    if proc.coordinating:
        roles.append(("Cơ quan phối hợp", agency_names(proc.coordinating, agencies)))
    return roles


def decision_text(proc: Procedure) -> str:
    return f"Quyết định công bố số {proc.decision}" if proc.decision else ""


def legal_dates_text(law, legal: Mapping | None = None) -> str:
    """"ban hành 20/11/2014, có hiệu lực từ 01/01/2016, được sửa đổi, bổ sung bởi Nghị định 123/2025/NĐ-CP"."""
    parts = []
    if law.issued:
        parts.append(f"ban hành {vi.date(law.issued)}")
    if law.in_force:
        parts.append(f"có hiệu lực từ {vi.date(law.in_force)}")
    amended = [legal[a] for a in law.amended_by if legal and a in legal]
    if amended:
        parts.append("được sửa đổi, bổ sung bởi " + ", ".join(f"{a.type} {a.number}" for a in amended))
    return ", ".join(parts)


def source_record_text(source) -> str:
    """One entry of a procedure's sources in words: its label, when it was read, and whether it
    still holds ("…, xem ngày 30/06/2026 — bản cũ, chưa đối chiếu lại")."""
    text = source.label
    if source.retrieved:
        text += f", xem ngày {vi.date(source.retrieved)}"
    status = SOURCE_STATUS.get(source.status or "current", "")
    if status:
        text += f" — {status}"
    if source.note:
        text += f" ({source.note})"
    return text


def own_source(fact_source: str | None, proc: Procedure) -> str:
    """A fact's source, when it differs from the procedure's own (else nothing to add)."""
    if not fact_source or any(fact_source in (s.url, s.text) for s in proc.sources):
        return ""
    return f"Nguồn: {fact_source}"
