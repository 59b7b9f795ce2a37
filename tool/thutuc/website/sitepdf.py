"""The generic checklist PDF of every procedure, built with the site, from a content-hash cache.

The cache key is a hash of everything that ends up in the PDF — the slip's blocks (its whole
text), the renderer's source, the ReportLab version and the font files — so an edit to one procedure
regenerates exactly its PDF, and a stale PDF can never be served. Missing PDFs are rendered on all
cores.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from thutuc.cache import read_entry, safe_folder, write_entry
from thutuc.catalogue.model import Catalogue, Procedure, plain
from thutuc.checklist import make as ck
from thutuc.checklist import pdfdoc, render, slips


@dataclass(frozen=True)
class PdfStats:
    regenerated: int
    reused: int


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    from reportlab import Version

    h = hashlib.sha256(Path(render.__file__).read_bytes())
    h.update(Path(pdfdoc.__file__).read_bytes())
    h.update(Version.encode())
    for font in sorted(render.font_dir().glob("BeVietnamPro-*.ttf")):
        h.update(font.name.encode() + b"\0" + hashlib.sha256(font.read_bytes()).digest())
    return h.hexdigest()


def procedure_version(proc: Procedure, cat: Catalogue) -> str:
    """A version of what this one procedure's checklist depends on (not the whole catalogue)."""
    agencies = {proc.deciding, *proc.receiving_points, *proc.carrying_out, *proc.coordinating,
                *(c.where for c in proc.channels if c.where)}
    deps = [plain(proc), [plain(cat.agencies[a]) for a in sorted(agencies)], plain(cat.office)]
    if proc.any_office_basis:
        deps.append(plain(cat.legal[proc.any_office_basis["ref"]]))
    return hashlib.sha256(repr(deps).encode()).hexdigest()[:10]


def generic_slip(proc: Procedure, cat: Catalogue, when: dt.datetime) -> slips.Slip:
    cl = ck.make(cat, proc, None, proc.channels[0].kind, when)
    version = procedure_version(proc, cat)
    return slips.citizen(dataclasses.replace(cl, version=version,
                                             code=ck.encode(proc, version, cl.channel, when, None)))


def die_with_parent(parent: int) -> None:
    """In a worker: end when the build that started it ends, even if it was killed (Linux), so a
    killed build leaves no workers behind."""
    import ctypes
    import signal

    # The build turns SIGTERM into SystemExit to clean up after itself; a worker has nothing to
    # clean up and must not treat the signal as a failed job: SIGTERM simply ends it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build died before the call above (orphans go to a reaper, not always pid 1)
        os._exit(1)


def _render_to(args: tuple[slips.Slip, dt.datetime, str, str | None, str]) -> None:
    """Render one PDF into the output, and into the cache when there is one (sealed, atomically)."""
    slip, when, target, entry, key = args
    data = render.to_pdf(slip, when)
    Path(target).write_bytes(data)  # the output folder is this build's own staging folder
    if entry is not None:
        try:
            write_entry(Path(entry), f"pdf\0{key}", data)
        except OSError:
            pass  # no cache entry: the next build renders it again


def _reuse(entry: Path, key: str, target: Path) -> bool:
    """Copy a cached PDF into the output when its entry is whole and was written for ``key``. A
    build sharing the cache may evict it at any moment: once read, it no longer matters, and an
    entry gone or damaged is simply rendered again."""
    data = read_entry(entry, f"pdf\0{key}")
    if data is None:
        return False
    target.write_bytes(data)
    try:
        os.utime(entry)  # used by this run: a build starting now will not evict it
    except OSError:
        pass
    return True


def build_pdfs(cat: Catalogue, out_dir: Path, cache: Path, when: dt.datetime) -> PdfStats:
    """Write out_dir/<id>.pdf for every listed procedure; reuse cached ones whose content is
    unchanged. Builds running at the same time may share the cache: each copies what it reuses into
    its output as soon as it has checked it, and evicts only entries no build has used since it
    started."""
    started = time.time() - 1  # file times may be coarser than the clock
    usable = safe_folder(cache)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs, used, reused = [], set(), 0
    for proc in cat.listed():
        slip = generic_slip(proc, cat, when)
        key = hashlib.sha256((renderer_fingerprint() + repr(slip) + when.isoformat()).encode()).hexdigest()
        entry = cache / f"{key}.pdf"
        target = out_dir / f"{proc.id}.pdf"
        used.add(entry.name)
        if usable is not None and _reuse(entry, key, target):
            reused += 1
        else:
            jobs.append((slip, when, str(target), str(entry) if usable is not None else None, key))
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= 8:
        with ProcessPoolExecutor(workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            list(pool.map(_render_to, jobs, chunksize=4))
    else:
        for job in jobs:
            _render_to(job)
    if usable is not None:  # keep the cache to what this catalogue (or a build running now) uses
        for old in cache.glob("*.pdf"):
            try:
                if old.name not in used and old.stat().st_mtime < started:
                    old.unlink()
            except OSError:
                pass
    return PdfStats(regenerated=len(jobs), reused=reused)
