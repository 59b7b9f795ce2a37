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
        rec = None
        if i in schema_ok and f.kind == "procedure":
            rec = index.ids("procedures").get(f.loaded.data["id"])
            rec = rec if rec is not None and rec.file is f else None
        problems += _local_rules(f, rec, store)
        if rec is not None:
            problems += rules.procedure_rules(rec, index, root, today)
    return CheckResult(sort_problems(problems), files, index)


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
