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
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from thutuc import checklist as ck
from thutuc import pdfdoc, render, slips
from thutuc.model import Catalogue, Procedure, plain


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
        h.update(font.name.encode() + str(font.stat().st_size).encode())
    return h.hexdigest()


def procedure_version(proc: Procedure, cat: Catalogue) -> str:
    """A version of what this one procedure's checklist depends on (not the whole catalogue)."""
    deps = [plain(proc), plain(cat.agencies[proc.receiving]), plain(cat.office)]
    return hashlib.sha256(repr(deps).encode()).hexdigest()[:10]


def generic_slip(proc: Procedure, cat: Catalogue, when: dt.datetime) -> slips.Slip:
    cl = ck.make(cat, proc, None, proc.channels[0].kind, when)
    version = procedure_version(proc, cat)
    return slips.citizen(dataclasses.replace(cl, version=version,
                                             code=ck.encode(proc, version, cl.channel, when, None)))


def _render_to(args: tuple[slips.Slip, dt.datetime, str]) -> None:
    slip, when, target = args
    data = render.to_pdf(slip, when)
    tmp = f"{target}.tmp{os.getpid()}"
    Path(tmp).write_bytes(data)
    os.replace(tmp, target)


def build_pdfs(cat: Catalogue, out_dir: Path, cache: Path, when: dt.datetime) -> PdfStats:
    """Write out_dir/<id>.pdf for every listed procedure; reuse cached ones whose content is unchanged."""
    cache.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs, targets = [], {}
    for proc in cat.listed():
        slip = generic_slip(proc, cat, when)
        key = hashlib.sha256((renderer_fingerprint() + repr(slip) + when.isoformat()).encode()).hexdigest()
        cached = cache / f"{key}.pdf"
        targets[proc.id] = cached
        if not cached.exists():
            jobs.append((slip, when, str(cached)))
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= 8:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_render_to, jobs, chunksize=4))
    else:
        for job in jobs:
            _render_to(job)
    for pid, cached in sorted(targets.items()):
        shutil.copyfile(cached, out_dir / f"{pid}.pdf")
    for old in set(cache.glob("*.pdf")) - set(targets.values()):
        old.unlink()  # keep the cache to what this catalogue uses
    return PdfStats(regenerated=len(jobs), reused=len(targets) - len(jobs))
