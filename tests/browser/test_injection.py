"""A catalogue whose every text field holds script, markup and tracking payloads, in Chromium.

Every page of the built site is loaded with every request outside 127.0.0.1 blocked and counted:
no dialog may open, no request may leave, no element may carry an injected handler, style or
autofocus, and every payload must be shown to the reader exactly as typed. A search for a
payload must show results, again without a dialog.
"""

import datetime as dt
import functools
import http.server
import json
import threading
import unicodedata

import pytest

import payload_catalogue as pc
from helpers import ROOT

SHOTS = ROOT / "build" / "screenshots"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
TEXT_PAGES = ("", "linh-vuc/", "su-kien/", "co-quan/", "thu-tuc/", "thay-doi/")  # pages showing catalogue text


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    from thutuc.website.build import build

    tmp = tmp_path_factory.mktemp("payload-site")
    catalogue = pc.make(tmp)
    build(catalogue, tmp / "public", gen=tmp / "gen", as_of=dt.date(2026, 11, 26), pdfs=False)
    return tmp / "public"


@pytest.fixture(scope="module")
def payload_url(payload_site):
    handler = functools.partial(_Quiet, directory=str(payload_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def guarded(browser, payload_url):
    """A page whose dialogs and off-origin requests are recorded (and blocked)."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    seen = {"dialogs": [], "outside": []}

    def route(r):
        if r.request.url.startswith(payload_url + "/") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            seen["outside"].append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()

    def dialog(d):
        seen["dialogs"].append((page.url, d.type, d.message))
        d.dismiss()

    page.on("dialog", dialog)
    yield page, seen
    context.close()


INJECTED = """() => Array.from(document.querySelectorAll('*')).filter(e =>
    e.hasAttribute('onerror') || e.hasAttribute('onload') || e.hasAttribute('onfocus') ||
    e.hasAttribute('autofocus') || (e.getAttribute('style') || '').includes('evil') ||
    (e.getAttribute('src') || '').includes('evil') || (e.getAttribute('href') || '').startsWith('javascript:alert')
  ).map(e => e.outerHTML.slice(0, 120))"""


def _pages(site):
    paths = sorted("/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    return [p.replace("/./", "/") for p in paths]


def _norm(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_every_page_shows_payloads_as_text_and_runs_nothing(guarded, payload_site, payload_url):
    page, seen = guarded
    paths = _pages(payload_site)
    assert len(paths) > 40, paths
    missing, injected = {}, {}
    for path in paths:
        page.goto(payload_url + path)
        page.wait_for_load_state("networkidle")
        bad = page.evaluate(INJECTED)
        if bad:
            injected[path] = bad
        if path.strip("/").startswith(tuple(p for p in TEXT_PAGES if p)) or path == "/":
            text = _norm(page.inner_text("body"))
            lost = [p for p in pc.SHOWN if p not in text]
            if lost:
                missing[path] = lost
    assert seen["dialogs"] == []
    assert seen["outside"] == []
    assert injected == {}
    assert missing == {}


def test_procedure_title_and_description_are_shown_as_typed(guarded, payload_site, payload_url):
    import yaml

    page, seen = guarded
    data = yaml.safe_load((ROOT / "catalogue/procedures/ho-tich/dang-ky-khai-sinh.yaml").read_text(encoding="utf-8"))
    title = _norm(data["title"] + pc.SUFFIX)
    summary = _norm(data["summary"] + pc.SUFFIX)
    page.goto(payload_url + "/thu-tuc/dang-ky-khai-sinh/")
    page.wait_for_load_state("networkidle")
    assert _norm(page.title()) == f"{title} - Thủ tục hành chính"
    assert _norm(page.inner_text("article h1")) == title
    assert _norm(page.inner_text(".md-header__topic:last-child")) == title
    assert _norm(page.get_attribute('meta[name="description"]', "content")) == summary
    # the form's data still parses and shows the paper names as text
    form = json.loads(page.text_content("#tt-data"))
    assert form["documents"][0]["text"].startswith(data["documents"][0]["name"] + pc.SUFFIX)
    page.check('input[name="dung_han"][value="true"]')
    assert pc.SHOWN[0] in _norm(page.inner_text("#tt-docs"))
    assert seen["dialogs"] == [] and seen["outside"] == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "payload-procedure-desktop.png"))


@pytest.mark.parametrize("query", [pc.PAYLOADS[0], pc.PAYLOADS[1], pc.PAYLOADS[7], "dang ky khai sinh " + pc.PAYLOADS[0]])
def test_search_for_a_payload_shows_results_and_runs_nothing(guarded, payload_url, query):
    page, seen = guarded
    page.goto(payload_url + "/")
    page.wait_for_load_state("networkidle")
    field = page.locator("input.md-search__input")
    field.click()
    field.type(query, delay=10)
    page.wait_for_selector(".md-search-result__item > a")
    page.wait_for_timeout(500)
    results = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => e.innerText)")
    assert results
    assert any(pc.SHOWN[0] in _norm(r) for r in results), results[:3]
    assert page.evaluate(INJECTED) == []
    assert seen["dialogs"] == [] and seen["outside"] == []


@pytest.mark.parametrize("path", ["/thu-tuc/dang-ky-khai-sinh/", "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh/", "/"])
def test_long_payload_text_wraps_on_a_phone(browser, payload_url, path):
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(payload_url + path)
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if "khai-sinh" in path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "payload-procedure-phone.png"))
    context.close()
    assert overflow <= 0, f"{path} is {overflow}px wider than a 360px screen"
