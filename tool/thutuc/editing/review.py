"""`thutuc review`: what a reviewer should look at, most urgent first, each with file:line and what to do."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import json
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from thutuc import vi
from thutuc.catalogue.check import CheckResult
from thutuc.catalogue.rules import Record
from thutuc.i18n import N_, _
from thutuc.wording import reduction_name

# kind -> urgency (0 = act now)
KINDS = {
    "repealed": 0, "expired": 0, "abolished-agency": 0, "abolished-level": 0, "abolished-referenced": 0,
    "overdue": 1, "not-in-force": 1, "looked-up-paper-asked": 1, "expiring": 2, "due-soon": 3, "duplicate": 4, "unused": 5,
    "unknown": 6, "placeholder": 6,
}

# Findings about papers, fees and reductions that end: one whole sentence each, as Vietnamese
# words them differently.
_ENDED = {"paper": N_("paper '{name}' ended on {date}"), "fee": N_("fee '{name}' ended on {date}"),
          "reduction": N_("reduction '{name}' ended on {date}")}
_ENDS = {"paper": N_("paper '{name}' ends on {date}"), "fee": N_("fee '{name}' ends on {date}"),
         "reduction": N_("reduction '{name}' ends on {date}")}
_ABOLISHED_AGENCY = {"deciding": N_("deciding agency '{agency}' is abolished"),
                     "receiving": N_("receiving agency '{agency}' is abolished")}


@dataclass(frozen=True, order=True)
class Finding:
    urgency: int
    when: str  # the date that makes it urgent (ISO), or "" — sorts earliest first
    path: str
    line: int
    kind: str
    subject: str
    message: str
    action: str

    def as_json(self) -> dict:
        return asdict(self)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _finding(kind: str, rec: Record, sub: tuple, subject: str, message: str, action: str,
             when: dt.date | None = None) -> Finding:
    line = rec.file.loaded.at(rec.path + sub)[0]
    return Finding(KINDS[kind], when.isoformat() if when else "", rec.file.loaded.path, line, kind,
                   subject, message, action)


def review(result: CheckResult, as_of: dt.date, catalogue_root: Path | None = None) -> list[Finding]:
    """Every finding for the catalogue as on ``as_of``, sorted by urgency, date, file and line."""
    index = result.index
    procs = index.ids("procedures")
    agencies = index.ids("agencies")
    legal = index.ids("legal")
    office_months = (index.office.data.get("review_every_months") if index.office else None) or 12
    out: list[Finding] = []
    listed = {pid: r for pid, r in procs.items() if r.data.get("lifecycle", {}).get("status") in ("active", "suspended")}

    for pid, rec in sorted(listed.items()):
        life = rec.data["lifecycle"]
        reviewed = _date(life.get("last_reviewed"))
        if reviewed:
            due = add_months(reviewed, life.get("review_every_months") or office_months)
            if due < as_of:
                out.append(_finding("overdue", rec, ("lifecycle", "last_reviewed"), pid,
                                    _("review overdue since {due} (last reviewed {reviewed})").format(
                                        due=vi.date(due), reviewed=vi.date(reviewed)),
                                    _("check it against its sources, then: thutuc reviewed {id} --by NAME").format(
                                        id=pid), due))
            elif due <= as_of + dt.timedelta(days=30):
                out.append(_finding("due-soon", rec, ("lifecycle", "last_reviewed"), pid,
                                    _("review due on {due}").format(due=vi.date(due)), _("plan the review"), due))
        for i, basis in enumerate(rec.data.get("legal_basis") or []):
            law = legal.get(basis.get("ref"))
            if not law:
                continue
            repealed, in_force = _date(law.data.get("repealed")), _date(law.data.get("in_force"))
            if repealed and repealed <= as_of:
                succ = law.data.get("repealed_by")
                out.append(_finding("repealed", rec, ("legal_basis", i, "ref"), pid,
                                    _("cites {number}, no longer in force since {date}").format(
                                        number=law.data["number"], date=vi.date(repealed)),
                                    _("cite {successor} instead and review the papers and fees").format(successor=succ)
                                    if succ else _("find what replaced it; the procedure itself may have changed"),
                                    repealed))
            elif in_force and in_force > as_of:
                out.append(_finding("not-in-force", rec, ("legal_basis", i, "ref"), pid,
                                    _("cites {number}, in force only from {date}").format(
                                        number=law.data["number"], date=vi.date(in_force)),
                                    _("check the procedure is not published before its legal basis applies"),
                                    in_force))
        dated = [(("documents", i), d, None) for i, d in enumerate(rec.data.get("documents") or [])]
        for i, fee in enumerate(rec.data.get("fees") or []):
            dated.append((("fees", i), fee, None))
            dated += [(("fees", i, "reductions", j), red, fee) for j, red in enumerate(fee.get("reductions") or [])]
        for sub, item, fee in dated:
            end = _date(item.get("valid_to"))
            what = {"documents": "paper", "fees": "fee"}[sub[0]] if len(sub) == 2 else "reduction"
            # a reduction is named by its fee, amount or percent, channels and dates, never "20 %" alone
            name = (reduction_name(fee.get("name", ""), item) if fee is not None
                    else item.get("name") or item.get("ref") or item.get("id"))
            if end and end < as_of:
                out.append(_finding("expired", rec, sub + ("valid_to",), pid,
                                    _(_ENDED[what]).format(name=name, date=vi.date(end)),
                                    _("remove it, or record what replaced it"), end))
            elif end and end <= as_of + dt.timedelta(days=60):
                out.append(_finding("expiring", rec, sub + ("valid_to",), pid,
                                    _(_ENDS[what]).format(name=name, date=vi.date(end)),
                                    _("find out what applies afterwards and add it with valid_from"), end))
        named = rec.data.get("agencies", {})
        receiving = named.get("receiving")
        places = [("deciding", ("agencies", "deciding"), named.get("deciding"))]
        places += ([("receiving", ("agencies", "receiving", i), a) for i, a in enumerate(receiving)]
                   if isinstance(receiving, list) else [("receiving", ("agencies", "receiving"), receiving)])
        for role, at, aid in places:
            agency = agencies.get(aid) if isinstance(aid, str) else None
            if agency and agency.data.get("status") == "abolished":
                succ = agency.data.get("successor")
                out.append(_finding("abolished-agency", rec, at, pid,
                                    _(_ABOLISHED_AGENCY[role]).format(agency=agency.data["id"]),
                                    (_("thutuc reassign --from-agency {agency} --to-agency {successor}") if succ
                                     else _("thutuc reassign --from-agency {agency} --to-agency NEW")).format(
                                        agency=agency.data["id"], successor=succ)))
        if "huyen" in (rec.data.get("levels") or []):
            out.append(_finding("abolished-level", rec, ("levels",), pid,
                                _("district level (huyen) no longer exists since 01/07/2025"),
                                _("move it to xa or tinh (thutuc reassign … --level xa), or retire it")))

    out += looked_up_paper_asked(index, listed)

    # Records that point at abolished procedures, and shared records nothing uses.
    abolished = {pid for pid, r in procs.items() if r.data.get("lifecycle", {}).get("status") == "abolished"}
    used_docs, used_forms, used_legal = set(), set(), set()
    for rec in procs.values():
        for d in rec.data.get("documents") or []:
            used_docs |= {p.get("ref") for p in [d] + list(d.get("one_of") or [])}
            used_forms |= {p.get("form", {}).get("file") for p in [d] + list(d.get("one_of") or [])}
        used_legal |= {b.get("ref") for b in rec.data.get("legal_basis") or []}
    for rec in index.ids("documents").values():
        used_legal |= set(rec.data.get("legal_basis") or [])
        if rec.data.get("issued_by") in abolished:
            out.append(_finding("abolished-referenced", rec, ("issued_by",), rec.data["id"],
                                _("issued_by points at abolished procedure '{id}'").format(id=rec.data["issued_by"]),
                                _("point at its successor")))
        if rec.data["id"] not in used_docs:
            out.append(_finding("unused", rec, ("id",), rec.data["id"], _("shared document used by no procedure"),
                                _("remove it, or reference it with ref:")))
    for rec in legal.values():
        used_legal |= set(rec.data.get("amended_by") or []) | {rec.data.get("repealed_by")}
    for lid, rec in sorted(legal.items()):
        if lid not in used_legal:
            out.append(_finding("unused", rec, ("id",), lid,
                                _("legal document {number} cited by nothing").format(number=rec.data.get("number")),
                                _("cite it where it applies, or remove it")))
    if catalogue_root is not None and (catalogue_root / "forms").is_dir():
        for f in sorted((catalogue_root / "forms").rglob("*")):
            rel = f.relative_to(catalogue_root).as_posix()
            if f.is_file() and rel not in used_forms:
                out.append(Finding(KINDS["unused"], "", f"{str(catalogue_root).rstrip('/')}/{rel}", 1, "unused", rel,
                                   _("form file used by no procedure"),
                                   _("remove it, or reference it from a document's form.file")))

    # Likely duplicates: very similar titles and papers.
    items = sorted(listed.items())
    for i, (a, ra) in enumerate(items):
        for b, rb in items[i + 1:]:
            title = difflib.SequenceMatcher(None, vi.fold(ra.data["title"]), vi.fold(rb.data["title"])).ratio()
            if title < 0.85:
                continue
            da = {vi.fold(d.get("name") or d.get("ref") or "") for d in ra.data["documents"]}
            db = {vi.fold(d.get("name") or d.get("ref") or "") for d in rb.data["documents"]}
            overlap = len(da & db) / max(1, len(da | db))
            if overlap >= 0.5:
                out.append(_finding("duplicate", rb, ("title",), b,
                                    _("looks like a duplicate of '{other}' (titles {title:.0%} alike, papers "
                                      "{papers:.0%} shared)").format(other=a, title=title, papers=overlap),
                                    _("merge them, or thutuc retire {id} --superseded-by {other}").format(
                                        id=b, other=a)))

    # Facts marked unknown and placeholders, as `check` reports them.
    for p in result.problems:
        kind = p.topic if p.severity == "warning" else ""
        if kind:
            out.append(Finding(KINDS[kind], "", p.path, p.line, kind, p.key, p.message.split(":")[0],
                               p.message.split(": ", 1)[1] if ": " in p.message else _("fill it in")))
    return sorted(set(out))


def _name_key(name) -> str:
    return unicodedata.normalize("NFC", str(name)).casefold().strip()


def _papers_of(d: dict, shared: dict) -> list[tuple[str | None, str]]:
    """(ref, name) of a document's paper or of each alternative; a ref's name is the shared one's."""
    out = []
    for paper in [d] + list(d.get("one_of") or []):
        if paper is d and "one_of" in d:
            continue
        ref = paper.get("ref") if isinstance(paper.get("ref"), str) else None
        name = paper.get("name") or (shared[ref].data.get("name") if ref in shared else None)
        if name or ref:
            out.append((ref, name or ""))
    return out


def looked_up_paper_asked(index, listed: dict) -> list[Finding]:
    """A procedure asks (submit/show) for a paper that another procedure, a shared document or a
    legal document says the office looks up: matched by ref, else by NFC-casefolded name."""
    shared = index.ids("documents")
    by_ref: dict[str, str] = {}  # shared document id -> who says it is looked up
    by_name: dict[str, str] = {}  # name key -> who says it is looked up
    for sid, rec in sorted(shared.items()):
        if isinstance(rec.data.get("lookup"), dict):
            by_ref.setdefault(sid, _("shared document '{id}'").format(id=sid))
    for lid, rec in sorted(index.ids("legal").items()):
        for sid in rec.data.get("looked_up") or []:
            if isinstance(sid, str):
                by_ref.setdefault(sid, str(rec.data.get("number") or lid))
    for sid, who in list(by_ref.items()):
        if sid in shared and shared[sid].data.get("name"):
            by_name.setdefault(_name_key(shared[sid].data["name"]), who)
    owners: dict[str, set[str]] = {}  # key -> procedures that look it up themselves
    for pid, rec in sorted(index.ids("procedures").items()):
        for d in rec.data.get("documents") or []:
            if isinstance(d, dict) and d.get("group") == "lookup":
                for ref, name in _papers_of(d, shared):
                    who = _("procedure '{id}'").format(id=pid)
                    if ref:
                        by_ref.setdefault(ref, who)
                        owners.setdefault("ref:" + ref, set()).add(pid)
                    if name:
                        by_name.setdefault(_name_key(name), who)
                        owners.setdefault("name:" + _name_key(name), set()).add(pid)
    out = []
    for pid, rec in sorted(listed.items()):
        for i, d in enumerate(rec.data.get("documents") or []):
            if not isinstance(d, dict) or d.get("group") not in ("submit", "show"):
                continue
            for ref, name in _papers_of(d, shared):
                key = "ref:" + ref if ref and ref in by_ref else "name:" + _name_key(name)
                who = by_ref.get(ref) if ref and ref in by_ref else by_name.get(_name_key(name))
                if who is None or owners.get(key) == {pid}:
                    continue
                message = (_("the applicant hands in '{name}', which {who} says the office looks up")
                           if d["group"] == "submit"
                           else _("the applicant shows '{name}', which {who} says the office looks up"))
                out.append(_finding("looked-up-paper-asked", rec, ("documents", i, "group"), pid,
                                    message.format(name=name or ref, who=who),
                                    _("make it group: lookup with lookup.fallback (what to bring if the lookup "
                                      "fails), or say in a note why this procedure still asks for it")))
                break
    return out


def format_table(findings: list[Finding]) -> str:
    if not findings:
        return _("Nothing to review.")
    lines = [f"{f.path}:{f.line}: {f.kind}: {f.subject}: {f.message} — {f.action}" for f in findings]
    counts = {}
    for f in findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    lines.append(", ".join(f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kv: KINDS[kv[0]])))
    return "\n".join(lines)


LABELS_VI = {
    "repealed": "Căn cứ pháp lý hết hiệu lực", "expired": "Đã hết hiệu lực", "abolished-agency": "Cơ quan đã giải thể",
    "abolished-level": "Cấp huyện không còn", "abolished-referenced": "Trỏ tới thủ tục đã bãi bỏ",
    "overdue": "Quá hạn rà soát", "not-in-force": "Căn cứ chưa có hiệu lực", "expiring": "Sắp hết hiệu lực",
    "due-soon": "Sắp đến hạn rà soát", "duplicate": "Có thể trùng lặp", "unused": "Không dùng đến",
    "unknown": "Thông tin chưa rõ", "placeholder": "Chữ tạm chưa thay",
    "looked-up-paper-asked": "Yêu cầu mang giấy tờ mà cán bộ phải tự tra cứu",
}


def format_md(findings: list[Finding], as_of: dt.date) -> str:
    out = [f"# Báo cáo rà soát danh mục ngày {vi.date(as_of)}", "", f"{len(findings)} việc cần xem, khẩn cấp trước.", ""]
    current = None
    for f in findings:
        if f.kind != current:
            current = f.kind
            out += ["", f"## {LABELS_VI[f.kind]} (`{f.kind}`)", ""]
        out.append(f"- `{f.path}:{f.line}` **{f.subject}**: {f.message} — *{f.action}*")
    return "\n".join(out) + "\n"


def format_json(findings: list[Finding], as_of: dt.date) -> str:
    return json.dumps({"as_of": as_of.isoformat(), "findings": [f.as_json() for f in findings]},
                      ensure_ascii=False, indent=2) + "\n"
