"""The in-page form applies a reduction only on the channels it covers and only while in force on the
day, as `thutuc checklist` does (catalogue/fees.py): the passport of tests/fee_cases.py."""

import datetime as dt
import functools
import http.server
import threading

import pytest

from fee_cases import passport_catalogue
from thutuc.catalogue.model import load
from thutuc.checklist import make as ck

FIRST = "Lệ phí cấp hộ chiếu"
DECLARED = "Lệ phí trước bạ thử"  # 0,5 % of the declared value, 50 % off online until 31/12/2026


@pytest.fixture(scope="module")
def passport_site(tmp_path_factory):
    from thutuc.website.build import build

    tmp = tmp_path_factory.mktemp("passport-site")
    root = passport_catalogue(tmp)
    build(root, tmp / "public", gen=tmp / "gen", as_of=dt.date(2026, 11, 26), pdfs=False)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp / "public"))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _, cat = load(root)
    yield f"http://127.0.0.1:{server.server_address[1]}/thu-tuc/cap-ho-chieu/", cat
    server.shutdown()


def _fees_on(page, day: str, channel: str, lost: bool = False, value: str = "2000000") -> dict:
    page.evaluate(f"document.getElementById('tt-form').setAttribute('data-date', '{day}')")
    page.check(f'input[name="cap_lai"][value="{"true" if lost else "false"}"]')
    page.fill('input[name="gia_tri"]', value)
    page.check(f'input[name="tt-channel"][value="{channel}"]')
    rows = page.eval_on_selector_all(
        "#tt-fees tr", "els => els.map(e => [e.cells[0].textContent, e.dataset.amount, e.dataset.reduced || '',"
                       " e.cells[1].textContent])")
    return {name: (int(amount), reduced == "true", cell) for name, amount, reduced, cell in rows}


def _command(cat, day: str, channel: str) -> dict:
    proc = cat.procedures["cap-ho-chieu"]
    when = dt.datetime.fromisoformat(day + "T09:00").replace(tzinfo=ck.TZ)
    cl = ck.make(cat, proc, {"cap_lai": False, "gia_tri": 2000000}, channel, when)
    return {f.name: f.amount for f in cl.fees}


def test_the_reduced_online_amount_only_online_and_none_after_valid_to(page, passport_site):
    url, cat = passport_site
    page.goto(url)
    page.wait_for_selector("#tt-form")
    on_2026 = {ch: _fees_on(page, "2026-11-26", ch) for ch in ("in_person", "online", "post")}
    assert on_2026["online"][DECLARED][:2] == (5000, True)
    assert "giảm 50 % khi nộp trực tuyến, đến 31/12/2026" in on_2026["online"][DECLARED][2]
    assert on_2026["in_person"][DECLARED][:2] == (10000, False)
    assert on_2026["post"][DECLARED][:2] == (10000, False)
    # the 2023 reduction of the passport fee (Thông tư 44/2023/TT-BTC) is long over
    assert all(fees[FIRST][:2] == (200000, False) for fees in on_2026.values())
    after = {ch: _fees_on(page, "2027-01-01", ch) for ch in ("in_person", "online", "post")}
    assert all(fees[DECLARED][:2] == (10000, False) for fees in after.values())
    # while it was in force: the new amount on the channels it covered, not in person
    in_2023 = {ch: _fees_on(page, "2023-10-02", ch) for ch in ("in_person", "online", "post")}
    assert in_2023["online"][FIRST][:2] == (160000, True) and in_2023["post"][FIRST][:2] == (160000, True)
    assert in_2023["in_person"][FIRST][:2] == (200000, False)
    for day, shown in (("2026-11-26", on_2026), ("2027-01-01", after), ("2023-10-02", in_2023)):
        for channel, fees in shown.items():
            assert {name: v[0] for name, v in fees.items()} == _command(cat, day, channel), (day, channel)


def test_the_lost_passport_percent_reduction_and_the_delivery_line(page, passport_site):
    url, _ = passport_site
    page.goto(url)
    page.wait_for_selector("#tt-form")
    lost = _fees_on(page, "2023-10-02", "online", lost=True)
    assert lost["Lệ phí cấp lại hộ chiếu (bị mất, hư hỏng)"][:2] == (320000, True)
    assert page.get_attribute("#tt-total", "data-amount") == str(320000 + 5000)
    delivery = page.text_content(".tt-delivery")
    assert "không phải lệ phí" in delivery and "không tính vào tổng phí, lệ phí" in delivery
