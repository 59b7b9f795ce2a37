"""One applicant's checklist: the papers, fees and due date for their answers, and its code.

The checklist code packs what is needed to make the same checklist again — procedure, catalogue
version, channel, time of submission and every answer — in a short string with a checksum:

    1.001193_74742f_i2611260930_1.0.0.0.0_3K
    (procedure)_(version)_(channel + yymmddHHMM)_(answers in question order)_(check)

The time is yyyymmddHHMM for a year outside 1969–2068. A code is accepted only if it is exactly
what thutuc writes for what it decodes to: every answer one its question allows.

Names and addresses are not in it: it may be printed on paper anyone can read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zlib
from dataclasses import dataclass, field
from typing import Any, Mapping

from thutuc import vi
from thutuc.catalogue.fees import FeeLine, compute, total
from thutuc.catalogue.model import (
    Agency,
    Catalogue,
    Document,
    Procedure,
    ProcessingTime,
    Result,
)
from thutuc.catalogue.times import Limit, procedure_limit, results_for
from thutuc.checklist.tailor import AnswerError, documents_for, not_asked_message, read_answers, visible_answers
from thutuc.checklist.workdays import SATURDAY_MORNING, Calendar, Due, due, vietnam_calendar
from thutuc.i18n import _
from thutuc.wording import agency_roles, any_office_text, delivery_text, fallback_quantity, fee_total, hours_text, lookup_text, quantity

TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
CHANNEL_LETTERS = {"in_person": "i", "online": "o", "post": "p"}
_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
YY_FIRST = 1969  # yymmdd in a code: 69–99 are 1969–1999, 00–68 are 2000–2068 (as strptime reads %y)
MAX_CODE_LENGTH = 1000  # a code with a hundred questions is far shorter


@dataclass(frozen=True)
class Applicant:
    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ResultDue:
    """One result with the time limit that applies to it and the moment it is due."""

    result: Result
    limit: Limit
    due: Due | None
    own: bool  # its own time, not the procedure's
    conditional: bool  # the generic list: given only in some cases


@dataclass(frozen=True)
class Checklist:
    kind: str  # checklist | missing (phiếu yêu cầu bổ sung) | receipt (giấy tiếp nhận)
    procedure: Procedure
    office: Mapping
    receiving: Agency
    channel: str
    applicant: Applicant
    answers: Mapping[str, Any] | None  # None: the generic list, every conditional paper "nếu có"
    documents: tuple[tuple[Document, bool], ...]  # (paper, conditional)
    missing: tuple[Document, ...]
    fees: tuple[FeeLine, ...]
    time: ProcessingTime
    due: Due | None
    submitted: dt.datetime
    code: str
    version: str
    url: str | None
    legal_basis: tuple[str, ...]  # "Luật 60/2014/QH13", for the counter's slips
    calendar: Calendar = field(repr=False)
    limit: Limit | None = None  # the time that applies (channel, then case); None only if made by hand
    results: tuple[ResultDue, ...] = ()  # each result this applicant gets, with its own due date

    @property
    def published(self) -> bool:
        """The procedure's page is on the site (drafts and unlisted procedures have none)."""
        return self.procedure.listed
    other_points: tuple[Agency, ...] = ()  # the procedure's other receiving points
    roles: tuple[tuple[str, str], ...] = ()  # ("Cơ quan phối hợp", names): who else takes part
    any_office: str = ""  # "Nộp tại bất kỳ điểm tiếp nhận nào, …" when residence does not matter
    # papers the office looked up (on the receipt) and those it could not, with the reason the
    # officer gave: their fallback is asked for on the request for additions
    looked_up: tuple[Document, ...] = ()
    lookup_failed: tuple[tuple[Document, str], ...] = ()

    @property
    def total(self) -> tuple[int | None, bool]:
        """(sum, every amount known); for the generic list (None, False): its fees are for
        different cases, some exclude each other (lost passport or not), so no sum is meant."""
        if self.answers is None:
            return None, False
        return total(list(self.fees))


# --- the code ------------------------------------------------------------------------------------

def _b36(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _B36[r] + out
        if n == 0:
            return out


def _answer_token(proc: Procedure, key: str, value: Any) -> str:
    q = proc.question(key)
    if value is None:
        return "x"
    if q.type == "boolean":
        return "1" if value else "0"
    if q.type == "choice":
        return _b36([o["value"] for o in q.options].index(value))
    if q.type == "date":
        return value.replace("-", "")
    return str(value).replace(".", "p").replace("-", "m")


def _token_answer(proc: Procedure, q, token: str) -> Any:
    """The answer a token stands for, checked against the question as a typed answer would be;
    ValueError (or AnswerError, with the question's own words) when it is none."""
    from thutuc.checklist.tailor import parse_answer

    if q.type == "boolean":
        if token not in ("0", "1"):
            raise ValueError(_("{key}: a yes/no answer is 0 or 1, not '{token}'").format(key=q.key, token=_shown(token)))
        return token == "1"
    if q.type == "choice":
        index = int(token, 36) if re.fullmatch(r"[0-9A-Z]{1,3}", token) else -1
        if not 0 <= index < len(q.options):
            raise ValueError(_("{key}: there is no option '{token}' (the question has {count})").format(
                key=q.key, token=_shown(token), count=len(q.options)))
        return q.options[index]["value"]
    if q.type == "date":
        if not re.fullmatch(r"\d{8}", token):
            raise ValueError(_("{key}: '{token}' is not a date").format(key=q.key, token=_shown(token)))
        return parse_answer(q, f"{token[:4]}-{token[4:6]}-{token[6:]}")
    if q.type == "number":
        if not re.fullmatch(r"m?\d{1,20}(p\d{1,20})?(e[+m]\d{1,3})?", token):
            raise ValueError(_("{key}: '{token}' is not a number").format(key=q.key, token=_shown(token)))
        text = token.replace("p", ".").replace("m", "-")
        value = float(text) if "." in text or "e" in text else int(text)
        if not math.isfinite(value):
            raise ValueError(_("{key}: '{token}' is not a number").format(key=q.key, token=_shown(token)))
        return parse_answer(q, value)  # its min and max
    raise ValueError(_("{key}: unknown question type {type}").format(key=q.key, type=q.type))


def _check(body: str) -> str:
    return _b36(zlib.crc32(body.encode()) % (36 * 36)).rjust(2, "0")


def _when(submitted: dt.datetime) -> str:
    """yymmddHHMM for 1969–2068 (what every code has said so far), yyyymmddHHMM for any other
    year: the length tells which, so no date comes back in another century."""
    return submitted.strftime("%y%m%d%H%M" if YY_FIRST <= submitted.year < YY_FIRST + 100 else "%Y%m%d%H%M")


def encode(proc: Procedure, version: str, channel: str, submitted: dt.datetime,
           answers: Mapping[str, Any] | None) -> str:
    answers_part = "g" if answers is None else ".".join(
        _answer_token(proc, q.key, answers.get(q.key)) for q in proc.questions) or "-"
    body = "_".join([proc.code or proc.id, version[:6], CHANNEL_LETTERS[channel] + _when(submitted), answers_part])
    return f"{body}_{_check(body)}"


@dataclass(frozen=True)
class Decoded:
    procedure: Procedure
    version: str
    channel: str
    submitted: dt.datetime
    answers: dict[str, Any] | None
    # answers in the code to questions those answers do not ask (a code made before the question
    # became conditional): ignored, and said so
    warnings: tuple[str, ...] = ()


def _shown(code: str) -> str:
    """A code as it can be quoted in a one-line message: printable, not too long."""
    text = "".join(c if c.isprintable() else "?" for c in code[:80])
    return text if len(text) <= 60 and len(code) <= 60 else text[:57] + "…"


def _not_valid(reason: str) -> AnswerError:
    return AnswerError(_("this checklist code is not valid: {reason}").format(reason=reason))


def decode(cat: Catalogue, code: str) -> Decoded:
    """The parts of a checklist code; AnswerError when it is mistyped, names nothing we know, or
    holds anything a checklist made by thutuc could not (an answer the question does not allow,
    a channel the procedure does not offer, a time that does not exist): the code must be exactly
    the one thutuc would write for what it decodes to."""
    from thutuc.checklist.workdays import (  # the years a due date can be counted in
        FIRST_YEAR as first,
    )
    from thutuc.checklist.workdays import LAST_YEAR as last

    if len(code) > MAX_CODE_LENGTH:
        raise _not_valid(_("it is {length} characters long; a checklist code is much shorter").format(
            length=len(code)))
    code = code.strip()
    body, _sep, check = code.rpartition("_")
    if not body or _check(body) != check.upper():
        raise AnswerError(_("checklist code '{code}' is wrong (its check characters do not match); "
                            "check it character by character").format(code=_shown(code)))
    parts = body.split("_")
    found = re.fullmatch(r"([a-z])(\d{10}|\d{12})", parts[2]) if len(parts) == 4 else None
    if (found is None or not re.fullmatch(r"[0-9A-Za-z.-]{1,120}", parts[0])
            or not re.fullmatch(r"[0-9a-f]{6}", parts[1])):
        raise AnswerError(_("checklist code '{code}' is not in the right format").format(code=_shown(code)))
    key, version, _when_part, answers_part = parts
    letter, digits = found.groups()
    channel = {v: k for k, v in CHANNEL_LETTERS.items()}.get(letter)
    if channel is None:
        raise _not_valid(_("'{letter}' is not a channel (i: in person, o: online, p: by post)").format(letter=letter))
    try:
        submitted = dt.datetime.strptime(digits, "%y%m%d%H%M" if len(digits) == 10 else "%Y%m%d%H%M").replace(tzinfo=TZ)
    except ValueError:
        raise _not_valid(_("'{digits}' is not a date and time of submission").format(digits=digits)) from None
    if not first <= submitted.year <= last:
        raise _not_valid(_("it was submitted in {year}, outside the years whose days off thutuc knows "
                           "({first}–{last})").format(year=submitted.year, first=first, last=last))
    proc = find_procedure(cat, key)
    if channel not in {c.kind for c in proc.channels}:
        raise _not_valid(_("procedure '{id}' does not take applications by channel {channel}").format(
            id=proc.id, channel=channel))
    if answers_part == "g":
        answers = None
    else:
        tokens = [] if answers_part == "-" else answers_part.split(".")
        if len(tokens) != len(proc.questions):
            raise AnswerError(_("checklist code '{code}' was made with another set of questions of this "
                                "procedure").format(code=_shown(code)))
        answers = {}
        for q, token in zip(proc.questions, tokens):
            if token == "x":
                continue
            try:
                answers[q.key] = _token_answer(proc, q, token)
            except ValueError as exc:  # AnswerError too: the question's own words
                raise _not_valid(str(exc)) from None
    if encode(proc, version, channel, submitted, answers).rpartition("_")[0] != body:
        raise _not_valid(_("it is not written the way thutuc writes codes (was it changed by hand?)"))
    warnings: tuple[str, ...] = ()
    if answers is not None:
        shown = visible_answers(proc, answers)
        warnings = tuple(not_asked_message(proc, q) for q in proc.questions if q.key in answers and q.key not in shown)
        answers = shown
    return Decoded(proc, version, channel, submitted, answers, warnings)


# --- assembling ----------------------------------------------------------------------------------

def find_procedure(cat: Catalogue, key: str) -> Procedure:
    """By id or national code; an unknown one gets the nearest suggestion."""
    from thutuc.problems import suggest

    pid = key if key in cat.procedures else cat.codes.get(key)
    if pid is not None:
        return cat.procedures[pid]
    choices = list(cat.procedures) + list(cat.codes)
    raise AnswerError(_("there is no procedure '{key}'{hint}").format(key=key, hint=suggest(key, choices)))


def office_calendar(cat: Catalogue, agency: Agency, around: dt.date) -> Calendar:
    """The Vietnamese public holidays around a date, corrected by the catalogue's calendar.

    Saturday office hours: the agency's morning hours on "sat" where it lists them, else
    07:30–11:30 when the calendar says ``saturday_morning: true``; none otherwise."""
    cal = cat.calendar.get("calendar", cat.calendar) if cat.calendar else {}
    hours = tuple(sorted((dt.time.fromisoformat(h.open), dt.time.fromisoformat(h.close))
                         for h in agency.hours if "mon" in h.days)) or None
    kwargs = {"hours": hours} if hours else {}
    noon = dt.time(12, 0)  # Saturday afternoons are never office hours, whatever a list says
    saturday = tuple(sorted((dt.time.fromisoformat(h.open), min(dt.time.fromisoformat(h.close), noon))
                            for h in agency.hours if "sat" in h.days and dt.time.fromisoformat(h.open) < noon))
    if saturday or cal.get("saturday_morning"):
        kwargs["saturday"] = saturday or SATURDAY_MORNING
    return vietnam_calendar(
        (around.year, around.year + 1),  # a due date is never further away
        days_off={d["date"]: d["reason"] for d in cal.get("days_off", ())},
        working={d["date"]: d["reason"] for d in cal.get("working_days", ())},
        not_holidays=[d["date"] for d in cal.get("not_holidays", ())],
        **kwargs,
    )


def make(cat: Catalogue, proc: Procedure, answers: Mapping[str, Any] | None, channel: str,
         submitted: dt.datetime, applicant: Applicant = Applicant(), have: set[str] | None = None,
         receipt: bool = False, lookup_failed: Mapping[str, str] | None = None) -> Checklist:
    """The checklist for this case. ``answers`` must already be read (tailor.read_answers).

    ``have``: ids of the papers the applicant brought; a looked-up paper or one the office
    prepares is never missing. ``lookup_failed``: id -> reason, for looked-up papers the office
    could not read (see tailor.match_lookup_failed): their fallback is asked for unless in ``have``."""
    if channel not in {c.kind for c in proc.channels}:
        offered = ", ".join(c.kind for c in proc.channels)
        raise AnswerError(_("procedure '{id}' does not take applications by channel {channel} "
                            "(it takes: {channels})").format(id=proc.id, channel=channel, channels=offered))
    on = submitted.date()
    answers = visible_answers(proc, answers)  # a question not asked for these answers changes nothing
    docs = tuple(documents_for(proc, answers, channel, on))
    missing: tuple[Document, ...] = ()
    kind = "checklist"
    failed = dict(lookup_failed or {})
    looked_up = tuple(d for d, conditional in docs if d.looked_up and not conditional and d.id not in failed)
    failures = tuple((d, failed[d.id]) for d, conditional in docs if d.looked_up and d.id in failed)
    if have is not None or failed:
        brought = have or set()
        missing = tuple(d for d, conditional in docs if have is not None
                        and d.group in ("submit", "show") and d.id not in brought and not conditional)
        missing += tuple(d for d, _reason in failures if d.id not in brought)
        kind = "missing" if missing else ("receipt" if receipt else "checklist")
    fee_lines = tuple(compute(proc.fees, answers, channel, on))
    where = next((c.where for c in proc.channels if c.kind == channel and c.where), None)
    agency = cat.agencies[where or proc.receiving]
    others = () if where else tuple(cat.agencies[a] for a in proc.receiving_points[1:])
    time = proc.time_for(channel)
    cal = office_calendar(cat, agency, on)

    def due_for(lim: Limit) -> Due | None:
        cutoff = dt.time.fromisoformat(lim.cutoff) if lim.cutoff else None
        return due(cal, submitted, lim.unit, lim.amount, cutoff)

    lim = procedure_limit(proc, channel, answers)
    when_due = due_for(lim)
    results = tuple(ResultDue(r.result, r.limit, due_for(r.limit) if r.own else when_due, r.own, r.conditional)
                    for r in results_for(proc, channel, answers))
    # drafts and unlisted procedures have no page on the site: no address, no QR code
    site = cat.office.get("site_url") if proc.listed else None
    return Checklist(
        kind=kind, procedure=proc, office=cat.office, receiving=agency, channel=channel,
        applicant=applicant, answers=None if answers is None else dict(answers), documents=docs,
        missing=missing, fees=fee_lines, time=time, due=when_due, submitted=submitted,
        code=encode(proc, cat.version, channel, submitted, answers), version=cat.version,
        url=(site.rstrip("/") + f"/thu-tuc/{proc.id}/") if site else None, calendar=cal,
        legal_basis=tuple(f"{cat.legal[b['ref']].type} {cat.legal[b['ref']].number}" for b in proc.legal_basis),
        limit=lim, results=results,
        other_points=others, roles=tuple(agency_roles(proc, cat.agencies)),
        any_office=any_office_text(proc, cat.legal),
        looked_up=looked_up, lookup_failed=failures,
    )


def from_answers(cat: Catalogue, key: str, given: Mapping[str, Any], channel: str, submitted: dt.datetime,
                 **kwargs) -> Checklist:
    """Convenience for programs: raw answers in, checklist out; missing answers are an error."""
    proc = find_procedure(cat, key)
    answers, missing = read_answers(proc, given)
    if missing:
        raise AnswerError(_("missing answers: {keys}").format(keys=", ".join(q.key for q in missing)))
    return make(cat, proc, answers, channel, submitted, **kwargs)


# --- JSON -----------------------------------------------------------------------------------------

def _fallback_json(d: Document, answers) -> dict | None:
    fb = d.fallback
    if fb is None:
        return None
    return {"originals": fb.originals, "certified_copies": fb.certified_copies, "copies": fb.copies,
            "quantity_note": fb.quantity_note, "group": fb.group, "note": fb.note,
            "quantity": fallback_quantity(d, None, answers)}


def doc_json(d: Document, conditional: bool, answers=None) -> dict:
    out = {
        "id": d.id, "group": d.group, "name": d.name, "papers": [p.name for p in d.papers],
        "one_of": d.alternatives, "originals": d.originals, "certified_copies": d.certified_copies,
        "copies": d.copies, "quantity": quantity(d, None, answers),
        "forms": [p.form.get("code") or p.form.get("file") for p in d.papers if p.form],
        "form_sources": [p.form["source"] for p in d.papers if p.form and p.form.get("source")],
        "conditional": conditional, "when_text": d.when_text, "note": d.note,
        "paper_notes": [p.note for p in d.papers if p.note],
        "times": d.times, "pages": d.pages,
    }
    if d.lookup is not None:
        out["lookup"] = {"sources": list(d.lookup.sources), "source_names": [vi.LOOKUP_SOURCES[s] for s in d.lookup.sources],
                         "basis": [dict(b) for b in d.lookup.basis], "note": d.lookup.note,
                         "fallback": _fallback_json(d, answers), "text": lookup_text(d, None, answers)}
    return out


def limit_json(lim: Limit) -> dict:
    """The time that applies, with where it comes from (the case, the source) and its stages."""
    from thutuc.wording import limit_text, stage_text

    t = lim.time
    return {"unit": lim.unit, "amount": lim.amount, "cutoff": lim.cutoff, "starts": list(t.starts),
            "case": None if lim.case is None else {"what": lim.case.what, "index": t.cases.index(lim.case)},
            "source": lim.source, "text": limit_text(lim),
            "stages": [{"amount": x["amount"], "unit": x["unit"], "what": x["what"], "text": stage_text(x)}
                       for x in t.stages]}


def fee_json(line: FeeLine) -> dict:
    """One fee of the checklist, its words from wording.py as on the PDF."""
    from thutuc.catalogue.model import plain
    from thutuc.wording import fee_line_detail, fee_line_note, fee_line_reductions

    return {"name": line.name, "kind": line.kind, "amount": line.amount, "detail": fee_line_detail(line),
            "note": fee_line_note(line) or None, "source": line.source, "condition": plain(line.condition),
            "full_amount": line.full, "reductions": fee_line_reductions(line)}


def delivery_json(d: Mapping) -> dict:
    """A way of receiving the result (by post) and its carrier's charge: never a fee, never in the total."""
    return {"how": d["how"], "charge": d["charge"], "is_fee": False, "text": delivery_text(d),
            "note": d.get("note"), "source": d.get("source")}


def to_json(cl: Checklist) -> dict:
    amount, known = cl.total
    days_off = sorted((d, n) for d, n in cl.calendar.days_off.items()
                      if cl.submitted.date() <= d <= (cl.due.at.date() if cl.due else cl.submitted.date()))
    return {
        "kind": cl.kind,
        "code": cl.code,
        "catalogue_version": cl.version,
        "procedure": {"id": cl.procedure.id, "code": cl.procedure.code, "title": cl.procedure.title, "url": cl.url},
        "office": cl.office["name"],
        "applicant": {k: v for k, v in vars(cl.applicant).items() if v},
        "channel": cl.channel,
        "answers": cl.answers,
        "documents": [doc_json(d, c, cl.answers) for d, c in cl.documents],
        "missing": [doc_json(d, False, cl.answers) for d in cl.missing],
        "looked_up": [d.id for d in cl.looked_up],
        "lookup_failed": [{"id": d.id, "reason": reason, "fallback": _fallback_json(d, cl.answers)}
                          for d, reason in cl.lookup_failed],
        "fees": [fee_json(f) for f in cl.fees],
        "total": {"amount": amount, "complete": known, "depends_on_case": amount is None,
                  "text": fee_total(amount, known)[0], "note": fee_total(amount, known)[1] or None},
        "delivery": [delivery_json(d) for d in cl.procedure.delivery],
        "processing_time": limit_json(cl.limit),
        "results": [{"name": r.result.name, "code": r.result.code, "conditional": r.conditional,
                     "own_time": r.own, "processing_time": limit_json(r.limit),
                     "due": r.due.as_json() if r.due else None} for r in cl.results],
        "published": cl.published,
        "submitted": cl.submitted.isoformat(),
        "due": cl.due.as_json() if cl.due else None,
        "calendar": {
            "sources": list(cl.calendar.sources),
            "office_hours": [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in cl.calendar.hours],
            "saturday_hours": [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in cl.calendar.saturday],
            "days_off": [{"date": d.isoformat(), "name": n} for d, n in days_off],
            "working_weekend_days": [{"date": d.isoformat(), "name": n} for d, n in sorted(cl.calendar.working.items())
                                     if cl.submitted.date().year - 1 <= d.year <= cl.submitted.date().year + 1],
        },
        "where": {"name": cl.receiving.name, "address": cl.receiving.address,
                  "hours": [{"days": list(h.days), "open": h.open, "close": h.close} for h in cl.receiving.hours],
                  "hours_text": hours_text(cl.receiving) or None,
                  "other_points": [{"name": a.name, "address": a.address, "hours_text": hours_text(a) or None}
                                   for a in cl.other_points],
                  "any_office": cl.any_office or None},
        "agencies": [{"role": role, "names": names} for role, names in cl.roles],
        "decision": cl.procedure.decision,
    }
