"""The "your own list" form on procedure pages gives what `thutuc checklist --format json` gives."""

import csv
import datetime as dt
import json
import subprocess
import sys

import pytest

from helpers import ROOT
from thutuc.catalogue.model import load
from thutuc.checklist.tailor import visible_answers

_, CAT = load(ROOT / "catalogue")
PROCS = sorted((p for p in CAT.listed() if p.questions), key=lambda p: p.id)


def answer_sets(proc):
    """The default answers, and the opposite of each, so conditional papers and fees show up."""
    default, flipped = {}, {}
    for q in proc.questions:
        if q.type == "boolean":
            default[q.key], flipped[q.key] = bool(q.default), not bool(q.default)
        elif q.type == "choice":
            values = [o["value"] for o in q.options]
            default[q.key] = q.default if q.default in values else values[0]
            flipped[q.key] = values[-1] if values[-1] != default[q.key] else values[0]
        elif q.type == "number":
            low = q.min if q.min is not None else 0
            default[q.key] = q.default if q.default is not None else low
            flipped[q.key] = int(min(q.max, low + 3) if q.max is not None else low + 3)
        else:
            default[q.key] = flipped[q.key] = "2026-01-15"
    return [default, flipped]


CASES = [(p.id, i, a) for p in PROCS for i, a in enumerate(answer_sets(p))]


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory):
    """Every case through the real command, in one --batch run (one row per case)."""
    tmp = tmp_path_factory.mktemp("form")
    keys = sorted({k for _, _, a in CASES for k in a})
    today = dt.date.today().isoformat()
    with open(tmp / "cases.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["procedure", "channel", "submitted", *keys])
        for pid, _, answers in CASES:
            proc = CAT.procedures[pid]
            row = [pid, proc.channels[0].kind, f"{today} 09:00"]
            row += ["" if k not in answers else str(answers[k]).lower() if isinstance(answers[k], bool) else answers[k]
                    for k in keys]
            w.writerow(row)
    res = subprocess.run([sys.executable, "-m", "thutuc", "checklist", "--catalogue", str(ROOT / "catalogue"),
                          "--batch", str(tmp / "cases.csv"), "--out-dir", str(tmp / "out"), "--format", "json"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    files = sorted((tmp / "out").glob("*.json"))
    assert len(files) == len(CASES)
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def test_every_procedure_with_questions_is_covered():
    assert len(PROCS) >= 15


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{pid}-{i}" for pid, i, _ in CASES])
def test_form_matches_the_command(page, base_url, cli_results, index):
    pid, _, answers = CASES[index]
    expected = cli_results[index]
    assert expected["procedure"]["id"] == pid
    page.goto(f"{base_url}/thu-tuc/{pid}/")
    page.wait_for_selector("#tt-form")
    proc = CAT.procedures[pid]
    asked = visible_answers(proc, answers)  # a question its answers do not ask is hidden, and not filled
    for q in proc.questions:
        if q.key not in asked:
            assert page.is_hidden(f'fieldset[data-q="{q.key}"]'), q.key
            continue
        value = answers[q.key]
        if q.type == "boolean":
            page.check(f'input[name="{q.key}"][value="{"true" if value else "false"}"]')
        elif q.type == "choice":
            page.check(f'input[name="{q.key}"][value="{value}"]')
        else:
            page.fill(f'input[name="{q.key}"]', str(value))
    shown = page.eval_on_selector_all("#tt-docs li", "els => els.map(e => e.dataset.docId)")
    assert shown == [d["id"] for d in expected["documents"]]
    amounts = page.eval_on_selector_all("#tt-fees tr", "els => els.map(e => e.dataset.amount)")
    assert amounts == ["" if f["amount"] is None else str(f["amount"]) for f in expected["fees"]]
    assert page.get_attribute("#tt-total", "data-amount") == str(expected["total"]["amount"])
    assert expected["total"]["text"] in page.text_content("#tt-total")
    assert page.text_content("#tt-status").startswith("Danh sách giấy tờ cho trường hợp của bạn")


def test_print_my_list_prints_only_the_tailored_list(page, base_url):
    page.goto(f"{base_url}/thu-tuc/dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho/")
    page.check('input[name="loai_bien_dong"][value="tang_cho"]')
    page.evaluate("document.body.classList.add('tt-print-mine')")
    page.emulate_media(media="print")
    visible = page.eval_on_selector_all(".md-content__inner > *",
                                        "els => els.filter(e => getComputedStyle(e).display !== 'none').map(e => e.id || e.className || e.tagName)")
    assert "tt-result" in visible and "can-cu-phap-ly" not in visible and "tt-form" not in visible


def test_generic_pdf_is_linked_and_served(page, base_url):
    page.goto(f"{base_url}/thu-tuc/dang-ky-khai-sinh/")
    href = page.get_attribute("a.tt-pdf", "href")
    response = page.request.get(f"{base_url}/thu-tuc/dang-ky-khai-sinh/{href}")
    assert response.ok and response.body()[:5] == b"%PDF-"


COPIES = "/thu-tuc/chung-thuc-ban-sao-tu-ban-chinh/"


@pytest.mark.parametrize("pages, message", [
    ("1000", "từ 1 đến 500"),     # the command refuses it: no fee for 1,000 pages
    ("-5", "từ 1 đến 500"),       # not "Miễn phí"
    ("0", "từ 1 đến 500"),
    ("1e10", "từ 1 đến 500"),     # used to freeze the tab
    ("2.5", "số nguyên"),         # pages are counted: a whole number, as the command says
])
def test_form_refuses_what_the_command_refuses(page, base_url, pages, message):
    from thutuc.checklist.tailor import AnswerError, counted, parse_answer

    proc = CAT.procedures["chung-thuc-ban-sao-tu-ban-chinh"]
    q = proc.question("so_trang")
    with pytest.raises(AnswerError):
        parse_answer(q, pages, q.key in counted(proc))
    page.goto(base_url + COPIES)
    page.fill('input[name="so_ban"]', "1")
    page.fill('input[name="so_trang"]', pages)
    error = page.locator("#tt-error-so_trang")
    assert error.is_visible() and message in error.inner_text()
    assert page.get_attribute('input[name="so_trang"]', "aria-invalid") == "true"
    assert page.eval_on_selector_all("#tt-fees tr", "els => els.length") == 0
    assert "Miễn phí" not in page.inner_text("#tt-result") and page.inner_text("#tt-total") == ""
    assert "chưa hợp lệ" in page.inner_text("#tt-status")
    page.fill('input[name="so_trang"]', "3")  # corrected: the list and the fee come back
    assert not error.is_visible()
    assert page.get_attribute("#tt-total", "data-amount") == "5000"


def _serve_changed_data(page, url, change) -> None:
    """Serve the page at ``url`` with its form data (the JSON in #tt-data) changed by ``change``."""
    def handle(route):
        body = route.fetch().text()
        start = body.index('id="tt-data">') + len('id="tt-data">')
        end = body.index("</script>", start)
        data = json.loads(body[start:end])
        change(data)
        route.fulfill(body=body[:start] + json.dumps(data) + body[end:], content_type="text/html")

    page.route(url, handle)


def test_form_counts_tiers_arithmetically(page, base_url):
    """A question without max feeding a tiered fee without cap: 10^12 pages is computed at once."""
    from thutuc.catalogue.fees import tiered

    proc = CAT.procedures["chung-thuc-ban-sao-tu-ban-chinh"]
    fee = next(f for f in proc.fees if f.tiers)

    def without_limits(data):
        for q in data["questions"]:
            if q["key"] == "so_trang":
                q.update(max=10**15, declared_max=False)
        for f in data["fees"]:
            f["cap"] = None

    _serve_changed_data(page, base_url + COPIES, without_limits)
    page.goto(base_url + COPIES)
    page.fill('input[name="so_ban"]', "1")
    started = page.evaluate("performance.now()")
    page.fill('input[name="so_trang"]', str(10**12))
    assert page.evaluate("performance.now()") - started < 2000
    assert page.get_attribute("#tt-total", "data-amount") == str(tiered(10**12, fee.tiers, fee.amount))


def test_form_counts_percentages_exactly_like_the_command(page, base_url):
    """0,7 % of 11.000 đồng is 77 đồng; floating point gave 76 (11000 × 0.7 / 100 = 76.999…)."""
    import math
    from fractions import Fraction

    fee_page = "/thu-tuc/khai-le-phi-truoc-ba-nha-dat/"

    def with_rate(data):
        for f in data["fees"]:
            if f["kind"] == "percent":
                f["percent"] = 0.7

    _serve_changed_data(page, base_url + fee_page, with_rate)
    page.goto(base_url + fee_page)
    page.check('input[name="loai"][value="chuyen_nhuong"]')  # a sale: the family question is not asked
    for value in (11000, 21000, 1_234_567_891):
        page.fill('input[name="gia_tri"]', str(value))
        expected = math.floor(Fraction(value) * Fraction("0.7") / 100)
        assert page.get_attribute("#tt-total", "data-amount") == str(expected), value


def test_a_conditional_question_shows_only_when_it_is_asked(page, base_url):
    """quan_he_gia_dinh is asked only for a gift or an inheritance (its when): hidden until then, and
    an answer left in it after switching back to a sale changes neither papers nor fees."""
    page.goto(base_url + "/thu-tuc/khai-le-phi-truoc-ba-nha-dat/")
    family = 'fieldset[data-q="quan_he_gia_dinh"]'
    assert page.is_hidden(family)  # nothing answered yet
    page.check('input[name="loai"][value="chuyen_nhuong"]')
    page.fill('input[name="gia_tri"]', "1000000000")
    assert page.is_hidden(family)
    assert page.text_content("#tt-status").startswith("Danh sách giấy tờ cho trường hợp của bạn")  # not "unanswered"
    sale_docs = page.eval_on_selector_all("#tt-docs li", "els => els.map(e => e.dataset.docId)")
    assert page.get_attribute("#tt-total", "data-amount") == "5000000"
    page.check('input[name="loai"][value="thua_ke_tang_cho"]')
    assert page.is_visible(family)
    assert "Còn 1 câu hỏi chưa trả lời" in page.text_content("#tt-status")
    page.check('input[name="quan_he_gia_dinh"][value="true"]')
    gift_docs = page.eval_on_selector_all("#tt-docs li", "els => els.map(e => e.dataset.docId)")
    assert "giay-to-mien" in gift_docs and page.get_attribute("#tt-total", "data-amount") == "0"
    page.check('input[name="loai"][value="chuyen_nhuong"]')  # back to a sale, "yes" still ticked but hidden
    assert page.is_hidden(family)
    assert page.eval_on_selector_all("#tt-docs li", "els => els.map(e => e.dataset.docId)") == sale_docs
    assert page.get_attribute("#tt-total", "data-amount") == "5000000"
