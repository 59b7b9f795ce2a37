"""Where thutuc may write, and writing there without losing anything.

Two promises (README, "What thutuc refuses to overwrite"): no command deletes or overwrites
anything it did not create, and every file is replaced in one step (a crash leaves the old file or
the new one, never half of either).

- Folders that thutuc replaces or prunes (the published site, the generated Markdown) carry a
  marker file. A folder without one is used only when it is new or empty; a folder that is, or
  holds, the catalogue, the current folder, the home folder or ``/`` is never used.
- A file named with ``-o`` is written only where no file is, or over a file that thutuc wrote and
  nobody changed since: the hash of every output is remembered in the user's cache folder.
  Nothing is ever written inside the catalogue except by the editing commands.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from thutuc.i18n import _

SITE_MARKER = ".thutuc-site"
BUILD_MARKER = ".thutuc-build"
MARKER_TEXT = ("This folder is written by thutuc and replaced or pruned on every run; do not keep your own "
               "files in it.\n")
_REGISTRY_LIMIT = 1 << 20  # bytes of remembered output hashes before the oldest half is dropped


class OutputError(Exception):
    """thutuc will not (or cannot) write there; the message is one line and names the path."""


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _looks_like_catalogue(folder: Path) -> bool:
    return (folder / "office.yaml").is_file() and (folder / "procedures").is_dir()


def check_folder(path: Path, marker: str, catalogue: Path | None, legacy: Callable[[Path], bool] = lambda p: False,
                 protect: Iterable[Path] = ()) -> Path:
    """The resolved folder, if thutuc may replace or prune it; OutputError otherwise.

    ``legacy`` recognises a folder an older thutuc wrote before folders were marked; ``protect``
    names more folders it must not be, hold or lie inside (thutuc's own sources, the other output)."""
    target = path.expanduser().resolve()
    label = str(path)
    never = [Path("/"), Path.home().resolve(), Path.cwd().resolve()]
    if any(target == n or _inside(n, target) for n in never):
        raise OutputError(_("{path}: refusing to use this folder: it is, or holds, the current folder, the home "
                            "folder or /; choose a folder of its own, e.g. public/").format(path=label))
    for other in ([catalogue] if catalogue is not None else []) + list(protect):
        resolved = other.expanduser().resolve()
        if _inside(target, resolved) or _inside(resolved, target):
            raise OutputError(_("{path}: refusing to use this folder: it is, holds or lies inside {other}").format(
                path=label, other=other if other == catalogue else resolved))
    if target.exists() and not target.is_dir():
        raise OutputError(_("{path}: exists and is not a folder; nothing was written").format(path=label))
    if target.is_dir():
        if (target / ".git").exists() or _looks_like_catalogue(target) or any(
                _looks_like_catalogue(p) for p in target.iterdir() if p.is_dir()):
            raise OutputError(_("{path}: refusing to use this folder: it holds a repository or a catalogue")
                              .format(path=label))
        if not (target / marker).is_file() and not legacy(target) and any(target.iterdir()):
            raise OutputError(_("{path}: holds files thutuc did not write; choose a new or empty folder (thutuc "
                                "replaces or prunes this folder on every run)").format(path=label))
    return target


def mark(folder: Path, marker: str) -> None:
    (folder / marker).write_text(MARKER_TEXT, encoding="utf-8")


# --- single files -------------------------------------------------------------------------------

def _registry() -> Path | None:
    """The list of hashes of what thutuc wrote; None when the cache folder is not safe to use
    (someone else could write there and so have thutuc overwrite a file of yours)."""
    from thutuc.cache import usable_cache_dir

    folder = usable_cache_dir()
    return folder / "written" if folder is not None else None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def remember(data: bytes) -> None:
    """Note that thutuc wrote these bytes, so it may replace them later. Best effort: without
    the note thutuc only refuses to overwrite, it never loses anything."""
    path = _registry()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > _REGISTRY_LIMIT:
            lines = path.read_text(encoding="ascii", errors="ignore").splitlines()
            atomic_write(path, "\n".join(lines[len(lines) // 2:]) + "\n")
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (_digest(data) + "\n").encode("ascii"))
        finally:
            os.close(fd)
    except OSError:
        pass


def written_by_thutuc(path: Path) -> bool:
    registry = _registry()
    if registry is None:
        return False
    try:
        digest = _digest(path.read_bytes())
        with open(registry, encoding="ascii", errors="ignore") as f:
            return any(line.strip() == digest for line in f)
    except OSError:
        return False


def outside_catalogue(path: Path, catalogue: Path | None) -> None:
    """Only the editing commands write into the catalogue: no output lands there."""
    if catalogue is not None and _inside(path.resolve(), catalogue.resolve()):
        raise OutputError(_("{path}: refusing to write inside the catalogue {catalogue}; choose another place")
                          .format(path=path, catalogue=catalogue))


def _our_pdf(path: Path) -> bool:
    """A PDF that thutuc drew (its producer is thutuc), even if the hash list was cleared."""
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 22)
    except OSError:
        return False
    return data.startswith(b"%PDF-") and b"/Producer (thutuc)" in data


def check_output_file(path: Path, catalogue: Path | None = None,
                      ours: Callable[[Path], bool] = lambda p: False) -> None:
    """Refuse, with one line, an output file thutuc must not write; see the module's docstring.
    ``ours`` recognises files of thutuc's own making by their content (e.g. a schema's $id)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(_("cannot write {path}: the folder {folder} does not exist").format(path=path, folder=folder))
    outside_catalogue(path, catalogue)
    if path.is_symlink():
        raise OutputError(_("{path}: is a link; thutuc does not write through links").format(path=path))
    if path.exists():
        if not path.is_file():
            raise OutputError(_("{path}: exists and is not a file; nothing was written").format(path=path))
        if not (written_by_thutuc(path) or _our_pdf(path) or ours(path)):
            raise OutputError(_("{path}: already exists and thutuc did not write it (or it was changed since); "
                                "choose another name or remove it yourself").format(path=path))


def write_output(path: Path, data: bytes | str, catalogue: Path | None = None,
                 ours: Callable[[Path], bool] = lambda p: False) -> None:
    """Write a file the user named (checklist, report, export) after check_output_file."""
    check_output_file(path, catalogue, ours)
    blob = data.encode("utf-8") if isinstance(data, str) else data
    try:
        atomic_write(path, blob)
    except OSError as exc:
        raise OutputError(_("cannot write {path}: {reason}; nothing was written").format(
            path=path, reason=exc.strerror or exc)) from None
    remember(blob)


# --- atomic replacement ---------------------------------------------------------------------------

def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stage(path: Path, data: bytes) -> tuple[str, str]:
    """Write ``data`` to a temporary file next to the real file ``path`` points at (a link stays
    a link); returns (temporary, final) paths."""
    final = os.path.realpath(path)
    mode = os.stat(final).st_mode & 0o7777 if os.path.exists(final) else 0o666 & ~umask()
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(final), prefix=f".{os.path.basename(final)}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp, final


def atomic_write_all(files: Iterable[tuple[Path, bytes | str]]) -> None:
    """Replace several files all or nothing: every new content is written and flushed first;
    only then are they renamed into place (a full disk or a read-only folder changes nothing)."""
    staged: list[tuple[str, str]] = []
    try:
        for path, data in files:
            staged.append(_stage(path, data.encode("utf-8") if isinstance(data, str) else data))
    except BaseException:
        for tmp, _final in staged:
            os.unlink(tmp)
        raise
    try:
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _final in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    for folder in sorted({os.path.dirname(final) for _tmp, final in staged}):
        _fsync_dir(Path(folder))


def atomic_write(path: Path, data: bytes | str) -> None:
    atomic_write_all([(path, data)])
