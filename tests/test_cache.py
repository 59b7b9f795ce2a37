"""The caches that make a second `check` and a checklist fast must never serve a stale answer."""

import datetime as dt
import hashlib
import os
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, TODAY, make_catalogue
from thutuc.catalogue.check import check_catalogue
from thutuc.catalogue.model import load_model


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


def test_a_catalogue_just_saved_is_cached_and_its_next_save_still_seen(tmp_path, monkeypatch):
    """The model is keyed by the files' bytes: no need to wait until a save has settled, and two
    saves in the same clock tick with the same size are told apart."""
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    cat = make_catalogue(tmp_path)
    f = cat / "procedures/ho-tich/khai-sinh.yaml"
    f.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")  # just saved
    assert load_model(cat)[0] is not None
    assert load_model(cat)[0] is None  # served from the cache at once
    before = f.stat()
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("title: ", "title: X", 1).replace("summary: Đăng", "summary: Dăng", 1), encoding="utf-8")
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert f.stat().st_size == before.st_size
    result, model = load_model(cat)
    assert result is not None and model.procedures[next(iter(model.procedures))].title.startswith("X")


def test_every_kind_of_cached_value_reads_back_through_the_restricted_unpickler(tmp_path, monkeypatch):
    """Pickled entries may name only thutuc's classes and plain value types; a value that needs
    anything else would be refused on every read, and the cache would silently never help."""
    import dataclasses

    from thutuc import cache, glyphs
    from thutuc.checklist import workdays
    from thutuc.editing.changes import Entry, Report
    from thutuc.catalogue.model import load

    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    cat = load(ROOT / "catalogue")[1]
    values = [dataclasses.replace(cat, procedures={}), *cat.procedures.values(), glyphs.coverage(),
              workdays._public_holidays((2026, 2027)), Report("a", "b", added=[Entry("x", "X", "1.0", ("d",))])]
    for value in values:
        assert cache.loads(cache.dumps(value)) == value
    with pytest.raises(pickle.UnpicklingError):
        cache.loads(pickle.dumps(os.system))
    with pytest.raises(pickle.UnpicklingError):
        cache.loads(pickle.dumps(cache.safe_folder))


# --- damaged entries: never trusted, always rebuilt ----------------------------------------------
#
# Each kind of cache entry is damaged in five ways; the command run over the damaged cache must
# print exactly what it prints with an empty cache, exit the same, and rewrite the bad entry.

DAMAGES = ("truncate", "zero", "flip", "garbage", "swap")
THUTUC = [sys.executable, "-m", "thutuc", "--lang", "en"]
KHAI_SINH = ["1.001193", "-a", "dung_han=co", "-a", "giay_to_ve_viec_sinh=giay_chung_sinh", "-a", "mang_thai_ho=khong",
             "-a", "nop_thay=khong", "-a", "so_ban_sao=1"]
LAND = ["dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho", "-a", "loai_bien_dong=tang_cho", "-a", "dang_the_chap=khong",
        "-a", "tach_thua=khong", "-a", "nop_thay=khong", "--applicant", "Nguyễn Văn Bình"]


def _thutuc(args: list[str], cache: Path) -> tuple[int, bytes, bytes]:
    env = dict(os.environ, THUTUC_CACHE_DIR=str(cache), LC_ALL="C.UTF-8")
    res = subprocess.run(THUTUC + args, env=env, capture_output=True, timeout=300)
    return res.returncode, res.stdout, res.stderr


def _check(cat: Path) -> list[str]:
    return ["check", str(cat)]


def _checklist(cat: Path, args: list[str] = KHAI_SINH, submitted: str = "2026-02-10 09:00") -> list[str]:
    return ["checklist", "--catalogue", str(cat), *args, "--format", "md", "-o", "-", "--submitted", submitted]


def _settled_copy(target: Path) -> Path:
    shutil.copytree(ROOT / "catalogue", target)
    old = 1_700_000_000
    for p in target.rglob("*"):
        os.utime(p, (old, old))
    return target


def _damage(how: str, entry: Path, other: Path | None = None) -> dict[Path, bytes]:
    """Damage ``entry`` (and ``other`` for a swap); the bad bytes now in each file."""
    data = entry.read_bytes()
    if how == "truncate":
        bad = {entry: data[: len(data) // 2]}
    elif how == "zero":
        bad = {entry: b""}
    elif how == "flip":
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0x04
        bad = {entry: bytes(flipped)}
    elif how == "garbage":
        bad = {entry: random.Random(11).randbytes(len(data))}
    else:
        assert other is not None and other.read_bytes() != data
        bad = {entry: other.read_bytes(), other: data}
    for path, blob in bad.items():
        path.write_bytes(blob)
    return bad


def _assert_rewritten(bad: dict[Path, bytes], which=None) -> None:
    for path, blob in bad.items():
        if which is None or path in which:
            assert path.is_file() and path.stat().st_size > 0 and path.read_bytes() != blob, f"{path} not rewritten"


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A catalogue, a second copy of it (another model index), what each command prints with an
    empty cache, and a cache warmed by those commands (copied for each test)."""
    base = tmp_path_factory.mktemp("cachewarm")
    cat, other = _settled_copy(base / "catalogue"), _settled_copy(base / "other")
    commands = {"check": _check(cat), "checklist": _checklist(cat), "land": _checklist(cat, LAND),
                "land-2030": _checklist(cat, LAND, "2030-01-28 09:00"),
                "military": _checklist(cat, ["dang-ky-nghia-vu-quan-su-lan-dau", "--generic"])}
    fresh = {}
    for name, cmd in commands.items():
        fresh[name] = _thutuc(cmd, base / f"empty-{name}")
        assert fresh[name][0] == 0, fresh[name][2]
    cache = base / "cache"
    for cmd in commands.values():
        _thutuc(cmd, cache)
    _thutuc(_checklist(other), cache)
    for name, cmd in commands.items():
        assert _thutuc(cmd, cache) == fresh[name]  # the warm cache itself gives the same answers
    return {"cat": cat, "other": other, "commands": commands, "fresh": fresh, "cache": cache}


def _entry_named(cache: Path, kind: str, name: str) -> Path:
    found = [p for p in (cache / kind).rglob(name) if p.is_file()]
    assert len(found) == 1, (kind, name, found)
    return found[0]


def _file_key(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()


def _model_folder(cache: Path, cat: Path) -> Path:
    return cache / "model" / hashlib.sha256(str(cat.resolve()).encode()).hexdigest()[:20]


def _model_entry(folder: Path, pid: str) -> Path:
    """The model cache's file for one procedure (each holds one pickled procedure)."""
    for p in folder.rglob("*"):
        if p.is_file() and len(p.name) == 40:
            try:
                if pickle.loads(p.read_bytes()).id == pid:
                    return p
            except Exception:
                continue
    raise AssertionError(f"no model entry for {pid}")


def _pickles(cache: Path, name: str) -> list[Path]:
    """The entries of one kind kept by ``cached(name, …)``, oldest first."""
    found = [p for p in cache.glob(f"{name}-*.pickle") if len(p.stem) == len(name) + 33]
    return sorted(found, key=lambda p: p.stat().st_mtime_ns)


def _entries(kind: str, cache: Path, w: dict) -> tuple[str, Path, Path]:
    """(command, entry, another entry of the same kind) for one kind of cache entry."""
    cat = w["cat"]
    khai_sinh, military = (cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml",
                           cat / "procedures/nghia-vu-quan-su/dang-ky-nghia-vu-quan-su-lan-dau.yaml")
    if kind == "loaded files":  # what each catalogue file loads to
        return ("check", _entry_named(cache, "files", _file_key(khai_sinh)),
                _entry_named(cache, "files", _file_key(military)))
    if kind == "per-file rules":  # what the rules reading only that file found
        return ("check", _entry_named(cache, "rules", _file_key(khai_sinh) + "-procedure"),
                _entry_named(cache, "rules", _file_key(military) + "-procedure"))
    if kind == "model index":  # the catalogue model without its procedures, one per catalogue folder
        return "checklist", _model_folder(cache, cat) / "index.pickle", _model_folder(cache, w["other"]) / "index.pickle"
    if kind == "model procedure":  # one procedure of the model
        folder = _model_folder(cache, cat)
        return "checklist", _model_entry(folder, "dang-ky-khai-sinh"), _model_entry(folder, "dang-ky-nghia-vu-quan-su-lan-dau")
    if kind == "holidays":  # the public holidays of the years a due date may reach
        first, second = _pickles(cache, "holidays")[:2]  # 2026 (written first), then 2030
        return "land", first, second
    raise AssertionError(kind)


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("kind", ["loaded files", "per-file rules", "model index", "model procedure", "holidays"])
def test_a_damaged_cache_entry_gives_what_an_empty_cache_gives(warm, tmp_path, kind, how):
    cache = tmp_path / "cache"
    shutil.copytree(warm["cache"], cache)
    command, entry, other = _entries(kind, cache, warm)
    bad = _damage(how, entry, other)
    assert _thutuc(warm["commands"][command], cache) == warm["fresh"][command]
    # the entry the command used is rewritten (a swapped holiday table of another year, or another
    # catalogue folder's model index, only when that year or folder is asked for)
    _assert_rewritten(bad, {entry} if kind in ("holidays", "model index") else None)
    assert _thutuc(warm["commands"][command], cache) == warm["fresh"][command]


@pytest.mark.parametrize("how", ["truncate", "zero", "flip", "garbage"])
def test_a_damaged_font_coverage_entry_is_not_trusted(warm, tmp_path, how):
    cache = tmp_path / "cache"
    shutil.copytree(warm["cache"], cache)
    entries = _pickles(cache, "font-coverage")
    if not entries:
        pytest.skip("this thutuc keeps no font coverage cache")
    bad = _damage(how, entries[0])
    for kind in ("rules", "model"):  # so that the rules reading each file's text run again
        shutil.rmtree(cache / kind)
    for command in ("check", "checklist"):
        assert _thutuc(warm["commands"][command], cache) == warm["fresh"][command]
    _assert_rewritten(bad)


def test_a_swapped_procedure_entry_never_prints_another_procedure(warm, tmp_path):
    """The birth registration's model entry replaced by the military registration's."""
    cache = tmp_path / "cache"
    shutil.copytree(warm["cache"], cache)
    _, entry, other = _entries("model procedure", cache, warm)
    _damage("swap", entry, other)
    for command in ("checklist", "military"):
        assert _thutuc(warm["commands"][command], cache) == warm["fresh"][command]


def test_an_edit_that_keeps_size_and_time_changes_the_checklist_fee(tmp_path):
    cat, cache = _settled_copy(tmp_path / "catalogue"), tmp_path / "cache"
    before = _thutuc(_checklist(cat), cache)
    assert before[0] == 0 and "| Tổng cộng | 8.000 đồng |" in before[1].decode()
    assert _thutuc(_checklist(cat), cache) == before  # now from the model cache
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    st = f.stat()
    f.write_text(f.read_text(encoding="utf-8").replace("amount: 8000", "amount: 9000"), encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (f.stat().st_size, f.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    after = _thutuc(_checklist(cat), cache)
    assert after[0] == 0 and "| Tổng cộng | 9.000 đồng |" in after[1].decode()
    assert after == _thutuc(_checklist(cat), tmp_path / "empty")


# --- the generic PDFs built with the site --------------------------------------------------------

WHEN = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _pdf_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """The bundled catalogue's model, its PDFs built with an empty cache, and that cache."""
    from thutuc.catalogue.model import load
    from thutuc.website.sitepdf import build_pdfs

    base = tmp_path_factory.mktemp("pdfs")
    result, cat = load(_settled_copy(base / "catalogue"))
    assert cat is not None
    stats = build_pdfs(cat, base / "fresh", base / "cache", WHEN)
    assert stats.reused == 0 and len(_pdf_bytes(base / "fresh")) == len(cat.listed()) > 2
    return {"cat": cat, "fresh": _pdf_bytes(base / "fresh"), "cache": base / "cache", "base": base}


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_pdf_cache_entry_gives_the_pdfs_an_empty_cache_gives(pdfs, tmp_path, how):
    from thutuc.website.sitepdf import build_pdfs

    cache = tmp_path / "cache"
    shutil.copytree(pdfs["cache"], cache)
    entry, other = sorted(cache.glob("*.pdf"))[:2]
    bad = _damage(how, entry, other)
    build_pdfs(pdfs["cat"], tmp_path / "out", cache, WHEN)
    assert _pdf_bytes(tmp_path / "out") == pdfs["fresh"]
    _assert_rewritten(bad)


CONCURRENT = """
import datetime as dt, sys
from pathlib import Path
from thutuc.catalogue.model import load
from thutuc.website.sitepdf import build_pdfs

catalogue, cache, out, reference, hour, rounds = sys.argv[1:]
cat = load(Path(catalogue))[1]
when = dt.datetime(2026, 11, 26, int(hour), 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
expected = {p.name: p.read_bytes() for p in Path(reference).glob("*.pdf")}
for i in range(int(rounds)):
    build_pdfs(cat, Path(out) / str(i), Path(cache), when)
    got = {p.name: p.read_bytes() for p in (Path(out) / str(i)).glob("*.pdf")}
    assert got == expected, sorted(n for n in expected if got.get(n) != expected[n])
"""


def test_builds_sharing_the_pdf_cache_at_the_same_time_both_succeed(pdfs, tmp_path):
    """Two builds of different PDFs (another date on each) share one cache, each evicting what it
    does not use; neither may fail on an entry the other removed, and each gets its own PDFs."""
    from thutuc.website.sitepdf import build_pdfs

    other_when = WHEN.replace(hour=10)
    build_pdfs(pdfs["cat"], tmp_path / "reference-10", tmp_path / "private", other_when)
    (tmp_path / "reference-9").mkdir()
    for name, blob in pdfs["fresh"].items():
        (tmp_path / "reference-9" / name).write_bytes(blob)
    cache = tmp_path / "shared"
    env = dict(os.environ, THUTUC_CACHE_DIR=str(tmp_path / "thutuc-cache"))
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(pdfs["cat"].root), str(cache),
                               str(tmp_path / f"out-{hour}"), str(tmp_path / f"reference-{hour}"), str(hour), "3"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for hour in (9, 10)]
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()[-3000:]


# --- a cache folder others may write to ---------------------------------------------------------

def test_a_cache_folder_others_may_write_to_is_not_used(warm, tmp_path):
    """Someone who can write to the cache folder could plant an entry with a matching digest (and
    a pickle can run code when read): such a folder is not used at all."""
    cache = tmp_path / "cache"
    shutil.copytree(warm["cache"], cache)
    _, entry, other = _entries("model procedure", cache, warm)
    _damage("swap", entry, other)  # planted: the military registration as the birth registration
    cache.chmod(0o777)
    before = sorted(cache.rglob("*"))
    for command in ("checklist", "check"):
        code, out, err = _thutuc(warm["commands"][command], cache)
        assert (code, out) == warm["fresh"][command][:2]
        assert err.decode().startswith(f"thutuc: warning: not using the cache folder {cache}: "), err
    assert sorted(cache.rglob("*")) == before  # nothing read from it or written to it


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the folder away")
def test_a_cache_folder_of_another_user_is_not_used(warm, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(warm["cache"], cache)
    _, entry, other = _entries("model procedure", cache, warm)
    _damage("swap", entry, other)
    os.chown(cache, 65534, 65534)
    code, out, err = _thutuc(warm["commands"]["checklist"], cache)
    assert (code, out) == warm["fresh"]["checklist"][:2] and b"not using the cache folder" in err


def test_a_pdf_cache_folder_others_may_write_to_is_not_used(pdfs, tmp_path):
    from thutuc.website.sitepdf import build_pdfs

    cache = tmp_path / "cache"
    shutil.copytree(pdfs["cache"], cache)
    entry, other = sorted(cache.glob("*.pdf"))[:2]
    _damage("swap", entry, other)
    cache.chmod(0o777)
    stats = build_pdfs(pdfs["cat"], tmp_path / "out", cache, WHEN)
    assert stats.reused == 0 and _pdf_bytes(tmp_path / "out") == pdfs["fresh"]


# --- the site's history of changes, one comparison per commit ------------------------------------

@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_history_entry_gives_the_history_an_empty_cache_gives(tmp_path, monkeypatch, how):
    from thutuc.editing.changes import history

    repo = tmp_path / "repo"
    cat = _settled_copy(repo / "catalogue")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "first"], check=True)
    f = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("amount: 8000", "amount: 9000"), encoding="utf-8")
    subprocess.run(git + ["commit", "-qam", "fee"], check=True)
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "empty"))
    fresh = history(cat)
    assert len(fresh) == 2
    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    assert history(tmp_path / "repo" / "catalogue") == fresh
    entry, other = _pickles(tmp_path / "cache", "changes")[:2]
    bad = _damage(how, entry, other)
    assert history(cat) == fresh
    _assert_rewritten(bad)


def test_thutuc_build_over_a_damaged_pdf_cache_publishes_the_pdfs_of_an_empty_one(tmp_path):
    cat = _settled_copy(tmp_path / "catalogue")

    def build(n: int) -> tuple[int, dict[str, bytes]]:
        code, out, err = _thutuc(["build", "--catalogue", str(cat), "--out", str(tmp_path / f"public-{n}"),
                                  "--build-dir", str(tmp_path / "build" / "site"), "--as-of", "2026-11-26"],
                                 tmp_path / "cache")
        assert code == 0, err.decode()[-3000:]
        return code, _pdf_bytes(tmp_path / f"public-{n}" / "pdf")

    fresh = build(1)
    entries = sorted((tmp_path / "build").rglob("pdf-cache/*.pdf"))  # next to the generated site, or in it
    assert len(entries) == len(fresh[1]) > 2
    bad = _damage("zero", entries[0])
    bad.update(_damage("swap", entries[1], entries[2]))
    assert build(2) == fresh
    _assert_rewritten(bad)
