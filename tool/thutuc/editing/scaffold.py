"""Starting points for editors: `thutuc new` (a new procedure file) and `thutuc schema`.

A new procedure comes from ``templates/procedure.yaml`` (every key explained in Vietnamese
comments) or from a copy of an existing procedure. It is a draft: what nobody has looked up yet
is a ``TODO`` or ``unknown``, which ``thutuc check`` lists as warnings, never an invented fact.
The few values a valid file cannot leave open (agencies, level, one legal basis) are taken from
the procedures of the same field and marked "check this" in the comments. The new file is checked
with the whole catalogue before it is written, and written atomically.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from thutuc.catalogue.check import CheckResult, check_catalogue, today_vn
from thutuc.editing.edit import dump, load
from thutuc.i18n import _
from thutuc.outputs import atomic_write
from thutuc.problems import Problem, suggest

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "procedure.yaml"
MODELINE = "# yaml-language-server: $schema=../../../schemas/procedure.schema.json"
PLACEHOLDER_TITLE = "TODO: tên thủ tục"


class ScaffoldError(ValueError):
    """The file cannot be made; ``problems`` holds the errors the new file would bring."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class NewProcedure:
    id: str
    rel: str  # path relative to the catalogue root
    display: str  # path as check reports it
    text: str
    problems: list[Problem] = field(default_factory=list)  # the new file's warnings: what to fill in
    other_errors: int = 0  # errors the catalogue already had elsewhere
    written: bool = False


# -- ids -------------------------------------------------------------------------------------

def _id_schema() -> dict:
    from thutuc.catalogue.schemas import schema

    return schema("common")["$defs"]["id"]


def id_problem(pid: str) -> str | None:
    """Why ``pid`` is not a valid procedure id (the id rule in schemas/common.schema.json), or None."""
    rule = _id_schema()
    if re.fullmatch(rule["pattern"].lstrip("^").rstrip("$"), pid) and len(pid) <= rule.get("maxLength", 10**6):
        return None
    from thutuc.vi import slugify

    hint = ""
    slug = slugify(pid)
    if slug and slug != pid and re.fullmatch(rule["pattern"].lstrip("^").rstrip("$"), slug):
        hint = "; " + _("did you mean {choice}?").format(choice=f"'{slug}'")
    if len(pid) > rule.get("maxLength", 10**6):
        return _("the id '{id}' is {length} characters long; use at most {max}").format(
            id=pid, length=len(pid), max=rule["maxLength"])
    return _("'{id}' is not a valid id: use lower-case letters a-z without accents, digits and single "
             "hyphens, e.g. dang-ky-khai-sinh{hint}").format(id=pid, hint=hint)


# -- checking a file that does not exist yet ---------------------------------------------------

def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def check_with_new_file(root: Path, rel: str, text: str, today: dt.date | None = None) -> CheckResult:
    """The check of the catalogue as it would be with ``rel`` added, reported with the real paths.

    The catalogue is laid out again in a temporary folder (hard links where possible, so it is
    cheap) with the new file in it; nothing is written into the catalogue itself."""
    display = str(root).rstrip("/")
    with tempfile.TemporaryDirectory(prefix="thutuc-new-") as tmp:
        copy = Path(tmp) / "catalogue"
        shutil.copytree(root, copy, copy_function=_link_or_copy,
                        ignore=lambda _dir, names: [n for n in names if n.startswith(".")])
        target = copy / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return check_catalogue(copy, display_root=display, today=today)


# -- editing loaded YAML without losing comments -----------------------------------------------

def _tail(container, key):
    """(collection, key or index) holding the comments written after ``container[key]``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    value = container[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        return _tail(value, list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1)
    return container, key


def remove_key(mapping, key: str) -> None:
    """Delete ``key``, dropping the comment on its own line but keeping the comment lines and
    blank lines after it (ruamel.yaml hangs those on the key before: they belong to the next)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if key not in mapping:
        return
    keys = list(mapping)
    i = keys.index(key)
    slot = mapping.ca.items.pop(key, None)
    del mapping[key]
    token = slot[2] if slot and len(slot) > 2 else None
    following = token.value.split("\n", 1)[1] if token is not None and "\n" in token.value else ""
    if not following or i == 0:
        return  # nothing after the line, or no key before it to carry the lines (rare; dropped)
    holder, at = _tail(mapping, keys[i - 1])
    pos = 2 if isinstance(holder, CommentedMap) else 0
    items = holder.ca.items.setdefault(at, [None, None, None, None] if pos == 2 else [None, None])
    if items[pos] is None:
        items[pos] = CommentToken("\n" + following, CommentMark(0), None)
    else:
        value = items[pos].value
        items[pos].value = value + ("" if value.endswith("\n") else "\n") + following


# -- what a new procedure starts from ------------------------------------------------------------

@dataclass
class _Guess:
    level: str
    deciding: str
    receiving: str
    legal: str


def _common(values, ok: Callable[[Any], bool]) -> str | None:
    counts = Counter(v for v in values if isinstance(v, str) and ok(v))
    return counts.most_common(1)[0][0] if counts else None


def _guess(result: CheckResult, field_id: str, today: dt.date) -> _Guess:
    """Agencies, level and legal basis most used by the active procedures of the field (else of
    the whole catalogue, else the office's own agency): a start the comments ask to check."""
    index = result.index
    agencies, laws = index.ids("agencies"), index.ids("legal")

    def live_agency(a):
        return a in agencies and agencies[a].data.get("status") != "abolished"

    def live_law(ref):
        repealed = laws[ref].data.get("repealed") if ref in laws else None
        return ref in laws and not (isinstance(repealed, str) and repealed <= today.isoformat())

    active = [r.data for r in index.ids("procedures").values()
              if isinstance(r.data.get("lifecycle"), dict) and r.data["lifecycle"].get("status") == "active"]
    same = [d for d in active if d.get("field") == field_id]

    def pick(get, ok):
        for pool in (same, active):
            found = _common((v for d in pool for v in get(d)), ok)
            if found:
                return found
        return None

    def agency(role):
        return lambda d: [(d.get("agencies") or {}).get(role)] if isinstance(d.get("agencies"), dict) else []

    office_agency = index.office.data.get("agency") if index.office else None
    receiving = pick(agency("receiving"), live_agency) or (office_agency if live_agency(office_agency) else None)
    deciding = pick(agency("deciding"), live_agency) or receiving
    legal = pick(lambda d: [b.get("ref") for b in d.get("legal_basis") or [] if isinstance(b, dict)], live_law) \
        or next((ref for ref in sorted(laws) if live_law(ref)), None)
    if receiving is None:
        raise ScaffoldError(_("the catalogue has no agency yet: add the agencies to catalogue/agencies/ first"))
    if legal is None:
        raise ScaffoldError(_("the catalogue has no legal document in force yet: add the legal basis to "
                              "catalogue/legal/ first"))
    agency_level = agencies[deciding].data.get("level")
    level = pick(lambda d: d.get("levels") or [], lambda v: v != "huyen") \
        or (agency_level if agency_level not in (None, "huyen") else "xa")
    return _Guess(level, deciding, receiving, legal)


def _from_template(result: CheckResult, pid: str, field_id: str, title: str | None, today: dt.date) -> str:
    guess = _guess(result, field_id, today)
    data = load(TEMPLATE.read_text(encoding="utf-8"))
    data["id"] = pid
    if title:
        data["title"] = title
    data["field"] = field_id
    data["levels"][0] = guess.level
    data["agencies"]["deciding"] = guess.deciding
    data["agencies"]["receiving"] = guess.receiving
    data["legal_basis"][0]["ref"] = guess.legal
    data["lifecycle"]["last_reviewed"] = today
    return dump(data)


def _from_copy(root: Path, source, pid: str, field_id: str, title: str | None, today: dt.date) -> str:
    data = load((root / source.file.rel).read_text(encoding="utf-8"))
    old_id, old_title = data.get("id"), data.get("title")
    data["id"] = pid
    data["title"] = title or f"{PLACEHOLDER_TITLE} (sao từ: {old_title})"
    data["field"] = field_id
    # Unique to the old procedure: its national code and its results' codes on the portal.
    remove_key(data, "code")
    for result in data.get("results") or []:
        if isinstance(result, dict):
            remove_key(result, "code")
    # The copy has not been published or reviewed by anyone yet.
    life = data["lifecycle"]
    life["status"] = "draft"
    for key in ("since", "reason", "superseded_by", "reviewed_by"):
        remove_key(life, key)
    life["last_reviewed"] = today
    lines = dump(data).split("\n")
    note = [f"# Sao từ thủ tục {old_id} bằng \"thutuc new --from\": kiểm tra lại từng mục.",
            "# Đã bỏ mã thủ tục (code), mã kết quả và lịch sử rà soát; các chú thích bên dưới là của thủ tục gốc."]
    if lines[0].startswith("# yaml-language-server:"):
        lines[1:1] = note
    else:
        lines[:0] = [MODELINE, *note]
    return "\n".join(lines)


def _find_procedure(result: CheckResult, ref: str):
    procs = result.index.ids("procedures")
    rec = procs.get(ref)
    if rec is None:
        rec = next((r for r in procs.values() if r.data.get("code") == ref), None)
    if rec is None:
        raise ScaffoldError(_("no procedure '{id}' to copy from{hint}").format(id=ref, hint=suggest(ref, procs)))
    return rec


def new_procedure(root: Path | str, pid: str, field_id: str | None = None, source: str | None = None,
                  title: str | None = None, ask_title: Callable[[], str] | None = None,
                  today: dt.date | None = None, dry_run: bool = False) -> NewProcedure:
    """Make ``procedures/<field>/<pid>.yaml`` from the template, or from a copy of ``source`` (an
    id or national code), check the catalogue with it, and write it (unless ``dry_run``).

    ``ask_title`` is called for the title once everything else is known to be fine, when no
    ``title`` is given; without either the title is a placeholder that check warns about.
    Raises :class:`ScaffoldError` and writes nothing when the file cannot be made."""
    root = Path(root)
    problem = id_problem(pid)
    if problem:
        raise ScaffoldError(problem)
    if not root.is_dir():
        raise ScaffoldError(_("no catalogue folder '{path}'").format(path=root))
    today = today or today_vn()
    display = str(root).rstrip("/")
    before = check_catalogue(root, today=today)
    src = _find_procedure(before, source) if source else None
    fields = before.index.ids("fields")
    if field_id is None:
        if src is None:
            raise ScaffoldError(_("say which field with --field; fields: {fields}").format(
                fields=", ".join(sorted(fields))))
        field_id = src.data.get("field")
    if field_id not in fields:
        hint = suggest(field_id, fields)
        if hint or not fields:
            raise ScaffoldError(_("no field '{field}' in {path}{hint}").format(
                field=field_id, path=f"{display}/fields.yaml", hint=hint))
        raise ScaffoldError(_("no field '{field}' in {path}; fields: {fields}").format(
            field=field_id, path=f"{display}/fields.yaml", fields=", ".join(sorted(fields))))
    existing = before.index.ids("procedures").get(pid)
    on_disk = sorted((root / "procedures").glob(f"*/{pid}.yaml"))
    if existing is not None or on_disk:
        where = existing.file.loaded.path if existing is not None else f"{display}/{on_disk[0].relative_to(root).as_posix()}"
        raise ScaffoldError(_("a procedure with id '{id}' already exists: {path}").format(id=pid, path=where))
    if not title and ask_title is not None:
        title = ask_title()
    title = " ".join(unicodedata.normalize("NFC", title).split()) if title else None
    rel = f"procedures/{field_id}/{pid}.yaml"
    text = (_from_copy(root, src, pid, field_id, title, today) if src is not None
            else _from_template(before, pid, field_id, title, today))
    after = check_with_new_file(root, rel, text, today)
    known = set(before.problems)
    new_errors = [p for p in after.problems if p.severity == "error" and p not in known]
    if new_errors:
        raise ScaffoldError(_("the new procedure would bring errors into the catalogue; nothing was written"),
                            new_errors)
    path = root / rel
    if not dry_run:
        if path.exists():  # appeared while we were checking
            raise ScaffoldError(_("a procedure with id '{id}' already exists: {path}").format(
                id=pid, path=f"{display}/{rel}"))
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
    mine = [p for p in after.problems if p.path == f"{display}/{rel}"]
    return NewProcedure(pid, rel, f"{display}/{rel}", text, mine, before.errors, written=not dry_run)


# -- schemas -----------------------------------------------------------------------------------

def schema_dir() -> Path:
    from thutuc.catalogue.schemas import SCHEMA_DIR

    return SCHEMA_DIR


def schema_names() -> list[str]:
    """'procedure', 'common', …: every schema thutuc validates with."""
    return sorted(p.name[: -len(".schema.json")] for p in schema_dir().glob("*.schema.json"))


def schema_file(name: str) -> Path:
    """The schema file for a name ('procedure', 'procedure.schema.json'); ValueError if unknown."""
    base = name[: -len(".schema.json")] if name.endswith(".schema.json") else name.removesuffix(".json")
    names = schema_names()
    if base not in names:
        hint = suggest(base, names)
        if hint:
            raise ValueError(_("no schema '{name}'{hint} schemas: {names}").format(
                name=name, hint=hint, names=", ".join(names)))
        raise ValueError(_("no schema '{name}'; schemas: {names}").format(name=name, names=", ".join(names)))
    return schema_dir() / f"{base}.schema.json"


def schema_uses() -> dict[str, list[str]]:
    """Schema name -> the catalogue files it describes (from what catalogue.py knows)."""
    from thutuc.catalogue.files import FOLDERS, SINGLE_FILES

    uses: dict[str, list[str]] = {}
    for name, kind in SINGLE_FILES.items():
        uses.setdefault(kind, []).append(name)
    for folder, kind in FOLDERS.items():
        uses.setdefault(kind, []).append("procedures/<field>/<id>.yaml" if folder == "procedures" else f"{folder}/*.yaml")
    return uses


def _same_schema(path: Path, src: Path) -> bool:
    """A copy of one of our schemas (any version): the same $id. Such copies may be updated."""
    import json

    try:
        return json.loads(path.read_bytes()).get("$id") == json.loads(src.read_bytes()).get("$id")
    except (OSError, ValueError, AttributeError):
        return False


def export_schemas(out: Path, names: list[str] | None = None) -> list[Path]:
    """Copy schemas (all by default) into ``out``, byte for byte; returns the files written."""
    from thutuc.outputs import check_output_file, write_output

    out.mkdir(parents=True, exist_ok=True)
    sources = [schema_file(name) for name in names or schema_names()]
    for src in sources:  # refuse before writing any: all copies or none
        check_output_file(out / src.name, ours=lambda p, src=src: _same_schema(p, src))
    written = []
    for src in sources:
        target = out / src.name
        write_output(target, src.read_bytes(), ours=lambda p, src=src: _same_schema(p, src))
        written.append(target)
    return written
