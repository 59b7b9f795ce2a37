"""A small on-disk cache for work that only depends on files we can fingerprint.

Used where a command must answer fast at a counter: the checked catalogue model (checking 5,000
procedures takes seconds; unpickling them, a fraction) and the holiday table. Entries are keyed by
a hash of everything they depend on, so a stale entry is never read; any error reading or writing
the cache just means doing the work again.
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
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


def code_fingerprint() -> str:
    """Changes whenever thutuc's own code or schemas change (cached objects are its classes)."""
    return fingerprint(list(PACKAGE.glob("*.py")) + list((PACKAGE.parents[1] / "schemas").glob("*.json")))


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
