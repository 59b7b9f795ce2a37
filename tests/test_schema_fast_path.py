"""The fast (compiled) schema check must agree with the detailed one on every file we know."""

from pathlib import Path

import pytest

from helpers import GOLDEN, ROOT, make_catalogue
from thutuc.catalogue import schemas
from thutuc.catalogue.files import load_all

CASES = sorted(p for p in (GOLDEN / "cases").iterdir() if p.is_dir())


def _files(tmp_path: Path, case: Path | None):
    root = make_catalogue(tmp_path, case / "files" if case else None) if case else ROOT / "catalogue"
    files, _ = load_all(root, "catalogue")
    return [f for f in files if f.loaded.data is not None]


@pytest.mark.parametrize("case", [None, *CASES], ids=["bundled", *[c.name for c in CASES]])
def test_fast_and_detailed_validators_agree(case, tmp_path):
    for f in _files(tmp_path, case):
        detailed_ok = not list(schemas.validator(f.kind).iter_errors(f.loaded.data)) and not f.loaded.integral_float
        assert (schemas.validate(f.loaded, f.kind) == []) == detailed_ok, f.loaded.path
