"""The Vietnamese wording of the catalogue's facts, in plain text: conditions, quantities, fees and
opening hours. Every renderer (page, checklist, slip, export) takes its words from here and escapes
them for the place they land in, so one fact reads the same everywhere."""

from __future__ import annotations

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
        return "Một trong các giấy tờ sau: " + "; ".join(f"({i}) {p.name}" for i, p in enumerate(d.papers, 1))
    return d.name


def quantity(d: Document) -> str:
    return vi.quantity(d.originals, d.certified_copies, d.copies, d.quantity_note)


def fee_text(fee: Fee, proc: Procedure) -> str:
    if fee.kind == "free":
        return "Miễn phí"
    if fee.kind == "unknown":
        return "Chưa có thông tin chính thức về mức thu"
    if fee.kind == "set_by_province":
        return "Theo mức do Hội đồng nhân dân tỉnh quyết định"
    if fee.kind == "fixed":
        return vi.money(fee.amount)
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


def hours_text(agency: Agency) -> str:
    if not agency.hours:
        return ""
    return "; ".join(f"{vi.days_list(x.days)}: {x.open} – {x.close}" for x in agency.hours)
