"""Editing catalogue files in place: retire, reviewed, reassign.

ruamel.yaml round-trips the files (every bundled file loads and dumps back byte-identical with
these settings, and a test keeps it so), so comments, key order, quoting and blank lines of every
untouched line stay as they were. Each edit is checked as a whole catalogue *before* anything is
written, and files are replaced atomically (a crash leaves the old or the new file, never half).
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from thutuc.catalogue.check import CheckResult, check_catalogue
from thutuc.i18n import _
from thutuc.outputs import atomic_write_all


class EditError(ValueError):
    """The edit cannot be made; ``result`` holds the check report when the edit would break it."""

    def __init__(self, message: str, result: CheckResult | None = None):
        super().__init__(message)
        self.result = result


def yaml_rt():
    from ruamel.yaml import YAML

    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def load(text: str):
    return yaml_rt().load(text)


def dump(data) -> str:
    out = io.StringIO()
    yaml_rt().dump(data, out)
    return out.getvalue()


@dataclass(frozen=True)
class TextStyle:
    """A file's byte-order mark and line ending, kept through an edit: the YAML tools work on
    LF text, and a file saved on Windows must come back as it was on every untouched line."""

    bom: bool = False
    newline: str = "\n"

    @classmethod
    def of(cls, text: str) -> "TextStyle":
        bom = text.startswith("\ufeff")
        first = text.find("\n")
        return cls(bom, "\r\n" if first > 0 and text[first - 1] == "\r" else "\n")

    @staticmethod
    def plain(text: str) -> str:
        return text.removeprefix("\ufeff").replace("\r\n", "\n")

    def restore(self, plain: str) -> str:
        text = plain.replace("\n", self.newline) if self.newline != "\n" else plain
        return "\ufeff" + text if self.bom else text


def read_source(path: Path) -> str:
    """A catalogue file's text exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def edit_text(before: str, edit: Callable[[dict], None]) -> str:
    """Round-trip ``before`` through ruamel.yaml with ``edit`` applied, keeping BOM and line endings."""
    style = TextStyle.of(before)
    data = load(style.plain(before))
    edit(data)
    return style.restore(dump(data))


@dataclass
class Change:
    rel: str  # path relative to the catalogue root
    before: str
    after: str

    def diff(self, root_label: str = "catalogue") -> str:
        return "".join(difflib.unified_diff(self.before.splitlines(True), self.after.splitlines(True),
                                            f"a/{root_label}/{self.rel}", f"b/{root_label}/{self.rel}"))


def set_key(mapping, key: str, value, after: str | None = None) -> None:
    """Set ``key``; a new key goes right after ``after`` (or at the end) to keep a readable order."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping.keys())
    pos = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(pos, key, value)


def apply(root: Path, changes: list[Change], dry_run: bool = False, today: dt.date | None = None) -> CheckResult:
    """Check the catalogue as it would be after the changes; write them only if it has no error."""
    changes = [c for c in changes if c.after != c.before]
    result = check_catalogue(root, today=today, overrides={c.rel: c.after for c in changes})
    if result.errors:
        raise EditError(_("the edit would leave errors in the catalogue; nothing was written"), result)
    if not dry_run:
        try:
            atomic_write_all((root / c.rel, c.after) for c in changes)  # all files or none
        except OSError as exc:
            raise EditError(_("cannot write {path}: {reason}; nothing was changed").format(
                path=exc.filename or root, reason=exc.strerror or exc)) from None
    return result


def _procedure_file(root: Path, result: CheckResult, pid: str) -> str:
    from thutuc.problems import suggest

    rec = result.index.ids("procedures").get(pid)
    if rec is None:
        codes = {r.data.get("code"): r for r in result.index.ids("procedures").values() if r.data.get("code")}
        rec = codes.get(pid)
    if rec is None:
        raise EditError(_("no procedure '{id}'").format(id=pid) + suggest(pid, result.index.ids("procedures")))
    return rec.file.rel


def _edit_procedure(root: Path, pid: str, edit: Callable[[dict], None]) -> Change:
    # A file is named after its id (check enforces it), so no full check is needed to find it;
    # codes and typos fall back to the index. apply() checks the whole catalogue anyway.
    by_name = sorted((root / "procedures").glob(f"*/{pid}.yaml"))
    rel = by_name[0].relative_to(root).as_posix() if len(by_name) == 1 else \
        _procedure_file(root, check_catalogue(root), pid)
    before = read_source(root / rel)
    return Change(rel, before, edit_text(before, edit))


# No administrative procedure of Vietnam's is older than the state (2 September 1945); a date
# before it is a typing slip. Abolitions may be planned ahead, but not further than this.
EARLIEST = dt.date(1945, 9, 2)
PLANNING_YEARS = 10


def _date_of(value) -> dt.date | None:
    """A lifecycle date as the file has it (a date, or text YYYY-MM-DD), None otherwise."""
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _too_early(on: dt.date) -> EditError | None:
    if on < EARLIEST:
        return EditError(_("{date} is before {earliest}: no procedure is that old; check the year").format(
            date=on.isoformat(), earliest=EARLIEST.isoformat()))
    return None


def retire(root: Path, pid: str, on: dt.date, reason: str, superseded_by: str | None = None,
           today: dt.date | None = None) -> Change:
    """Mark a procedure abolished on a date, with the reason and its successor. The date may be
    ahead (an abolition already decided), but not more than PLANNING_YEARS: such a year is a slip."""
    from thutuc.catalogue.check import today_vn

    today = today or today_vn()
    latest = today.replace(year=today.year + PLANNING_YEARS) if (today.month, today.day) != (2, 29) else \
        dt.date(today.year + PLANNING_YEARS, 2, 28)
    if on > latest:
        raise EditError(_("{date} is more than {years} years from today ({today}); check the year").format(
            date=on.isoformat(), years=PLANNING_YEARS, today=today.isoformat()))
    if (error := _too_early(on)) is not None:
        raise error

    def edit(data):
        life = data["lifecycle"]
        life["status"] = "abolished"
        set_key(life, "since", on, after="status")
        set_key(life, "reason", reason, after="since")
        if superseded_by:
            set_key(life, "superseded_by", superseded_by, after="reason")
    return _edit_procedure(root, pid, edit)


def reviewed(root: Path, pid: str, by: str, on: dt.date, today: dt.date | None = None) -> Change:
    """Record that someone checked the procedure against its sources today (or on a date).

    Refused: a date after today in Vietnam (a review not yet done would date every page and
    sitemap entry in the future and hide the procedure from the overdue list), a date before
    EARLIEST, and a date before the review already recorded (last_reviewed never goes back).
    """
    from thutuc.catalogue.check import today_vn

    today = today or today_vn()
    if on > today:
        raise EditError(_("a review cannot be dated {date}: that is after today ({today}) in Vietnam; give the "
                          "day the procedure was checked").format(date=on.isoformat(), today=today.isoformat()))
    if (error := _too_early(on)) is not None:
        raise error

    def edit(data):
        life = data["lifecycle"]
        before = _date_of(life.get("last_reviewed"))
        if before is not None and on < before:
            raise EditError(_("{id} was already reviewed on {before}; a review on {date} would put that date back "
                              "(give the date of a newer review)").format(
                                  id=pid, before=before.isoformat(), date=on.isoformat()))
        life["last_reviewed"] = on
        set_key(life, "reviewed_by", by, after="last_reviewed")
    return _edit_procedure(root, pid, edit)


def reassign(root: Path, from_agency: str, to_agency: str, level: str | None = None) -> list[Change]:
    """Move every procedure from one agency to another (a reorganisation), optionally changing
    the level the old agency had (e.g. huyen -> xa)."""
    result = check_catalogue(root)
    agencies = result.index.ids("agencies")
    if from_agency not in agencies:
        raise EditError(_("no agency '{id}'").format(id=from_agency))
    if to_agency not in agencies:
        raise EditError(_("no agency '{id}'").format(id=to_agency))
    old_level = agencies[from_agency].data.get("level")
    changes = []
    for pid, rec in sorted(result.index.ids("procedures").items()):
        touched = False

        def edit(data):
            nonlocal touched
            ag = data.get("agencies", {})
            for role in ("deciding", "receiving"):
                if ag.get(role) == from_agency:
                    ag[role] = to_agency
                    touched = True
            for role in ("receiving", "carrying_out", "coordinating"):  # lists of agencies
                names = ag.get(role)
                if not isinstance(names, list):
                    continue
                for i, a in enumerate(names):
                    if a == from_agency:
                        if to_agency in names:  # already there: once is enough
                            del names[i]
                        else:
                            names[i] = to_agency
                        touched = True
                        break
            for ch in data.get("channels") or []:
                if ch.get("where") == from_agency:
                    ch["where"] = to_agency
                    touched = True
            if touched and level and old_level in (data.get("levels") or []):
                levels = data["levels"]
                i = list(levels).index(old_level)
                if level in levels:
                    del levels[i]
                else:
                    levels[i] = level

        before = read_source(root / rec.file.rel)
        after = edit_text(before, edit)
        if touched:
            changes.append(Change(rec.file.rel, before, after))
    return changes
