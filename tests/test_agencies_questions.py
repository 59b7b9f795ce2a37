"""Issue 12, agencies, questions, notes, sources: receiving points, any-office filing, the roles of
agencies, hours said once, questions asked only in some cases, editor notes that never leave the
YAML, sources with their status, and a check that reports every problem at once."""

import datetime as dt
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, TODAY, make_catalogue
from thutuc.catalogue.check import check_catalogue
from thutuc.catalogue.model import Agency, Hours, load, source_item
from thutuc.checklist import make as ck
from thutuc.checklist.tailor import read_answers, visible_answers
from thutuc.wording import hours_text, legal_dates_text, source_record_text

TZ = ck.TZ
WHEN = dt.datetime(2026, 11, 26, 9, 0, tzinfo=TZ)
_, CAT = load(ROOT / "catalogue")
FEE = "khai-le-phi-truoc-ba-nha-dat"  # quan_he_gia_dinh is asked only for a gift or an inheritance
WEEK = ("mon", "tue", "wed", "thu", "fri")


# --- hours said once ----------------------------------------------------------------------------------

def hours(*periods):
    return hours_text(Agency("a", "A", "xa", hours=tuple(Hours(d, o, c) for d, o, c in periods)))


def test_hours_are_said_once_for_the_working_week():
    assert hours((WEEK, "07:00", "11:30"), (WEEK, "13:30", "17:00")) == \
        "Sáng 7:00–11:30, chiều 13:30–17:00, thứ Hai–thứ Sáu"


def test_a_saturday_morning_is_its_own_part():
    assert hours((WEEK, "07:00", "11:30"), (WEEK, "13:30", "17:00"), (("sat",), "07:30", "11:30")) == \
        "Sáng 7:00–11:30, chiều 13:30–17:00, thứ Hai–thứ Sáu; sáng thứ Bảy 7:30–11:30"


def test_mornings_on_more_days_than_afternoons():
    assert hours((WEEK + ("sat",), "07:00", "11:30"), (WEEK, "13:30", "17:00")) == \
        "Sáng thứ Hai–thứ Bảy 7:00–11:30; chiều thứ Hai–thứ Sáu 13:30–17:00"


def test_days_that_do_not_follow_each_other_are_listed():
    assert hours((("mon", "wed"), "08:00", "16:00")) == "8:00–16:00, thứ Hai, thứ Tư"


def test_the_bundled_offices_hours_are_said_once_everywhere():
    text = hours_text(CAT.agencies["ttphvhc-xa"])
    assert text == "Sáng 7:00–11:30, chiều 13:30–17:00, thứ Hai–thứ Sáu"
    cl = ck.from_answers(CAT, "1.001193", {"dung_han": "co", "giay_to_ve_viec_sinh": "giay_chung_sinh",
                                            "mang_thai_ho": "khong", "nop_thay": "khong", "so_ban_sao": "1"},
                         "in_person", WHEN)
    md = ck_render(cl, "md")
    assert text in md and "Thứ Hai – Thứ Sáu" not in md


def ck_render(cl, fmt):
    from thutuc.checklist.produce import render_checklist

    return render_checklist(cl, fmt).decode("utf-8")


# --- legal dates, sources ------------------------------------------------------------------------------

def test_legal_dates_in_words():
    law = CAT.legal["luat-dat-dai-2024"] if "luat-dat-dai-2024" in CAT.legal else next(
        x for x in CAT.legal.values() if x.issued and x.in_force)
    text = legal_dates_text(law, CAT.legal)
    assert text.startswith("ban hành ") and "có hiệu lực từ" in text


def test_sources_keep_plain_strings_and_say_when_a_version_is_old():
    plain = source_item("https://dichvucong.gov.vn/p/1.001193")
    assert plain.url and plain.status is None and source_record_text(plain) == "https://dichvucong.gov.vn/p/1.001193"
    words = source_item("Thủ tục 1.001193 trên Cổng Dịch vụ công quốc gia")
    assert words.text and not words.url
    old = source_item({"url": "https://dichvucong.gov.vn", "retrieved": "2025-03-01", "status": "stale"})
    assert source_record_text(old) == "https://dichvucong.gov.vn, xem ngày 01/03/2025 — bản cũ, chưa đối chiếu lại"


# --- receiving points, any office, roles: a small catalogue -------------------------------------------

OVERLAY_AGENCY = """agencies:
  - id: buu-dien-xa
    name: Bưu điện xã Đông Hưng
    level: khac
    address: Số 1 đường Chính
"""


@pytest.fixture
def roles_catalogue(tmp_path):
    root = make_catalogue(tmp_path)
    (root / "agencies/buu-dien.yaml").write_text(OVERLAY_AGENCY, encoding="utf-8")
    (root / "legal/nd-118.yaml").write_text(
        "legal_documents:\n  - id: nd-118-2025\n    number: 118/2025/NĐ-CP\n    type: Nghị định\n"
        "    title: Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông\n"
        "    issuer: Chính phủ\n    issued: 2025-06-09\n    in_force: 2025-07-01\n"
        "    editor_note: MARK-LEGAL chưa đối chiếu\n", encoding="utf-8")
    proc = root / "procedures/ho-tich/khai-sinh.yaml"
    text = proc.read_text(encoding="utf-8").replace(
        "  receiving: ttphvhc-xa\n",
        "  receiving: [ttphvhc-xa, buu-dien-xa]\n  carrying_out: [ubnd-xa]\n  coordinating: [buu-dien-xa]\n"
        "  any_office: true\n  any_office_basis: {ref: nd-118-2025, articles: Điều 5}\n")
    text = text.replace("lifecycle:\n", "sources:\n  - Thủ tục 1.001193 trên Cổng Dịch vụ công quốc gia\n"
                        "  - {url: https://dichvucong.gov.vn/old, retrieved: 2024-01-01, status: superseded}\n"
                        "lifecycle:\n")
    proc.write_text(text, encoding="utf-8")
    result, cat = load(root, today=TODAY)
    assert result.errors == 0, [p.format() for p in result.problems]
    return root, cat


def test_several_receiving_points_any_office_and_roles_reach_the_checklist(roles_catalogue):
    root, cat = roles_catalogue
    proc = cat.procedures["khai-sinh"]
    assert proc.receiving == "ttphvhc-xa" and proc.receiving_points == ("ttphvhc-xa", "buu-dien-xa")
    assert proc.any_office and proc.carrying_out == ("ubnd-xa",)
    cl = ck.make(cat, proc, {"nop_thay": False}, "in_person", WHEN)
    md = ck_render(cl, "md")
    assert "Hoặc nộp tại:** Bưu điện xã Đông Hưng, Số 1 đường Chính" in md
    assert "không phụ thuộc nơi cư trú (Điều 5 Nghị định 118/2025/NĐ&#45;CP)" in md or \
        "không phụ thuộc nơi cư trú (Điều 5 Nghị định 118/2025/NĐ-CP)" in md
    assert "Cơ quan phối hợp:** Bưu điện xã Đông Hưng" in md
    assert "Cơ quan trực tiếp thực hiện:**" in md
    data = json.loads(ck_render(cl, "json"))
    assert data["where"]["other_points"][0]["name"] == "Bưu điện xã Đông Hưng"
    assert data["where"]["any_office"].startswith("Nộp tại bất kỳ điểm tiếp nhận nào")
    assert {"role": "Cơ quan phối hợp", "names": "Bưu điện xã Đông Hưng"} in data["agencies"]
    pdf = ck_render_pdf_text(cl)
    assert "Bưu điện xã Đông Hưng" in pdf and "không phụ thuộc nơi cư trú" in pdf


def ck_render_pdf_text(cl):
    import io
    import unicodedata

    from pypdf import PdfReader

    from thutuc.checklist.produce import render_checklist

    reader = PdfReader(io.BytesIO(render_checklist(cl, "pdf")))
    return " ".join(unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages)).split())


def test_roles_sources_and_legal_dates_reach_the_page_and_the_export(roles_catalogue):
    from thutuc.website.export import csv_row, procedure_json
    from thutuc.website.pages import agency_page, procedure_page

    root, cat = roles_catalogue
    proc = cat.procedures["khai-sinh"]
    page = procedure_page(proc, cat, TODAY, None)
    assert "Hoặc nộp tại" in page and "Bưu điện xã Đông Hưng" in page
    assert "Cơ quan phối hợp: [Bưu điện xã Đông Hưng](../../co-quan/buu-dien-xa/)" in page
    assert "Cơ quan trực tiếp thực hiện:" in page
    assert "không phụ thuộc nơi cư trú" in page
    assert "## Nguồn thông tin" in page and "đã có bản thay thế" in page
    assert "có hiệu lực từ" in page  # the legal basis with its dates
    assert "khai-sinh" in agency_page(cat.agencies["buu-dien-xa"], cat)  # a coordinating agency lists it
    data = procedure_json(cat, proc)
    assert [a["id"] for a in data["agencies"]["receiving_points"]] == ["ttphvhc-xa", "buu-dien-xa"]
    assert data["agencies"]["any_office"] is True and data["agencies"]["any_office_basis"]["articles"] == "Điều 5"
    assert data["source_records"][1]["status"] == "superseded"
    row = csv_row(cat, proc)
    assert row["receiving_agency"].endswith("Bưu điện xã Đông Hưng") and row["any_office"] == "Có"
    assert row["coordinating"] == "Bưu điện xã Đông Hưng"


def test_the_bundled_pages_show_the_decision_coordinating_agencies_and_shared_descriptions():
    from thutuc.website.pages import procedure_page

    proc = CAT.procedures["dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho"]
    page = procedure_page(proc, CAT, TODAY, None)
    assert "Quyết định công bố số 3380/QĐ&#45;BNNMT" in page
    assert "Cơ quan phối hợp: [Thuế cơ sở" in page
    described = [d for d in CAT.documents.values() if d.description]
    assert described
    shown = [p for p in CAT.listed() if any(x.ref == described[0].id for d in p.documents for x in d.papers)]
    if shown:
        from thutuc import escaping

        assert escaping.markdown(described[0].description) in procedure_page(shown[0], CAT, TODAY, None)


# --- questions asked only in some cases ----------------------------------------------------------------

def test_a_hidden_question_is_not_required_and_its_answer_is_ignored_with_a_warning():
    proc = CAT.procedures[FEE]
    warnings = []
    answers, missing = read_answers(proc, {"loai": "chuyen_nhuong", "gia_tri": "1000", "quan_he_gia_dinh": "co"},
                                    warnings=warnings)
    assert missing == [] and "quan_he_gia_dinh" not in answers
    assert len(warnings) == 1 and warnings[0].startswith("quan_he_gia_dinh: ")
    # not even a wrong answer to a question that is not asked stops the list
    answers, missing = read_answers(proc, {"loai": "lan_dau", "gia_tri": "0", "quan_he_gia_dinh": "maybe"},
                                    warnings=[])
    assert missing == []
    # asked for a gift: now it is required
    _answers, missing = read_answers(proc, {"loai": "thua_ke_tang_cho", "gia_tri": "0"})
    assert [q.key for q in missing] == ["quan_he_gia_dinh"]


def test_a_question_whose_question_is_unanswered_is_still_missing():
    _answers, missing = read_answers(CAT.procedures[FEE], {"gia_tri": "0"})
    assert [q.key for q in missing] == ["loai", "quan_he_gia_dinh"]


def test_a_hidden_answer_never_changes_the_list_even_when_given_to_make():
    proc = CAT.procedures[FEE]
    sale = {"loai": "chuyen_nhuong", "gia_tri": 1000}
    plain = ck.make(CAT, proc, sale, "in_person", WHEN)
    smuggled = ck.make(CAT, proc, {**sale, "quan_he_gia_dinh": True}, "in_person", WHEN)
    assert [d.id for d, _ in plain.documents] == [d.id for d, _ in smuggled.documents]
    assert plain.code == smuggled.code and plain.total == smuggled.total
    assert visible_answers(proc, {**sale, "quan_he_gia_dinh": True}) == sale


def test_the_code_writes_x_for_a_question_not_asked_and_reads_back_the_same_list():
    proc = CAT.procedures[FEE]
    cl = ck.make(CAT, proc, {"loai": "chuyen_nhuong", "gia_tri": 1000}, "in_person", WHEN)
    assert cl.code.split("_")[3].split(".")[1] == "x"
    back = ck.decode(CAT, cl.code)
    assert back.answers == {"loai": "chuyen_nhuong", "gia_tri": 1000} and back.warnings == ()


def test_a_code_with_an_answer_to_a_question_not_asked_is_read_with_a_warning():
    proc = CAT.procedures[FEE]
    code = ck.encode(proc, CAT.version, "in_person", WHEN, {"loai": "chuyen_nhuong", "quan_he_gia_dinh": True,
                                                             "gia_tri": 1000})
    back = ck.decode(CAT, code)
    assert back.answers == {"loai": "chuyen_nhuong", "gia_tri": 1000}
    assert len(back.warnings) == 1 and "quan_he_gia_dinh" in back.warnings[0]


# --- the command, as an officer types it ---------------------------------------------------------------

def run(*args, cwd, lang=None):
    language = ["--lang", lang] if lang else []
    return subprocess.run([sys.executable, "-m", "thutuc", *language, "checklist", "--catalogue",
                           str(ROOT / "catalogue"), *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_an_answer_to_a_question_not_asked_is_a_warning(tmp_path):
    res = run(FEE, "-a", "loai=chuyen_nhuong", "-a", "gia_tri=1.000.000.000", "-a", "quan_he_gia_dinh=co",
              "--format", "json", "-o", "x.json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "warning: quan_he_gia_dinh:" in res.stderr and "ignored" in res.stderr
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert "quan_he_gia_dinh" not in data["answers"]


def test_cli_answers_file_warning_names_file_line_and_column(tmp_path):
    (tmp_path / "a.yaml").write_text("loai: lan_dau\nquan_he_gia_dinh: co\ngia_tri: 0\n", encoding="utf-8")
    res = run(FEE, "--answers", "a.yaml", "--format", "json", "-o", "x.json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "a.yaml:2:1: quan_he_gia_dinh:" in res.stderr


def test_cli_missing_answers_say_which_are_asked_only_in_some_cases(tmp_path):
    res = run(FEE, "-a", "gia_tri=0", cwd=tmp_path)
    assert res.returncode == 1
    lines = res.stderr.splitlines()
    assert any(line.strip().startswith("-a loai=") for line in lines)
    family = next(line for line in lines if "-a quan_he_gia_dinh=" in line)
    assert "only if" in family and "Nhận thừa kế hoặc được tặng cho" in family


def test_cli_prompts_only_the_questions_the_answers_ask(tmp_path):
    """On a terminal: a sale is never asked about family ties; a gift is."""
    def session(typed: list[str]) -> str:
        master, slave = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "thutuc", "checklist", "--catalogue", str(ROOT / "catalogue"),
                                 FEE, "--format", "json", "-o", str(tmp_path / "out.json")],
                                stdin=slave, stdout=subprocess.PIPE, stderr=slave, cwd=tmp_path)
        os.close(slave)
        for line in typed:
            os.write(master, (line + "\n").encode())
        out = b""
        proc.wait(timeout=120)
        try:
            while True:
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                out += chunk
        except OSError:
            pass
        os.close(master)
        assert proc.returncode == 0, out.decode(errors="replace")
        return out.decode("utf-8", errors="replace")

    sale = session(["1", "1000"])
    assert "Người cho (hoặc để lại thừa kế)" not in sale
    gift = session(["2", "co", "1000"])
    assert "Người cho (hoặc để lại thừa kế)" in gift
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["answers"] == {"loai": "thua_ke_tang_cho", "quan_he_gia_dinh": True, "gia_tri": 1000}


def test_cli_batch_warns_about_a_hidden_answer_and_makes_the_checklist(tmp_path):
    (tmp_path / "rows.csv").write_text("loai,quan_he_gia_dinh,gia_tri\nchuyen_nhuong,co,1000\n"
                                       "thua_ke_tang_cho,co,1000\n", encoding="utf-8")
    res = run(FEE, "--batch", "rows.csv", "--out-dir", "out", "--format", "json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "row 1: warning: quan_he_gia_dinh:" in res.stderr and "row 2: warning" not in res.stderr
    assert len(list((tmp_path / "out").iterdir())) == 2


# --- editor notes never reach anything public -----------------------------------------------------------

def _mark_every_editor_note(root: Path) -> list[str]:
    """An editor_note with a unique marker on every record that may carry one: each procedure, its
    agencies block, documents, papers, channels, times, fees and results, and every agency, legal
    document and shared document (an existing editor_note gets a marker too)."""
    from thutuc.editing.edit import dump, load as load_rt

    marks = []

    def mark(mapping):
        text = f"EDNOTE{len(marks):04d}X bí mật nội bộ"
        marks.append(text)
        mapping["editor_note"] = text

    for f in sorted(root.rglob("*.yaml")):
        data = load_rt(f.read_text(encoding="utf-8"))
        if "procedures" in f.parts:
            mark(data)
            mark(data["agencies"])
            mark(data["processing_time"])
            for d in data["documents"]:
                mark(d)
                for alt in d.get("one_of") or []:
                    mark(alt)
            for c in data["channels"]:
                mark(c)
                if "processing_time" in c:
                    mark(c["processing_time"])
            for group in ("fees", "results"):
                for item in data[group]:
                    mark(item)
        for top in ("agencies", "legal_documents", "documents"):
            if "procedures" not in f.parts and isinstance(data, dict) and isinstance(data.get(top), list):
                for item in data[top]:
                    mark(item)
        f.write_text(dump(data), encoding="utf-8")
    return marks


def test_no_editor_note_reaches_the_site_search_checklists_or_export(tmp_path):
    import shutil

    from thutuc.checklist.produce import render_checklist
    from thutuc.website.build import build
    from thutuc.website.export import export_csv, export_json

    root = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", root)
    # every kind of record gets one: a procedure-level note, an agency, a legal and a shared document
    marks = _mark_every_editor_note(root)
    result, cat = load(root, today=TODAY)
    assert result.errors == 0, [p.format() for p in result.problems if p.severity == "error"][:5]
    assert len(marks) > 300
    kinds = {type(x).__name__ for x in (*cat.agencies.values(), *cat.legal.values(), *cat.documents.values())
             if x.editor_note}
    assert kinds == {"Agency", "LegalDocument", "SharedDocument"}
    assert any(p.editor_note for p in cat.procedures.values())
    assert any(d.editor_note for p in cat.procedures.values() for d in p.documents)
    assert any(f.editor_note for p in cat.procedures.values() for f in p.fees)

    public = tmp_path / "public"
    build(root, public, gen=tmp_path / "gen", as_of=TODAY)
    blobs = [(str(p), p.read_bytes()) for p in public.rglob("*") if p.is_file()]
    assert any(name.endswith("search_index.json") for name, _ in blobs)
    for p in cat.procedures.values():
        if not p.listed:
            continue
        for channel in p.channels:
            answers = None
            cl = ck.make(cat, p, answers, channel.kind, WHEN)
            for fmt in ("md", "html", "json"):
                blobs.append((f"{p.id}.{channel.kind}.{fmt}", render_checklist(cl, fmt)))
        cl = ck.make(cat, p, None, p.channels[0].kind, WHEN, have=set())
        blobs.append((f"{p.id}-missing.md", render_checklist(cl, "md")))
    # PDFs compress their text: read it back (the site's printable lists, and a checklist's)
    from pypdf import PdfReader
    import io

    pdfs = [(name, data) for name, data in blobs if name.endswith(".pdf")]
    first = next(p for p in cat.procedures.values() if p.listed)
    pdfs.append(("checklist.pdf", render_checklist(ck.make(cat, first, None, first.channels[0].kind, WHEN), "pdf")))
    assert len(pdfs) > 20
    for name, data in pdfs:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        blobs.append((name + ".txt", text.encode()))
    blobs.append(("export.json", export_json(cat).encode()))
    blobs.append(("export.csv", export_csv(cat).encode()))
    leaks = [(name, mark) for name, data in blobs for mark in ("EDNOTE", "bí mật nội bộ".encode())
             if (mark.encode() if isinstance(mark, str) else mark) in data]
    assert leaks == []


# --- every problem at once -----------------------------------------------------------------------------

def test_check_reports_a_schema_error_and_a_rule_error_of_one_file_together(tmp_path):
    root = make_catalogue(tmp_path)
    proc = root / "procedures/ho-tich/khai-sinh.yaml"
    proc.write_text(proc.read_text(encoding="utf-8").replace('code: "1.001193"', "code: 1.001193")
                    .replace("forms/to-khai.pdf", "forms/to-khai-moi.pdf"), encoding="utf-8")
    result = check_catalogue(root, display_root="catalogue", today=TODAY)
    keys = [p.key for p in result.problems if p.severity == "error"]
    assert keys == ["code", "documents[0].form.file"]


def test_check_runs_the_rules_on_the_rest_of_a_file_with_many_schema_errors(tmp_path):
    root = make_catalogue(tmp_path)
    proc = root / "procedures/ho-tich/khai-sinh.yaml"
    text = proc.read_text(encoding="utf-8")
    text = text.replace("levels: [xa]", "levels: xa").replace("    originals: 1\n    form:", "    originals: hai\n    form:")
    text = text.replace("  receiving: ttphvhc-xa", "  receiving: ttphvhc-xaa").replace("group: show", "group: hien")
    proc.write_text(text, encoding="utf-8")
    result = check_catalogue(root, display_root="catalogue", today=TODAY)
    keys = {p.key for p in result.problems if p.severity == "error"}
    assert {"levels", "documents[0].originals", "agencies.receiving", "documents[2].group"} <= keys


def test_reassign_and_review_follow_every_receiving_point(roles_catalogue):
    from thutuc.editing.edit import reassign
    from thutuc.editing.review import review

    root, _cat = roles_catalogue
    agencies = root / "agencies/buu-dien.yaml"
    agencies.write_text(OVERLAY_AGENCY + "    status: abolished\n    abolished_on: 2026-01-01\n    successor: ubnd-xa\n",
                        encoding="utf-8")
    result, _ = load(root, today=TODAY)
    found = [f for f in review(result, TODAY) if f.kind == "abolished-agency"]
    line = next(i for i, text in enumerate((root / "procedures/ho-tich/khai-sinh.yaml").read_text(
        encoding="utf-8").splitlines(), 1) if text.startswith("  receiving:"))
    assert [(f.subject, f.line) for f in found] == [("khai-sinh", line)], found
    changes = reassign(root, "buu-dien-xa", "ubnd-xa")
    assert len(changes) == 1
    after = changes[0].after
    assert "receiving: [ttphvhc-xa, ubnd-xa]" in after and "coordinating: [ubnd-xa]" in after


def test_a_note_on_one_alternative_is_in_the_tailored_list_and_its_editor_note_is_not():
    from thutuc.catalogue.model import Document, Paper
    from thutuc.wording import papers_text

    d = Document("x", "submit", (Paper("Căn cước"), Paper("Hộ chiếu", note="còn hạn", editor_note="SECRET")),
                 originals=1)
    assert papers_text(d) == "Một trong các giấy tờ sau: (1) Căn cước; (2) Hộ chiếu (còn hạn)"
