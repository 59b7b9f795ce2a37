"""Catalogue text reaches the site escaped for where it lands (no browser; see browser/test_injection.py).

The payload catalogue (every text field of every kind of file holding script, markup and tracking
payloads) is built once; then every generated file is read back: no tag or attribute the payloads
could have made, <title> and <meta> that decode to the text as typed, search-index entries and
embedded JSON that carry no raw markup and parse back to the same text.
"""

import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import payload_catalogue as pc
from helpers import ROOT

from thutuc import escaping


@pytest.fixture(scope="module")
def payload_build(tmp_path_factory):
    from thutuc.website.build import build

    tmp = tmp_path_factory.mktemp("payload-build")
    catalogue = pc.make(tmp)
    build(catalogue, tmp / "public", gen=tmp / "gen", as_of=dt.date(2026, 11, 26), pdfs=False)
    return catalogue, tmp / "public", tmp / "gen"


class _Page(HTMLParser):
    """Every start tag with its attributes, the <title>, metas and script contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.title, self.metas, self.comments = [], [], None, {}, []
        self._script = self._in_title = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = [dict(attrs).get("type", ""), "", dict(attrs).get("id")]
        if tag == "title":
            self._in_title = ""
        if tag == "meta" and dict(attrs).get("name"):
            self.metas[dict(attrs)["name"]] = dict(attrs).get("content")

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            self.scripts.append(tuple(self._script))
            self._script = None
        if tag == "title" and self._in_title is not None:
            self.title, self._in_title = self._in_title, None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
        elif self._in_title is not None:
            self._in_title += data

    def handle_comment(self, data):
        self.comments.append(data)


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def _norm(text: str) -> str:
    return " ".join(text.split())


def _ordinary_site_tags():
    """Event-handler attributes our own markup uses (the form's onsubmit); Material uses none."""
    return {"form": {"onsubmit"}}


def test_no_payload_becomes_a_tag_attribute_or_comment(payload_build):
    _, public, _ = payload_build
    pages = sorted(public.rglob("*.html"))
    assert len(pages) > 40
    for f in pages:
        page = _parse(f)
        for tag, attrs in page.tags:
            assert tag not in ("svg",) or "onload" not in attrs, f
            assert not (tag == "img" and attrs.get("src") in ("x", "https://evil.example/t.png")), f
            handlers = {a for a in attrs if a.startswith("on")}
            assert handlers <= _ordinary_site_tags().get(tag, set()), (f, tag, attrs)
            assert "autofocus" not in attrs, (f, tag)
            for name, value in attrs.items():
                assert "evil.example" not in (value or "") or name in ("content", "value", "title", "aria-label"), \
                    (f, tag, name, value)
                assert not (value or "").startswith("javascript:alert"), (f, tag, name)
        # a payload comment would have swallowed the rest of the page
        assert not any("script" in c or "svg" in c or "img" in c for c in page.comments), (f, page.comments[:2])
        # scripts: only Material's, ours and the JSON data islands — none from the payloads
        for kind, body, _id in page.scripts:
            assert "alert(1)</script>" not in body and "<script" not in body, f


def test_title_and_description_decode_to_the_text_as_typed(payload_build):
    import yaml

    _, public, _ = payload_build
    data = yaml.safe_load((ROOT / "catalogue/procedures/ho-tich/dang-ky-khai-sinh.yaml").read_text(encoding="utf-8"))
    page = _parse(public / "thu-tuc/dang-ky-khai-sinh/index.html")
    assert _norm(page.title) == _norm(data["title"] + pc.SUFFIX) + " - Thủ tục hành chính"
    assert _norm(page.metas["description"]) == _norm(data["summary"] + pc.SUFFIX)
    raw = (public / "thu-tuc/dang-ky-khai-sinh/index.html").read_text(encoding="utf-8")
    title_html = re.search(r"<title>(.*?)</title>", raw, re.S).group(1)
    assert "<" not in title_html and "&amp;lt;b&amp;gt;" in title_html  # escaped once, not twice
    meta_html = re.search(r'<meta name="description" content="([^"]*)"', raw).group(1)
    assert html.unescape(meta_html) == page.metas["description"]
    # the home page's title is the office name
    office = yaml.safe_load((ROOT / "catalogue/office.yaml").read_text(encoding="utf-8"))["office"]["name"]
    assert _norm(_parse(public / "index.html").title).startswith(_norm(office + pc.SUFFIX))


def test_ordinary_quotes_no_longer_break_descriptions(tmp_path):
    from thutuc.website.build import build

    build(ROOT / "catalogue", tmp_path / "public", gen=tmp_path / "gen", as_of=dt.date(2026, 11, 26), pdfs=False)
    quoted = 0
    for f in sorted((tmp_path / "public/thu-tuc").rglob("index.html")):
        raw = f.read_text(encoding="utf-8")
        m = re.search(r'<meta name="description" content="([^"]*)">', raw)
        assert m, f"{f}: the description attribute is broken"
        quoted += "&quot;" in m.group(1)
    assert quoted >= 4  # the bundled summaries that quote a name


def test_search_index_holds_no_markup_from_the_catalogue(payload_build):
    _, public, _ = payload_build
    index = json.loads((public / "search/search_index.json").read_text(encoding="utf-8"))
    procedures = [d for d in index["docs"] if d["location"].startswith("thu-tuc/")]
    assert procedures
    for doc in index["docs"]:
        for key in ("title", "text", "keywords"):
            value = doc.get(key, "")
            assert "<" not in value and ">" not in value, (doc["location"], key, value[:200])
            if doc["location"].startswith("thu-tuc/"):  # ours; Material's own leave " as text
                assert '"' not in value, (doc["location"], key)
    khai_sinh = next(d for d in procedures if d["location"] == "thu-tuc/dang-ky-khai-sinh/")
    assert html.unescape(khai_sinh["title"]).endswith(_norm(pc.SUFFIX))


def test_changes_page_and_feed_carry_the_payloads_as_text(payload_build):
    import xml.etree.ElementTree as ET

    _, public, _ = payload_build
    page = _parse(public / "thay-doi/index.html")
    assert not any((tag == "svg" and "onload" in attrs) or (tag == "img" and attrs.get("src") in ("x", "https://evil.example/t.png"))
                   for tag, attrs in page.tags)  # Material's own icons are inline <svg>
    feed = ET.parse(public / "thay-doi.xml").getroot()  # well-formed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    contents = [c.text for c in feed.findall("a:entry/a:content", ns)]
    assert contents and all(pc.SHOWN[0] not in c for c in contents)  # the entry's HTML holds it escaped
    body = _Page()
    body.feed("".join(contents))
    assert not any(tag in ("img", "svg", "script") for tag, _ in body.tags)
    assert html.unescape(pc.PAYLOADS[0]) in html.unescape("".join(contents))


def test_embedded_json_cannot_end_its_script(payload_build):
    _, public, _ = payload_build
    seen = 0
    for f in sorted((public / "thu-tuc").rglob("index.html")):
        for kind, body, script_id in _parse(f).scripts:
            if kind == "application/ld+json" or script_id == "tt-data":  # ours, not Material's config
                seen += 1
                assert not set(body) & {"<", ">", "&", "\u2028", "\u2029"}, (f, kind)
                data = json.loads(body)
                assert pc.PAYLOADS[-1] in json.dumps(data, ensure_ascii=False), (f, kind)
    assert seen >= 31


def test_every_payload_is_in_the_markdown_only_as_character_references(payload_build):
    _, _, gen = payload_build
    page = (gen / "docs/thu-tuc/dang-ky-khai-sinh.md").read_text(encoding="utf-8")
    body = page.split("\n---\n", 1)[1]
    body = re.sub(r'<script type="application/(?:ld\+)?json"[^>]*>.*?</script>', "", body)
    for payload in pc.PAYLOADS:
        assert payload not in body
    assert escaping.markdown(pc.PAYLOADS[2]) in body


@pytest.mark.parametrize("text", pc.PAYLOADS + ["a \\< b", "x {#id}", "1. list", "- item", "# head", "!!! note"])
def test_markdown_escape_renders_back_to_the_text(text):
    import markdown

    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "def_list", "admonition", "toc"])
    rendered = md.convert(escaping.markdown(text))
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    inner = rendered[3:-4]
    assert "<" not in inner and html.unescape(inner) == _norm(text)


def test_script_json_escapes_what_ends_a_script():
    text = escaping.script_json({"a": "</script><!--<script>&\u2028\u2029"})
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == {"a": "</script><!--<script>&\u2028\u2029"}


@pytest.mark.parametrize("address, ok", [
    ("https://thu-tuc.xa-dong-hung.example/", True), ("http://a.example/x?y=1&z=2#k", True),
    ('https://x.example/"><svg onload=alert(1)>', False), ("javascript:alert(1)", False),
    ("https://a.example/ b", False), ("https://a.example/'x", False), ("https://a.example/<x", False),
    ("ftp://a.example/", False), ("https://a.example/{x}", False),
])
def test_site_url_validation(address, ok):
    assert escaping.valid_url(address) is ok
    assert not set(escaping.url(address)) & set("\"'<> `{}\\")


def test_url_escape_keeps_a_vietnamese_domain_and_encodes_only_what_is_unsafe():
    assert escaping.url("https://thủtục.example/đăng-ký") == "https://thủtục.example/đăng-ký"
    assert escaping.url('https://a.example/x"><b (c)') == "https://a.example/x%22%3E%3Cb%20%28c%29"


def test_url_pattern_is_the_schemas(tmp_path):
    schema = json.loads((ROOT / "schemas/common.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["url"]["pattern"] == escaping.URL_PATTERN.pattern


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "thutuc", *args], capture_output=True, text=True, cwd=cwd,
                          env={**__import__("os").environ, "LC_ALL": "C.UTF-8"})


def test_check_reports_a_bad_site_url_with_its_position(tmp_path):
    cat = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    office = cat / "office.yaml"
    text = office.read_text(encoding="utf-8")
    # no space: the old pattern (^https?://[^\\s]+$) let it through
    office.write_text(re.sub(r"site_url: .*", 'site_url: "https://x.example/\\\\"><svg/onload=alert(1)>"', text),
                      encoding="utf-8")
    run = _run("check", str(cat))
    assert run.returncode == 1
    line = next(i for i, l in enumerate(office.read_text(encoding="utf-8").splitlines(), 1) if "site_url" in l)
    assert re.search(rf"office\.yaml:{line}:\d+: error: office\.site_url: ", run.stdout), run.stdout


def test_build_refuses_a_bad_site_url_as_a_usage_error(tmp_path):
    run = _run("build", "--catalogue", str(ROOT / "catalogue"), "--out", str(tmp_path / "public"),
               "--build-dir", str(tmp_path / "gen"), "--no-pdf", "--site-url", 'https://x"><svg onload=alert(1)>')
    assert run.returncode == 2
    assert "--site-url" in run.stderr and "not a web address" in run.stderr
    assert not (tmp_path / "public").exists()


def test_mkdocs_config_percent_encodes_the_site_url(tmp_path):
    from thutuc.website.build import mkdocs_config

    text = mkdocs_config(tmp_path, 'https://x.example/"><svg onload=alert(1)>')
    url = re.search(r"^site_url: (.*)$", text, re.M).group(1)
    assert not set(url) & set("\"'<> "), url


def test_preview_error_banner_shows_the_value_as_text(tmp_path):
    from thutuc.website.build import run_mkdocs
    from thutuc.website.serve import regenerate

    cat = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    gen = tmp_path / "gen"
    assert regenerate(cat, gen, dt.date(2026, 11, 26), lambda line: None)
    office = cat / "office.yaml"
    office.write_text(re.sub(r"site_url: .*", "site_url: \"https://x.example/<img src=x onerror=alert(1)>\"",
                             office.read_text(encoding="utf-8")), encoding="utf-8")
    assert not regenerate(cat, gen, dt.date(2026, 11, 26), lambda line: None)
    run_mkdocs(gen, tmp_path / "out", 0)
    page = _parse(tmp_path / "out/index.html")
    assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in page.tags)
    raw = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "Danh mục đang có lỗi" in raw and "&lt;img src=x onerror=alert(1)&gt;" in raw
