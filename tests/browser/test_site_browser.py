"""What a citizen does in a browser: search, read, print — with nothing loaded from elsewhere."""

import json
import unicodedata

import pytest

from helpers import ROOT

SHOTS = ROOT / "build" / "screenshots"

AXE = ROOT / "tests/js/node_modules/axe-core/axe.min.js"


def _search(page, base_url, query):
    page.goto(f"{base_url}/")
    page.wait_for_load_state("networkidle")
    field = page.locator("input.md-search__input")
    if not field.is_visible():
        page.locator("label.md-header__button[for=__search]").click()
    field.click()
    field.type(query, delay=15)
    page.wait_for_selector(".md-search-result__item > a")
    page.wait_for_timeout(300)  # let the result list settle after the last keystroke
    return page.eval_on_selector_all(".md-search-result__item > a",
                                     "els => els.map(e => new URL(e.href).pathname)")


@pytest.mark.parametrize("query, expected", [
    ("chuyen nhuong dat", "/thu-tuc/dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho/"),
    ("sang tên sổ đỏ", "/thu-tuc/dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho/"),
    ("sang ten so do", "/thu-tuc/dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho/"),
    ("lam giay khai sinh", "/thu-tuc/dang-ky-khai-sinh/"),
    ("chứng thực bản sao", "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh/"),
    ("dang ky ket hon", "/thu-tuc/dang-ky-ket-hon/"),
    ("xin phep xay nha", "/thu-tuc/cap-giay-phep-xay-dung-nha-o-rieng-le/"),
    ("1.001193", "/thu-tuc/dang-ky-khai-sinh/"),
])
def test_search_finds_the_procedure_in_the_top_results(page, base_url, query, expected):
    results = _search(page, base_url, query)
    assert expected in results[:3], results[:5]


def test_abolished_procedure_is_not_found(page, base_url):
    results = _search(page, base_url, "giay phep xay dung")
    assert not any("cap-huyen" in r for r in results)


def test_home_search_box_works_with_the_keyboard(page, base_url):
    page.goto(f"{base_url}/")
    page.wait_for_load_state("networkidle")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "tt-q":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("lam giay khai sinh")
    page.keyboard.press("Enter")
    page.wait_for_selector(".md-search-result__item > a")
    first = page.eval_on_selector(".md-search-result__item > a", "e => new URL(e.href).pathname")
    assert first == "/thu-tuc/dang-ky-khai-sinh/"
    page.keyboard.press("Escape")


def test_no_request_leaves_the_origin(page, base_url):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    for path in ("/", "/linh-vuc/ho-tich/", "/thu-tuc/dang-ky-khai-sinh/", "/co-quan/ttphvhc-xa/"):
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    _search(page, base_url, "khai sinh")
    assert requests, "no request was recorded"
    outside = sorted({u for u in requests if not u.startswith(base_url) and not u.startswith("data:")})
    assert outside == []


@pytest.mark.parametrize("path", [
    "/", "/linh-vuc/ho-tich/", "/thu-tuc/dang-ky-khai-sinh/",
    "/thu-tuc/dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho/", "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh/",
    "/thu-tuc/cap-giay-phep-xay-dung-nha-o-rieng-le-cap-huyen/",
])
def test_accessibility_has_no_serious_violations(page, base_url, path):
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], json.dumps(bad, ensure_ascii=False)


def test_page_language_is_vietnamese(page, base_url):
    page.goto(f"{base_url}/thu-tuc/dang-ky-khai-sinh/")
    assert page.evaluate("document.documentElement.lang") == "vi"


def test_print_shows_the_list_without_navigation(page, base_url, tmp_path):
    from pypdf import PdfReader

    page.goto(f"{base_url}/thu-tuc/dang-ky-khai-sinh/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    reader = PdfReader(str(pdf))
    # Chromium's PDF splits Vietnamese syllables into positioned runs: compare without spaces.
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    squeezed = "".join(text.split())
    assert "Tờkhaiđăngkýkhaisinh" in squeezed and "Tìmkiếm" not in squeezed
    assert len(reader.pages) <= 3  # the page also lists looked-up papers, sources and legal dates (issue 12)


@pytest.mark.parametrize("width, name", [(1280, "desktop"), (375, "phone")])
@pytest.mark.parametrize("path, slug", [("/", "home"), ("/thu-tuc/dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho/", "procedure")])
def test_pages_fit_the_screen(browser, base_url, width, name, path, slug):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    pg.goto(base_url + path)
    pg.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{slug}-{name}.png"), full_page=True)  # for people to look at
    overflow = pg.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0, f"the page is {overflow}px wider than a {width}px screen"
