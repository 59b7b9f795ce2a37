"""The caches that make a second `check` and a checklist fast must never serve a stale answer."""

import os
import pickle
import shutil

from helpers import ROOT, TODAY, make_catalogue
from thutuc.check import check_catalogue
from thutuc.model import load_model


def _report(root) -> list[str]:
    return [p.format() for p in check_catalogue(root, display_root="catalogue", today=TODAY).problems]


def test_a_cached_check_reports_exactly_what_a_fresh_one_does(tmp_path, monkeypatch):
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    cat = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    fresh = _report(cat)
    assert fresh and any(":" in line for line in fresh)  # the bundled catalogue has its warnings
    assert (tmp_path / "cache" / "files").is_dir() and (tmp_path / "cache" / "rules").is_dir()
    assert _report(cat) == fresh  # positions, severities and messages, all from the cache


def test_an_edit_that_keeps_size_and_time_is_still_seen(tmp_path, monkeypatch):
    """The cache is keyed by the bytes, not by size and modification time."""
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    cat = make_catalogue(tmp_path)
    f = cat / "procedures/ho-tich/khai-sinh.yaml"
    assert not any("placeholder" in line for line in _report(cat))
    before = f.stat()
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("summary: Đăng", "summary: TODO g"), encoding="utf-8")  # 6 bytes for 6
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert f.stat().st_size == before.st_size and f.stat().st_mtime_ns == before.st_mtime_ns
    assert "catalogue/procedures/ho-tich/khai-sinh.yaml:4:10: warning: summary: placeholder 'TODO' left " \
           "in the text; fill in the real value or mark it unknown" in _report(cat)


def test_a_broken_file_stays_broken_when_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    cat = make_catalogue(tmp_path)
    f = cat / "procedures/ho-tich/khai-sinh.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "title: again\n", encoding="utf-8")
    first = _report(cat)
    assert any("duplicate key 'title'" in line for line in first)
    assert _report(cat) == first


def test_the_model_cache_keeps_one_file_per_procedure_however_often_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    cat = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    for n in range(3):
        f.write_text(f.read_text(encoding="utf-8").replace("title: Đăng ký khai sinh", f"title: Đăng ký khai sinh {n}"),
                     encoding="utf-8")
        os.utime(f, (1_700_000_000 + n, 1_700_000_000 + n))  # an edit made a while ago
        result, model = load_model(cat)
        assert result is not None and model.procedures["dang-ky-khai-sinh"].title.startswith(f"Đăng ký khai sinh {n}")
    result, cached = load_model(cat)
    assert result is None and cached.procedures["dang-ky-khai-sinh"].title == "Đăng ký khai sinh 2 1 0"
    stored = [p for p in (tmp_path / "cache" / "model").rglob("*") if p.is_file() and p.name != "index.pickle"]
    assert len(stored) == len(cached.procedures)
    # handed to another process (a pool of PDF workers), the lazy mapping travels as real procedures
    assert pickle.loads(pickle.dumps(cached)).procedures["dang-ky-khai-sinh"].title == "Đăng ký khai sinh 2 1 0"
    assert cached.codes["1.001193"] == "dang-ky-khai-sinh"


def test_a_model_is_not_cached_while_a_file_may_still_change_within_its_timestamp(tmp_path, monkeypatch):
    """Two saves in the same clock tick with the same size look alike to a size-and-time key, so
    a catalogue touched in the last seconds is checked again next time rather than trusted."""
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    cat = make_catalogue(tmp_path)
    f = cat / "procedures/ho-tich/khai-sinh.yaml"
    f.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")  # just saved
    assert load_model(cat)[0] is not None
    assert load_model(cat)[0] is not None  # still checked
    os.utime(f, (1_700_000_000, 1_700_000_000))
    assert load_model(cat)[0] is not None
    assert load_model(cat)[0] is None  # now served from the cache
