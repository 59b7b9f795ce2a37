"""Checklists for one applicant: papers, fees, due date, the code, and the files a person gets."""

import datetime as dt
import io
import json
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from helpers import ROOT
from thutuc.checklist import make as ck
from thutuc import i18n
from thutuc.checklist import render, slips
from thutuc.catalogue.fees import compute, tiered
from thutuc.catalogue.model import load
from thutuc.checklist.produce import render_checklist
from thutuc.checklist.tailor import AnswerError, read_answers, visible_answers

TZ = ck.TZ
_, CAT = load(ROOT / "catalogue")
FARMER = {"loai_bien_dong": "tang_cho", "dang_the_chap": "khong", "tach_thua": "co", "nop_thay": "khong"}


def make(key, answers, when=dt.datetime(2026, 2, 10, 9, 0, tzinfo=TZ), channel="in_person", **kw):
    return ck.from_answers(CAT, key, answers, channel, when, **kw)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def vietnamese():
    """thutuc's messages in Vietnamese, as counter officers read them; English again afterwards."""
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


# --- tailoring ------------------------------------------------------------------------------------

def test_the_farmer_giving_land_to_his_son_gets_exactly_his_papers():
    cl = make("dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho", FARMER)
    ids = [d.id for d, _ in cl.documents]
    assert ids == ["don-dang-ky-bien-dong", "giay-chung-nhan", "hop-dong-tang-cho", "ban-ve-tach-hop-thua"]
    assert cl.due.at == dt.datetime(2026, 3, 13, 17, 0, tzinfo=TZ)  # 18 working days over Tết


def test_generic_list_marks_conditional_papers():
    proc = ck.find_procedure(CAT, "1.001193")
    cl = ck.make(CAT, proc, None, "in_person", dt.datetime(2026, 11, 26, 9, tzinfo=TZ))
    conditional = {d.id for d, c in cl.documents if c}
    assert {"giay-chung-sinh", "uy-quyen", "van-ban-mang-thai-ho"} <= conditional
    assert "to-khai" not in conditional
    md = render_checklist(cl, "md").decode()
    assert "Nếu nộp thay người khác: Văn bản ủy quyền" in md
    # Every fee is listed with its case; no misleading total.
    assert "| Lệ phí đăng ký khai sinh quá hạn | Theo mức HĐND tỉnh quyết định | Nếu" in md
    assert "| Tổng cộng | Tùy trường hợp |" in md


def test_certified_copy_fee_tiers_and_cap():
    cl = make("2.000815", {"so_trang": 5, "so_ban": 3})
    assert [f.amount for f in cl.fees] == [3 * (2 * 2000 + 3 * 1000)]
    big = make("2.000815", {"so_trang": 300, "so_ban": 2})
    assert big.fees[0].amount == 2 * 200000  # capped per copy
    assert tiered(2, ({"from": 1, "to": 2, "amount": 2000}, {"from": 3, "amount": 1000}), None) == 4000


def test_registration_fee_percent_and_family_exemption():
    sale = make("1.007277", {"loai": "chuyen_nhuong", "quan_he_gia_dinh": "khong", "gia_tri": "1.500.000.000",
                             **_other_answers("1.007277", {"loai", "quan_he_gia_dinh", "gia_tri"})})
    assert sale.total == (7_500_000, True)
    gift = make("1.007277", {"loai": "thua_ke_tang_cho", "quan_he_gia_dinh": "co", "gia_tri": "1.500.000.000",
                             **_other_answers("1.007277", {"loai", "quan_he_gia_dinh", "gia_tri"})})
    assert gift.total == (0, True)
    assert "Miễn" in gift.fees[0].detail


def _other_answers(key, done):
    proc = ck.find_procedure(CAT, key)
    return {q.key: q.default for q in proc.questions if q.key not in done}


def test_fees_differ_per_channel():
    answers = _other_answers("dang-ky-thuong-tru", set())
    assert make("dang-ky-thuong-tru", answers).total[0] == 20000
    assert make("dang-ky-thuong-tru", answers, channel="online").total[0] == 10000


def test_unknown_fee_is_said_not_guessed():
    cl = make("1.001612", _other_answers("1.001612", set()))
    assert cl.total[1] is False
    text = pdf_text(render_checklist(cl, "pdf"))
    assert "Chưa gồm các khoản chưa rõ mức thu" in text


def test_reduction_in_force_on_the_submission_date():
    from thutuc.catalogue.model import Fee

    fee = Fee(name="Lệ phí", kind="fixed", amount=100000,
              reductions=({"percent": 50, "valid_to": "2026-12-31"},))
    assert compute((fee,), {}, "in_person", dt.date(2026, 12, 31))[0].amount == 50000
    assert compute((fee,), {}, "in_person", dt.date(2027, 1, 1))[0].amount == 100000


def test_bad_answers_are_explained(vietnamese):
    proc = ck.find_procedure(CAT, "1.001193")
    with pytest.raises(AnswerError, match="có phải 'nop_thay'"):
        read_answers(proc, {"nop_thya": "co"})
    with pytest.raises(AnswerError, match="có hoặc không"):
        read_answers(proc, {"nop_thay": "maybe"})
    with pytest.raises(AnswerError, match="chọn một trong"):
        read_answers(proc, {"giay_to_ve_viec_sinh": "giay_chung_sinh_moi"})
    with pytest.raises(AnswerError, match="có phải '1.001193'"):
        ck.find_procedure(CAT, "1.00119")


def test_missing_papers_give_the_request_to_complete_and_complete_ones_the_receipt():
    proc = ck.find_procedure(CAT, "1.001193")
    answers, _ = read_answers(proc, {"dung_han": True, "giay_to_ve_viec_sinh": "cam_doan", "mang_thai_ho": False,
                                     "nop_thay": True, "so_ban_sao": 0})
    when = dt.datetime(2026, 11, 26, 15, 40, tzinfo=TZ)
    missing = ck.make(CAT, proc, answers, "in_person", when, have={"to-khai", "tuy-than"})
    assert missing.kind == "missing" and [d.id for d in missing.missing] == ["giay-cam-doan", "uy-quyen"]
    text = squeeze(pdf_text(render_checklist(missing, "pdf")))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "Giấy cam đoan về việc sinh" in text
    assert "Tờ khai đăng ký khai sinh" not in text.split("Giấy tờ cần bổ sung")[1]
    full = ck.make(CAT, proc, answers, "in_person", when,
                   have={"to-khai", "tuy-than", "giay-cam-doan", "uy-quyen"}, receipt=True)
    text = squeeze(pdf_text(render_checklist(full, "pdf")))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "15 giờ 40 phút, ngày 26/11/2026" in text and "17 giờ 00 phút, ngày 27/11/2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


# --- the code -------------------------------------------------------------------------------------

WITH_QUESTIONS = sorted(p.id for p in CAT.procedures.values() if p.questions and p.active)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_code_round_trips_any_answers(data):
    proc = CAT.procedures[data.draw(st.sampled_from(WITH_QUESTIONS))]
    answers = {}
    for q in proc.questions:
        if q.type == "boolean":
            answers[q.key] = data.draw(st.booleans())
        elif q.type == "choice":
            answers[q.key] = data.draw(st.sampled_from([o["value"] for o in q.options]))
        elif q.type == "number":
            answers[q.key] = data.draw(st.integers(min_value=int(q.min or 0), max_value=int(q.max or 10**10)))
        else:
            answers[q.key] = data.draw(st.dates()).isoformat()
    channel = data.draw(st.sampled_from([c.kind for c in proc.channels]))
    when = dt.datetime(2026, 11, 26, 9, 5, tzinfo=TZ)
    code = ck.encode(proc, CAT.version, channel, when, answers)
    back = ck.decode(CAT, code)
    # an answer to a question those answers do not ask (its when) comes back dropped, with a warning
    asked = visible_answers(proc, answers)
    assert (back.procedure.id, back.channel, back.submitted, back.answers) == (proc.id, channel, when, asked)
    assert len(back.warnings) == len(answers) - len(asked)


def test_a_mistyped_code_is_refused(vietnamese):
    cl = make("dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho", FARMER)
    broken = cl.code[:-4] + ("1" if cl.code[-4] != "1" else "0") + cl.code[-3:]
    with pytest.raises(AnswerError, match="không đúng"):
        ck.decode(CAT, broken)


# --- files ----------------------------------------------------------------------------------------

def test_pdf_text_is_the_nfc_source_text_and_every_paper_is_there():
    cl = make("dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho", FARMER,
              applicant=ck.Applicant("Nguyễn Văn Bình", "Thôn Đông, xã Đông Hưng", "0912 345 678"))
    text = squeeze(pdf_text(render_checklist(cl, "pdf")))
    for doc, _ in cl.documents:
        assert squeeze(doc.name) in text, doc.name
    for needle in ("Nguyễn Văn Bình", "Ngày hẹn trả kết quả: trước 17 giờ 00, Thứ Sáu, 13/03/2026",
                   "Mùng hai Tết Nguyên Đán", cl.code, "Trang 1/"):
        assert needle in text, needle


def test_same_inputs_give_byte_identical_files():
    for fmt in ("pdf", "html", "md", "json"):
        a = render_checklist(make("1.001193", _other_answers("1.001193", set())), fmt)
        b = render_checklist(make("1.001193", _other_answers("1.001193", set())), fmt)
        assert a == b, fmt


def test_long_lists_flow_over_pages_with_the_header_repeated():
    from thutuc.checklist.slips import Slip, Table

    rows = tuple((str(i), f"Giấy tờ số {i}: bản sao có chứng thực của giấy tờ hợp lệ", "01 bản chính") for i in range(1, 90))
    slip = Slip((Table((("STT", .07), ("Giấy tờ", .63), ("Số lượng", .3)), rows, checkbox=True),), "Mã: test", "t")
    reader = PdfReader(io.BytesIO(render.to_pdf(slip, dt.datetime(2026, 1, 1, tzinfo=TZ))))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        assert "STT Giấy tờ Số lượng" in squeeze(page.extract_text())


def test_every_catalogue_text_has_glyphs_in_the_pdf_font():
    """Render every procedure's generic checklist and counter slips: a missing glyph raises."""
    when = dt.datetime(2026, 11, 26, 9, tzinfo=TZ)
    for proc in CAT.procedures.values():
        if not proc.active:
            continue
        cl = ck.make(CAT, proc, None, proc.channels[0].kind, when)
        render.to_pdf(slips.citizen(cl), when)
    with pytest.raises(render.MissingGlyph, match="☐"):
        render.to_pdf(slips.Slip((slips.Para("☐ Tờ khai"),), "", "t"), when)


def test_json_shows_the_calendar_used():
    data = json.loads(render_checklist(make("dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho", FARMER), "json"))
    assert data["due"]["due"] == "2026-03-13T17:00:00+07:00"
    assert {"date": "2026-02-17", "name": "Tết Nguyên Đán"} in data["calendar"]["days_off"]
    assert any(s.startswith("holidays") for s in data["calendar"]["sources"])
    assert data["total"]["text"].endswith("đồng")


# --- the command ----------------------------------------------------------------------------------

def run(*args, cwd=None, stdin="", lang=None):
    language = ["--lang", lang] if lang else []
    return subprocess.run([sys.executable, "-m", "thutuc", *language, "checklist", "--catalogue",
                           str(ROOT / "catalogue"), *args],
                          capture_output=True, text=True, cwd=cwd, input=stdin, timeout=120)


def test_cli_missing_answers_are_listed_and_exit_1(tmp_path):
    res = run("1.001193", "-a", "dung_han=co", cwd=tmp_path)
    assert res.returncode == 1
    assert "-a nop_thay=" in res.stderr and "Traceback" not in res.stderr


def test_cli_writes_pdf_and_regenerates_it_from_the_code(tmp_path):
    args = ["dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho", "--submitted", "2026-02-10 09:00"]
    args += [x for k, v in FARMER.items() for x in ("-a", f"{k}={v}")]
    res = run(*args, "-o", "first.pdf", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    code = res.stdout.split("code ")[1].split(";")[0]
    assert "result due 17:00 13/03/2026" in res.stdout
    again = run("--code", code, "-o", "again.pdf", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()


def test_cli_batch_reports_bad_rows_and_makes_the_others(tmp_path):
    rows = ["applicant,so_thi_sinh,phone"]
    rows += [f"Ứng viên {i},duoi_100,09{i:08d}" for i in range(1, 6)]
    rows.insert(3, "Ứng viên hỏng,khong_biet,0900000000")
    (tmp_path / "ung-vien.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = ck.find_procedure(CAT, "du-tuyen-giao-vien")
    assert [q.key for q in proc.questions] == ["so_thi_sinh"]
    res = run("du-tuyen-giao-vien", "--batch", "ung-vien.csv", "--out-dir", "out", "--format", "json",
              "--submitted", "2026-11-26 08:00", cwd=tmp_path, lang="vi")
    assert res.returncode == 1
    assert "dòng 3:" in res.stderr
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 5
    assert json.loads(files[0].read_text())["applicant"]["name"] == "Ứng viên 1"


def test_cli_append_forms(tmp_path):
    from helpers import make_catalogue
    from reportlab.pdfgen import canvas

    root = make_catalogue(tmp_path)
    blank = canvas.Canvas(str(root / "forms/to-khai.pdf"))
    blank.setFont("Helvetica", 12)
    blank.drawString(72, 720, "TO KHAI MAU")
    blank.save()
    res = subprocess.run([sys.executable, "-m", "thutuc", "checklist", "--catalogue", str(root), "khai-sinh",
                          "-a", "nop_thay=khong", "--append-forms", "-o", str(tmp_path / "out.pdf")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    reader = PdfReader(str(tmp_path / "out.pdf"))
    assert "TO KHAI MAU" in reader.pages[-1].extract_text()
    assert "DANH SÁCH GIẤY TỜ" in unicodedata.normalize("NFC", reader.pages[0].extract_text())


def test_model_cache_serves_unchanged_catalogues_and_never_a_stale_one(tmp_path, monkeypatch):
    import shutil

    from thutuc.catalogue.model import load_model

    monkeypatch.setenv("THUTUC_CACHE_DIR", str(tmp_path / "cache"))
    cat_dir = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat_dir)
    result, first = load_model(cat_dir)
    assert result is not None and first.procedures["dang-ky-khai-sinh"].title == "Đăng ký khai sinh"
    result, again = load_model(cat_dir)
    assert result is None and again == first  # served from the cache, equal model
    f = cat_dir / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("title: Đăng ký khai sinh", "title: Đăng ký khai sinh mới"),
                 encoding="utf-8")
    result, changed = load_model(cat_dir)
    assert result is not None and changed.procedures["dang-ky-khai-sinh"].title == "Đăng ký khai sinh mới"
    f.write_text(f.read_text(encoding="utf-8").replace("field: ho-tich", "field: ho-tch"), encoding="utf-8")
    result, broken = load_model(cat_dir)
    assert broken is None and result.errors


def test_cli_asks_missing_questions_on_a_terminal(tmp_path):
    import os
    import pty
    import time

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "thutuc", "checklist", "--catalogue", str(ROOT / "catalogue"),
                             "dang-ky-ket-hon", "--format", "json", "-o", "out.json", "--submitted", "2026-11-26 09:00"],
                            stdin=slave, stdout=subprocess.PIPE, stderr=slave, cwd=tmp_path)
    os.close(slave)
    seen = b""
    proc_questions = [q for q in ck.find_procedure(CAT, "dang-ky-ket-hon").questions]
    deadline = time.monotonic() + 60
    answered = 0
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        seen += chunk
        if seen.count(b": ") > answered and answered < len(proc_questions):
            q = proc_questions[answered]
            os.write(master, b"1\n" if q.type == "choice" else b"khong\n" if q.type == "boolean" else b"1\n")
            answered += 1
    proc.wait(timeout=30)
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert proc_questions[0].ask.split("?")[0] in text  # asked in Vietnamese
    assert json.loads((tmp_path / "out.json").read_text())["procedure"]["id"] == "dang-ky-ket-hon"


def test_an_unreadable_answers_file_is_an_answer_error_not_a_crash(tmp_path):
    bad = tmp_path / "answers.yaml"
    bad.write_text("nop_thay: [khong\n", encoding="utf-8")
    res = run("1.001193", "--answers", str(bad), "-o", str(tmp_path / "x.pdf"))
    assert res.returncode == 1 and "internal error" not in res.stderr
    assert f"{bad}:2:1: cannot read the answers (not valid YAML: did not find expected ',' or ']'" in res.stderr
    assert not (tmp_path / "x.pdf").exists()


def _tiered_by_units(units, tiers, flat):
    """The old definition, one unit at a time: the reference for small counts."""
    if not tiers:
        return max(units, 0) * (flat or 0)
    total = 0
    for rank in range(1, units + 1):
        tier = next((t for t in tiers if t["from"] <= rank and (t.get("to") is None or rank <= t["to"])), None)
        total += tier["amount"] if tier else 0
    return total


_TIER = st.builds(lambda a, n, amount, open_: {"from": a, "amount": amount, **({} if open_ else {"to": a + n})},
                  st.integers(1, 40), st.integers(-3, 30), st.integers(0, 10**7), st.booleans())


@settings(max_examples=400, deadline=None)
@given(units=st.integers(-5, 120), tiers=st.lists(_TIER, max_size=6), flat=st.none() | st.integers(0, 10**6))
def test_tiers_counted_by_ranges_match_counting_unit_by_unit(units, tiers, flat):
    # Overlapping tiers (the first listed wins), gaps, 'to' before 'from', no tiers at all.
    assert tiered(units, tiers, flat) == _tiered_by_units(units, tiers, flat)


def test_a_huge_page_count_is_priced_at_once_and_exactly():
    import signal

    tiers = ({"from": 1, "to": 2, "amount": 2000}, {"from": 3, "amount": 1000})
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the tier sum counts unit by unit"))
    signal.alarm(10)
    try:
        assert tiered(10**12, tiers, None) == 4000 + (10**12 - 2) * 1000
        assert tiered(10**30 + 7, tiers, None) == 4000 + (10**30 + 5) * 1000  # exact, no float
        # A question without max feeding a tiered fee: the checklist is made at once (cap or not).
        proc = ck.find_procedure(CAT, "2.000815")
        cl = ck.make(CAT, proc, {"so_trang": 10**12, "so_ban": 1}, "in_person", dt.datetime(2026, 2, 10, 9, tzinfo=TZ))
        assert cl.fees[0].amount == 200000
    finally:
        signal.alarm(0)


def test_percent_fees_and_reductions_are_exact_dong():
    import dataclasses

    from thutuc.catalogue.fees import amount_of

    fee = next(f for p in CAT.procedures.values() for f in p.fees if f.kind == "percent")
    # 0.5 % of 1,234,567,890,123,456,789 đồng: floats would lose the last digits.
    amount, _ = amount_of(dataclasses.replace(fee, min=None, max=None, percent=0.5), {fee.of: 1234567890123456789})
    assert amount == 1234567890123456789 // 200


# --- crafted checklist codes ---------------------------------------------------------------------

def _signed(body: str) -> str:
    """A code with correct check characters, as someone who read the source could make."""
    return f"{body}_{ck._check(body)}"


KS_WHEN = "i2611260930"  # khai sinh (1.001193): dung_han, giay_to (4 options), mang_thai_ho, nop_thay, so_ban_sao


@pytest.mark.parametrize("body, fragment", [
    (f"2.000815_7407e2_{KS_WHEN}_9999.1", "so_trang: a number from 1 to 500"),      # above max
    (f"2.000815_7407e2_{KS_WHEN}_0.1", "so_trang: a number from 1 to 500"),         # below min
    (f"2.000815_7407e2_{KS_WHEN}_1{'0' * 400}.1", "not a number"),                  # 401 digits
    (f"2.000815_7407e2_{KS_WHEN}_1e+400.1", "not a number"),                         # infinity
    (f"2.000815_7407e2_{KS_WHEN}_05.1", "not written the way"),                      # not canonical
    (f"2.000815_7407e2_o2611260930_5.1", "does not take applications by channel online"),
    (f"2.000815_7407e2_z2611260930_5.1", "'z' is not a channel"),
    (f"2.000815_7407e2_i2602300930_5.1", "not a date and time"),                     # 30 February
    (f"2.000815_7407e2_i2611262530_5.1", "not a date and time"),                     # 25:30
    (f"2.000815_7407e2_i202611260930_5.1", "not written the way"),                   # 4-digit year in 1969–2068
    (f"2.000815_7407e2_i999912312359_5.1", "outside the years"),
    ("1.001193_7407e2_i2611260930_1.9.0.0.1", "giay_to_ve_viec_sinh: there is no option '9'"),
    ("1.001193_7407e2_i2611260930_2.0.0.0.1", "dung_han: a yes/no answer is 0 or 1"),
    ("1.001193_7407e2_i2611260930_1.0.0.0.1p5e+3000", "not a number"),
    ("dang-ky-khai-sinh_7407e2_i2611260930_1.0.0.0.1", "not written the way"),         # id, not its code
    ("1.001193_7407E2_i2611260930_1.0.0.0.1", "not in the right format"),
])
def test_a_crafted_code_with_valid_check_characters_is_refused_in_one_line(body, fragment):
    with pytest.raises(AnswerError) as exc:
        ck.decode(CAT, _signed(body))
    message = str(exc.value)
    assert fragment in message and "\n" not in message and len(message) < 300, message


def test_a_long_or_garbled_code_is_refused_at_once():
    for code in ("x" * 10**6, "1.001193_" + "1." * 10**5 + "_AA", "a\nb_" + "\x00" * 50 + "_00"):
        with pytest.raises(AnswerError) as exc:
            ck.decode(CAT, code)
        assert "\n" not in str(exc.value) and len(str(exc.value)) < 300


def test_a_code_keeps_its_century():
    proc = ck.find_procedure(CAT, "2.000815")
    for year in (1970, 1999, 2000, 2068, 2069, 2070, 2100):
        when = dt.datetime(year, 3, 2, 9, 30, tzinfo=TZ)
        code = ck.encode(proc, CAT.version, "in_person", when, {"so_trang": 3, "so_ban": 1})
        assert ck.decode(CAT, code).submitted == when, code
    assert "_i2603020930_" in ck.encode(proc, CAT.version, "in_person", dt.datetime(2026, 3, 2, 9, 30, tzinfo=TZ),
                                        {"so_trang": 3, "so_ban": 1})  # codes made so far stay the same


def test_a_crafted_code_on_the_command_line_is_one_line_and_exit_1(tmp_path):
    res = subprocess.run([sys.executable, "-m", "thutuc", "checklist", "--catalogue", str(ROOT / "catalogue"),
                          "--code", _signed(f"2.000815_7407e2_{KS_WHEN}_1000000000000.1"), "--format", "json", "-o", "-"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.startswith("thutuc checklist: this checklist code is not valid: so_trang:"), res.stderr
    assert res.stderr.count("\n") == 1


_VALID = [make("2.000815", {"so_trang": 5, "so_ban": 3}).code,
          make("1.001193", {"dung_han": "co", "giay_to_ve_viec_sinh": "giay_chung_sinh", "mang_thai_ho": "khong",
                            "nop_thay": "co", "so_ban_sao": 2}, channel="post").code,
          make("dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho", FARMER).code]
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-+ \n\x00đ"


@st.composite
def _codes(draw):
    """Random strings, and valid codes with characters changed, added or removed (re-signed or not)."""
    if draw(st.booleans()):
        return draw(st.text(alphabet=_ALPHABET, max_size=120))
    code = draw(st.sampled_from(_VALID))
    body = code.rpartition("_")[0]
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(body)))
        piece = draw(st.text(alphabet=_ALPHABET, min_size=0, max_size=6))
        body = body[:i] + piece + body[i + draw(st.integers(0, 3)):]
    return _signed(body) if draw(st.booleans()) else body + code[-3:]


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(code=_codes())
def test_any_code_gives_the_checklist_it_says_or_a_one_line_error(code):
    try:
        decoded = ck.decode(CAT, code)
    except AnswerError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 400
        return
    # Accepted: it is exactly the code thutuc writes for that checklist, with answers the questions allow.
    cl = ck.make(CAT, decoded.procedure, decoded.answers, decoded.channel, decoded.submitted)
    assert cl.code.rpartition("_")[0] == code.strip().rpartition("_")[0]
    if decoded.answers is not None:
        assert read_answers(decoded.procedure, decoded.answers)[0] == decoded.answers


def test_markdown_checklist_shows_typed_text_and_makes_no_markup():
    from thutuc.escaping import markdown_file

    for typed, shown in [("a < b", "a &lt; b"), ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
                         ("[l](javascript:alert(1))", "\\[l\\](javascript:alert(1))"),
                         ("{: onclick=x }", "\\{: onclick=x \\}"), ("- x", "\\- x"), ("1. x", "1\\. x"),
                         ("2.000 đồng", "2.000 đồng"), ("<img src=x>", "&lt;img src=x\\>"), ("a | b", "a \\| b")]:
        assert markdown_file(typed) == shown, typed
    import markdown

    html = markdown.markdown(markdown_file("*x* <img src=x onerror=alert(1)> [l](javascript:x) {: .c }"),
                             extensions=["attr_list", "tables"])
    assert "<img" not in html and "<em>" not in html and "<a " not in html and 'class="c"' not in html
