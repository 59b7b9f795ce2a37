"""Papers the office looks up or prepares, on a phone: the page's own sections, the tailored
list (no tick box for what is not brought, counts multiplied by the answer, pages per copy,
notes), and a .docx form with spaces in its name that downloads from the built site."""

import datetime as dt
import functools
import http.server
import threading

import pytest

from conftest import _Quiet
from test_papers import papers_catalogue

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def papers_site(tmp_path_factory):
    from thutuc.website.build import build

    tmp = tmp_path_factory.mktemp("papers-site")
    root = papers_catalogue(tmp)
    build(root, tmp / "public", gen=tmp / "gen", as_of=dt.date(2026, 11, 26), pdfs=False)
    handler = functools.partial(_Quiet, directory=str(tmp / "public"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", tmp
    server.shutdown()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, device_scale_factor=2)
    pg = context.new_page()
    yield pg
    context.close()


def test_page_sections_on_a_phone(phone, papers_site):
    base, tmp = papers_site
    phone.goto(f"{base}/thu-tuc/giay-to/")
    section = phone.locator("#giay-to-tra-cuu")
    assert section.inner_text().startswith("Không cần mang — cán bộ tra cứu")
    items = phone.locator("#giay-to-tra-cuu ~ ul").first.inner_text()
    assert "Giấy tờ tùy thân có ảnh — không cần mang\nCán bộ tra cứu từ Cơ sở dữ liệu quốc gia về dân cư; nếu " \
        "không tra cứu được, mang 01 bản chính để xuất trình." in items
    assert phone.locator("#giay-to-lap-tai-quay").inner_text().startswith("Cán bộ lập tại quầy, bạn ký")
    # nothing wider than the phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    section.scroll_into_view_if_needed()
    phone.screenshot(path=str(tmp / "giay-to-360.png"), full_page=True)


def test_tailored_list_multiplies_and_has_no_box_for_what_is_not_brought(phone, papers_site):
    base, tmp = papers_site
    phone.goto(f"{base}/thu-tuc/giay-to/")
    phone.wait_for_selector("#tt-form")
    phone.fill('input[name="so_nguoi"]', "3")
    phone.fill('input[name="so_trang"]', "12")
    rows = {li.get_attribute("data-doc-id"): li for li in phone.locator("#tt-docs li").all()}
    assert list(rows) == ["to-khai", "hop-dong", "tuy-than", "cu-tru", "phieu"]
    assert "03 bản chính" in rows["to-khai"].inner_text()
    assert "(theo Mẫu CT01)" in rows["to-khai"].inner_text()
    assert "Nguồn mẫu: Thông tư 66/2023/TT-BCA" in rows["to-khai"].inner_text()
    assert "01 bản sao, mỗi bản 12 trang" in rows["hop-dong"].inner_text()
    assert "Không bắt buộc công chứng, chứng thực." in rows["hop-dong"].inner_text()
    assert "(nếu không tra cứu được: mang 03 bản sao Giấy xác nhận thông tin về cư trú)" in rows["cu-tru"].inner_text()
    assert "Cán bộ lập tại quầy, bạn ký" in rows["phieu"].inner_text()
    boxes = {k: v.locator("input[type=checkbox]").count() for k, v in rows.items()}
    assert boxes == {"to-khai": 1, "hop-dong": 1, "tuy-than": 0, "cu-tru": 0, "phieu": 0}
    phone.locator("#tt-docs").scroll_into_view_if_needed()
    phone.screenshot(path=str(tmp / "giay-to-form-360.png"))


def test_docx_form_with_spaces_downloads(phone, papers_site):
    base, _tmp = papers_site
    phone.goto(f"{base}/thu-tuc/giay-to/")
    link = phone.locator("a", has_text="tải mẫu").first
    href = link.get_attribute("href")
    assert href.endswith("/forms/M%E1%BA%ABu%20CT01%20m%E1%BB%9Bi.docx")
    response = phone.request.get(phone.evaluate("h => new URL(h, location.href).href", href))
    assert response.ok and response.body() == b"PK\x03\x04 not really a docx"
