"""Time limits (issue 12): cases, results with their own times, starts, stages, Saturday mornings,
and the checklist of a procedure whose page is not published.

The vehicle-registration procedure (tests/times/catalogue, from the national record 1.013067,
tests/records/1.013067/facts.md) is laid over a copy of the bundled catalogue: the plate within
1 working hour, the certificate in 2 working days, auction and identity plates in 7.
"""

import dataclasses
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from helpers import ROOT
from thutuc.catalogue.model import load
from thutuc.catalogue.times import limit, results_for
from thutuc.checklist import make as ck
from thutuc.checklist import workdays as wd
from thutuc.checklist.produce import render_checklist
from thutuc.checklist.workdays import Calendar, due, vietnam_calendar

TZ = ck.TZ
D = dt.date
VEHICLE = "dang-ky-cap-bien-so-xe-lan-dau"
PAPERS = ("giay-khai-dang-ky-xe", "giay-to-chu-xe", "giay-to-cua-xe")
TUESDAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)  # Tuesday 1/12/2026, no holiday before Tết


def vehicle_catalogue(tmp: Path, saturday_morning: bool = False, draft: bool = False) -> Path:
    root = tmp / "catalogue"
    shutil.copytree(ROOT / "catalogue", root)
    shutil.copytree(ROOT / "tests" / "times" / "catalogue", root, dirs_exist_ok=True)
    fields = root / "fields.yaml"
    fields.write_text(fields.read_text(encoding="utf-8").replace(
        "fields:\n", "fields:\n  - id: dang-ky-xe\n    name: Đăng ký, quản lý phương tiện giao thông cơ giới, xe máy chuyên dùng\n", 1),
        encoding="utf-8")
    if saturday_morning:
        cal = root / "calendar.yaml"
        cal.write_text(cal.read_text(encoding="utf-8").replace("saturday_morning: false", "saturday_morning: true"),
                       encoding="utf-8")
    if draft:
        proc = root / "procedures" / "dang-ky-xe" / f"{VEHICLE}.yaml"
        proc.write_text(proc.read_text(encoding="utf-8").replace("status: active", "status: draft"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def vcat(tmp_path_factory):
    result, cat = load(vehicle_catalogue(tmp_path_factory.mktemp("vehicle")))
    assert cat is not None, [p.format() for p in result.problems if p.severity == "error"]
    return cat


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages)).split())


def receipt(cat, answers, when=TUESDAY):
    return ck.from_answers(cat, VEHICLE, answers, "in_person", when, have=set(PAPERS), receipt=True)


# --- choosing the time ------------------------------------------------------------------------------

def test_the_plate_comes_within_the_hour_and_the_certificate_in_two_working_days(vcat):
    cl = receipt(vcat, {"bien_so": "moi"})
    assert cl.kind == "receipt"
    got = {r.result.code: r.due.at for r in cl.results}
    assert got == {"KQ.G01.000014": dt.datetime(2026, 12, 3, 17, 0, tzinfo=TZ),   # Thursday
                   "KQ.G01.000015": dt.datetime(2026, 12, 1, 10, 0, tzinfo=TZ)}   # the same morning


def test_an_auction_plate_follows_its_case_seven_working_days(vcat):
    cl = receipt(vcat, {"bien_so": "dau_gia"})
    plate = next(r for r in cl.results if r.result.code == "KQ.G01.000015")
    assert plate.limit.case is not None and plate.limit.amount == 7
    assert plate.due.at == dt.datetime(2026, 12, 10, 17, 0, tzinfo=TZ)  # Tue 1 + 7 working days = Thu 10
    assert "7 Ngày làm việc" in plate.limit.source


def test_precedence_result_then_channel_then_cases(vcat):
    proc = vcat.procedures["dang-ky-nghia-vu-quan-su-lan-dau"]  # channel times differ: 1 day / 2 hours
    case = {"when": {"q": "x", "eq": True}, "unit": "working_days", "amount": 5, "what": "x"}
    from thutuc.catalogue.model import _time

    online = dataclasses.replace(proc.time_for("online"), cases=_time({"unit": "same_day", "cases": [case]}).cases)
    assert limit(online, {"x": True}).amount == 5 and limit(online, {"x": True}).what == "x"
    assert limit(online, {"x": False}).unit == "working_hours"  # no case holds: the channel's own time
    assert limit(online, None).unit == "working_hours"  # the generic list: never a case
    assert [r.limit.unit for r in results_for(proc, "online", {})] == ["working_hours"]  # the channel's
    assert [r.limit.unit for r in results_for(proc, "in_person", {})] == ["working_days"]


def test_generic_list_shows_every_case_and_no_date(vcat):
    cl = ck.make(vcat, vcat.procedures[VEHICLE], None, "in_person", TUESDAY)
    text = render_checklist(cl, "md").decode()
    assert "Biển số trúng đấu giá, đổi biển số, cấp biển số định danh: 07 ngày làm việc" in text
    assert "Các trường hợp khác: 01 giờ làm việc" in text
    assert "KQ.G01.000014" in text and "Ngày hẹn trả" not in text


def test_starts_as_a_list_is_said_in_one_phrase(vcat):
    cl = receipt(vcat, {"bien_so": "moi"})
    assert cl.limit.starts == ("complete_file", "payment")
    md = render_checklist(cl, "md").decode()
    assert "02 ngày làm việc, tính từ khi nhận đủ hồ sơ hợp lệ và nộp lệ phí" in md


def test_stages_are_on_the_checklist_and_the_receipt():
    _, cat = load(ROOT / "catalogue")
    proc = next(p for p in cat.procedures.values() if p.processing_time.stages and p.listed)
    answers = {q.key: q.default if q.default is not None else (q.options[0]["value"] if q.options else 1)
               for q in proc.questions}
    cl = ck.make(cat, proc, answers, proc.channels[0].kind, TUESDAY)
    stage = proc.processing_time.stages[0]["what"]
    for fmt in ("md", "html"):
        assert stage in render_checklist(cl, fmt).decode(), fmt
    assert stage in pdf_text(render_checklist(cl, "pdf"))
    assert ck.to_json(cl)["processing_time"]["stages"][0]["what"] == stage
    full = ck.make(cat, proc, answers, proc.channels[0].kind, TUESDAY, have={d.id for d in proc.documents},
                   receipt=True)
    assert full.kind == "receipt" and "Các bước giải quyết" in render_checklist(full, "md").decode()


def test_json_gives_each_result_with_its_time_source_and_due(vcat):
    data = ck.to_json(receipt(vcat, {"bien_so": "dinh_danh"}))
    plate = next(r for r in data["results"] if r["code"] == "KQ.G01.000015")
    assert plate["own_time"] and plate["processing_time"]["case"]["index"] == 0
    assert plate["due"]["due"] == "2026-12-10T17:00:00+07:00"
    assert data["processing_time"]["starts"] == ["complete_file", "payment"]
    assert data["published"] is True


# --- the receipt a counter officer prints ----------------------------------------------------------

def _cli(root: Path, *args, cwd: Path):
    env = {"PYTHONPATH": str(ROOT / "tool"), "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    import os

    env["THUTUC_CACHE_DIR"] = os.environ["THUTUC_CACHE_DIR"]
    return subprocess.run([sys.executable, "-m", "thutuc", "checklist", "--catalogue", str(root), *args],
                          cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_cli_receipt_pdf_shows_each_results_date(tmp_path):
    root = vehicle_catalogue(tmp_path)
    have = [x for p in PAPERS for x in ("--have", p)]
    res = _cli(root, "1.013067", "-a", "bien_so=moi", *have, "--receipt", "--submitted", "2026-12-01 09:00",
               "--applicant", "Trần Văn Bình", "-o", "bien-nhan.pdf", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Giấy chứng nhận đăng ký xe 17:00 03/12/2026; Biển số xe 10:00 01/12/2026" in res.stdout
    text = pdf_text((tmp_path / "bien-nhan.pdf").read_bytes())
    for needle in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Trần Văn Bình",
                   "– Giấy chứng nhận đăng ký xe: 17 giờ 00 phút, ngày 03/12/2026",
                   "– Biển số xe: 10 giờ 00 phút, ngày 01/12/2026",
                   "mã kết quả KQ.G01.000014", "mã kết quả KQ.G01.000015",
                   "tính từ khi nhận đủ hồ sơ hợp lệ và nộp lệ phí"):
        assert needle in text, needle

    res = _cli(root, "1.013067", "-a", "bien_so=dau_gia", *have, "--receipt", "--submitted", "2026-12-01 09:00",
               "-o", "dau-gia.pdf", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    text = pdf_text((tmp_path / "dau-gia.pdf").read_bytes())
    assert "– Biển số xe: 17 giờ 00 phút, ngày 10/12/2026" in text
    assert "biển số trúng đấu giá, đổi biển số, cấp biển số định danh" in text


def test_cli_plate_late_on_friday_with_saturday_mornings(tmp_path):
    root = vehicle_catalogue(tmp_path, saturday_morning=True)
    res = _cli(root, "1.013067", "-a", "bien_so=moi", "--submitted", "2026-12-04 16:30", "--format", "json",
               "-o", "-", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    dues = {r["code"]: r["due"]["due"] for r in data["results"]}
    # half an hour on Friday, half an hour on Saturday morning; the certificate still counts Mon, Tue
    assert dues == {"KQ.G01.000015": "2026-12-05T08:00:00+07:00", "KQ.G01.000014": "2026-12-08T17:00:00+07:00"}
    assert data["calendar"]["saturday_hours"] == [["07:30", "11:30"]]


# --- unpublished pages ------------------------------------------------------------------------------

def test_a_draft_gets_no_address_and_no_qr_code(tmp_path):
    _, cat = load(vehicle_catalogue(tmp_path, draft=True))
    cl = ck.from_answers(cat, VEHICLE, {"bien_so": "moi"}, "in_person", TUESDAY)
    assert cl.url is None and not cl.published
    md = render_checklist(cl, "md").decode()
    assert "Trang của thủ tục này chưa được công bố." in md and "thu-tuc/" not in md
    assert "Trang của thủ tục này chưa được công bố." in pdf_text(render_checklist(cl, "pdf"))
    assert ck.to_json(cl)["procedure"]["url"] is None
    slip = render_checklist(ck.from_answers(cat, VEHICLE, {"bien_so": "moi"}, "in_person", TUESDAY,
                                            have=set(PAPERS), receipt=True), "md").decode()
    assert "thu-tuc/" not in slip


def test_a_listed_procedure_keeps_its_address(vcat):
    cl = ck.from_answers(vcat, VEHICLE, {"bien_so": "moi"}, "in_person", TUESDAY)
    assert cl.url and cl.url.endswith(f"/thu-tuc/{VEHICLE}/")
    assert "chưa được công bố" not in render_checklist(cl, "md").decode()


# --- page and export ------------------------------------------------------------------------------

def test_page_shows_cases_codes_and_the_source_of_each_time(vcat):
    from thutuc.website.pages import procedure_page

    import html

    page = html.unescape(procedure_page(vcat.procedures[VEHICLE], vcat, D(2026, 12, 1), "https://x.example"))
    for needle in ("Giấy chứng nhận đăng ký xe (mã KQ.G01.000014)", "Biển số xe (mã KQ.G01.000015)",
                   "01 giờ làm việc tính từ khi nhận đủ hồ sơ hợp lệ và nộp lệ phí",
                   "Biển số trúng đấu giá, đổi biển số, cấp biển số định danh: 07 ngày làm việc",
                   "Nguồn: Thủ tục 1.013067, cách thức thực hiện (Trực tiếp, 7 Ngày làm việc)",
                   "Nguồn: Thủ tục 1.013067, cách thức thực hiện (Trực tiếp, 1 Giờ)"):
        assert needle in page, needle


def test_export_has_cases_results_and_sources_and_fits_its_schema(vcat):
    import jsonschema

    from thutuc.website.export import csv_row, export_data

    data = export_data(vcat, D(2026, 12, 1))
    schema = json.loads((ROOT / "schemas" / "export" / "catalogue-export-v1.schema.json").read_text())
    jsonschema.validate(data, schema)
    proc = next(p for p in data["procedures"] if p["id"] == VEHICLE)
    assert proc["processing_time"]["starts"] == ["complete_file", "payment"]
    plate = next(r for r in proc["results"] if r["code"] == "KQ.G01.000015")
    assert plate["processing_time"]["cases"][0]["amount"] == 7
    assert "7 Ngày làm việc" in plate["processing_time"]["cases"][0]["source"]
    assert "Biển số xe (mã KQ.G01.000015): 01 giờ làm việc" in csv_row(vcat, vcat.procedures[VEHICLE])["processing_time"]


# --- Saturday mornings: worked examples ----------------------------------------------------------

VN = vietnam_calendar((2026,))
SAT = dataclasses.replace(VN, saturday=wd.SATURDAY_MORNING)


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_saturday_morning_hours_count_in_working_hours():
    assert wd.add_working_hours(VN, at(2026, 12, 4, 16, 30), 1) == at(2026, 12, 7, 8, 0)
    assert wd.add_working_hours(SAT, at(2026, 12, 4, 16, 30), 1) == at(2026, 12, 5, 8, 0)
    assert wd.add_working_hours(SAT, at(2026, 12, 5, 11, 0), 1) == at(2026, 12, 7, 8, 0)  # 11:30 closes


def test_a_same_day_file_on_saturday_morning_is_done_that_morning():
    assert due(SAT, at(2026, 12, 5, 10, 0), "same_day", cutoff=dt.time(15)).at == at(2026, 12, 5, 11, 30)
    assert due(SAT, at(2026, 12, 5, 12, 0), "same_day", cutoff=dt.time(15)).at == at(2026, 12, 7, 17, 0)
    assert due(VN, at(2026, 12, 5, 10, 0), "same_day", cutoff=dt.time(15)).at == at(2026, 12, 7, 17, 0)


def test_working_days_never_count_saturday():
    for cal in (VN, SAT):
        assert due(cal, at(2026, 12, 4), "working_days", 1).at == at(2026, 12, 7, 17, 0)
        assert due(cal, at(2026, 12, 5, 10), "working_days", 2).at == at(2026, 12, 8, 17, 0)
    # calendar days ending on Saturday end on the next working day, as before
    assert due(SAT, at(2026, 12, 1), "calendar_days", 4).at == at(2026, 12, 7, 17, 0)


def test_a_holiday_saturday_is_no_office_morning():
    cal = dataclasses.replace(SAT, days_off={**SAT.days_off, D(2026, 12, 5): "Nghỉ"})
    assert wd.add_working_hours(cal, at(2026, 12, 4, 16, 30), 1) == at(2026, 12, 7, 8, 0)


def test_office_calendar_reads_saturday_from_the_calendar_or_the_agency(vcat):
    agency = vcat.agencies["cong-an-xa"]
    assert ck.office_calendar(vcat, agency, D(2026, 12, 1)).saturday == ()
    on = dataclasses.replace(vcat, calendar={**vcat.calendar, "saturday_morning": True})
    assert ck.office_calendar(on, agency, D(2026, 12, 1)).saturday == wd.SATURDAY_MORNING
    from thutuc.catalogue.model import Hours

    open_sat = dataclasses.replace(agency, hours=(Hours(("mon", "tue", "wed", "thu", "fri"), "07:00", "17:00"),
                                                  Hours(("sat",), "07:00", "16:00")))
    # the agency's own Saturday hours, cut at noon: an afternoon is never office time
    assert ck.office_calendar(vcat, open_sat, D(2026, 12, 1)).saturday == ((dt.time(7), dt.time(12)),)


# --- properties of the arithmetic ----------------------------------------------------------------

MOMENTS = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31, 23, 59)).map(
    lambda m: m.replace(second=0, microsecond=0, tzinfo=TZ))
UNITS = st.sampled_from(["working_days", "calendar_days", "working_hours"])
CALS = st.sampled_from([VN, SAT])


def _old_due(cal: Calendar, received: dt.datetime, unit: str, amount=None, cutoff=None):
    """The due date as thutuc counted it before Saturday mornings (kept to compare with)."""
    if unit == "working_hours":
        left, moment = dt.timedelta(hours=amount), received
        while True:
            day = moment.date()
            if cal.is_working_day(day):
                for start, end in cal.hours:
                    begin = max(moment, dt.datetime.combine(day, start, TZ))
                    finish = dt.datetime.combine(day, end, TZ)
                    if begin >= finish:
                        continue
                    if begin + left <= finish:
                        return begin + left
                    left -= finish - begin
            moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), TZ)
    if unit == "same_day":
        day = received.date()
        if not (cal.is_working_day(day) and (cutoff is None or received.time() <= cutoff)):
            day = wd.next_working_day(cal, day)
    elif unit == "working_days":
        day = wd.add_working_days(cal, received.date(), amount)
    else:
        day = wd.add_calendar_days(cal, received.date(), amount)
    return dt.datetime.combine(day, cal.closing, TZ)


@settings(max_examples=300, deadline=None)
@given(MOMENTS, st.sampled_from(["working_days", "calendar_days", "working_hours", "same_day"]),
       st.integers(1, 60), st.sampled_from([None, dt.time(15)]))
def test_without_saturday_mornings_due_dates_are_as_before(received, unit, amount, cutoff):
    amount = None if unit == "same_day" else amount
    assert due(VN, received, unit, amount, cutoff).at == _old_due(VN, received, unit, amount, cutoff)


@settings(max_examples=300, deadline=None)
@given(CALS, MOMENTS, UNITS, st.integers(1, 60), st.integers(1, 60))
def test_more_time_never_gives_an_earlier_date(cal, received, unit, a, b):
    lo, hi = sorted((a, b))
    assert due(cal, received, unit, lo).at <= due(cal, received, unit, hi).at


@settings(max_examples=300, deadline=None)
@given(CALS, MOMENTS, st.sampled_from(["working_days", "calendar_days", "working_hours", "same_day"]),
       st.integers(1, 60))
def test_a_due_time_is_office_time_never_a_day_off_nor_saturday_afternoon(cal, received, unit, amount):
    got = due(cal, received, unit, None if unit == "same_day" else amount, dt.time(15)).at
    assert got.date() not in cal.days_off
    hours = cal.hours_on(got.date())
    assert hours, got  # a day the office is open
    assert any(a <= got.time() <= b for a, b in hours), got
    if got.weekday() == 5 and not cal.is_working_day(got.date()):
        assert got.time() <= dt.time(12), got  # a Saturday not worked in full: mornings only
    if unit in ("working_days", "calendar_days"):
        assert cal.is_working_day(got.date())  # counts in days end on a legal working day
