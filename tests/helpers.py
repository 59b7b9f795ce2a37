"""Shared test helpers: paths, the fixed date tests use, and throwaway catalogues."""

import datetime as dt
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
TODAY = dt.date(2026, 11, 26)


def make_catalogue(tmp: Path, overlay: Path | None = None, removed: list[str] = ()) -> Path:
    """A copy of the golden base catalogue with a case's files laid over it."""
    target = tmp / "catalogue"
    shutil.copytree(GOLDEN / "base", target)
    if overlay is not None and overlay.is_dir():
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    for rel in removed:
        (target / rel).unlink()
    return target

