"""`thutuc diff`, the changes page and feed, and effective dates on procedure pages."""

import datetime as dt
import html
import json
import shutil
import subprocess
import sys
from pathlib import Path


from helpers import GOLDEN, TODAY
from thutuc.editing.changes import compare, format_md, history, procedures

BASE = GOLDEN / "base"


def _new_version(tmp: Path) -> Path:
    """The base catalogue, a version later: one procedure added, one amended, one abolished."""
    new = tmp / "new"
    shutil.copytree(BASE, new)
    ks = new / "procedures/ho-tich/khai-sinh.yaml"
    text = ks.read_text(encoding="utf-8")
    added = text.replace("id: khai-sinh", "id: khai-tu").replace('code: "1.001193"', 'code: "1.000656"')
    added = added.replace("title: Đăng ký khai sinh", "title: Đăng ký khai tử")
    (new / "procedures/ho-tich/khai-tu.yaml").write_text(added, encoding="utf-8")
    amended = text.replace("  - id: tuy-than\n", "  - id: giay-chung-sinh\n    group: submit\n    name: Giấy chứng sinh\n"
                                                   "    originals: 1\n  - id: tuy-than\n")
    amended = amended.replace("    kind: free\n", "    kind: fixed\n    amount: 10000\n")
    amended = amended.replace("  unit: same_day\n  cutoff: \"15:00\"\n", "  unit: working_days\n  amount: 3\n")
    ks.write_text(amended, encoding="utf-8")
    return new


def _old_version(tmp: Path) -> Path:
    old = tmp / "old"
    shutil.copytree(BASE, old)
    ks = (old / "procedures/ho-tich/khai-sinh.yaml").read_text(encoding="utf-8")
    gone = ks.replace("id: khai-sinh", "id: xac-nhan-cu").replace('code: "1.001193"\n', "")
    gone = gone.replace("title: Đăng ký khai sinh", "title: Xác nhận cũ")
    (old / "procedures/ho-tich/xac-nhan-cu.yaml").write_text(gone, encoding="utf-8")
    return old


EXPECTED = """# Thay đổi thủ tục hành chính: cũ → mới

## Thủ tục hành chính mới ban hành (1)

- **Đăng ký khai tử** (1.000656)

## Thủ tục hành chính được sửa đổi, bổ sung (1)

- **Đăng ký khai sinh** (1.001193): thêm giấy tờ: Giấy chứng sinh; phí, lệ phí Lệ phí: miễn phí → 10.000 đồng; thời hạn: Trong ngày; nếu nhận hồ sơ sau 15 giờ 00 thì trả kết quả trong ngày làm việc tiếp theo → 03 ngày làm việc

## Thủ tục hành chính bị bãi bỏ (1)

- **Xác nhận cũ**: xóa khỏi danh mục
"""


def test_diff_between_two_versions_is_exactly_the_announcement(tmp_path):
    report = compare(procedures(_old_version(tmp_path)), procedures(_new_version(tmp_path)), "cũ", "mới")
    assert format_md(report) == EXPECTED


def test_diff_command_reads_git_revisions_and_the_history_feeds_the_site(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(_old_version(tmp_path), repo / "catalogue")
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "v1")
    shutil.rmtree(repo / "catalogue")
    shutil.copytree(_new_version(tmp_path / "n"), repo / "catalogue")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "v2")
    res = subprocess.run([sys.executable, "-m", "thutuc", "diff", "HEAD~1", "HEAD", "--catalogue",
                          str(repo / "catalogue"), "--format", "json"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert [e["id"] for e in data["added"]] == ["khai-tu"]
    assert [e["id"] for e in data["abolished"]] == ["xac-nhan-cu"]
    items = history(repo / "catalogue")
    assert len(items) == 2 and [e.id for e in items[0].report.amended] == ["khai-sinh"]

    from thutuc.website.build import build

    build(repo / "catalogue", tmp_path / "public", gen=tmp_path / "gen", as_of=TODAY, pdfs=False)
    page = html.unescape((tmp_path / "public/thay-doi/index.html").read_text(encoding="utf-8"))  # as shown
    assert "Đăng ký khai tử" in page and "thêm giấy tờ: Giấy chứng sinh" in page
    feed = (tmp_path / "public/thay-doi.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2 and "1 mới, 1 sửa đổi, 1 bãi bỏ" in feed
    assert subprocess.run([sys.executable, "-m", "thutuc", "diff", "nope", "HEAD", "--catalogue",
                           str(repo / "catalogue")], capture_output=True).returncode == 2


def test_pages_show_the_catalogue_as_of_a_date_and_what_changes_soon(tmp_path):
    from thutuc.catalogue.model import load
    from thutuc.website.pages import procedure_page

    cat_dir = tmp_path / "catalogue"
    shutil.copytree(BASE, cat_dir)
    ks = cat_dir / "procedures/ho-tich/khai-sinh.yaml"
    ks.write_text(ks.read_text(encoding="utf-8").replace(
        "    kind: free\n    source: Điều 11 Luật Hộ tịch\n",
        "    kind: free\n    source: Điều 11 Luật Hộ tịch\n    valid_to: 2026-12-31\n"
        "  - name: Lệ phí mới\n    kind: fixed\n    amount: 20000\n    valid_from: 2027-01-01\n    source: Nghị quyết tỉnh\n"),
        encoding="utf-8")
    _, cat = load(cat_dir, today=TODAY)
    now = html.unescape(procedure_page(cat.procedures["khai-sinh"], cat, dt.date(2026, 12, 1), None))
    assert "Sắp thay đổi" in now and "Từ 01/01/2027: áp dụng Lệ phí mới: 20.000 đồng" in now
    assert "| Lệ phí mới |" not in now and "| Lệ phí |" in now
    later = html.unescape(procedure_page(cat.procedures["khai-sinh"], cat, dt.date(2027, 1, 2), None))
    assert "| Lệ phí mới | 20.000 đồng |" in later and "| Lệ phí |" not in later and "Sắp thay đổi" not in later


def _git_repo(tmp: Path, versions: list) -> tuple[Path, callable]:
    """A repository whose catalogue went through ``versions`` (functions editing a copy of the
    base catalogue), one commit each."""
    repo = tmp / "repo"
    cat = repo / "catalogue"
    shutil.copytree(BASE, cat)
    git = lambda *a: subprocess.run(["git", "-C", str(repo), "-c", "user.name=t",  # noqa: E731
                                     "-c", "user.email=t@example.invalid", *a], check=True, capture_output=True)
    git("init", "-q")
    for i, edit in enumerate(versions):
        edit(cat)
        git("add", "-A")
        git("commit", "-qm", f"v{i + 1}", "--allow-empty")
    return cat, git


def _replace(rel: str, old: str, new: str):
    def edit(cat: Path):
        f = cat / rel
        text = f.read_text(encoding="utf-8")
        assert old in text
        f.write_text(text.replace(old, new), encoding="utf-8")
    return edit


KS = "procedures/ho-tich/khai-sinh.yaml"


def test_a_version_whose_procedure_file_does_not_load_is_not_announced_as_abolished(tmp_path):
    cat, _git = _git_repo(tmp_path, [
        lambda cat: None,
        _replace(KS, "lifecycle:\n", "lifecycle: [\n"),  # not YAML any more
        _replace(KS, "lifecycle: [\n", "lifecycle:\n"),
        _replace(KS, "  status: active\n", "  status: actve\n"),  # not the schema
        _replace(KS, "  status: actve\n", "  status: active\n"),
    ])
    for old, new in (("HEAD~4", "HEAD~3"), ("HEAD~2", "HEAD~1"), ("HEAD~3", "HEAD~4")):
        res = subprocess.run([sys.executable, "-m", "thutuc", "diff", old, new, "--catalogue", str(cat)],
                             capture_output=True, text=True)
        assert res.returncode == 1, (old, new, res.stdout, res.stderr)
        assert "bãi bỏ" not in res.stdout.lower() and res.stdout == ""
        broken = "HEAD~3" if "HEAD~3" in (old, new) else "HEAD~1"
        assert f"{broken}:catalogue/{KS}:" in res.stderr and ": error: " in res.stderr
        assert "cannot be read" in res.stderr and "internal error" not in res.stderr
    # A broken folder is refused the same way, with the folder as typed in the file name.
    folder = tmp_path / "broken"
    shutil.copytree(BASE, folder)
    _replace(KS, "lifecycle:\n", "lifecycle: [\n")(folder)
    res = subprocess.run([sys.executable, "-m", "thutuc", "diff", str(BASE), str(folder)], capture_output=True, text=True)
    assert res.returncode == 1 and f"{folder}/{KS}:" in res.stderr
    # The site's history skips the broken commits: nothing was abolished, nothing is new.
    items = history(cat)
    assert all(not i.report.abolished and not i.report.added for i in items[:-1]), [i.report for i in items]
    assert [i.subject for i in items] == ["v1"]  # the fixes restore v1 exactly: no change to announce


def test_history_compares_a_commit_with_the_last_readable_one_before_it(tmp_path):
    cat, _git = _git_repo(tmp_path, [
        lambda cat: None,
        _replace(KS, "lifecycle:\n", "lifecycle: [\n"),
        _replace(KS, "lifecycle: [\n", "lifecycle:\n"),
        _replace(KS, "title: Đăng ký khai sinh", "title: Đăng ký khai sinh (sửa)"),
    ])
    items = history(cat)
    assert [i.subject for i in items] == ["v4", "v1"]
    assert not items[0].report.abolished and not items[0].report.added
    assert [e.id for e in items[0].report.amended] == ["khai-sinh"]


def test_a_revision_is_never_read_as_a_git_option(tmp_path):
    cat, _git = _git_repo(tmp_path, [lambda cat: None])
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    for args in (["--", f"--output={victim}"], ["HEAD", "--", f"--output={victim}"], ["--", "-o", "HEAD"],
                 ["--", "--remote=/etc", "HEAD"], ["--", "--exec=touch /tmp/x", "HEAD"]):
        res = subprocess.run([sys.executable, "-m", "thutuc", "diff", "--catalogue", str(cat), *args],
                             capture_output=True, text=True, cwd=tmp_path)
        assert res.returncode == 2, (args, res.stdout, res.stderr)
        assert res.stderr.count("\n") == 1 and "cannot begin with '-'" in res.stderr, res.stderr
        assert victim.read_text(encoding="utf-8") == "keep me\n"
    # Not a commit (a tree, a blob, a range, nonsense): refused by name, nothing run with it.
    for rev in ("HEAD^{tree}", "HEAD:catalogue/office.yaml", "HEAD~1..HEAD", "no-such-tag"):
        res = subprocess.run([sys.executable, "-m", "thutuc", "diff", rev, "HEAD", "--catalogue", str(cat)],
                             capture_output=True, text=True)
        assert res.returncode == 2 and "neither a folder nor a commit" in res.stderr, (rev, res.stderr)
    res = subprocess.run([sys.executable, "-m", "thutuc", "diff", "HEAD", "HEAD", "--catalogue", str(cat)],
                         capture_output=True, text=True)
    assert res.returncode == 0 and "Không có." in res.stdout
