"""Small on-disk caches for work that only depends on content we can hash.

Used where a command must answer fast at a counter: what each file loads to and what the rules
that read only that file find (a second `check`), the checked catalogue model (a checklist), the
holiday table and the history comparisons. Entries are keyed by a hash of everything they depend
on, so a stale entry is never read.

No entry is trusted as it is read: each starts with a header holding a digest (SHA-256) of the key
it was written for and of its payload, and is used only when that digest matches; a truncated,
zero-length, bit-flipped, swapped or garbled entry is discarded and the work done again (and the
entry rewritten). Entries are written to a temporary file in the same folder and renamed into
place, so a reader sees a whole old entry or a whole new one. The digest protects against
corruption, not against someone who can write to the cache folder (they can write a matching
digest too): a cache folder that is not the user's own, or that others may write to, is not used
at all, and pickled entries may hold only thutuc's own classes and plain values.
"""

from __future__ import annotations

import copyreg
import functools
import hashlib
import hmac
import io
import itertools
import os
import pickle
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable


def _proxy(d: dict) -> MappingProxyType:
    return MappingProxyType(d)


copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))

PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Where the caches live (``$THUTUC_CACHE_DIR``, else ``~/.cache/thutuc``); use
    :func:`usable_cache_dir` before reading or writing entries there."""
    base = os.environ.get("THUTUC_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "thutuc")
    return Path(base)


_refused: set[str] = set()


def safe_folder(folder: Path) -> Path | None:
    """``folder``, created (mode 0700) if need be, when it is safe to keep cache entries in: owned
    by this user and writable by no one else. Otherwise None (and a warning, once): someone else
    able to write there could plant entries, and a pickled entry can run code when read. Never
    raises: no cache only makes a command slower."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None
    if (hasattr(os, "geteuid") and st.st_uid != os.geteuid()) or st.st_mode & 0o022:
        if str(folder) not in _refused:
            _refused.add(str(folder))
            from thutuc.i18n import _

            try:
                print("thutuc: " + _("warning: not using the cache folder {folder}: it belongs to someone else "
                                     "or others may write to it; working without a cache (make it yours with "
                                     "chmod go-w, or set THUTUC_CACHE_DIR)").format(folder=folder),
                      file=sys.stderr)
            except (OSError, ValueError):
                pass
        return None
    return folder


def usable_cache_dir() -> Path | None:
    """:func:`cache_dir` when it is safe to use (see :func:`safe_folder`), else None."""
    return safe_folder(cache_dir())


# --- sealed entries ------------------------------------------------------------------------------

MAGIC = b"thutuc-cache\x01\n"
DIGEST_SIZE = 32
HEADER = len(MAGIC) + DIGEST_SIZE


def _digest(key: str, payload) -> bytes:
    # SHA-256: computed in hardware on current x86 and ARM processors, about twice as fast as
    # BLAKE2b there, and a warm `check` of 5,000 procedures verifies some 45 MB of entries
    k = key.encode("utf-8", "surrogatepass")
    h = hashlib.sha256(b"thutuc-entry\0%d\0%s" % (len(k), k))
    h.update(payload)
    return h.digest()


def seal(key: str, payload: bytes) -> bytes:
    """An entry: a header (magic, digest of the key and payload) followed by the payload."""
    return MAGIC + _digest(key, payload) + payload


def unseal(key: str, entry: bytes) -> memoryview | None:
    """The payload of an entry written for ``key`` (a view, not a copy), or None when anything
    about it is wrong."""
    if len(entry) < HEADER or not entry.startswith(MAGIC):
        return None
    payload = memoryview(entry)[HEADER:]
    if not hmac.compare_digest(entry[len(MAGIC):HEADER], _digest(key, payload)):
        return None
    return payload


def read_entry(path: Path | str, key: str) -> memoryview | None:
    """The verified payload stored at ``path`` for ``key``, or None (missing, unreadable, bad)."""
    try:
        with open(path, "rb") as f:
            entry = f.read()
    except (OSError, ValueError):
        return None
    return unseal(key, entry)


_tmp_counter = itertools.count()


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed into place;
    ``durable`` flushes it to disk first (fsync). Raises OSError; leaves no temporary file."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{next(_tmp_counter)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:  # left by a killed process whose id came round again
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_entry(path: Path, key: str, payload: bytes, durable: bool = True) -> None:
    atomic_write(path, seal(key, payload), durable)


# --- pickles that may hold only thutuc's own classes -------------------------------------------

_SAFE_GLOBALS = {
    ("builtins", n) for n in ("dict", "list", "tuple", "set", "frozenset", "str", "bytes", "bytearray",
                              "int", "float", "complex", "bool", "range", "slice", "object")
} | {("copyreg", "_reconstructor"), ("collections", "OrderedDict"), ("collections", "defaultdict"),
     ("decimal", "Decimal"), ("fractions", "Fraction"), ("thutuc.cache", "_proxy")} | {
    ("datetime", n) for n in ("date", "datetime", "time", "timedelta", "timezone")
} | {("pathlib", n) for n in ("Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath")}


class _Unpickler(pickle.Unpickler):
    """Refuses every global but plain value types and classes defined in thutuc's modules (never a
    function, a module or anything reached through one): even an entry that passed its digest
    check cannot name ``os.system``."""

    def find_class(self, module: str, name: str):
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        if (module == "thutuc" or module.startswith("thutuc.")) and "." not in name:
            obj = super().find_class(module, name)
            if isinstance(obj, type) and getattr(obj, "__module__", None) == module:
                return obj
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")


def loads(payload: bytes) -> Any:
    return _Unpickler(io.BytesIO(payload)).load()


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _key_name(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def fingerprint(paths: Iterable[Path], *extra: str) -> str:
    """Hash of each file's path and content (plus any extra strings)."""
    h = hashlib.blake2b(digest_size=32)
    for p in sorted(paths):
        data = p.read_bytes()
        h.update(f"{p}\0{len(data)}\n".encode("utf-8", "surrogatepass"))
        h.update(data)
    for e in extra:
        h.update(e.encode() + b"\n")
    return h.hexdigest()


def tree_fingerprint(root: Path, *extra: str) -> str:
    """Hash of the relative path and the bytes of every file under ``root``: an edit is seen even
    when it keeps the file's size and modification time. This runs before every checklist; reading
    and hashing 5,000 procedures (27 MB) takes about 0.1–0.2 s (see the README's benchmark)."""
    h = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogatepass") + b"\n")
    files: list[tuple[str, str]] = []

    def walk(folder: str, rel: str) -> None:
        try:
            with os.scandir(folder) as it:
                for e in it:
                    try:
                        if e.is_dir(follow_symlinks=False):
                            walk(e.path, rel + e.name + "/")
                        elif e.is_file():  # regular files only (never a pipe that would block)
                            files.append((rel + e.name, e.path))
                    except OSError:
                        continue
        except OSError:
            pass

    walk(str(root), "")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    for rel, path in sorted(files):
        name = rel.encode("utf-8", "surrogatepass")
        try:  # os.open and one read of the known size: half the time of open().read()
            fd = os.open(path, flags)
            try:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    continue
                data = os.read(fd, st.st_size + 1)
                if len(data) > st.st_size:  # it grew while being read: read on to its end
                    chunks = [data]
                    while chunks[-1]:
                        chunks.append(os.read(fd, 1 << 20))
                    data = b"".join(chunks)
            finally:
                os.close(fd)
        except OSError:
            h.update(name + b"\0unreadable\n")
            continue
        h.update(b"%s\0%d\n" % (name, len(data)))
        h.update(data)
    for e in extra:
        h.update(e.encode() + b"\n")
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """Changes whenever thutuc's own code or schemas change (cached objects are its classes).
    Once per process: the code that runs is the code that was imported."""
    return fingerprint(sorted(PACKAGE.glob("**/*.py")) + list(PACKAGE.glob("locale/*/LC_MESSAGES/*.mo"))
                       + list((PACKAGE / "schemas").glob("*.json")))


def cached(name: str, key: str, compute: Callable[[], Any], keep: Callable[[Any], bool] = lambda _: True) -> Any:
    """The value stored under (name, key), or compute() stored there when keep(value) allows.
    The entry is named by a hash of the whole key and read only when its digest matches that key
    and its content; anything else (missing, damaged, another key's entry) computes it again."""
    folder = usable_cache_dir()
    if folder is None:
        return compute()
    full = f"{name}\0{key}"
    path = folder / f"{name}-{_key_name(name, key)[:32]}.pickle"
    payload = read_entry(path, full)
    if payload is not None:
        try:
            return loads(payload)
        except Exception:  # e.g. a class that no longer exists: compute it again
            pass
    value = compute()
    if keep(value):
        try:
            write_entry(path, full, dumps(value))
        except (OSError, pickle.PickleError, TypeError, AttributeError, RecursionError):
            pass
    return value


class BlobStore:
    """Bytes kept under a hash of the input they were computed from, one sealed file per entry.

    Entries live in a folder named for thutuc's code fingerprint, so a new version of thutuc never
    reads what an older one wrote (older folders are removed when a new one starts). These are
    written by the thousand on a first `check`, so without fsync (about 6 ms each): an entry lost
    or torn by a crash fails its digest and is computed again.
    """

    def __init__(self, name: str):
        from thutuc.i18n import language

        self.name = name
        base = usable_cache_dir()
        # entries hold messages, so each language has its own
        self.dir = base / name / code_fingerprint()[:20] / language() if base is not None else None
        self._ready = self.dir is not None and self.dir.parent.is_dir()
        self._folders: set[str] = set()

    @staticmethod
    def key(data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=20).hexdigest()

    def get(self, key: str) -> memoryview | None:
        """The verified bytes stored under ``key``, or None (missing or damaged: compute again)."""
        if self.dir is None:
            return None
        return read_entry(os.path.join(self.dir, key[:2], key), f"{self.name}\0{key}")

    def put(self, key: str, blob: bytes) -> None:
        if self.dir is None:
            return
        folder = os.path.join(self.dir, key[:2])
        try:
            if not self._ready:  # a new version of thutuc: what older ones wrote is of no use
                for old in self.dir.parent.parent.glob("*"):
                    if old != self.dir.parent:
                        shutil.rmtree(old, ignore_errors=True)
                self._ready = True
            if folder not in self._folders:
                os.makedirs(folder, mode=0o700, exist_ok=True)
                self._folders.add(folder)
            write_entry(Path(folder, key), f"{self.name}\0{key}", blob, durable=False)
        except OSError:
            pass


class ModelStore:
    """The checked model of one catalogue folder: an index (the catalogue without its procedures,
    and which file holds each procedure) plus one pickle per procedure, named by the hash of its
    bytes, so an edit rewrites only the procedures it changed and readers load only those they use.

    The index is sealed with the catalogue's content key (see :func:`seal`); a procedure's file is
    read only when its bytes hash to its name."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def read(self, key: str) -> tuple[Any, dict[str, str]] | None:
        if self.folder is None:
            return None
        payload = read_entry(self.folder / "index.pickle", f"model\0{key}")
        if payload is None:
            return None
        try:
            stored_key, cat, names = loads(payload)
        except Exception:
            return None
        return (cat, names) if stored_key == key else None

    @staticmethod
    def name(blob: bytes) -> str:
        return hashlib.blake2b(blob, digest_size=20).hexdigest()

    def procedure(self, name: str) -> Any:
        """The procedure stored as ``name``; ValueError (or OSError) when the file is not it."""
        blob = (self.folder / name[:2] / name).read_bytes()
        if not hmac.compare_digest(self.name(blob), name):
            raise ValueError(f"model cache entry {name} does not match its content")
        return loads(blob)

    def write(self, key: str, cat: Any, procedures: dict[str, Any]) -> None:
        if self.folder is None:
            return
        try:
            names = {}
            for pid, proc in procedures.items():
                blob = dumps(proc)
                name = self.name(blob)
                path = self.folder / name[:2] / name
                try:
                    ok = self.name(path.read_bytes()) == name
                except OSError:
                    ok = False
                if not ok:  # missing, or damaged: (re)written
                    atomic_write(path, blob, durable=False)
                names[pid] = name
            write_entry(self.folder / "index.pickle", f"model\0{key}", dumps((key, cat, names)))
            keep = set(names.values())
            for old in self.folder.glob("??/*"):
                if old.name not in keep:
                    old.unlink(missing_ok=True)
        except (OSError, pickle.PickleError, TypeError, AttributeError, RecursionError):
            pass  # no cache this time: the next run checks again


def model_store(root: Path) -> ModelStore:
    base = usable_cache_dir()
    where = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return ModelStore(base / "model" / where if base is not None else None)
