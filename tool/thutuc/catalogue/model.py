"""The immutable catalogue model that renderers read (they never read YAML).

Built only from a catalogue that passed `check` without errors, so every reference resolves and
every value has the shape its schema promises.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:  # the checklist command reads a cached model and never needs the checker
    from thutuc.catalogue.check import CheckResult


def freeze(value: Any) -> Any:
    """Deep read-only copy: mappings become MappingProxyType, lists tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


def plain(value: Any) -> Any:
    """Model objects back to JSON-able dicts and lists (for open data and JSON output)."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("root",)}
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _make(cls, data: Mapping, **extra):
    names = {f.name for f in dataclasses.fields(cls)}
    values = {k: freeze(v) for k, v in data.items() if k in names}
    values.update(extra)
    return cls(**values)


@dataclass(frozen=True)
class Hours:
    days: tuple[str, ...]
    open: str
    close: str


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    level: str
    short_name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    hours: tuple[Hours, ...] = ()
    sample: bool = False
    status: str = "active"
    abolished_on: str | None = None
    successor: str | None = None
    note: str | None = None
    editor_note: str | None = None  # for editors only: never rendered
    source: str | None = None


@dataclass(frozen=True)
class Source:
    """One entry of ``sources``: an address or words, when it was read, and whether it still holds
    (current, stale: an older version not read again, superseded: replaced by a newer one)."""

    url: str | None = None
    text: str | None = None
    retrieved: str | None = None
    status: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        return self.text or self.url or ""


def source_item(value: Any) -> Source:
    """A ``sources`` entry as written (plain text, an address, or a mapping) as a Source."""
    if isinstance(value, Mapping):
        return _make(Source, value)
    text = str(value)
    return Source(url=text) if text.startswith(("https://", "http://")) else Source(text=text)


@dataclass(frozen=True)
class LegalDocument:
    id: str
    number: str
    type: str
    title: str
    issuer: str
    issued: str | None = None
    in_force: str | None = None
    repealed: str | None = None
    repealed_by: str | None = None
    amended_by: tuple[str, ...] = ()
    url: str | None = None
    note: str | None = None
    looked_up: tuple[str, ...] = ()  # shared documents this text says the office looks up
    editor_note: str | None = None


@dataclass(frozen=True)
class Fallback:
    """What to bring when the office cannot look the paper up."""

    originals: int = 0
    certified_copies: int = 0
    copies: int = 0
    quantity_note: str | None = None
    group: str = "submit"
    note: str | None = None


@dataclass(frozen=True)
class Lookup:
    """The office reads the paper's data itself (group: lookup): from where, on what basis, and
    what to bring when that fails."""

    sources: tuple[str, ...]
    basis: tuple[Mapping, ...] = ()  # {ref, articles}
    fallback: Fallback | None = None
    source: str | None = None
    note: str | None = None


def _lookup(data: Mapping | None) -> Lookup | None:
    if not data:
        return None
    fallback = data.get("fallback")
    return _make(Lookup, {k: v for k, v in data.items() if k != "fallback"},
                 fallback=_make(Fallback, fallback) if fallback is not None else None)


@dataclass(frozen=True)
class SharedDocument:
    id: str
    name: str
    description: str | None = None
    issued_by: str | None = None
    legal_basis: tuple[str, ...] = ()
    note: str | None = None
    lookup: Lookup | None = None
    editor_note: str | None = None


@dataclass(frozen=True)
class Question:
    key: str
    ask: str
    type: str
    help: str | None = None
    options: tuple[Mapping, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    default: Any = None
    when: Mapping | None = None  # asked only when this holds (over earlier answers)


@dataclass(frozen=True)
class Paper:
    """One paper: a named one, or a shared document (name filled in from it)."""

    name: str
    ref: str | None = None
    form: Mapping | None = None
    note: str | None = None
    editor_note: str | None = None


@dataclass(frozen=True)
class Document:
    id: str
    group: str
    papers: tuple[Paper, ...]  # one paper, or the alternatives of one_of
    originals: int = 0
    certified_copies: int = 0
    copies: int = 0
    quantity_note: str | None = None
    when: Mapping | None = None
    when_text: str | None = None
    channels: tuple[str, ...] = ()
    note: str | None = None
    editor_note: str | None = None
    source: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    lookup: Lookup | None = None  # group lookup: its own, or the shared document's
    times: str | None = None  # a number question the counts are multiplied by
    pages: str | None = None  # a number question: pages of each copy

    @property
    def looked_up(self) -> bool:
        return self.group == "lookup"

    @property
    def fallback(self) -> Fallback | None:
        return self.lookup.fallback if self.lookup else None

    @property
    def alternatives(self) -> bool:
        return len(self.papers) > 1

    @property
    def name(self) -> str:
        return self.papers[0].name if len(self.papers) == 1 else " / ".join(p.name for p in self.papers)


@dataclass(frozen=True)
class TimeCase:
    """A case with its own time limit (processing_time.cases): the first that holds applies."""

    when: Mapping
    unit: str
    amount: int | None = None
    cutoff: str | None = None
    what: str | None = None
    note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class ProcessingTime:
    unit: str
    amount: int | None = None
    cutoff: str | None = None
    starts: tuple[str, ...] = ()  # all must have happened: (complete_file, payment)
    starts_note: str | None = None
    max_extension: int | None = None
    stages: tuple[Mapping, ...] = ()
    cases: tuple[TimeCase, ...] = ()
    note: str | None = None
    editor_note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Result:
    """What the applicant receives; with its own condition and time limit where it has them."""

    name: str
    code: str | None = None
    when: Mapping | None = None
    processing_time: ProcessingTime | None = None
    form: Mapping | None = None
    source: str | None = None
    note: str | None = None
    editor_note: str | None = None


@dataclass(frozen=True)
class Channel:
    kind: str
    online_level: str | None = None
    legacy_level: int | None = None
    url: str | None = None
    processing_time: ProcessingTime | None = None
    where: str | None = None
    note: str | None = None
    editor_note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Fee:
    name: str
    kind: str
    id: str | None = None
    amount: int | None = None
    unit: str | None = None
    units: str | None = None
    times: str | None = None
    tiers: tuple[Mapping, ...] = ()
    cap: int | None = None
    percent: float | None = None
    of: str | None = None
    min: int | None = None
    max: int | None = None
    when: Mapping | None = None
    channels: tuple[str, ...] = ()
    exemptions: tuple[Mapping, ...] = ()
    reductions: tuple[Mapping, ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None
    note: str | None = None
    editor_note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Lifecycle:
    status: str
    last_reviewed: str
    since: str | None = None
    reason: str | None = None
    superseded_by: str | None = None
    reviewed_by: str | None = None
    review_every_months: int | None = None


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    summary: str
    field: str
    levels: tuple[str, ...]
    deciding: str
    receiving: str
    applicants: tuple[str, ...]
    documents: tuple[Document, ...]
    channels: tuple[Channel, ...]
    processing_time: ProcessingTime
    fees: tuple[Fee, ...]
    results: tuple[Result, ...]
    legal_basis: tuple[Mapping, ...]  # {ref, articles}
    lifecycle: Lifecycle
    source_path: str
    code: str | None = None
    decision: str | None = None
    keywords: tuple[str, ...] = ()
    life_events: tuple[str, ...] = ()
    coordinating: tuple[str, ...] = ()
    procedure_type: str | None = None
    who_can_apply: str | None = None
    questions: tuple[Question, ...] = ()
    sets: int | None = None
    steps: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    editor_note: str | None = None
    # agencies: every receiving point (``receiving`` is the first), who carries it out, and
    # filing at any office regardless of residence (Nghị định 118/2025)
    receiving_points: tuple[str, ...] = ()
    carrying_out: tuple[str, ...] = ()
    any_office: bool = False
    any_office_basis: Mapping | None = None
    agencies_source: str | None = None
    agencies_editor_note: str | None = None
    # how the result can be sent ({how: post, charge: carrier | đồng, note, source}): a carrier's
    # charge, never a fee, never in the total
    delivery: tuple[Mapping, ...] = ()

    @property
    def active(self) -> bool:
        return self.lifecycle.status == "active"

    @property
    def listed(self) -> bool:
        """Shown in lists and search: active or suspended, not drafts or abolished ones."""
        return self.lifecycle.status in ("active", "suspended")

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def time_for(self, channel: str) -> ProcessingTime:
        ch = next((c for c in self.channels if c.kind == channel), None)
        return ch.processing_time if ch and ch.processing_time else self.processing_time

    @property
    def source(self) -> str | None:
        """The procedure's own first source in words: a fact whose source differs is shown with it."""
        return self.sources[0].label if self.sources else None

    def current_sources(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.status in (None, "current"))


@dataclass(frozen=True)
class Catalogue:
    office: Mapping
    calendar: Mapping
    fields: Mapping[str, Mapping]
    life_events: Mapping[str, Mapping]
    agencies: Mapping[str, Agency]
    documents: Mapping[str, SharedDocument]
    legal: Mapping[str, LegalDocument]
    procedures: Mapping[str, Procedure]
    version: str
    root: Path = field(compare=False)
    codes: Mapping[str, str] = field(default_factory=dict)  # national code -> procedure id

    def listed(self) -> list[Procedure]:
        return [p for p in self.procedures.values() if p.listed]


class LazyProcedures(Mapping):
    """Procedures read one by one from the model cache when first used: a checklist needs one
    procedure, and unpickling all 5,000 of a national catalogue would take seconds. A procedure
    whose cache file is missing or does not match its name is not trusted: ``rebuild`` checks the
    catalogue again (and rewrites the cache) and the procedure is taken from that."""

    def __init__(self, store, names: Mapping[str, str], rebuild: Callable[[], Mapping[str, "Procedure"]]):
        self._store, self._names, self._loaded, self._rebuild = store, names, {}, rebuild

    def __getitem__(self, pid: str) -> Procedure:
        if pid not in self._loaded:
            name = self._names[pid]  # KeyError for an unknown id, as a dict would
            try:
                proc = self._store.procedure(name)
                if not isinstance(proc, Procedure) or proc.id != pid:
                    raise ValueError(name)
            except Exception:  # missing, damaged or someone else's entry: never trusted
                fresh = self._rebuild()
                self._loaded.update(fresh)
                return fresh[pid]
            self._loaded[pid] = proc
        return self._loaded[pid]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, pid: object) -> bool:
        return pid in self._names

    def __reduce__(self):  # another process gets the procedures themselves
        from thutuc.cache import _proxy

        return (_proxy, (dict(self.items()),))


def _time(data: Mapping | None) -> ProcessingTime | None:
    if not data:
        return None
    starts = data.get("starts")
    return _make(ProcessingTime, {k: v for k, v in data.items() if k not in ("starts", "cases")},
                 starts=tuple([starts] if isinstance(starts, str) else starts or ()),
                 cases=tuple(_make(TimeCase, c) for c in data.get("cases") or ()))


def _result(data: Mapping) -> Result:
    return _make(Result, {k: v for k, v in data.items() if k != "processing_time"},
                 processing_time=_time(data.get("processing_time")))


def _papers(doc: Mapping, shared: Mapping[str, SharedDocument]) -> tuple[Paper, ...]:
    def paper(d: Mapping) -> Paper:
        name = d.get("name") or shared[d["ref"]].name
        return Paper(name=name, ref=d.get("ref"), form=freeze(d.get("form")), note=d.get("note"),
                     editor_note=d.get("editor_note"))

    if "one_of" in doc:
        return tuple(paper(alt) for alt in doc["one_of"])
    return (Paper(name=doc.get("name") or shared[doc["ref"]].name, ref=doc.get("ref"),
                  form=freeze(doc.get("form"))),)


UNKNOWN_PAPERS = "Chưa có thông tin chính thức về thành phần hồ sơ"


def _document(d: Mapping, shared: Mapping[str, SharedDocument]) -> Document:
    lookup = _lookup(d.get("lookup"))
    if lookup is None and d.get("group") == "lookup" and d.get("ref") in shared:
        lookup = shared[d["ref"]].lookup  # a shared document's lookup is inherited where it is referred to
    papers = ((Paper(name=UNKNOWN_PAPERS),) if d.get("group") == "unknown" and not any(
        k in d for k in ("name", "ref", "one_of")) else _papers(d, shared))
    return _make(Document, {k: v for k, v in d.items() if k not in ("name", "ref", "one_of", "form", "lookup")},
                 papers=papers, lookup=lookup)


def _procedure(data: dict, path: str, shared: Mapping[str, SharedDocument]) -> Procedure:
    docs = tuple(_document(d, shared) for d in data["documents"])
    channels = tuple(_make(Channel, {k: v for k, v in c.items() if k != "processing_time"},
                           processing_time=_time(c.get("processing_time")))
                     for c in data["channels"])
    agencies = data["agencies"]
    receiving = agencies["receiving"]
    points = (receiving,) if isinstance(receiving, str) else tuple(receiving)
    return _make(
        Procedure,
        {k: v for k, v in data.items() if k not in ("documents", "channels", "processing_time", "fees",
                                                   "questions", "lifecycle", "agencies", "results", "sources")},
        results=tuple(_result(r) for r in data["results"]),
        deciding=agencies["deciding"], receiving=points[0], receiving_points=points,
        carrying_out=tuple(agencies.get("carrying_out", ())),
        coordinating=tuple(agencies.get("coordinating", ())),
        any_office=bool(agencies.get("any_office", False)),
        any_office_basis=freeze(agencies.get("any_office_basis")),
        agencies_source=agencies.get("source"), agencies_editor_note=agencies.get("editor_note"),
        sources=tuple(source_item(s) for s in data.get("sources", ())),
        documents=docs, channels=channels, processing_time=_time(data["processing_time"]),
        fees=tuple(_make(Fee, f) for f in data["fees"]),
        questions=tuple(_make(Question, q) for q in data.get("questions", [])),
        lifecycle=_make(Lifecycle, data["lifecycle"]),
        source_path=path,
    )


def catalogue_version(result: CheckResult) -> str:
    """A short content hash of every catalogue file: the same files give the same version."""
    h = hashlib.sha256()
    for f in sorted(result.files, key=lambda f: f.rel):
        h.update(f.rel.encode() + b"\0" + (f.loaded.text or "").encode() + b"\0")
    return h.hexdigest()[:10]


def build(result: CheckResult, root: Path) -> Catalogue:
    """The model of a checked catalogue (call only when ``result.errors == 0``)."""
    if result.errors:
        raise ValueError("the catalogue has errors; run check first")
    index = result.index

    def records(kind: str) -> dict[str, dict]:
        return {rid: rec.data for rid, rec in sorted(index.ids(kind).items())}

    agencies = {rid: _make(Agency, d, hours=tuple(_make(Hours, h) for h in d.get("hours", [])))
                for rid, d in records("agencies").items()}
    shared = {rid: _make(SharedDocument, {k: v for k, v in d.items() if k != "lookup"}, lookup=_lookup(d.get("lookup")))
              for rid, d in records("documents").items()}
    legal = {rid: _make(LegalDocument, d) for rid, d in records("legal").items()}
    procedures = {rid: _procedure(rec.data, rec.file.rel, shared)
                  for rid, rec in sorted(index.ids("procedures").items())}
    return Catalogue(
        office=freeze(index.office.data), calendar=freeze(index.calendar.data if index.calendar else {}),
        fields=freeze(records("fields")), life_events=freeze(records("life_events")),
        agencies=MappingProxyType(agencies), documents=MappingProxyType(shared),
        legal=MappingProxyType(legal), procedures=MappingProxyType(procedures),
        version=catalogue_version(result), root=root,
        codes=MappingProxyType({p.code: p.id for p in procedures.values() if p.code}),
    )


def load(root: Path | str, today=None) -> tuple[CheckResult, Catalogue | None]:
    """Check a catalogue and, when it has no errors, build its model."""
    from thutuc.catalogue.check import check_catalogue

    result = check_catalogue(root, today=today)
    return result, (build(result, Path(root)) if result.errors == 0 else None)


def load_model(root: Path | str) -> tuple[CheckResult | None, Catalogue | None]:
    """The model for commands that only read the catalogue (checklists), from a cache when the
    catalogue's files (their bytes) and thutuc's code are unchanged; otherwise a full check first.

    Returns (check result or None when served from the cache, model or None on errors).
    """
    from thutuc.cache import code_fingerprint, model_store, tree_fingerprint

    root = Path(root)
    key = tree_fingerprint(root, code_fingerprint())
    store = model_store(root)

    def checked() -> tuple[CheckResult, Catalogue | None]:
        result, cat = load(root)
        if cat is not None:
            store.write(key, dataclasses.replace(cat, procedures=MappingProxyType({})), cat.procedures)
        return result, cat

    found = store.read(key)
    if found is not None:
        cat, names = found

        def rebuild() -> Mapping[str, Procedure]:
            fresh = checked()[1]
            return fresh.procedures if fresh is not None else {}

        return None, dataclasses.replace(cat, procedures=LazyProcedures(store, names, rebuild))
    return checked()
