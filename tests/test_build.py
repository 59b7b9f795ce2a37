"""`thutuc build`: what is published, that it is deterministic, and that failures publish nothing."""

import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, TODAY
from thutuc.website import build as buildmod
from thutuc.website.build import BuildError, build


def tree_hash(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


MKDOCS_WARNINGS = Records()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    logging.getLogger("mkdocs").addHandler(MKDOCS_WARNINGS)
    try:
        build(ROOT / "catalogue", tmp / "public", gen=tmp / "gen", as_of=TODAY)
    finally:
        logging.getLogger("mkdocs").removeHandler(MKDOCS_WARNINGS)
    return tmp


def test_the_build_prints_no_mkdocs_warning_and_the_pdf_links_work(site):
    assert [r.getMessage() for r in MKDOCS_WARNINGS.records] == []
    page = site / "public/thu-tuc/dang-ky-khai-sinh/index.html"
    links = re.findall(r'<a class="md-button tt-pdf" href="([^"]+)"', page.read_text(encoding="utf-8"))
    assert links == ["../../pdf/dang-ky-khai-sinh.pdf"]
    assert (page.parent / links[0]).resolve().read_bytes()[:5] == b"%PDF-"
    # MkDocs knows the PDFs: they are in the generated docs before it runs, so the generated folder
    # alone builds the whole site (test_generated_markdown_builds_with_plain_mkdocs)
    assert (site / "gen/docs/pdf/dang-ky-khai-sinh.pdf").read_bytes() == (site / "public/pdf/dang-ky-khai-sinh.pdf").read_bytes()


def test_cli_build_without_pdfs_is_quiet_too(tmp_path):
    res = subprocess.run([sys.executable, "-m", "thutuc", "build", "--no-pdf", "--out", str(tmp_path / "public"),
                          "--build-dir", str(tmp_path / "gen"), "--as-of", TODAY.isoformat()],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "WARNING" not in res.stderr and "not found among documentation files" not in res.stderr, res.stderr
    # only the warnings for the PDFs it skipped are dropped: a broken link of the staff guide still shows
    guide = tmp_path / "gen/docs/huong-dan/index.md"
    records = Records()
    logging.getLogger("mkdocs").addHandler(records)
    try:
        guide.write_text(guide.read_text(encoding="utf-8") + "\n[x](khong-co.pdf)\n", encoding="utf-8")
        skipped = {page.stem for page in (tmp_path / "gen/docs/thu-tuc").glob("*.md")}
        buildmod.run_mkdocs(tmp_path / "gen", tmp_path / "again", 0, skipped_pdfs=skipped)
    finally:
        logging.getLogger("mkdocs").removeHandler(records)
    assert [r.getMessage() for r in records.records if "not found" in r.getMessage()] == [
        "Doc file 'huong-dan/index.md' contains a link 'khong-co.pdf', but the target 'huong-dan/khong-co.pdf' "
        "is not found among documentation files."]


def test_every_listed_procedure_has_a_page(site):
    pages = {p.parent.name for p in (site / "public/thu-tuc").glob("*/index.html")}
    ids = {p.stem for p in (ROOT / "catalogue/procedures").rglob("*.yaml")}
    assert pages == ids
    html = (site / "public/thu-tuc/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    for text in ("Tờ khai đăng ký khai sinh", "Không cần mang — cán bộ tra cứu", "Miễn phí",
                 "sau 15 giờ 00", "Luật Hộ tịch", "kiểm tra lần cuối ngày 30/06/2026", '"GovernmentService"'):
        assert text in html, text
    assert "md-banner" not in html  # the live-preview error banner stays out of published pages


def test_procedures_are_not_in_the_nav(site):
    html = (site / "public/thu-tuc/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("</nav>")]
    assert not re.search(r'href="[^"]*(?<![\w-])thu-tuc/', nav)
    # home, fields, life events, agencies, changes, and the staff guide's pages: whatever the catalogue's size
    from thutuc.website.build import NAV

    guide = next(v for item in NAV for k, v in item.items() if isinstance(v, list))
    assert len(re.findall(r'class="md-nav__link', nav)) <= len(NAV) + len(guide) + 1


def test_abolished_procedure_keeps_its_url_and_points_to_successor(site):
    html = (site / "public/thu-tuc/cap-giay-phep-xay-dung-nha-o-rieng-le-cap-huyen/index.html").read_text(encoding="utf-8")
    assert "Thủ tục đã bãi bỏ" in html and "01/07/2025" in html
    assert 'href="../cap-giay-phep-xay-dung-nha-o-rieng-le/"' in html
    field = (site / "public/linh-vuc/hoat-dong-xay-dung/index.html").read_text(encoding="utf-8")
    assert "cap-giay-phep-xay-dung-nha-o-rieng-le-cap-huyen" not in field
    index = json.loads((site / "public/search/search_index.json").read_text(encoding="utf-8"))
    assert not any("cap-huyen" in d["location"] for d in index["docs"])


def test_search_index_is_folded_and_small(site):
    index = json.loads((site / "public/search/search_index.json").read_text(encoding="utf-8"))
    doc = next(d for d in index["docs"] if d["location"] == "thu-tuc/dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho/")
    assert "sang ten so do" in doc["keywords"] and "sang tên sổ đỏ" in doc["keywords"]
    assert "chuyen nhuong" in doc["keywords"]
    assert not any("#" in d["location"] for d in index["docs"])
    assert index["config"]["fields"]["keywords"]["boost"] > index["config"]["fields"]["title"]["boost"]


def test_open_data_and_sitemap(site):
    data = json.loads((site / "public/du-lieu/thu-tuc.json").read_text(encoding="utf-8"))
    # the same documented, versioned shape as `thutuc export` (schemas/export/)
    assert data["format"] == "thutuc-catalogue-export" and data["version"] == 1 and len(data["procedures"]) >= 30
    assert any(p["code"] == "1.001193" for p in data["procedures"])
    csv_lines = (site / "public/du-lieu/thu-tuc.csv").read_text(encoding="utf-8-sig").splitlines()
    listed = [p for p in data["procedures"] if p["lifecycle"]["status"] in ("active", "suspended")]
    assert csv_lines[0].startswith("id,code,title") and len(csv_lines) == len(listed) + 1
    assert '"@type": "GovernmentService"' in (site / "public/thu-tuc/dang-ky-khai-sinh/index.html").read_text(
        encoding="utf-8")  # JSON-LD page by page; the whole catalogue's comes from thutuc export
    sitemap = (site / "public/sitemap.xml").read_text(encoding="utf-8")
    assert "thu-tuc/dang-ky-khai-sinh/" in sitemap


def test_no_external_references_in_html(site):
    for page in (site / "public").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            # Only links a citizen clicks (the national portal) and the site's own canonical address
            # may name another host; nothing is loaded from outside.
            assert url.startswith(("https://dichvucong.gov.vn", "https://thu-tuc.xa-dong-hung.example/")), (page, url)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_generated_markdown_builds_with_plain_mkdocs(site, tmp_path):
    out = tmp_path / "plain"
    res = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(site / "gen/mkdocs.yml"),
                          "-d", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "WARNING" not in res.stderr, res.stderr
    assert (out / "thu-tuc/dang-ky-khai-sinh/index.html").is_file()
    assert (out / "pdf/dang-ky-khai-sinh.pdf").read_bytes() == (site / "public/pdf/dang-ky-khai-sinh.pdf").read_bytes()
    # site/ holds only hand-written sources (the staff guide); generated Markdown never goes there
    assert {p.parent.name for p in (ROOT / "site").rglob("*.md")} <= {"huong-dan"}
    assert (out / "huong-dan/dieu-kien/index.html").is_file()


def test_same_catalogue_gives_byte_identical_output(tmp_path, site):
    build(ROOT / "catalogue", tmp_path / "again", gen=tmp_path / "gen", as_of=TODAY)
    assert tree_hash(tmp_path / "again") == tree_hash(site / "public")


def _broken_copy(tmp_path: Path) -> Path:
    cat = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    p = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("field: ho-tich", "field: ho-tch"), encoding="utf-8")
    return cat


def test_catalogue_error_publishes_nothing(tmp_path, site):
    out = tmp_path / "public"
    shutil.copytree(site / "public", out)
    before = tree_hash(out)
    with pytest.raises(BuildError) as err:
        build(_broken_copy(tmp_path), out, gen=tmp_path / "gen", as_of=TODAY)
    assert err.value.result.errors >= 1
    assert tree_hash(out) == before


def test_mkdocs_failure_publishes_nothing_and_cleans_up(tmp_path, site, monkeypatch):
    out = tmp_path / "public"
    shutil.copytree(site / "public", out)
    before = tree_hash(out)

    def boom(gen, site_dir, epoch, **options):
        (site_dir / "half-written.html").write_text("x")
        raise RuntimeError("disk full")

    monkeypatch.setattr(buildmod, "run_mkdocs", boom)
    with pytest.raises(BuildError, match="disk full"):
        build(ROOT / "catalogue", out, gen=tmp_path / "gen", as_of=TODAY)
    assert tree_hash(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen", "public"]


def test_cli_build_reports_errors_and_exits_1(tmp_path):
    res = subprocess.run([sys.executable, "-m", "thutuc", "build", "--catalogue", str(_broken_copy(tmp_path)),
                          "--out", str(tmp_path / "out"), "--build-dir", str(tmp_path / "gen")],
                         capture_output=True, text=True)
    assert res.returncode == 1
    assert "dang-ky-khai-sinh.yaml" in res.stdout and "no field has id 'ho-tch'" in res.stdout
    assert not (tmp_path / "out").exists()


def test_a_review_date_typed_in_the_future_does_not_date_the_site_in_the_future(tmp_path):
    cat = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    proc = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    proc.write_text(re.sub(r"last_reviewed: \S+", "last_reviewed: 2099-01-01", proc.read_text(encoding="utf-8")),
                    encoding="utf-8")
    build(cat, tmp_path / "public", gen=tmp_path / "gen", as_of=TODAY, pdfs=False)
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", (tmp_path / "public/sitemap.xml").read_text()))
    assert lastmods and all(d <= TODAY.isoformat() for d in lastmods), lastmods
