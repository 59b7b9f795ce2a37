"""Fees end to end: reductions (a new amount or a percent) only while in force and only on their
channels, delivery by post (a carrier's charge, never in the total), the generic list's total in every
format, fee notes as Vietnamese sentences, each fee's source, money typed the Vietnamese way, and
property tests of the arithmetic."""

import datetime as dt
import io
import json
import unicodedata
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from fee_cases import PASSPORT, passport_catalogue
from helpers import ROOT, TODAY
from thutuc import wording
from thutuc.catalogue.fees import compute, reduce, reduction_applies
from thutuc.catalogue.model import Fee, load
from thutuc.checklist import make as ck
from thutuc.checklist.produce import render_checklist
from thutuc.checklist.tailor import parse_answer, parse_number, read_answers
from thutuc.website.pages import procedure_page

TZ = ck.TZ
IN_2023 = dt.datetime(2023, 10, 2, 9, 0, tzinfo=TZ)  # while Thông tư 44/2023/TT-BTC was in force
IN_2026 = dt.datetime(2026, 2, 10, 9, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def passport(tmp_path_factory):
    root = passport_catalogue(tmp_path_factory.mktemp("passport"))
    result, cat = load(root, today=TODAY)
    assert [p.format() for p in result.problems] == []
    return cat, cat.procedures["cap-ho-chieu"]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", " ".join(" ".join(p.extract_text().split()) for p in reader.pages))


def amounts(cl) -> dict:
    return {f.name: f.amount for f in cl.fees}


# --- reductions: in force on the day, on their channels only ---------------------------------------

def test_the_expired_online_reduction_of_2023_is_not_applied_in_2026(passport):
    cat, proc = passport
    first = {"cap_lai": False, "gia_tri": 0}
    online_2023 = ck.make(cat, proc, first, "online", IN_2023)
    assert amounts(online_2023)["Lệ phí cấp hộ chiếu"] == 160000  # the new amount
    line = next(f for f in online_2023.fees if f.name == "Lệ phí cấp hộ chiếu")
    assert line.full == 200000
    assert wording.fee_line_reductions(line) == ["giảm còn 160.000 đồng khi nộp trực tuyến, dịch vụ bưu chính, "
                                                 "từ 01/07/2023 đến 31/12/2023"]
    assert amounts(ck.make(cat, proc, first, "post", IN_2023))["Lệ phí cấp hộ chiếu"] == 160000
    # in person the reduction never applied; in 2026 it applies nowhere
    assert amounts(ck.make(cat, proc, first, "in_person", IN_2023))["Lệ phí cấp hộ chiếu"] == 200000
    for channel in ("in_person", "online", "post"):
        cl = ck.make(cat, proc, first, channel, IN_2026)
        assert amounts(cl)["Lệ phí cấp hộ chiếu"] == 200000
        assert all(not f.reductions for f in cl.fees if f.name != "Lệ phí trước bạ thử")
        assert "2023" not in json.dumps(ck.to_json(cl), ensure_ascii=False)


def test_a_percent_reduction_for_lost_passports(passport):
    cat, proc = passport
    lost = {"cap_lai": True, "gia_tri": 0}
    assert amounts(ck.make(cat, proc, lost, "online", IN_2023))["Lệ phí cấp lại hộ chiếu (bị mất, hư hỏng)"] == 320000
    assert amounts(ck.make(cat, proc, lost, "online", IN_2026))["Lệ phí cấp lại hộ chiếu (bị mất, hư hỏng)"] == 400000


def test_reduction_ends_after_its_last_day_and_starts_on_its_first():
    red = {"percent": 50, "valid_from": "2026-07-01", "valid_to": "2026-12-31", "channels": ("online",)}
    assert not reduction_applies(red, "online", dt.date(2026, 6, 30))
    assert reduction_applies(red, "online", dt.date(2026, 7, 1))
    assert reduction_applies(red, "online", dt.date(2026, 12, 31))
    assert not reduction_applies(red, "online", dt.date(2027, 1, 1))
    assert not reduction_applies(red, "in_person", dt.date(2026, 8, 1))


def test_an_exempt_applicant_gets_no_reduction_note():
    fee = Fee(name="Lệ phí", kind="fixed", amount=10000,
              exemptions=({"who": "Hộ nghèo", "when": {"q": "ngheo", "eq": True}},),
              reductions=({"percent": 50},))
    line = compute((fee,), {"ngheo": True}, "in_person", dt.date(2026, 1, 1))[0]
    assert (line.amount, line.reductions, line.full) == (0, (), None)


# --- the page: per channel, only what is in force, the source of each fee --------------------------

def _fees_section(page: str) -> str:
    return page[page.index("## Lệ phí"):page.index("## Thời hạn")]


def test_the_page_shows_a_reduction_only_while_in_force(passport):
    cat, proc = passport
    in_2026 = _fees_section(procedure_page(proc, cat, dt.date(2026, 11, 26), None))
    assert "2023" not in in_2026 and "160&#46;000" not in in_2026
    in_2023 = _fees_section(procedure_page(proc, cat, dt.date(2023, 10, 1), None))
    assert "Giảm còn 160&#46;000 đồng khi nộp trực tuyến, dịch vụ bưu chính, từ 01/07/2023 đến 31/12/2023" in in_2023


def test_the_page_says_per_channel_what_is_paid(passport):
    cat, proc = passport
    section = _fees_section(procedure_page(proc, cat, dt.date(2023, 10, 1), None))
    rows = {line.split(":")[0][2:]: line for line in section.splitlines() if line.startswith("- ")}
    assert ("160&#46;000 đồng &#40;thay vì 200&#46;000 đồng, từ 01/07/2023 đến 31/12/2023&#41;"
            in rows["Trực tuyến"])
    assert "320&#46;000 đồng &#40;thay vì 400&#46;000 đồng, giảm 20 %, từ 01/07/2023" in rows["Trực tuyến"]
    assert "160&#46;000" in rows["Dịch vụ bưu chính"]
    assert "160&#46;000" not in rows["Trực tiếp"] and "200&#46;000 đồng" in rows["Trực tiếp"]
    # the 2026 online reduction of the percent fee is said for the online channel only
    assert "giảm 50 %" in rows["Trực tuyến"] and "giảm 50 %" not in rows["Trực tiếp"]


def test_a_procedure_whose_fees_are_the_same_everywhere_has_no_per_channel_list():
    _, cat = load(ROOT / "catalogue")
    proc = cat.procedures["cap-ban-sao-trich-luc-ho-tich"]
    assert "theo cách nộp" not in procedure_page(proc, cat, TODAY, None)


def test_each_fee_shows_its_source_where_it_differs_from_the_procedures(passport):
    cat, proc = passport
    section = _fees_section(procedure_page(proc, cat, TODAY, None))
    assert section.count("Nguồn&#58;") == 2  # the percent fee and the delivery; 25/2021 is the procedure's
    assert "Nguồn&#58; Điều 11 Luật Hộ tịch" in section
    assert "Nguồn&#58; Thông tư 25/2021" not in section


# --- delivery: said everywhere, never a fee ---------------------------------------------------------

CARRIER = "theo giá cước của doanh nghiệp bưu chính (không phải lệ phí)"


def test_delivery_is_shown_on_page_checklist_receipt_and_export_but_not_in_the_total(passport):
    from thutuc.website import export

    cat, proc = passport
    assert CARRIER.replace("(", "&#40;").replace(")", "&#41;") in procedure_page(proc, cat, TODAY, None)
    answers = {"cap_lai": False, "gia_tri": 0}
    cl = ck.make(cat, proc, answers, "post", IN_2026)
    assert cl.total == (200000, True)
    data = json.loads(render_checklist(cl, "json"))
    assert data["total"]["amount"] == 200000
    assert data["delivery"] == [{"how": "post", "charge": "carrier", "is_fee": False, "note": None,
                                 "source": "https://dichvucong.gov.vn/ (1.001456)",
                                 "text": "Nhận kết quả qua dịch vụ bưu chính (nếu bạn yêu cầu): cước chuyển phát "
                                         + CARRIER + ", không tính vào tổng phí, lệ phí"}]
    for fmt in ("md", "html"):
        assert CARRIER in render_checklist(cl, fmt).decode()
    assert CARRIER in pdf_text(render_checklist(cl, "pdf"))
    receipt = ck.make(cat, proc, answers, "post", IN_2026, have={"to-khai"}, receipt=True)
    assert receipt.kind == "receipt"
    md = render_checklist(receipt, "md").decode()
    assert "**Phí, lệ phí:** 200.000 đồng" in md and f"**Nhận kết quả qua bưu chính (nếu yêu cầu):** {CARRIER}" in md
    out = export.procedure_json(cat, proc, TODAY)
    assert out["delivery"][0]["charge"] == "carrier" and out["delivery"][0]["is_fee"] is False
    row = export.csv_row(cat, proc, TODAY)
    assert CARRIER in row["delivery"] and "bưu chính" not in row["fees"]


def test_a_fixed_delivery_charge_is_said_with_its_amount(passport, tmp_path):
    text = PASSPORT.replace("    charge: carrier\n", "    charge: 30000\n    note: Chỉ giao trong tỉnh.\n")
    _, cat = load(passport_catalogue(tmp_path, text), today=TODAY)
    cl = ck.make(cat, cat.procedures["cap-ho-chieu"], {"cap_lai": False, "gia_tri": 0}, "post", IN_2026)
    assert cl.total == (200000, True)
    assert ck.to_json(cl)["delivery"][0]["text"].endswith(
        "cước chuyển phát 30.000 đồng (không phải lệ phí), không tính vào tổng phí, lệ phí. "
        "Chỉ giao trong tỉnh.")


# --- the generic list's total: "depends on case" in every format ------------------------------------

def test_the_generic_list_does_not_add_fees_that_exclude_each_other(passport):
    cat, proc = passport
    cl = ck.make(cat, proc, None, "in_person", IN_2026)
    assert {f.amount for f in cl.fees} >= {200000, 400000}
    data = json.loads(render_checklist(cl, "json"))
    assert data["total"] == {"amount": None, "complete": False, "depends_on_case": True,
                             "text": "Tùy trường hợp", "note": "Xem từng khoản thu ở trên"}
    assert "600" not in json.dumps(data["total"])
    assert "| Tổng cộng | Tùy trường hợp | Xem từng khoản thu ở trên |" in render_checklist(cl, "md").decode()
    assert "Tùy trường hợp" in render_checklist(cl, "html").decode()
    assert "Tổng cộng Tùy trường hợp" in pdf_text(render_checklist(cl, "pdf"))
    assert "Theo giá trị kê khai" in render_checklist(cl, "md").decode()  # a percent fee is not "Miễn phí"


@pytest.mark.parametrize("pid", ["1.001193", "dang-ky-thuong-tru", "cap-ban-sao-trich-luc-ho-tich"])
def test_every_format_agrees_on_the_total(pid):
    _, cat = load(ROOT / "catalogue")
    proc = ck.find_procedure(cat, pid)
    generic = ck.make(cat, proc, None, proc.channels[0].kind, IN_2026)
    texts = {fmt: render_checklist(generic, fmt) for fmt in ("json", "md", "html", "pdf")}
    assert json.loads(texts["json"])["total"]["text"] == "Tùy trường hợp"
    assert "Tùy trường hợp" in texts["md"].decode() and "Tùy trường hợp" in texts["html"].decode()
    assert "Tùy trường hợp" in pdf_text(texts["pdf"])
    answers = {q.key: q.default for q in proc.questions if q.default is not None}
    answers, missing = read_answers(proc, answers)
    if not missing:
        cl = ck.make(cat, proc, answers, proc.channels[0].kind, IN_2026)
        total = json.loads(render_checklist(cl, "json"))["total"]
        assert total["amount"] == cl.total[0] and total["depends_on_case"] is False
        assert f"| Tổng cộng | {total['text']} |" in render_checklist(cl, "md").decode()


# --- wording: notes as sentences; the review names a reduction fully --------------------------------

def test_a_fee_note_and_an_exemption_read_as_two_sentences():
    fee = Fee(name="Lệ phí đăng ký thường trú", kind="fixed", amount=20000, note="Mỗi lần đăng ký.",
              exemptions=({"who": "Người thuộc hộ nghèo"},))
    note = wording.fee_line_note(compute((fee,), {}, "in_person", dt.date(2026, 1, 1))[0])
    assert note == "Mỗi lần đăng ký. Được miễn nếu thuộc trường hợp: Người thuộc hộ nghèo."
    assert ".;" not in note


def test_the_bundled_residence_fee_reads_per_registration():
    _, cat = load(ROOT / "catalogue")
    proc = cat.procedures["dang-ky-thuong-tru"]
    page = procedure_page(proc, cat, TODAY, None)
    assert "20&#46;000 đồng/lần đăng ký" in page and "Đồng/lần" not in page
    cl = ck.make(cat, proc, None, "online", IN_2026)
    assert ".;" not in render_checklist(cl, "md").decode()


def test_review_names_a_reduction_by_its_fee_amount_channels_and_dates(tmp_path):
    from thutuc.catalogue.check import check_catalogue
    from thutuc.editing.review import review

    text = PASSPORT.replace("        valid_to: 2026-12-31\n        source: Nghị quyết thử",
                            "        valid_to: 2026-12-31\n        source: Nghị quyết thử")
    result = check_catalogue(passport_catalogue(tmp_path, text), today=TODAY)
    found = {f.subject + " " + f.message for f in review(result, dt.date(2026, 11, 26))
             if f.kind in ("expired", "expiring")}
    assert any("Lệ phí cấp hộ chiếu: giảm còn 160.000 đồng khi nộp trực tuyến, dịch vụ bưu chính, "
               "từ 01/07/2023 đến 31/12/2023" in f for f in found), found
    assert any("Lệ phí trước bạ thử: giảm 50 % khi nộp trực tuyến, đến 31/12/2026" in f for f in found), found
    assert not any("'20 %'" in f or "'50 %'" in f for f in found)


# --- money typed the Vietnamese way, where a fee depends on a declared value -------------------------

@pytest.mark.parametrize("typed, value", [
    ("1.500.000", 1500000), ("1,5 triệu", 1500000), ("1,5 trieu", 1500000), ("2tr", 2000000), ("2 Tr", 2000000),
    ("500k", 500000), ("500 nghìn", 500000), ("1 tỷ 200 triệu", 1200000000), ("1.500.000 đồng", 1500000),
    ("1.500.000đ", 1500000), ("1500000 VND", 1500000), ("0,7 tỷ", 700000000), ("0,5", 0.5), ("12", 12),
])
def test_money_is_read_as_people_type_it(typed, value):
    assert parse_number(typed) == value and type(parse_number(typed)) is type(value)


@pytest.mark.parametrize("typed", ["2 triệu 1 tỷ", "1 triệu 2 triệu", "tr", "1,5,5tr", "hai triệu", "1.5.5"])
def test_money_that_means_nothing_is_refused(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


@pytest.mark.parametrize("typed, fee", [("1.500.000", 3750), ("1,5 triệu", 3750), ("2tr", 5000)])
def test_a_percent_fee_from_a_value_typed_as_money(passport, typed, fee):
    cat, proc = passport
    answers, missing = read_answers(proc, {"cap_lai": "không", "gia_tri": typed})
    assert not missing
    cl = ck.make(cat, proc, answers, "online", IN_2026)  # 0,5 %, then 50 % off online until 31/12/2026
    assert amounts(cl)["Lệ phí trước bạ thử"] == fee
    assert parse_answer(proc.question("gia_tri"), typed) == answers["gia_tri"]


# --- properties of the arithmetic -------------------------------------------------------------------

percents = st.decimals(min_value="0.01", max_value="100", places=2).map(lambda d: float(d) if d % 1 else int(d))
reductions = st.one_of(st.builds(lambda p: {"percent": p}, percents),
                       st.builds(lambda a: {"amount": a}, st.integers(0, 10**12)))


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(0, 10**15), red=reductions)
def test_one_reduction_is_never_negative_never_above_the_fee_and_exact(amount, red):
    reduced = reduce(amount, red)
    assert isinstance(reduced, int) and 0 <= reduced <= amount
    if "amount" in red:
        assert reduced == min(amount, red["amount"])
    else:
        exact = Fraction(amount) * (100 - Fraction(repr(red["percent"]))) / 100
        assert reduced == int(exact // 1)  # floor, in whole đồng, no float drift


@settings(max_examples=200, deadline=None)
@given(amount=st.integers(1, 10**12), reds=st.lists(reductions, max_size=3),
       channel=st.sampled_from(["in_person", "online", "post"]),
       on=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
def test_computed_fees_with_reductions(amount, reds, channel, on):
    dated = [{**r, "valid_to": "2026-12-31", "channels": ("online",)} if i % 2 else r for i, r in enumerate(reds)]
    fee = Fee(name="Lệ phí", kind="fixed", amount=amount, reductions=tuple(dated))
    line = compute((fee,), {}, channel, on)[0]
    assert 0 <= line.amount <= amount
    applying = [r for r in dated if reduction_applies(r, channel, on)]
    if not applying:
        assert line.amount == amount and line.full is None and line.reductions == ()
    else:
        expected, said = amount, 0
        for r in applying:  # each applies to what the one before left; once nothing is left, none
            if expected:
                expected, said = reduce(expected, r), said + 1
        assert line.amount == expected and len(line.reductions) == said
        assert line.full == (amount if expected != amount else None)
