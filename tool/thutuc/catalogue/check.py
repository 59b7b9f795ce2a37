"""`thutuc check`: load every file, validate it against its schema, then apply cross-file rules."""

from __future__ import annotations

import datetime as dt
import gc
import marshal
from dataclasses import dataclass
from pathlib import Path

from thutuc.cache import BlobStore
from thutuc.catalogue import rules, schemas
from thutuc.catalogue.files import SourceFile, load_all
from thutuc.i18n import _
from thutuc.problems import Problem, sort_problems


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    files: list[SourceFile]
    index: rules.Index

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def ok(self, strict: bool = False) -> bool:
        return self.errors == 0 and not (strict and self.warnings)


def today_vn() -> dt.date:
    """Today in Vietnam (UTC+7, no daylight saving)."""
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=7)).date()


def check_catalogue(root: Path | str, display_root: str | None = None,
                    today: dt.date | None = None, overrides: dict[str, str] | None = None) -> CheckResult:
    """Every problem in the catalogue at ``root``, sorted by file and position."""
    # The check builds millions of small objects and frees none until the end: without this,
    # the cyclic garbage collector rescans them all, again and again (3× slower at 5,000 files).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _check(Path(root), display_root, today, overrides)
    finally:
        if gc_was_enabled:
            gc.enable()


def _check(root: Path, display_root: str | None, today: dt.date | None,
           overrides: dict[str, str] | None) -> CheckResult:
    display = str(root).rstrip("/") if display_root is None else display_root
    if not root.is_dir():
        problem = Problem(display, 1, 1, "error", "", _("no such catalogue folder"))
        return CheckResult([problem], [], rules.Index())
    today = today or today_vn()
    files, problems = load_all(root, display, overrides)
    schema_ok: set[int] = set()
    for i, f in enumerate(files):
        problems += f.loaded.problems
        found = schemas.validate(f.loaded, f.kind)
        problems += found
        if f.loaded.data is not None and not f.loaded.problems and not found:
            schema_ok.add(i)
    index, found = rules.build_index(files)
    problems += found
    problems += rules.shared_rules(index, root)
    store = BlobStore("rules")
    for i, f in enumerate(files):
        if f.loaded.data is None:
            continue
        rec, refused = None, None
        if f.kind == "procedure" and isinstance(f.loaded.data, dict) and isinstance(f.loaded.data.get("id"), str):
            rec = index.ids("procedures").get(f.loaded.data["id"])
            rec = rec if rec is not None and rec.file is f else None
            if rec is not None and i not in schema_ok:
                # Every problem at once: the rules also run on a file the schema refused, on what
                # is left of it once the refused values are taken out (a national code written
                # as a number must not hide a missing form file until it is fixed).
                refused = schemas.refused_paths(f.loaded, f.kind)
                rec = None if refused is None else rules.Record(f, (), _without(rec.data, refused))
        if rec is None or refused is None:
            problems += _local_rules(f, rec, store)
            if rec is not None:
                problems += rules.procedure_rules(rec, index, root, today)
        else:
            found = list(rules.text_rules(f)) + list(rules.local_rules(rec, tolerant=True))
            found += rules.procedure_rules(rec, index, root, today, tolerant=True)
            problems += _outside(found, refused)
    return CheckResult(sort_problems(problems), files, index)


def _without(data, paths: list[tuple]):
    """A copy of ``data`` without the values at ``paths`` (list items keep their places, so the
    positions of the rest stay right: a refused item becomes None)."""
    import copy

    out = copy.deepcopy(data)
    for path in sorted(paths, key=len):
        parent = out
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        last = path[-1]
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            parent[last] = None
    return out


def _outside(found: list[Problem], refused: list[tuple]) -> list[Problem]:
    """The rules' problems, less those about a refused value or what contains it (the schema has
    already said what is wrong there; a rule would only see it missing)."""
    from thutuc.problems import key_path

    refused_keys = [key_path(p) for p in refused]

    def related(key: str) -> bool:
        if not key:
            return False
        for r in refused_keys:
            if r == key or r.startswith((key + ".", key + "[")) or key.startswith((r + ".", r + "[")):
                return True
        return False

    return [p for p in found if not related(p.key)]


def _local_rules(f: SourceFile, rec: rules.Record | None, store: BlobStore) -> list[Problem]:
    """Rules that read only this file, cached by the hash of its bytes: reachability enumerates
    answer combinations and is the slowest rule, yet changes only when the file does."""
    key = f.loaded.digest and f"{f.loaded.digest}-{'procedure' if rec else 'text'}"
    blob = store.get(key) if key else None  # verified against its digest, or None
    if blob is not None:
        try:
            return [Problem(f.loaded.path, *t) for t in marshal.loads(blob)]
        except Exception:  # not what this version wrote: find them again, and rewrite the entry
            pass
    found = list(rules.text_rules(f)) + (list(rules.local_rules(rec)) if rec else [])
    if key:
        store.put(key, marshal.dumps([(p.line, p.col, p.severity, p.key, p.message, p.topic) for p in found]))
    return found
