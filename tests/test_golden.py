"""Golden tests: each folder under golden/cases is one bad input with its exact expected report.

Set UPDATE_GOLDEN=1 to rewrite expected.txt files from the current output (then review the diff).
"""

import json
import os
from pathlib import Path

import pytest

from helpers import GOLDEN, TODAY, make_catalogue
from thutuc.catalogue.check import check_catalogue
from thutuc.problems import format_json

CASES = sorted(p for p in (GOLDEN / "cases").iterdir() if p.is_dir())


def _removed(case: Path) -> list[str]:
    f = case / "remove.txt"
    return f.read_text().split() if f.exists() else []


def _overlay_files(case: Path) -> set[str]:
    files = case / "files"
    rels = {f"catalogue/{p.relative_to(files).as_posix()}" for p in files.rglob("*") if p.is_file()}
    return rels | {f"catalogue/{r}" for r in _removed(case)}


def _run(case: Path, tmp_path: Path):
    root = make_catalogue(tmp_path, case / "files", _removed(case))
    return check_catalogue(root, display_root="catalogue", today=TODAY)


def test_base_catalogue_is_clean(base_catalogue):
    result = check_catalogue(base_catalogue, display_root="catalogue", today=TODAY)
    assert [p.format() for p in result.problems] == []


def test_there_are_at_least_40_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: Path, tmp_path: Path):
    result = _run(case, tmp_path)
    got = [p.format() for p in result.problems]
    expected_file = case / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text("\n".join(got) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert got == expected
    # Both directions: every expectation names a file of the case (or the base file it clashes
    # with), and every file of the case is the subject of at least one expectation.
    overlay = _overlay_files(case)
    assert expected, "a golden case must expect at least one problem"
    named = {line.split(":", 1)[0] for line in expected}
    for name in named - overlay:
        assert (GOLDEN / "base" / name.removeprefix("catalogue/")).is_file(), f"{name} is no file of the case"
    assert overlay <= named, f"files of the case with no expected problem: {overlay - named}"
    # An error case fails the check; JSON carries the same problems.
    assert result.ok(strict=True) is False
    as_json = json.loads(format_json(result.problems))
    assert [f"{p['path']}:{p['line']}:{p['col']}: {p['severity']}: " + (f"{p['key']}: " if p["key"] else "") + p["message"]
            for p in as_json] == expected
