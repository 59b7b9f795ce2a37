"""What changed between two versions of a catalogue, in the shape of an official announcement of
new, amended and abolished procedures (công bố thủ tục hành chính mới, sửa đổi, bãi bỏ).

A version is a catalogue folder or a git revision of the repository the catalogue lives in. Old
versions need not pass today's check (rules change), but every procedure file must be readable
YAML of the right shape: a file that does not load would otherwise look like a procedure that
vanished and be announced as abolished. Such a version is refused (:class:`BrokenVersion`) with
the problems, and the site's history skips commits like that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from thutuc import vi
from thutuc.cache import cached, code_fingerprint
from thutuc.catalogue import schemas
from thutuc.catalogue.check import check_catalogue
from thutuc.i18n import _
from thutuc.problems import Problem

LISTED = ("active", "suspended")
VN = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    code: str | None
    details: tuple[str, ...] = ()


@dataclass
class Report:
    old: str
    new: str
    added: list[Entry] = field(default_factory=list)
    amended: list[Entry] = field(default_factory=list)
    abolished: list[Entry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.amended or self.abolished)

    def as_json(self) -> dict:
        return {"old": self.old, "new": self.new,
                **{k: [asdict(e) for e in getattr(self, k)] for k in ("added", "amended", "abolished")}}


class BrokenVersion(Exception):
    """A version with procedure files that do not load (not YAML, wrong shape, an id used twice):
    comparing it would announce those procedures as abolished or new."""

    def __init__(self, label: str, problems: list[Problem]):
        super().__init__(_("'{version}' has procedure files that cannot be read ({count} error(s)); fix them "
                           "before comparing, or they would be announced as abolished").format(
                               version=label, count=len(problems)))
        self.label = label
        self.problems = problems


def read_version(root: Path, display_root: str = "catalogue") -> tuple[dict[str, dict], list[Problem]]:
    """(procedure records by id, the errors that make the version unfit for comparison).

    Only errors that hide or garble a procedure record count: the file is not valid YAML, does
    not match the schema, or reuses another procedure's id. Other rules may well have changed
    since an old version was written, so their errors do not stop a comparison.
    """
    result = check_catalogue(root, display_root=display_root)
    broken: list[Problem] = []
    for f in result.files:
        if f.kind != "procedure":
            continue
        found = [p for p in f.loaded.problems if p.severity == "error"]
        if f.loaded.data is None and not found:
            found = [f.loaded.problem((), "error", _("the file holds no procedure"))]
        if not found:
            found = [p for p in schemas.validate(f.loaded, f.kind) if p.severity == "error"]
        broken += found
    files = {f.loaded.path for f in result.files if f.kind == "procedure"}
    broken += [p for p in result.problems if p.severity == "error" and p.key == "id" and p.path in files]
    procs = {pid: rec.data for pid, rec in result.index.ids("procedures").items()}
    return procs, sorted(set(broken))


def procedures(root: Path, display_root: str = "catalogue") -> dict[str, dict]:
    """Procedure records by id; BrokenVersion when a procedure file cannot be read."""
    procs, broken = read_version(root, display_root)
    if broken:
        raise BrokenVersion(display_root, broken)
    return procs


def git_root(path: Path) -> Path | None:
    """The repository holding ``path``, or None (not in git, or git not installed)."""
    try:
        res = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    except OSError:
        return None
    return Path(res.stdout.strip()) if res.returncode == 0 else None


def resolve_revision(repo: Path, rev: str) -> str:
    """The commit a revision names, as a full hash; ValueError for anything else.

    A revision is only ever handed to git as ``REV^{commit}`` after ``--end-of-options``, and git
    then gets the hash: text beginning with '-' would otherwise be read as an option
    (``--output=FILE`` makes ``git archive`` overwrite FILE).
    """
    if not rev or rev.startswith("-"):
        raise ValueError(_("'{revision}' is not a git revision or a folder (a revision cannot begin with '-')").format(
            revision=rev))
    try:
        res = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", "--end-of-options",
                              f"{rev}^{{commit}}"], capture_output=True, text=True)
    except OSError as exc:
        raise ValueError(_("git cannot be run: {reason}").format(reason=exc.strerror or exc)) from None
    sha = res.stdout.strip()
    if res.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
        raise ValueError(_("'{revision}' is neither a folder nor a commit of the git repository at {repo}").format(
            revision=rev, repo=repo))
    return sha


def export_revision(repo: Path, rev: str, subdir: str, into: Path) -> Path:
    """The catalogue folder as it was at a git revision, unpacked into ``into``."""
    sha = resolve_revision(repo, rev)
    res = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", sha, "--", subdir], capture_output=True)
    if res.returncode != 0:
        raise ValueError(_("git cannot read '{folder}' at '{revision}': {reason}").format(
            folder=subdir, revision=rev, reason=res.stderr.decode(errors="replace").strip()))
    with tarfile.open(fileobj=io.BytesIO(res.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / subdir


def load_version(spec: str, catalogue: Path) -> tuple[str, dict[str, dict]]:
    """(label, procedures) for a folder or a git revision of the repository holding ``catalogue``."""
    path = Path(spec)
    try:
        is_dir = path.is_dir()
    except OSError:  # e.g. a name too long for a path: no folder, maybe a revision
        is_dir = False
    if is_dir:
        return spec, procedures(path, spec.rstrip("/") or spec)
    if spec.startswith("-"):
        resolve_revision(catalogue, spec)  # refuses it, whether or not there is a repository
    repo = git_root(catalogue)
    if repo is None:
        raise ValueError(_("'{version}' is neither a folder nor a git revision (no git repository here)").format(
            version=spec))
    subdir = catalogue.resolve().relative_to(repo).as_posix()
    sha = resolve_revision(repo, spec)
    with tempfile.TemporaryDirectory() as tmp:
        return spec, procedures(export_revision(repo, sha, subdir, Path(tmp)), f"{spec}:{subdir}")


def _names(docs) -> dict[str, str]:
    out = {}
    for d in docs or []:
        if not isinstance(d, dict):
            continue
        name = d.get("name") or d.get("ref") or " / ".join(str(p.get("name") or p.get("ref")) for p in d.get("one_of") or [])
        out[d.get("id") or name] = name
    return out


def _time(t) -> str:
    if not isinstance(t, dict):
        return "?"
    text = vi.time_limit(t.get("unit", "unknown"), t.get("amount"), t.get("cutoff")).rstrip(".")
    cases = [c for c in t.get("cases") or [] if isinstance(c, dict)]
    if cases:  # a case's time changed is a change of the time: say each
        text += " (" + "; ".join(f"{c.get('what') or 'trường hợp riêng'}: " + _time(c) for c in cases) + ")"
    return text


def _fee(f: dict) -> str:
    kind = f.get("kind")
    if kind == "fixed":
        return vi.money(f.get("amount") or 0)
    if kind == "per_unit":
        return "theo đơn vị" + (f" (tối đa {vi.money(f['cap'])})" if f.get("cap") else "")
    if kind == "percent":
        return f"{vi.number(f.get('percent') or 0)} %"
    return {"free": "miễn phí", "set_by_province": "do HĐND tỉnh quyết định", "unknown": "chưa rõ"}.get(kind, str(kind))


def amendments(old: dict, new: dict) -> list[str]:
    """What changed in one procedure, in Vietnamese, most important first."""
    out = []
    if old.get("title") != new.get("title"):
        out.append(f"đổi tên: “{old.get('title')}” → “{new.get('title')}”")
    od, nd = _names(old.get("documents")), _names(new.get("documents"))
    for key in sorted(set(nd) - set(od)):
        out.append(f"thêm giấy tờ: {nd[key]}")
    for key in sorted(set(od) - set(nd)):
        out.append(f"bỏ giấy tờ: {od[key]}")
    old_docs = {d.get("id"): d for d in old.get("documents") or [] if isinstance(d, dict)}
    for d in new.get("documents") or []:
        before = old_docs.get(d.get("id")) if isinstance(d, dict) else None
        if before is not None and before != d and d.get("id") in od:
            out.append(f"sửa giấy tờ: {nd[d.get('id')]}")
    ofees = {f.get("id") or f.get("name"): f for f in old.get("fees") or [] if isinstance(f, dict)}
    nfees = {f.get("id") or f.get("name"): f for f in new.get("fees") or [] if isinstance(f, dict)}
    for key in sorted(set(ofees) | set(nfees), key=str):
        a, b = ofees.get(key), nfees.get(key)
        if a is None:
            out.append(f"thêm khoản thu {b.get('name')}: {_fee(b)}")
        elif b is None:
            out.append(f"bỏ khoản thu {a.get('name')}")
        elif a != b:
            out.append(f"phí, lệ phí {b.get('name')}: {_fee(a)} → {_fee(b)}"
                       if _fee(a) != _fee(b) else f"sửa khoản thu {b.get('name')}")
    if old.get("processing_time") != new.get("processing_time"):
        out.append(f"thời hạn: {_time(old.get('processing_time'))} → {_time(new.get('processing_time'))}")
    och = {c.get("kind"): c for c in old.get("channels") or [] if isinstance(c, dict)}
    nch = {c.get("kind"): c for c in new.get("channels") or [] if isinstance(c, dict)}
    for kind in sorted(set(och) | set(nch)):
        if kind not in och:
            out.append(f"thêm cách nộp: {vi.CHANNELS.get(kind, kind)}")
        elif kind not in nch:
            out.append(f"bỏ cách nộp: {vi.CHANNELS.get(kind, kind)}")
        elif och[kind].get("processing_time") != nch[kind].get("processing_time"):
            out.append(f"thời hạn ({vi.CHANNELS.get(kind, kind).lower()}): "
                       f"{_time(och[kind].get('processing_time') or old.get('processing_time'))} → "
                       f"{_time(nch[kind].get('processing_time') or new.get('processing_time'))}")
    ol = {b.get("ref") for b in old.get("legal_basis") or [] if isinstance(b, dict)}
    nl = {b.get("ref") for b in new.get("legal_basis") or [] if isinstance(b, dict)}
    if ol != nl:
        parts = [f"thêm {', '.join(sorted(nl - ol))}" if nl - ol else "", f"bỏ {', '.join(sorted(ol - nl))}" if ol - nl else ""]
        out.append("căn cứ pháp lý: " + "; ".join(p for p in parts if p))
    if old.get("agencies") != new.get("agencies"):
        out.append("đổi cơ quan giải quyết hoặc tiếp nhận")
    ignore = {"title", "documents", "fees", "processing_time", "channels", "legal_basis", "agencies", "lifecycle"}
    other = sorted(k for k in set(old) | set(new) if k not in ignore and old.get(k) != new.get(k))
    if other:
        out.append("sửa nội dung khác: " + ", ".join(other))
    return out


def compare(old: dict[str, dict], new: dict[str, dict], old_label: str = "", new_label: str = "") -> Report:
    def status(p):
        return (p.get("lifecycle") or {}).get("status") if isinstance(p, dict) else None

    report = Report(old_label, new_label)
    for pid in sorted(set(old) | set(new)):
        a, b = old.get(pid), new.get(pid)
        was, now = status(a) in LISTED, status(b) in LISTED
        ref = b if b is not None else a
        entry = lambda details=(): Entry(pid, str(ref.get("title")), ref.get("code"), tuple(details))  # noqa: E731
        if now and not was:
            report.added.append(entry())
        elif was and not now:
            life = (b or {}).get("lifecycle") or {}
            details = [x for x in (
                f"từ ngày {vi.date(str(life['since']))}" if life.get("since") else "",
                str(life.get("reason") or ""),
                f"thay bằng: {life['superseded_by']}" if life.get("superseded_by") else "",
                "" if b is not None else "xóa khỏi danh mục") if x]
            report.abolished.append(entry(details))
        elif was and now and a != b:
            report.amended.append(entry(amendments(a, b)))
    return report


def format_md(report: Report, heading: str | None = None) -> str:
    out = [f"# {heading or f'Thay đổi thủ tục hành chính: {report.old} → {report.new}'}", ""]
    for title, items in (("Thủ tục hành chính mới ban hành", report.added),
                         ("Thủ tục hành chính được sửa đổi, bổ sung", report.amended),
                         ("Thủ tục hành chính bị bãi bỏ", report.abolished)):
        out += [f"## {title} ({len(items)})", ""]
        for e in items:
            code = f" ({e.code})" if e.code else ""
            out.append(f"- **{e.title}**{code}" + (": " + "; ".join(e.details) if e.details else ""))
        out.append("" if items else "Không có.\n")
    return "\n".join(out).rstrip() + "\n"


def format_json(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class HistoryItem:
    rev: str
    date: dt.datetime
    subject: str
    report: Report


def _key(*revs: str) -> str:
    """A cache key naming the commits and thutuc's code in full (cache entries are named by the
    first 32 characters of the key: a bare commit hash there would name only the first commit)."""
    return hashlib.sha256("-".join((*revs, code_fingerprint())).encode()).hexdigest()


def history(catalogue: Path, limit: int = 20) -> list[HistoryItem]:
    """Changes to the catalogue commit by commit, newest first (empty outside a git repository).

    A commit whose procedure files do not all load (see :func:`read_version`) is skipped: the
    next good commit is compared with the last good one before it, so a file broken for a while
    is never announced as abolished and then as new.
    """
    repo = git_root(catalogue)
    if repo is None:
        return []
    subdir = catalogue.resolve().relative_to(repo).as_posix()
    # Every commit, not just the last few: a parent is the nearest older commit that loads.
    log = subprocess.run(["git", "-C", str(repo), "log", "--format=%H%x09%cI%x09%s", "--", subdir],
                         capture_output=True, text=True)
    if log.returncode != 0:
        return []
    revs = [line.split("\t", 2) for line in log.stdout.splitlines() if line.count("\t") >= 2]
    items = []
    with tempfile.TemporaryDirectory() as tmp:
        loaded: dict[str, tuple[dict, list]] = {}

        def read(rev: str) -> tuple[dict, list]:
            if rev not in loaded:
                loaded[rev] = read_version(export_revision(repo, rev, subdir, Path(tmp) / rev), f"{rev[:8]}:{subdir}")
            return loaded[rev]

        def readable(rev: str) -> bool:
            return cached("changes-readable", _key(rev), lambda: not read(rev)[1])

        for i, (rev, date, subject) in enumerate(revs[:limit]):
            if not readable(rev):
                continue
            parent = next((r for r, _date, _subject in revs[i + 1:] if readable(r)), "")
            # Commits never change, so each comparison is cached for good (with thutuc's code).
            report = cached("changes", _key(parent, rev),
                            lambda: compare(read(parent)[0] if parent else {}, read(rev)[0], parent[:8], rev[:8]))
            if not report.empty:
                items.append(HistoryItem(rev, dt.datetime.fromisoformat(date).astimezone(VN), subject, report))
    return items
