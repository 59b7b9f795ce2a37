"""A small on-disk cache for work that only depends on files we can fingerprint.

Used where a command must answer fast at a counter: the checked catalogue model (checking 5,000
procedures takes seconds; unpickling them, a fraction) and the holiday table. Entries are keyed by
a hash of everything they depend on, so a stale entry is never read; any error reading or writing
the cache just means doing the work again.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import os
import pickle
import shutil
import stat
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable



def _proxy(d: dict) -> MappingProxyType:
    return MappingProxyType(d)


copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))

PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    base = os.environ.get("THUTUC_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "thutuc")
    return Path(base)


def fingerprint(paths: Iterable[Path], *extra: str) -> str:
    """Hash of each file's path, size and modification time (plus any extra strings)."""
    h = hashlib.sha256()
    for p in sorted(paths):
        st = p.stat()
        h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    for e in extra:
        h.update(e.encode() + b"\n")
    return h.hexdigest()


def tree_fingerprint(root: Path, *extra: str) -> tuple[str, int]:
    """Hash of the path, size and modification time of every file under ``root`` (one stat
    each: this runs before every checklist), and the newest modification time in ns."""
    h = hashlib.sha256(str(root.resolve()).encode() + b"\n")
    entries = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                entries.append((path, st.st_size, st.st_mtime_ns))
    for path, size, mtime in sorted(entries):
        h.update(f"{path}\0{size}\0{mtime}\n".encode())
    for e in extra:
        h.update(e.encode() + b"\n")
    return h.hexdigest(), max((e[2] for e in entries), default=0)


@functools.lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """Changes whenever thutuc's own code or schemas change (cached objects are its classes).
    Once per process: the code that runs is the code that was imported."""
    return fingerprint(list(PACKAGE.glob("*.py")) + list(PACKAGE.glob("locale/*/LC_MESSAGES/*.mo"))
                       + list((PACKAGE / "schemas").glob("*.json")))


def cached(name: str, key: str, compute: Callable[[], Any], keep: Callable[[Any], bool] = lambda _: True) -> Any:
    """The value stored under (name, key), or compute() stored there when keep(value) allows."""
    path = cache_dir() / f"{name}-{key[:32]}.pickle"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = compute()
    if keep(value):
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except (OSError, pickle.PickleError, TypeError, AttributeError):
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
    return value


class BlobStore:
    """Bytes kept under a hash of the input they were computed from, one file per entry.

    Entries live in a folder named for thutuc's code fingerprint, so a new version of thutuc never
    reads what an older one wrote (older folders are removed when a new one starts).
    """

    def __init__(self, name: str):
        from thutuc.i18n import language

        # entries hold messages, so each language has its own
        self.dir = cache_dir() / name / code_fingerprint()[:20] / language()
        self._ready = self.dir.parent.is_dir()
        self._folders: set[str] = set()

    @staticmethod
    def key(data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=20).hexdigest()

    def get(self, key: str) -> bytes | None:
        try:
            with open(os.path.join(self.dir, key[:2], key), "rb") as f:
                return f.read()
        except OSError:
            return None

    def put(self, key: str, blob: bytes) -> None:
        folder = os.path.join(self.dir, key[:2])
        tmp = os.path.join(folder, f".{key}.{os.getpid()}")  # unique enough, and cheaper than mkstemp
        try:
            if not self._ready:  # a new version of thutuc: what older ones wrote is of no use
                for old in self.dir.parent.parent.glob("*"):
                    shutil.rmtree(old, ignore_errors=True)
                self._ready = True
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            with open(tmp, "wb") as f:
                f.write(blob)
            os.replace(tmp, os.path.join(folder, key))
        except OSError:
            if os.path.exists(tmp):
                os.unlink(tmp)


class ModelStore:
    """The checked model of one catalogue folder: an index (the catalogue without its procedures,
    and which file holds each procedure) plus one pickle per procedure, named by its content, so
    an edit rewrites only the procedures it changed and readers load only those they use."""

    def __init__(self, folder: Path):
        self.folder = folder

    def read(self, key: str) -> tuple[Any, dict[str, str]] | None:
        try:
            with open(self.folder / "index.pickle", "rb") as f:
                stored_key, cat, names = pickle.load(f)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return (cat, names) if stored_key == key else None

    def write(self, key: str, cat: Any, procedures: dict[str, Any]) -> None:
        try:
            names = {}
            for pid, proc in procedures.items():
                blob = pickle.dumps(proc, protocol=pickle.HIGHEST_PROTOCOL)
                name = hashlib.blake2b(blob, digest_size=20).hexdigest()
                path = self.folder / name[:2] / name
                if not path.exists():
                    _atomic_bytes(path, blob)
                names[pid] = name
            _atomic_bytes(self.folder / "index.pickle",
                          pickle.dumps((key, cat, names), protocol=pickle.HIGHEST_PROTOCOL))
            keep = set(names.values())
            for old in self.folder.glob("??/*"):
                if old.name not in keep:
                    old.unlink(missing_ok=True)
        except (OSError, pickle.PickleError, TypeError, AttributeError):
            pass  # no cache this time: the next run checks again


def model_store(root: Path) -> ModelStore:
    where = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
    return ModelStore(cache_dir() / "model" / where)


def _atomic_bytes(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
