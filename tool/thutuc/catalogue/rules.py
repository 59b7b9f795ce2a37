"""Cross-file rules, run after every file has passed (or failed) its schema.

Each rule yields problems pointing at the key or value at fault. Rules only read data that the
schema already shaped, so a broken file elsewhere never makes a rule crash.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from thutuc.catalogue import conditions
from thutuc.catalogue.files import SourceFile
from thutuc.i18n import N_, _
from thutuc.problems import Problem, suggest

PLACEHOLDER = re.compile(r"\bTODO\b|\bFIXME\b|\bXXX*\b|\[\s*(?:…|\.\.\.)\s*\]|\?\?\?")
_PLACEHOLDER_HINTS = ("TODO", "FIXME", "XX", "…", "...", "???", "http://")
# Where an id points nowhere: one whole sentence per kind of reference, each with {value} (the id
# written) and {suggestion} ("; did you mean 'x'?" or nothing). Marked here, translated in _ref.
NO_AGENCY = N_("no agency has id '{value}'; see catalogue/agencies/{suggestion}")
NO_LEGAL = N_("no legal document has id '{value}'; see catalogue/legal/{suggestion}")
NO_SHARED = N_("no shared document has id '{value}'; see catalogue/documents/{suggestion}")
NO_SUCCESSOR_AGENCY = N_("no agency has id '{value}'; successor must be an agency id{suggestion}")
NO_ISSUER = N_("no procedure has id '{value}'; issued_by must be the id of the procedure that issues this "
               "paper{suggestion}")
NO_FIELD = N_("no field has id '{value}'; fields are listed in catalogue/fields.yaml{suggestion}")
NO_LIFE_EVENT = N_("no life event has id '{value}'; life events are listed in catalogue/fields.yaml{suggestion}")
NO_SUCCESSOR = N_("no procedure has id '{value}'; superseded_by must be the id of the procedure that replaces "
                  "this one{suggestion}")
LIFECYCLE_MISSING = {  # (status, key) -> what to add
    ("abolished", "since"): N_("an abolished procedure should say since: add lifecycle.since"),
    ("abolished", "reason"): N_("an abolished procedure should say reason: add lifecycle.reason"),
    ("suspended", "since"): N_("a suspended procedure should say since: add lifecycle.since"),
    ("suspended", "reason"): N_("a suspended procedure should say reason: add lifecycle.reason"),
}
SUCCESSOR_NOT_ACTIVE = {  # the successor's status -> message; any other status: the general one
    "draft": N_("successor '{id}' is draft; point at an active procedure"),
    "suspended": N_("successor '{id}' is suspended; point at an active procedure"),
    "abolished": N_("successor '{id}' is abolished; point at an active procedure"),
}
COLLECTIONS = {  # kind -> (top-level key, index name)
    "agencies": ("agencies", "agencies"),
    "documents": ("documents", "documents"),
    "legal": ("legal_documents", "legal"),
}


@dataclass
class Record:
    file: SourceFile
    path: tuple
    data: dict

    def problem(self, sub: tuple, severity: str, message: str, at_key: bool = False, topic: str = "") -> Problem:
        return self.file.loaded.problem(self.path + sub, severity, message, prefer_key=at_key, topic=topic)


@dataclass
class Index:
    """Every record by kind and id, including those in files with schema errors."""

    by_kind: dict[str, dict[str, Record]] = field(default_factory=lambda: defaultdict(dict))
    office: Record | None = None
    calendar: Record | None = None
    # Kinds with a file that could not be read into records (not YAML, a scalar where the list
    # should be): an id of that kind that is not found may be in that file, so it is not reported
    # as unknown (the broken file is, once, where it is broken).
    incomplete: set[str] = field(default_factory=set)

    def ids(self, kind: str) -> dict[str, Record]:
        return self.by_kind[kind]


def _records(f: SourceFile) -> Iterator[tuple[str, Record]]:
    data = f.loaded.data
    if not isinstance(data, dict):
        return
    if f.kind == "procedure":
        yield "procedures", Record(f, (), data)
    elif f.kind in COLLECTIONS:
        top, kind = COLLECTIONS[f.kind]
        for i, item in enumerate(_items(data.get(top))):
            if isinstance(item, dict):
                yield kind, Record(f, (top, i), item)
    elif f.kind == "fields":
        for top, kind in (("fields", "fields"), ("life_events", "life_events")):
            for i, item in enumerate(_items(data.get(top))):
                if isinstance(item, dict):
                    yield kind, Record(f, (top, i), item)


def _unreadable(f: SourceFile) -> set[str]:
    """The kinds of record this file should hold but does not give."""
    data = f.loaded.data
    if f.kind == "procedure":
        return set() if isinstance(data, dict) and isinstance(data.get("id"), str) else {"procedures"}
    wanted = {**{k: (top,) for k, (top, _kind) in COLLECTIONS.items()}, "fields": ("fields", "life_events")}
    if f.kind not in wanted:
        return set()
    kinds = {"agencies": "agencies", "documents": "documents", "legal": "legal", "fields": "fields",
             "life_events": "life_events", "legal_documents": "legal"}
    return {kinds[top] for top in wanted[f.kind]
            if not isinstance(data, dict) or not isinstance(data.get(top, []), list)}


def build_index(files: list[SourceFile]) -> tuple[Index, list[Problem]]:
    index, problems = Index(), []
    codes: dict[str, Record] = {}
    for f in files:
        data = f.loaded.data
        index.incomplete |= _unreadable(f)
        if f.kind == "office" and isinstance(data, dict) and isinstance(data.get("office"), dict):
            index.office = Record(f, ("office",), data["office"])
        if f.kind == "calendar" and isinstance(data, dict) and isinstance(data.get("calendar"), dict):
            index.calendar = Record(f, ("calendar",), data["calendar"])
        for kind, rec in _records(f):
            rid = rec.data.get("id")
            if not isinstance(rid, str):
                continue
            first = index.by_kind[kind].get(rid)
            if first is not None:  # both places are told, so the editor sees the clash from either
                for here, there in ((rec, first), (first, rec)):
                    line = there.file.loaded.at(there.path + ("id",))[0]
                    problems.append(here.problem(("id",), "error", _(
                        "id '{id}' is also used in {file}:{line}; ids must be unique").format(
                            id=rid, file=there.file.loaded.path, line=line)))
                continue
            index.by_kind[kind][rid] = rec
            code = rec.data.get("code") if kind == "procedures" else None
            if isinstance(code, str):
                if code in codes:
                    for here, there in ((rec, codes[code]), (codes[code], rec)):
                        problems.append(here.problem(("code",), "error",
                                                     _("national code {code} is also used by {file}").format(
                                                         code=code, file=there.file.loaded.path)))
                else:
                    codes[code] = rec
    return index, problems


def _ref(rec: Record, sub: tuple, index: Index, kind: str, message: str) -> Iterator[Problem]:
    """``message``: one of the NO_* sentences above, untranslated."""
    value = _get(rec.data, sub)
    if isinstance(value, str) and value not in index.ids(kind) and kind not in index.incomplete:
        yield rec.problem(sub, "error",
                          _(message).format(value=value, suggestion=suggest(value, index.ids(kind))))


def _items(value: Any) -> list:
    """A list the schema asks for, or nothing when the file has something else there (the schema
    reports it once; the rules must not trip over it, nor read a string letter by letter)."""
    return value if isinstance(value, list) else []


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _walk_strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _walk_strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk_strings(v, path + (i,))


def glyph_rules(f: SourceFile) -> Iterator[Problem]:
    """A character the PDF font lacks, in a text printed on checklists: render.py would refuse
    it at build time with no file or line, so say it here, where it is."""
    from thutuc import glyphs

    have = glyphs.coverage()
    if all(ord(c) in have or c.isspace() for c in set(f.loaded.text or "")):
        return
    for path, text in _walk_strings(f.loaded.data):
        bad = glyphs.printed(f.kind, path) and glyphs.unprintable(text)
        if bad:
            message = (_("the character {characters} cannot be printed in PDF checklists: the font {font} has no "
                         "glyph for it; write it another way") if len(bad) == 1
                       else _("the characters {characters} cannot be printed in PDF checklists: the font {font} "
                              "has no glyph for them; write them another way"))
            yield f.loaded.problem(path, "error", message.format(characters=glyphs.describe(bad),
                                                                 font=glyphs.FONT_NAME))


def text_rules(f: SourceFile) -> Iterator[Problem]:
    """Placeholders and plain-http links anywhere in a file; characters the PDF cannot print."""
    yield from glyph_rules(f)
    whole = f.loaded.text or ""
    if not any(hint in whole for hint in _PLACEHOLDER_HINTS):
        return  # plain substring tests: far cheaper than the regex on every file
    for path, text in _walk_strings(f.loaded.data):
        m = PLACEHOLDER.search(text)
        if m:
            yield f.loaded.problem(path, "warning", _("placeholder '{text}' left in the text; fill in the real "
                                                      "value or mark it unknown").format(text=m.group(0)),
                                   topic="placeholder")
        if text.startswith("http://"):
            yield f.loaded.problem(path, "warning", _("link is not https://; use the https address"))


def _date_order(rec: Record, first: str, second: str) -> Iterator[Problem]:
    a, b = _date(rec.data.get(first)), _date(rec.data.get(second))
    if a and b and b < a:
        yield rec.problem((second,), "error", _("{key} ({date}) is before {other_key} ({other_date})").format(
            key=second, date=b.isoformat(), other_key=first, other_date=a.isoformat()))


def shared_rules(index: Index, catalogue_root: Path) -> Iterator[Problem]:
    for rec in index.ids("agencies").values():
        yield from _ref(rec, ("successor",), index, "agencies", NO_SUCCESSOR_AGENCY)
        if rec.data.get("status") == "abolished" and "abolished_on" not in rec.data:
            yield rec.problem(("status",), "warning", _("abolished agency without abolished_on; add the date"))
        if rec.data.get("level") == "huyen" and rec.data.get("status") != "abolished":
            yield rec.problem(("level",), "warning",
                              _("district level (huyen) no longer exists since 1 July 2025; "
                                "mark the agency abolished or change its level"))
    for rec in index.ids("documents").values():
        yield from _ref(rec, ("issued_by",), index, "procedures", NO_ISSUER)
        issuer = index.ids("procedures").get(_get(rec.data, ("issued_by",)) if isinstance(
            rec.data.get("issued_by"), str) else None)
        if issuer and _status(issuer) == "abolished":  # a warning: retiring must stay possible
            yield rec.problem(("issued_by",), "warning",
                              _("procedure '{id}' is abolished; point at its successor").format(
                                  id=issuer.data["id"]))
        for i in range(len(_items(rec.data.get("legal_basis")))):
            yield from _ref(rec, ("legal_basis", i), index, "legal", NO_LEGAL)
        if isinstance(rec.data.get("lookup"), dict):
            yield from lookup_rules(rec, ("lookup",), rec.data["lookup"])
            yield from _lookup_refs(rec, ("lookup",), rec.data["lookup"], index)
    for rec in index.ids("legal").values():
        for i in range(len(_items(rec.data.get("looked_up")))):
            yield from _ref(rec, ("looked_up", i), index, "documents", NO_SHARED)
        yield from _ref(rec, ("repealed_by",), index, "legal", NO_LEGAL)
        for i in range(len(_items(rec.data.get("amended_by")))):
            yield from _ref(rec, ("amended_by", i), index, "legal", NO_LEGAL)
        yield from _date_order(rec, "issued", "in_force")
        yield from _date_order(rec, "in_force", "repealed")
        if "issued" not in rec.data:
            yield rec.problem(("id",), "warning", _("issued date unknown; add it when the text is at hand"),
                              topic="unknown")
    if index.office:
        yield from _ref(index.office, ("agency",), index, "agencies", NO_AGENCY)
    if index.calendar:
        yield from calendar_rules(index.calendar)


def calendar_rules(rec: Record) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for group in ("days_off", "working_days", "not_holidays"):
        for i, day in enumerate(_items(rec.data.get(group))):
            date = day.get("date") if isinstance(day, dict) else None
            if not isinstance(date, str):
                continue
            if date in seen:
                yield rec.problem((group, i, "date"), "error",
                                  _("{date} is already listed under {group}; list each day once").format(
                                      date=date, group=seen[date]))
                continue
            seen[date] = group
            d = _date(date)
            if d and group == "working_days" and d.weekday() < 5:
                yield rec.problem((group, i, "date"), "warning",
                                  _("{date} is a weekday, already a working day; working_days is for "
                                    "Saturdays or Sundays worked to make up a swap").format(date=date))
            if d and group == "days_off" and d.weekday() >= 5:
                yield rec.problem((group, i, "date"), "warning",
                                  _("{date} is a weekend day, already off").format(date=date))


def _status(rec: Record) -> str | None:
    return _get(rec.data, ("lifecycle", "status"))


def _questions(rec: Record) -> dict[str, dict]:
    return {q["key"]: q for q in rec.data.get("questions") or []}


# What a rule raises when it meets data the schema refused (see :func:`guarded`).
_SHAPE_ERRORS = (KeyError, TypeError, AttributeError, IndexError, ValueError)


def guarded(rule, *args, tolerant: bool = False) -> Iterator[Problem]:
    """A rule's problems. ``tolerant``: the file failed its schema and the rule runs on what is
    left of it once the refused values are taken out (see check.py), so a rule that still trips
    over a missing part stops there and keeps what it found: the schema has said what is wrong,
    and every other rule still runs."""
    if not tolerant:
        yield from rule(*args)
        return
    found = rule(*args)
    while True:
        try:
            problem = next(found)
        except StopIteration:
            return
        except _SHAPE_ERRORS:
            return
        yield problem


def procedure_rules(rec: Record, index: Index, catalogue_root: Path, today: dt.date,
                    tolerant: bool = False) -> Iterator[Problem]:
    yield from guarded(_procedure_refs, rec, index, today, tolerant=tolerant)
    yield from guarded(lifecycle_rules, rec, index, today, tolerant=tolerant)
    yield from guarded(reference_rules, rec, index, catalogue_root, tolerant=tolerant)


def _procedure_refs(rec: Record, index: Index, today: dt.date) -> Iterator[Problem]:
    data = rec.data
    pid = data["id"]
    rel = PurePosixPath(rec.file.rel)
    if rel.stem != pid:
        yield rec.problem(("id",), "error", _("id '{id}' differs from the file name '{file}'; name the file "
                                              "{id}.yaml").format(id=pid, file=rel.name))
    if data["field"] in index.ids("fields") and (len(rel.parts) != 3 or rel.parts[1] != data["field"]):
        yield rec.problem(("field",), "error", _("the file must be in procedures/{field}/ to match its "
                                                 "field").format(field=data["field"]))
    yield from _ref(rec, ("field",), index, "fields", NO_FIELD)
    for i in range(len(data.get("life_events") or [])):
        yield from _ref(rec, ("life_events", i), index, "life_events", NO_LIFE_EVENT)
    for sub in _agency_paths(data):
        yield from _ref(rec, sub, index, "agencies", NO_AGENCY)
    yield from _ref(rec, ("agencies", "any_office_basis", "ref"), index, "legal", NO_LEGAL)
    for i in range(len(data["legal_basis"])):
        yield from _ref(rec, ("legal_basis", i, "ref"), index, "legal", NO_LEGAL)

    active = _status(rec) == "active"
    if "huyen" in data["levels"] and active:
        yield rec.problem(("levels",), "warning",
                          _("district level (huyen) no longer exists since 1 July 2025; use xa or tinh"))
    if active:
        for sub in _agency_paths(data):
            if sub[1] == "coordinating":
                continue
            agency = index.ids("agencies").get(_get(data, sub)) if isinstance(_get(data, sub), str) else None
            if agency and agency.data.get("status") == "abolished":
                succ = agency.data.get("successor")
                message = (_("agency '{id}' is abolished; its work passed to '{successor}'") if succ
                           else _("agency '{id}' is abolished"))
                yield rec.problem(sub, "warning", message.format(id=agency.data["id"], successor=succ))
        for i, basis in enumerate(data["legal_basis"]):
            law = index.ids("legal").get(basis["ref"])
            repealed = _date(law.data.get("repealed")) if law else None
            if repealed and repealed <= today:
                yield rec.problem(("legal_basis", i, "ref"), "warning",
                                  _("'{number}' is no longer in force since {date}; review this procedure's "
                                    "legal basis").format(number=law.data["number"], date=repealed.isoformat()))


def _agency_paths(data: dict) -> Iterator[tuple]:
    """Where the procedure names an agency: deciding, every receiving point, carrying_out, coordinating."""
    agencies = data.get("agencies")
    if not isinstance(agencies, dict):
        return
    yield ("agencies", "deciding")
    receiving = agencies.get("receiving")
    if isinstance(receiving, list):
        for i in range(len(receiving)):
            yield ("agencies", "receiving", i)
    else:
        yield ("agencies", "receiving")
    for role in ("carrying_out", "coordinating"):
        for i in range(len(_items(agencies.get(role)))):
            yield ("agencies", role, i)


def _comparisons(cond: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    """(path of the comparison, question key) for every comparison in a condition."""
    if not isinstance(cond, dict):
        return
    if isinstance(cond.get("q"), str):
        yield path, cond["q"]
    for op in ("all_of", "any_of"):
        for i, c in enumerate(_items(cond.get(op))):
            yield from _comparisons(c, path + (op, i))
    if "not" in cond:
        yield from _comparisons(cond["not"], path + ("not",))


def question_when_rules(rec: Record) -> Iterator[Problem]:
    """A question's when reads only the questions before it (so there is never a circle), and
    holds for some answers (else the question is never asked)."""
    questions = [q for q in _items(rec.data.get("questions")) if isinstance(q, dict)]
    keys = [q.get("key") for q in questions]
    for i, q in enumerate(questions):
        if "when" not in q:
            continue
        sub = ("questions", i, "when")
        earlier = {k: questions[j] for j, k in enumerate(keys[:i]) if isinstance(k, str)}
        wrong = False
        for path, key in _comparisons(q["when"], sub):
            if key == q.get("key"):
                wrong = True
                yield rec.problem(path + ("q",), "error", _(
                    "question '{key}' cannot depend on its own answer; a question's when may only use "
                    "questions asked before it").format(key=key))
            elif key in keys[i + 1:]:
                wrong = True
                yield rec.problem(path + ("q",), "error", _(
                    "question '{key}' is asked after '{this}'; a question's when may only use questions asked "
                    "before it: move '{key}' above '{this}'").format(key=key, this=q.get("key")))
        if wrong:
            continue
        bad = False
        for p, message in conditions.check(q["when"], earlier, sub):
            bad = True
            yield rec.problem(p, "error", message)
        if bad:
            continue
        try:
            if not conditions.Space(earlier, [q["when"]]).satisfiable(q["when"]):
                yield rec.problem(sub, "error", _("no answers make this question asked: the condition can "
                                                  "never hold"))
        except conditions.TooManyCombinations:
            pass


def local_rules(rec: Record, tolerant: bool = False) -> Iterator[Problem]:
    """The rules that read nothing but the procedure's own file: what they find can be cached
    under a hash of the file's bytes (see :mod:`thutuc.catalogue.check`). ``tolerant``: see
    :func:`guarded`."""
    try:
        questions = _questions(rec)
    except _SHAPE_ERRORS:
        if not tolerant:
            raise
        questions = None
    yield from guarded(question_rules, rec, tolerant=tolerant)
    yield from guarded(question_when_rules, rec, tolerant=tolerant)
    checked = []  # conditions whose check ran to the end

    def condition_problems():
        for sub, cond in _conditions(rec.data):
            found = [rec.problem(p, "error", message) for p, message in conditions.check(cond, questions, sub)]
            checked.append(not found)
            yield from found

    if questions is not None:
        yield from guarded(condition_problems, tolerant=tolerant)
    yield from guarded(document_rules, rec, tolerant=tolerant)
    if questions is not None:
        yield from guarded(document_question_rules, rec, questions, tolerant=tolerant)
        yield from guarded(fee_rules, rec, questions, tolerant=tolerant)
    yield from guarded(channel_rules, rec, tolerant=tolerant)
    try:
        conds = [c for _path, c in _conditions(rec.data)]
    except _SHAPE_ERRORS:
        if not tolerant:
            raise
        return
    if questions is not None and len(checked) == len(conds) and all(checked):
        asked = _asked_when(rec.data) if next(question_when_rules(rec), None) is None else {}
        if asked:  # a question asked only in some cases: a condition on it holds only in those cases
            rec = Record(rec.file, rec.path, _guard_data(rec.data, asked))
            conds = [c for _path, c in _conditions(rec.data)]
        yield from guarded(reachability, rec, questions, conds, tolerant=tolerant)


def _asked_when(data: dict) -> dict[str, dict]:
    """key -> when of each question asked only in some cases, when every such when reads only
    questions before it (otherwise the rules above report it and nothing is guarded)."""
    out: dict[str, dict] = {}
    seen: list = []
    for q in _items(data.get("questions")):
        if not isinstance(q, dict):
            return {}
        when = q.get("when")
        if when is not None:
            if not isinstance(when, dict) or not conditions.keys_in(when) <= set(seen):
                return {}
            out[q.get("key")] = when
        seen.append(q.get("key"))
    return out


def _guard(cond: Any, asked: dict[str, dict]) -> Any:
    """The condition as it holds for real answers: a comparison on a question asked only when W
    becomes "W and the comparison" (an unasked question has no answer, so the comparison is false)."""
    if not isinstance(cond, dict):
        return cond
    if "all_of" in cond or "any_of" in cond:
        op = "all_of" if "all_of" in cond else "any_of"
        return {op: [_guard(c, asked) for c in _items(cond[op])]}
    if "not" in cond:
        return {"not": _guard(cond["not"], asked)}
    key = cond.get("q")
    if key in asked:
        return {"all_of": [_guard(asked[key], asked), cond]}
    return cond


def _guard_data(data: Any, asked: dict[str, dict], top: bool = True) -> Any:
    """A copy of the procedure with every condition guarded (the questions' own whens left as they are)."""
    if isinstance(data, dict):
        return {k: (v if top and k == "questions" else
                    _guard(v, asked) if k == "when" else _guard_data(v, asked, False)) for k, v in data.items()}
    if isinstance(data, list):
        return [_guard_data(v, asked, False) for v in data]
    return data


def reference_rules(rec: Record, index: Index, root: Path) -> Iterator[Problem]:
    """Shared papers, forms and agencies that documents and channels point at."""
    for i, d in enumerate(rec.data["documents"]):
        if "ref" in d:
            yield from _ref(rec, ("documents", i, "ref"), index, "documents", NO_SHARED)
        for j, alt in enumerate(d.get("one_of") or []):
            if "ref" in alt:
                yield from _ref(rec, ("documents", i, "one_of", j, "ref"), index, "documents", NO_SHARED)
            if "form" in alt:
                yield from _form_rules(rec, ("documents", i, "one_of", j, "form"), alt["form"], root)
        if "form" in d:
            yield from _form_rules(rec, ("documents", i, "form"), d["form"], root)
        if isinstance(d.get("lookup"), dict):
            yield from _lookup_refs(rec, ("documents", i, "lookup"), d["lookup"], index)
        elif d.get("group") == "lookup" and isinstance(d.get("ref"), str):
            shared = index.ids("documents").get(d["ref"])
            if shared is not None and not isinstance(shared.data.get("lookup"), dict):
                yield rec.problem(("documents", i, "group"), "error",
                                  _("group: lookup needs lookup: the shared document '{ref}' has none; add lookup: "
                                    "here or to the shared document").format(ref=d["ref"]))
    for i in range(len(rec.data["channels"])):
        yield from _ref(rec, ("channels", i, "where"), index, "agencies", NO_AGENCY)


def _conditions(data: dict) -> Iterator[tuple[tuple, dict]]:
    for i, d in enumerate(data["documents"]):
        if "when" in d:
            yield ("documents", i, "when"), d["when"]
    for i, fee in enumerate(data["fees"]):
        if "when" in fee:
            yield ("fees", i, "when"), fee["when"]
        for j, ex in enumerate(fee.get("exemptions") or []):
            if "when" in ex:
                yield ("fees", i, "exemptions", j, "when"), ex["when"]
    for sub, time in _times(data):
        for j, case in enumerate(_items(time.get("cases"))):
            if isinstance(case, dict) and "when" in case:
                yield sub + ("cases", j, "when"), case["when"]
    for i, result in enumerate(_items(data.get("results"))):
        if isinstance(result, dict) and "when" in result:
            yield ("results", i, "when"), result["when"]


def _times(data: dict) -> Iterator[tuple[tuple, dict]]:
    """Every processing_time of a procedure: its own, each channel's, each result's."""
    if isinstance(data.get("processing_time"), dict):
        yield ("processing_time",), data["processing_time"]
    for i, ch in enumerate(_items(data.get("channels"))):
        if isinstance(ch, dict) and isinstance(ch.get("processing_time"), dict):
            yield ("channels", i, "processing_time"), ch["processing_time"]
    for i, result in enumerate(_items(data.get("results"))):
        if isinstance(result, dict) and isinstance(result.get("processing_time"), dict):
            yield ("results", i, "processing_time"), result["processing_time"]


def lifecycle_rules(rec: Record, index: Index, today: dt.date) -> Iterator[Problem]:
    life = rec.data["lifecycle"]
    status = life["status"]
    successor_id = life.get("superseded_by")
    if status in ("abolished", "suspended"):
        for key in ("since", "reason"):
            if key not in life:
                yield rec.problem(("lifecycle", "status"), "warning", _(LIFECYCLE_MISSING[status, key]))
    if successor_id is not None:
        if status == "active":
            yield rec.problem(("lifecycle", "superseded_by"), "error",
                              _("an active procedure cannot be superseded; set status: abolished, "
                                "or remove superseded_by"))
        if successor_id == rec.data["id"]:
            yield rec.problem(("lifecycle", "superseded_by"), "error", _("a procedure cannot supersede itself"))
        successor = index.ids("procedures").get(successor_id)
        if successor is None:
            yield from _ref(rec, ("lifecycle", "superseded_by"), index, "procedures", NO_SUCCESSOR)
        elif _status(successor) != "active" and successor_id != rec.data["id"]:
            other = _status(successor)
            known = isinstance(other, str) and other in SUCCESSOR_NOT_ACTIVE
            message = (_(SUCCESSOR_NOT_ACTIVE[other]) if known
                       else _("successor '{id}' is {status}; point at an active procedure"))
            yield rec.problem(("lifecycle", "superseded_by"), "error",
                              message.format(id=successor_id, status=other))
    reviewed = _date(life.get("last_reviewed"))
    if reviewed and reviewed > today:
        yield rec.problem(("lifecycle", "last_reviewed"), "warning",
                          _("last_reviewed {date} is in the future").format(date=reviewed.isoformat()))


def question_rules(rec: Record) -> Iterator[Problem]:
    seen: set[str] = set()
    used: set[str] = set()
    for _path, c in _conditions(rec.data):
        used |= conditions.keys_in(c)
    for q in rec.data.get("questions") or []:
        used |= conditions.keys_in(q.get("when"))
    for fee in rec.data["fees"]:
        used |= {fee[k] for k in ("units", "times", "of") if k in fee}
    for d in rec.data["documents"]:
        used |= {d[k] for k in ("times", "pages") if isinstance(d.get(k), str)}
    for i, q in enumerate(rec.data.get("questions") or []):
        key, qtype = q["key"], q["type"]
        if key in seen:
            yield rec.problem(("questions", i, "key"), "error",
                              _("question key '{key}' is used twice").format(key=key))
            continue
        seen.add(key)
        if key not in used:
            yield rec.problem(("questions", i, "key"), "warning",
                              _("question '{key}' changes nothing: no condition or fee uses it").format(key=key))
        if qtype != "choice" and "options" in q:
            yield rec.problem(("questions", i, "options"), "error", _("options only go with type: choice"))
        if qtype != "number":
            for k in ("unit", "min", "max"):
                if k in q:
                    yield rec.problem(("questions", i, k), "error",
                                      _("{key} only goes with type: number").format(key=k))
        values = [o["value"] for o in q.get("options") or []]
        if len(set(values)) != len(values):
            yield rec.problem(("questions", i, "options"), "error", _("two options have the same value"))
        if "min" in q and "max" in q and q["max"] < q["min"]:
            yield rec.problem(("questions", i, "max"), "error", _("max is smaller than min"))
        if "default" in q:
            problem = conditions.value_problem(q, "eq", q["default"])
            if problem:
                yield rec.problem(("questions", i, "default"), "error", problem)


FORM_TYPES = (".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx")


def form_path_problem(file: str, root: Path) -> str | None:
    """What is wrong with a form.file path, in one sentence, or None when it names a form file
    inside catalogue/forms/ (spaces in the name are fine)."""
    shown = file if len(file) <= 80 else file[:77] + "…"
    if "://" in file or file.startswith(("www.", "mailto:")):
        return _("form.file '{file}' is an address; form.file is a file in catalogue/forms/ (put the address "
                 "of the official form in form.source)").format(file=shown)
    if file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        return _("form.file '{file}' is an absolute path; write it from the catalogue folder, e.g. "
                 "forms/to-khai.pdf").format(file=shown)
    if "\\" in file:
        return _("form.file '{file}' uses \\; separate folders with /").format(file=shown)
    if any(part == ".." for part in file.split("/")):
        return _("form.file '{file}' contains '..'; form files must stay inside catalogue/forms/").format(file=shown)
    if not file.startswith("forms/") or file == "forms/":
        return _("form.file '{file}' must start with forms/: form files live in catalogue/forms/").format(file=shown)
    if file != file.strip() or any(not c.isprintable() for c in file):
        return _("form.file '{file}' starts or ends with a space or holds a control character; write the "
                 "file name exactly").format(file=shown)
    suffix = PurePosixPath(file).suffix.lower()
    if suffix not in FORM_TYPES:
        return _("form.file '{file}': {type} is not a form type; use one of {types}").format(
            file=shown, type=f"'{suffix}'" if suffix else _("a name without an extension"), types=", ".join(FORM_TYPES))
    forms = root / "forms"
    if forms.is_symlink() or (forms.exists() and root.resolve() not in forms.resolve().parents):
        return _("catalogue/forms/ is a link out of the catalogue; make it a real folder")
    target = root / file
    if target.resolve() != target.absolute() and forms.resolve() not in target.resolve().parents:
        return _("form.file '{file}' is a link that leads out of catalogue/forms/; copy the file into forms/ "
                 "instead").format(file=shown)
    if target.is_dir():
        return _("form.file '{file}' is a folder, not a file").format(file=shown)
    return None


def _form_rules(rec: Record, sub: tuple, form: dict, root: Path) -> Iterator[Problem]:
    file = form.get("file")
    if not isinstance(file, str):
        return
    problem = form_path_problem(file, root)
    if problem:
        yield rec.problem(sub + ("file",), "error", problem)
        return
    forms = (root / "forms").resolve()
    target = (root / file).resolve()
    if not target.is_file():
        have = sorted(p.relative_to(root).as_posix() for p in forms.rglob("*") if p.is_file()) if forms.is_dir() else []
        yield rec.problem(sub + ("file",), "error", _("form file '{file}' does not exist{suggestion}").format(
            file=file, suggestion=suggest(file, have)))


LOOKUP_OWN_QUANTITY = N_("a looked-up paper is not brought, so it has no {key}; put what to bring if the lookup "
                         "fails under lookup.fallback")


def lookup_rules(rec: Record, sub: tuple, lookup: dict) -> Iterator[Problem]:
    """A lookup: object, in a procedure's document or a shared document (its own file only)."""
    sources = _items(lookup.get("sources"))
    if "chuyen_nganh" in sources and not lookup.get("note"):
        yield rec.problem(sub + ("sources", sources.index("chuyen_nganh")), "error",
                          _("chuyen_nganh (another sector database): name the database in lookup.note"))
    fallback = lookup.get("fallback")
    if isinstance(fallback, dict) and not any(fallback.get(k) for k in ("originals", "certified_copies", "copies",
                                                                        "quantity_note")):
        yield rec.problem(sub + ("fallback",), "error",
                          _("the fallback says nothing to bring: give originals, certified_copies or copies "
                            "(or quantity_note) for when the lookup fails"), at_key=True)
    if "basis" not in lookup:
        yield rec.problem(sub + ("sources",), "warning",
                          _("a lookup without basis: cite the legal text that has the office look this paper up "
                            "(basis: a list of ref and articles)"), at_key=True)


def _lookup_refs(rec: Record, sub: tuple, lookup: dict, index: Index) -> Iterator[Problem]:
    for i, b in enumerate(_items(lookup.get("basis"))):
        if isinstance(b, dict):
            yield from _ref(rec, sub + ("basis", i, "ref"), index, "legal", NO_LEGAL)


def document_question_rules(rec: Record, questions: dict[str, dict]) -> Iterator[Problem]:
    """times and pages name number questions."""
    for i, d in enumerate(rec.data["documents"]):
        for k in ("times", "pages"):
            key = d.get(k)
            if not isinstance(key, str):
                continue
            q = questions.get(key)
            if q is None:
                yield rec.problem(("documents", i, k), "error", _("no question has key '{key}'{suggestion}").format(
                    key=key, suggestion=suggest(key, questions)))
            elif q["type"] != "number":
                yield rec.problem(("documents", i, k), "error",
                                  _("question '{key}' must be of type number").format(key=key))


QUANTITY_KEYS = ("originals", "certified_copies", "copies", "quantity_note")


def _group_rules(rec: Record, i: int, d: dict, count: int) -> Iterator[Problem]:
    group = d["group"]
    at = ("documents", i)
    if "lookup" in d and group != "lookup":
        yield rec.problem(at + ("lookup",), "error",
                          _("lookup only goes with group: lookup (the office looks the paper up); "
                            "change the group or remove lookup"), at_key=True)
    if group == "lookup":
        if "lookup" not in d and "ref" not in d:
            yield rec.problem(at + ("group",), "error",
                              _("group: lookup needs a lookup: mapping (sources, basis, fallback) saying where the "
                                "office reads the data, or a ref to a shared document that has one"))
        for k in QUANTITY_KEYS:
            if k in d:
                yield rec.problem(at + (k,), "error", _(LOOKUP_OWN_QUANTITY).format(key=k), at_key=True)
        if isinstance(d.get("lookup"), dict):
            yield from lookup_rules(Record(rec.file, at, d), ("lookup",), d["lookup"])
    elif group == "prepared":
        for k in QUANTITY_KEYS + ("times", "pages"):
            if k in d:
                yield rec.problem(at + (k,), "error",
                                  _("a paper the office prepares at the counter (group: prepared) has no quantity; "
                                    "remove {key}").format(key=k), at_key=True)
    elif group == "unknown":
        if d["id"] != "unknown":
            yield rec.problem(at + ("id",), "error", _("the document of group: unknown has id: unknown"))
        if count != 1:
            yield rec.problem(at + ("group",), "error",
                              _("group: unknown (the record does not list the papers) must be the only document; "
                                "remove it or the other documents"))
        extra = [k for k in d if k not in ("id", "group", "note", "editor_note", "source")]
        for k in extra:
            yield rec.problem(at + (k,), "error",
                              _("{key} does not go with group: unknown (only id, group and note)").format(key=k),
                              at_key=True)
        yield rec.problem(at + ("group",), "warning",
                          _("the papers of this procedure are unknown: find the national record and list them"),
                          topic="unknown")


def document_rules(rec: Record) -> Iterator[Problem]:
    seen: set[str] = set()
    channels = {c["kind"] for c in rec.data["channels"]}
    for i, d in enumerate(rec.data["documents"]):
        if d["id"] in seen:
            yield rec.problem(("documents", i, "id"), "error",
                              _("document id '{id}' is used twice").format(id=d["id"]))
        seen.add(d["id"])
        yield from _group_rules(rec, i, d, len(rec.data["documents"]))
        kinds = [k for k in ("name", "ref", "one_of") if k in d]
        if d["group"] == "unknown":
            pass  # reported by _group_rules when it has a name
        elif len(kinds) != 1:
            message = (_("a document needs exactly one of name, ref (a shared document) or one_of "
                         "(alternatives); found {keys}") if kinds
                       else _("a document needs exactly one of name, ref (a shared document) or one_of "
                              "(alternatives)"))
            yield rec.problem(("documents", i), "error", message.format(keys=", ".join(kinds)), at_key=True)
        for j, alt in enumerate(d.get("one_of") or []):
            if ("name" in alt) == ("ref" in alt):
                yield rec.problem(("documents", i, "one_of", j), "error",
                                  _("each alternative needs exactly one of name or ref"), at_key=True)
        if d["group"] in ("submit", "show") and not any(d.get(k) for k in QUANTITY_KEYS):
            yield rec.problem(("documents", i), "warning",
                              _("quantity unknown: give originals, certified_copies or copies "
                                "(or quantity_note)"), at_key=True, topic="unknown")
        for j, ch in enumerate(d.get("channels") or []):
            if ch not in channels:
                yield rec.problem(("documents", i, "channels", j), "error",
                                  _("the procedure has no {channel} channel").format(channel=ch))
        yield from _date_order(Record(rec.file, ("documents", i), d), "valid_from", "valid_to")


def fee_rules(rec: Record, questions: dict[str, dict]) -> Iterator[Problem]:
    channels = {c["kind"] for c in rec.data["channels"]}
    for i, fee in enumerate(rec.data["fees"]):
        kind = fee["kind"]
        at = Record(rec.file, ("fees", i), fee)
        if kind == "per_unit" and "amount" not in fee and "tiers" not in fee:
            yield at.problem(("kind",), "error", _("a per_unit fee needs amount (per unit) or tiers"))
        if kind == "percent" and "of" not in fee:
            yield at.problem(("kind",), "error",
                             _("a percent fee needs of: the number question that holds the declared value"))
        if kind in ("free", "unknown", "set_by_province"):
            for k in ("amount", "tiers", "percent", "cap"):
                if k in fee:
                    yield at.problem((k,), "error",
                                     _("{key} does not go with kind: {kind}").format(key=k, kind=kind))
        if kind == "unknown":
            yield at.problem(("kind",), "warning", _("fee amount unknown: find the source and fill it in"),
                             topic="unknown")
        if kind == "set_by_province" and "note" not in fee:
            yield at.problem(("kind",), "warning",
                             _("say in note which provincial decision sets the amount, if known"))
        for k in ("units", "times", "of"):
            key = fee.get(k)
            if key is not None:
                q = questions.get(key)
                if q is None:
                    yield at.problem((k,), "error", _("no question has key '{key}'{suggestion}").format(
                        key=key, suggestion=suggest(key, questions)))
                elif q["type"] != "number":
                    yield at.problem((k,), "error", _("question '{key}' must be of type number").format(key=key))
        previous_to = 0
        for j, tier in enumerate(fee.get("tiers") or []):
            if tier["from"] != previous_to + 1:
                yield at.problem(("tiers", j, "from"), "error",
                                 _("tiers must follow each other: this one should start at {start}").format(
                                     start=previous_to + 1))
            if "to" in tier and tier["to"] < tier["from"]:
                yield at.problem(("tiers", j, "to"), "error", _("to is smaller than from"))
            previous_to = tier.get("to", 10**9)
        if "min" in fee and "max" in fee and fee["max"] < fee["min"]:
            yield at.problem(("max",), "error", _("max is smaller than min"))
        for j, ch in enumerate(fee.get("channels") or []):
            if ch not in channels:
                yield at.problem(("channels", j), "error",
                                 _("the procedure has no {channel} channel").format(channel=ch))
        yield from _date_order(at, "valid_from", "valid_to")
        for j, red in enumerate(fee.get("reductions") or []):
            yield from _reduction_rules(at, fee, j, red, channels)
            yield from _date_order(Record(rec.file, ("fees", i, "reductions", j), red), "valid_from", "valid_to")
        if "source" not in fee and kind not in ("unknown",):
            yield at.problem(("kind",), "warning", _("fee has no source: cite the legal article or page"))


def _reduction_rules(at: Record, fee: dict, j: int, red: dict, channels: set[str]) -> Iterator[Problem]:
    """A reduction gives exactly one of percent or amount (the new amount, for a fixed fee, below
    it) and covers only channels the procedure has, and the fee too."""
    sub = ("reductions", j)
    if ("percent" in red) == ("amount" in red):
        yield at.problem(sub, "error", _("a reduction needs exactly one of percent (e.g. 50) or amount "
                                         "(the reduced amount in đồng)"), at_key=True)
    elif "amount" in red:
        if fee["kind"] != "fixed":
            yield at.problem(sub + ("amount",), "error",
                             _("amount (the reduced amount) only goes with a fee of kind: fixed; use percent"))
        elif "amount" in fee and red["amount"] >= fee["amount"]:
            yield at.problem(sub + ("amount",), "error",
                             _("the reduced amount {reduced} is not below the fee's amount {amount}").format(
                                 reduced=red["amount"], amount=fee["amount"]))
    for k, ch in enumerate(red.get("channels") or []):
        if ch not in channels:
            yield at.problem(sub + ("channels", k), "error",
                             _("the procedure has no {channel} channel").format(channel=ch))
        elif fee.get("channels") and ch not in fee["channels"]:
            yield at.problem(sub + ("channels", k), "error",
                             _("the fee is not charged on the {channel} channel (its channels: {channels})").format(
                                 channel=ch, channels=", ".join(fee["channels"])))


def _unit_rules(rec: Record, sub: tuple, time: dict) -> Iterator[Problem]:
    unit = time.get("unit")
    if unit in ("same_day", "unknown") and "amount" in time:
        yield rec.problem(sub + ("amount",), "error", _("amount does not go with unit: {unit}").format(unit=unit))
    if "cutoff" in time and unit != "same_day":
        yield rec.problem(sub + ("cutoff",), "error", _("cutoff only goes with unit: same_day"))


def _time_rules(rec: Record, sub: tuple, time: dict, sourced: bool = False) -> Iterator[Problem]:
    """``sourced``: a source above (the procedure's time, for a result's own time) covers it."""
    unit = time["unit"]
    if unit == "unknown":
        yield rec.problem(sub + ("unit",), "warning", _("processing time unknown: find the source and fill it in"),
                          topic="unknown")
    yield from _unit_rules(rec, sub, time)
    if unit not in ("unknown",) and "source" not in time and not sourced:
        yield rec.problem(sub + ("unit",), "warning",
                          _("time limit has no source: cite the legal article or page"))
    starts = time.get("starts")
    if isinstance(starts, list) and "other" in starts and "starts_note" not in time:
        yield rec.problem(sub + ("starts",), "warning",
                          _("starts names 'other': say what starts the clock in starts_note"))
    for j, case in enumerate(_items(time.get("cases"))):
        if not isinstance(case, dict):  # the schema says so
            continue
        yield from _unit_rules(rec, sub + ("cases", j), case)
        if case.get("unit") == time["unit"] and case.get("amount") == time.get("amount") \
                and case.get("cutoff") == time.get("cutoff"):
            yield rec.problem(sub + ("cases", j, "unit"), "warning",
                              _("this case gives the same time as the time it is part of; remove it or "
                                "correct the time"))


def channel_rules(rec: Record) -> Iterator[Problem]:
    yield from _time_rules(rec, ("processing_time",), rec.data["processing_time"])
    seen: set[str] = set()
    for i, ch in enumerate(rec.data["channels"]):
        kind = ch["kind"]
        if kind in seen:
            yield rec.problem(("channels", i, "kind"), "error",
                              _("channel {kind} is listed twice").format(kind=kind))
        seen.add(kind)
        if kind != "online":
            for k in ("online_level", "legacy_level", "url"):
                if k in ch:
                    yield rec.problem(("channels", i, k), "error",
                                      _("{key} only goes with kind: online").format(key=k))
        elif "online_level" not in ch:
            yield rec.problem(("channels", i, "kind"), "warning",
                              _("online service level unknown: add online_level (full or partial)"),
                              topic="unknown")
        if "processing_time" in ch:
            yield from _time_rules(rec, ("channels", i, "processing_time"), ch["processing_time"])
    for i, result in enumerate(_items(rec.data.get("results"))):
        if isinstance(result, dict) and isinstance(result.get("processing_time"), dict) \
                and "unit" in result["processing_time"]:
            yield from _time_rules(rec, ("results", i, "processing_time"), result["processing_time"],
                                   sourced="source" in result)


def _describe(answers: dict) -> str:
    """The answers as the YAML would write them: "nop_thay=true, so_ban=2" (never translated)."""
    return ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in answers.items())


def reachability(rec: Record, questions: dict[str, dict], conds: list) -> Iterator[Problem]:
    """Every conditional paper is needed for some answers; no answers leave the list empty; every
    case has a fee. Decided by searching the answers (conditions.Space), never by trying only
    some combinations: what the search cannot settle is reported as not examined, not as wrong."""
    space = conditions.Space(questions, conds)
    docs = rec.data["documents"]
    for i, d in enumerate(docs):
        try:
            if not space.satisfiable(d.get("when")):
                yield rec.problem(("documents", i, "when"), "error",
                                  _("no answers make this document required: the condition can never hold"))
        except conditions.TooManyCombinations:
            yield rec.problem(("documents", i, "when"), "warning",
                              _("not examined: too many combinations of answers to tell whether this document "
                                "is ever required; check the condition by hand"))
    if all("when" in d for d in docs):
        try:
            empty_for = space.find(fail=[d["when"] for d in docs])
        except conditions.TooManyCombinations:
            empty_for = None
            yield rec.problem(("documents",), "warning",
                              _("not examined: too many combinations of answers to tell whether some answers "
                                "leave no document required; check the conditions by hand"), at_key=True)
        if empty_for is not None:
            message = (_("no document is required when {answers}; add a document for that case or change the "
                         "conditions") if empty_for
                       else _("no document is required when any answers; add a document for that case or change "
                              "the conditions"))
            yield rec.problem(("documents",), "error", message.format(answers=_describe(empty_for)), at_key=True)
    yield from _fee_coverage(rec, space)
    yield from _time_reachability(rec, space)


def _time_reachability(rec: Record, space: conditions.Space) -> Iterator[Problem]:
    """Every result and every time case with a condition applies for some answers, and some
    result applies for every answers."""
    results = [r for r in _items(rec.data.get("results")) if isinstance(r, dict)]
    checks = [(("results", i, "when"), r["when"], _("no answers give this result: the condition can never hold"))
              for i, r in enumerate(results) if "when" in r]
    for sub, time in _times(rec.data):
        checks += [(sub + ("cases", j, "when"), c["when"],
                    _("no answers make this case apply: the condition can never hold"))
                   for j, c in enumerate(_items(time.get("cases"))) if isinstance(c, dict) and "when" in c]
    for sub, cond, message in checks:
        try:
            if not space.satisfiable(cond):
                yield rec.problem(sub, "error", message)
        except conditions.TooManyCombinations:
            yield rec.problem(sub, "warning", _("not examined: too many combinations of answers to tell whether "
                                                "this condition ever holds; check it by hand"))
    if results and all("when" in r for r in results):
        try:
            none_for = space.find(fail=[r["when"] for r in results])
        except conditions.TooManyCombinations:
            return
        if none_for is not None:
            yield rec.problem(("results",), "error", _("no result is given when {answers}; add a result for that "
                                                       "case or change the conditions").format(
                answers=_describe(none_for) if none_for else _("any answers")), at_key=True)


def _fee_coverage(rec: Record, space: conditions.Space) -> Iterator[Problem]:
    """A checklist must say what a case costs, even if that is nothing."""
    fees = rec.data["fees"]
    for channel in sorted({c["kind"] for c in rec.data["channels"]}):
        here = [fee for fee in fees if channel in fee.get("channels", [channel])]
        if any("when" not in fee for fee in here):
            continue
        try:
            uncovered = space.find(fail=[fee["when"] for fee in here])
            if uncovered is None:
                continue
            never = not any(space.satisfiable(fee["when"]) for fee in here)
        except conditions.TooManyCombinations:
            yield rec.problem(("fees",), "warning",
                              _("not examined: too many combinations of answers to tell whether every case has a "
                                "fee entry on the {channel} channel; check the conditions by hand").format(
                                    channel=channel), at_key=True)
            continue
        if never:
            message = _("no fee entry applies on the {channel} channel; add one (kind: free if nothing "
                        "is charged)")
        else:
            message = _("no fee entry applies on the {channel} channel when {answers}; add one (kind: free "
                        "if nothing is charged)")
        yield rec.problem(("fees",), "warning",
                          message.format(channel=channel, answers=_describe(uncovered)), at_key=True)
