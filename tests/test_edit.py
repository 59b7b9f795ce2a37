"""Editing commands change only what they must, check first, and write atomically."""

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT
from thutuc.editing import edit
from thutuc import outputs
from thutuc.editing.edit import EditError, apply, reassign, retire, reviewed

BUNDLED = sorted((ROOT / "catalogue").rglob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.relative_to(ROOT / "catalogue").as_posix() for p in BUNDLED])
def test_round_trip_of_every_bundled_file_is_byte_identical(path):
    text = path.read_text(encoding="utf-8")
    assert edit.dump(edit.load(text)) == text


@pytest.fixture
def cat(tmp_path) -> Path:
    root = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", root)
    return root


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_retire_changes_only_the_lifecycle_lines(cat):
    f = cat / "procedures/hoat-dong-xay-dung/cap-lai-giay-phep-xay-dung-nha-o-rieng-le.yaml"
    before = f.read_text(encoding="utf-8")
    change = retire(cat, "cap-lai-giay-phep-xay-dung-nha-o-rieng-le", dt.date(2026, 12, 1),
                    "Gộp vào thủ tục cấp giấy phép xây dựng", "cap-giay-phep-xay-dung-nha-o-rieng-le")
    apply(cat, [change])
    after = f.read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == ["  status: active"]
    assert added == ["  status: abolished", "  since: 2026-12-01", "  reason: Gộp vào thủ tục cấp giấy phép xây dựng",
                     "  superseded_by: cap-giay-phep-xay-dung-nha-o-rieng-le"]
    assert after.splitlines()[0].startswith("# yaml-language-server")  # comments kept


def test_an_edit_that_would_break_the_catalogue_writes_nothing(cat):
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    before = f.read_bytes()
    change = retire(cat, "dang-ky-khai-sinh", dt.date(2026, 12, 1), "Thử", "khong-co-thu-tuc-nay")
    with pytest.raises(EditError) as err:
        apply(cat, [change])
    assert any("khong-co-thu-tuc-nay" in p.message for p in err.value.result.problems)
    assert f.read_bytes() == before


def test_reviewed_sets_date_and_name(cat):
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    before = f.read_text(encoding="utf-8")
    apply(cat, [reviewed(cat, "1.001193", "Nguyễn Thị Lan", dt.date(2026, 11, 26))])
    removed, added = _changed_lines(before, f.read_text(encoding="utf-8"))
    assert removed == ["  last_reviewed: 2026-06-30", "  reviewed_by: Tổ biên tập danh mục"]
    assert added == ["  last_reviewed: 2026-11-26", "  reviewed_by: Nguyễn Thị Lan"]


def test_reassign_moves_procedures_and_levels(cat):
    f = cat / "procedures/hoat-dong-xay-dung/cap-giay-phep-xay-dung-nha-o-rieng-le-cap-huyen.yaml"
    before = f.read_text(encoding="utf-8")
    changes = reassign(cat, "ubnd-huyen-dong-hung", "ubnd-xa", level="xa")
    assert [c.rel for c in changes] == ["procedures/hoat-dong-xay-dung/cap-giay-phep-xay-dung-nha-o-rieng-le-cap-huyen.yaml"]
    apply(cat, changes)
    removed, added = _changed_lines(before, f.read_text(encoding="utf-8"))
    assert removed == ["levels: [huyen]", "  deciding: ubnd-huyen-dong-hung", "  receiving: ubnd-huyen-dong-hung"]
    assert added == ["levels: [xa]", "  deciding: ubnd-xa", "  receiving: ubnd-xa"]


def test_dry_run_shows_a_diff_and_writes_nothing(cat):
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    before = f.read_bytes()
    res = subprocess.run([sys.executable, "-m", "thutuc", "reviewed", "dang-ky-khai-sinh", "--catalogue", str(cat),
                          "--by", "Lan", "--on", "2026-11-26", "--dry-run"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "-  last_reviewed: 2026-06-30" in res.stdout and "+  last_reviewed: 2026-11-26" in res.stdout
    assert f.read_bytes() == before


def test_a_crash_while_writing_leaves_the_old_file(cat, monkeypatch):
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    before = f.read_bytes()
    change = reviewed(cat, "dang-ky-khai-sinh", "Lan", dt.date(2026, 11, 26))

    def crash(src, dst):
        raise OSError("power cut")

    monkeypatch.setattr(outputs.os, "replace", crash)
    with pytest.raises(edit.EditError, match="power cut; nothing was changed"):
        apply(cat, [change])
    assert f.read_bytes() == before
    assert sorted(p.name for p in f.parent.iterdir() if p.name.startswith(".")) == []


def test_cli_retire_reports_unknown_procedure(cat):
    res = subprocess.run([sys.executable, "-m", "thutuc", "retire", "dang-ky-khai-sin", "--catalogue", str(cat),
                          "--on", "2026-12-01", "--reason", "x"], capture_output=True, text=True)
    assert res.returncode == 1 and "did you mean 'dang-ky-khai-sinh'" in res.stderr


def _edit_cli(cat, *args):
    return subprocess.run([sys.executable, "-m", "thutuc", *args[:2], "--catalogue", str(cat), *args[2:]],
                          capture_output=True, text=True)


@pytest.mark.parametrize("on, fragment", [
    ("2099-01-01", "after today"),
    ("tomorrow", "after today"),
    ("2026-01-01", "already reviewed on 2026-06-30"),  # last_reviewed never goes back
])
def test_a_review_date_in_the_future_or_impossible_is_refused_and_nothing_written(cat, on, fragment):
    from thutuc.catalogue.check import today_vn

    if on == "tomorrow":
        on = (today_vn() + dt.timedelta(days=1)).isoformat()
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    before = f.read_bytes()
    res = _edit_cli(cat, "reviewed", "dang-ky-khai-sinh", "--by", "Lan", "--on", on)
    assert res.returncode == 1 and fragment in res.stderr, res.stderr
    assert res.stderr.count("\n") == 1 and "internal error" not in res.stderr
    assert f.read_bytes() == before


def test_a_review_today_in_vietnam_is_recorded(cat):
    from thutuc.catalogue.check import today_vn

    assert reviewed(cat, "dang-ky-khai-sinh", "Lan", dt.date(2026, 6, 30), today=dt.date(2026, 6, 30)).after  # same day
    res = _edit_cli(cat, "reviewed", "dang-ky-khai-sinh", "--by", "Lan", "--on", today_vn().isoformat())
    assert res.returncode == 0, res.stderr
    assert f"last_reviewed: {today_vn().isoformat()}" in (cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml").read_text(
        encoding="utf-8")


def test_retirement_may_be_planned_but_not_for_an_absurd_year(cat):
    from thutuc.catalogue.check import today_vn

    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    before = f.read_bytes()
    res = _edit_cli(cat, "retire", "dang-ky-khai-sinh", "--on", "2099-01-01", "--reason", "Thử")
    assert res.returncode == 1 and "more than 10 years from today" in res.stderr and res.stderr.count("\n") == 1
    res = _edit_cli(cat, "retire", "dang-ky-khai-sinh", "--on", "0900-01-01", "--reason", "Thử")
    assert res.returncode == 2 and "outside the years whose days off thutuc knows" in res.stderr  # a usage error
    assert f.read_bytes() == before
    for call in (lambda: retire(cat, "dang-ky-khai-sinh", dt.date(900, 1, 1), "Thử"),
                 lambda: reviewed(cat, "dang-ky-khai-sinh", "Lan", dt.date(1900, 1, 1))):
        with pytest.raises(EditError, match="before 1945-09-02"):  # the library refuses it too
            call()
    ahead = today_vn().replace(year=today_vn().year + 2, day=1)
    change = retire(cat, "cap-lai-giay-phep-xay-dung-nha-o-rieng-le", ahead, "Bãi bỏ theo kế hoạch")
    assert f"since: {ahead.isoformat()}" in change.after  # a decided abolition, two years ahead
    with pytest.raises(EditError, match="more than 10 years"):
        retire(cat, "dang-ky-khai-sinh", dt.date(2036, 3, 1), "Thử", today=dt.date(2026, 2, 28))
    retire(cat, "dang-ky-khai-sinh", dt.date(2036, 2, 28), "Thử", today=dt.date(2026, 2, 28))
