"""Papers the office looks up (group: lookup), prepares at the counter (prepared), or does not
know (unknown); counts multiplied by an answer (times) and pages per copy (pages); forms of any
office type — from the YAML to the page, the tailored list, the checklists, the counter's slips
and the open data, and at the counter as an officer types it."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
import unicodedata

import pytest
from pypdf import PdfReader

from helpers import ROOT, TODAY, make_catalogue
from thutuc import wording
from thutuc.catalogue.check import check_catalogue
from thutuc.catalogue.model import load
from thutuc.checklist import make as ck
from thutuc.checklist.produce import render_checklist
from thutuc.checklist.tailor import AnswerError, match_lookup_failed

TZ = ck.TZ
WHEN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
DOCX = "forms/Mẫu CT01 mới.docx"

PROCEDURE = """\
id: giay-to
title: Đăng ký thường trú cho cả hộ
summary: Ví dụ về giấy tờ cán bộ tra cứu, giấy tờ lập tại quầy và số bản theo số người.
field: ho-tich
levels: [xa]
agencies:
  deciding: ubnd-xa
  receiving: ttphvhc-xa
applicants: [cong-dan-viet-nam]
questions:
  - key: so_nguoi
    ask: Bao nhiêu người trong danh sách?
    type: number
    unit: người
    min: 1
    max: 10
  - key: so_trang
    ask: Mỗi bản hợp đồng thuê nhà có bao nhiêu trang?
    type: number
    unit: trang
    min: 1
    max: 200
documents:
  - id: to-khai
    group: submit
    name: Tờ khai thay đổi thông tin cư trú
    originals: 1
    times: so_nguoi
    form:
      code: Mẫu CT01
      file: forms/Mẫu CT01 mới.docx
      source: Thông tư 66/2023/TT-BCA
  - id: hop-dong
    group: submit
    name: Hợp đồng thuê nhà
    copies: 1
    pages: so_trang
    note: Không bắt buộc công chứng, chứng thực.
    form:
      file: forms/to-khai.pdf
  - id: tuy-than
    group: lookup
    ref: giay-to-tuy-than
  - id: cu-tru
    group: lookup
    name: Giấy xác nhận thông tin về cư trú
    times: so_nguoi
    lookup:
      sources: [cu_tru, vneid]
      basis: [{ref: luat-ho-tich-2014, articles: Điều 5}]
      fallback: {copies: 1, note: Bản chụp cũng được.}
      note: Cán bộ đối chiếu trên ứng dụng VNeID của bạn.
  - id: phieu
    group: prepared
    name: Phiếu đề nghị giải quyết
channels:
  - kind: in_person
processing_time:
  unit: working_days
  amount: 7
  source: Điều 22 Luật Cư trú
fees:
  - name: Lệ phí
    kind: free
    source: Điều 11 Luật Hộ tịch
results:
  - name: Thông báo kết quả
legal_basis:
  - ref: luat-ho-tich-2014
lifecycle:
  status: active
  last_reviewed: 2026-06-30
"""
SHARED = """\
documents:
  - id: giay-to-tuy-than
    name: Giấy tờ tùy thân có ảnh
    lookup:
      sources: [dan_cu]
      basis: [{ref: luat-ho-tich-2014}]
      fallback: {originals: 1, group: show}
"""


@pytest.fixture(scope="module")
def papers(tmp_path_factory):
    return papers_catalogue(tmp_path_factory.mktemp("papers"))


def papers_catalogue(folder):
    """The small catalogue of these tests (also the browser's): the procedure, the shared paper,
    a .docx form with spaces in its name and a blank PDF form."""
    from pypdf import PdfWriter

    root = make_catalogue(folder)
    (root / "procedures/ho-tich/giay-to.yaml").write_text(PROCEDURE, encoding="utf-8")
    (root / "documents/chung.yaml").write_text(SHARED, encoding="utf-8")
    (root / DOCX).write_bytes(b"PK\x03\x04 not really a docx")
    blank = PdfWriter()
    blank.add_blank_page(width=595, height=842)
    with open(root / "forms/to-khai.pdf", "wb") as f:
        blank.write(f)
    return root


@pytest.fixture(scope="module")
def cat(papers):
    result, model = load(papers, today=TODAY)
    assert model is not None, [p.format() for p in result.problems if p.severity == "error"]
    return model


def run(root, *args, cwd=None):
    return subprocess.run([sys.executable, "-m", "thutuc", "checklist", "--catalogue", str(root), "giay-to",
                           "-a", "so_nguoi=3", "-a", "so_trang=12", "--submitted", "2026-12-01 09:00", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages)).split())


# --- the model and the wording -------------------------------------------------------------------

def test_model_fields_and_inherited_lookup(cat):
    proc = cat.procedures["giay-to"]
    docs = {d.id: d for d in proc.documents}
    assert docs["tuy-than"].looked_up and docs["tuy-than"].lookup.sources == ("dan_cu",)  # from the shared one
    assert docs["tuy-than"].fallback.group == "show" and docs["tuy-than"].fallback.originals == 1
    assert docs["cu-tru"].lookup.basis[0]["articles"] == "Điều 5"
    assert docs["to-khai"].times == "so_nguoi" and docs["hop-dong"].pages == "so_trang"
    assert cat.documents["giay-to-tuy-than"].lookup.fallback.originals == 1
    assert not docs["phieu"].looked_up and docs["phieu"].lookup is None


def test_form_phrase_is_one_phrase():
    assert wording.form_phrase(["Mẫu CT01"]) == "(theo Mẫu CT01)"
    assert wording.form_phrase(["Mẫu 1A", "Mẫu 1B"]) == "(theo Mẫu 1A; Mẫu 1B)"
    assert wording.form_phrase(["01/LPTB"]) == "(theo mẫu: 01/LPTB)"
    assert wording.form_phrase(["Tờ khai X (mẫu ban hành kèm Thông tư 04/2020/TT-BTP)"], "Tờ khai X") == \
        "(theo mẫu ban hành kèm Thông tư 04/2020/TT-BTP)"
    assert wording.form_phrase([None, ""]) == ""
    # the bundled thường trú paper already names its form: said once, not "(mẫu CT01) (theo Mẫu CT01)"
    assert wording.form_phrase(["Mẫu CT01"], "Tờ khai thay đổi thông tin cư trú (mẫu CT01)") == ""


def test_a_paper_that_names_its_form_says_it_once_on_every_output():
    """Seen on the page's form at 1280 px: "Tờ khai thay đổi thông tin cư trú (mẫu CT01) (theo Mẫu CT01)"."""
    import json

    from helpers import ROOT
    from thutuc.catalogue.model import load
    from thutuc.checklist.make import from_answers, to_json
    from thutuc.website.pages import tailor_data
    import datetime as dt

    _, bundled = load(ROOT / "catalogue")
    proc = bundled.procedures["dang-ky-thuong-tru"]
    data = json.dumps(tailor_data(proc), ensure_ascii=False)
    assert "(mẫu CT01)" in data and "theo Mẫu CT01" not in data
    cl = from_answers(bundled, "dang-ky-thuong-tru", {"cho_o": "so_huu"}, "in_person", dt.datetime(2026, 12, 1, 9, 0))
    assert "theo Mẫu CT01" not in json.dumps(to_json(cl), ensure_ascii=False)


def test_quantities_times_pages_and_lookups(cat):
    proc = cat.procedures["giay-to"]
    docs = {d.id: d for d in proc.documents}
    answers = {"so_nguoi": 3, "so_trang": 12}
    assert wording.quantity(docs["to-khai"], proc, answers) == "03 bản chính"
    assert wording.quantity(docs["to-khai"], proc, None) == "01 bản chính cho mỗi người"
    assert wording.quantity(docs["hop-dong"], proc, answers) == "01 bản sao, mỗi bản 12 trang"
    assert wording.quantity(docs["phieu"]) == "Cán bộ lập tại quầy, bạn ký"
    assert wording.quantity(docs["cu-tru"]) == "Không cần mang"
    assert wording.lookup_text(docs["cu-tru"], proc, answers) == (
        "Không cần mang — cán bộ tra cứu từ Cơ sở dữ liệu về cư trú hoặc Ứng dụng định danh điện tử VNeID "
        "(nếu không tra cứu được: mang 03 bản sao Giấy xác nhận thông tin về cư trú)")
    assert wording.lookup_text(docs["tuy-than"]) == (
        "Không cần mang — cán bộ tra cứu từ Cơ sở dữ liệu quốc gia về dân cư "
        "(nếu không tra cứu được: mang 01 bản chính Giấy tờ tùy thân có ảnh để xuất trình)")
    assert wording.paper_notes(docs["to-khai"]) == ["Nguồn mẫu: Thông tư 66/2023/TT-BCA"]
    assert wording.paper_notes(docs["cu-tru"]) == ["Cán bộ đối chiếu trên ứng dụng VNeID của bạn.",
                                                   "Bản chụp cũng được."]


def test_unknown_papers_are_said_so_without_a_box(base_catalogue):
    ks = base_catalogue / "procedures/ho-tich/khai-sinh.yaml"
    text = ks.read_text(encoding="utf-8")
    start, end = text.index("documents:\n"), text.index("channels:\n")
    ks.write_text(text[:start] + "documents:\n  - id: unknown\n    group: unknown\n    note: Hỏi tại quầy.\n"
                  + text[end:], encoding="utf-8")
    result, model = load(base_catalogue, today=TODAY)
    assert model is not None, [p.format() for p in result.problems]
    assert "the papers of this procedure are unknown: find the national record and list them" in [
        p.message for p in result.problems]
    cl = ck.from_answers(model, "khai-sinh", {"nop_thay": "khong"}, "in_person", WHEN)
    md = render_checklist(cl, "md").decode()
    assert "*Chưa có thông tin chính thức về thành phần hồ sơ. Hỏi tại quầy.*" in md and "[ ]" not in md


# --- rules that need a real file system -----------------------------------------------------------

def test_form_files_with_spaces_pass_and_links_out_fail(papers, tmp_path):
    result = check_catalogue(papers, display_root="catalogue", today=TODAY)
    assert result.errors == 0, [p.format() for p in result.problems if p.severity == "error"]
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4\n")
    link = papers / "forms" / "link.pdf"
    link.symlink_to(outside)
    try:
        proc = papers / "procedures/ho-tich/giay-to.yaml"
        text = proc.read_text(encoding="utf-8")
        proc.write_text(text.replace("file: forms/to-khai.pdf", "file: forms/link.pdf"), encoding="utf-8")
        got = [p.format() for p in check_catalogue(papers, display_root="catalogue", today=TODAY).problems
               if p.severity == "error"]
        assert got == ["catalogue/procedures/ho-tich/giay-to.yaml:40:13: error: documents[1].form.file: "
                       "form.file 'forms/link.pdf' is a link that leads out of catalogue/forms/; copy the file "
                       "into forms/ instead"], got
    finally:
        link.unlink()
        proc.write_text(text, encoding="utf-8")


# --- the checklist and the counter ----------------------------------------------------------------

def test_tailored_checklist_sections(cat):
    cl = ck.from_answers(cat, "giay-to", {"so_nguoi": 3, "so_trang": 12}, "in_person", WHEN)
    md = render_checklist(cl, "md").decode()
    assert "| [ ] | 1 | Tờ khai thay đổi thông tin cư trú (theo Mẫu CT01). Nguồn mẫu: Thông tư 66/2023/TT-BCA. | 03 bản chính |" in md
    assert "Hợp đồng thuê nhà. Không bắt buộc công chứng, chứng thực. | 01 bản sao, mỗi bản 12 trang |" in md
    assert "## Không cần mang — cán bộ tra cứu" in md and "## Cán bộ lập tại quầy, bạn ký" in md
    assert "| 1 | Phiếu đề nghị giải quyết | Cán bộ lập tại quầy, bạn ký |" in md
    assert "(nếu không tra cứu được: mang 03 bản sao)" in md  # fallback multiplied too
    data = json.loads(render_checklist(cl, "json"))
    docs = {d["id"]: d for d in data["documents"]}
    assert docs["cu-tru"]["lookup"]["source_names"] == ["Cơ sở dữ liệu về cư trú", "Ứng dụng định danh điện tử VNeID"]
    assert docs["cu-tru"]["lookup"]["fallback"]["quantity"] == "03 bản sao"
    assert docs["to-khai"]["quantity"] == "03 bản chính" and docs["to-khai"]["form_sources"] == ["Thông tư 66/2023/TT-BCA"]
    assert data["looked_up"] == ["tuy-than", "cu-tru"] and data["lookup_failed"] == []


def test_have_never_lists_a_looked_up_or_prepared_paper_as_missing(papers, tmp_path):
    res = run(papers, "--have", "to-khai", "--have", "hop-dong", "--receipt", "--format", "md", "-o", "-", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in res.stdout
    assert ("Đã tra cứu: Giấy tờ tùy thân có ảnh (Cơ sở dữ liệu quốc gia về dân cư); Giấy xác nhận thông tin về cư "
            "trú (Cơ sở dữ liệu về cư trú hoặc Ứng dụng định danh điện tử VNeID).") in res.stdout
    res = run(papers, "--have", "to-khai", "--format", "json", "-o", "-", cwd=tmp_path)
    assert [d["id"] for d in json.loads(res.stdout)["missing"]] == ["hop-dong"]


def test_lookup_failed_puts_the_fallback_on_the_request_with_the_reason(papers, tmp_path):
    res = run(papers, "--have", "to-khai", "--have", "hop-dong", "--lookup-failed",
              "cu-tru=Không có dữ liệu cư trú của ông Lê Văn Bình", "--format", "md", "-o", "-", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "PHIẾU YÊU CẦU BỔ SUNG" in out
    assert ("| [ ] | 1 | Giấy xác nhận thông tin về cư trú. Bản chụp cũng được. — Không tra cứu được từ Cơ sở dữ liệu về cư trú hoặc Ứng dụng định danh điện tử VNeID: "
            "Không có dữ liệu cư trú của ông Lê Văn Bình | 03 bản sao |") in out
    assert "**Lý do:** Hồ sơ chưa có đủ thành phần" in out and "Lê Văn Bình" in out.split("**Lý do:**")[1]
    # brought after all: the receipt lists it received, with the fallback quantity, and what was looked up
    res = run(papers, "--have", "to-khai", "--have", "hop-dong", "--have", "cu-tru", "--lookup-failed",
              "Giay xac nhan thong tin ve cu tru=không có dữ liệu", "--receipt", "--format", "json", "-o", "-",
              cwd=tmp_path)
    data = json.loads(res.stdout)
    assert data["kind"] == "receipt" and data["looked_up"] == ["tuy-than"]
    assert data["lookup_failed"][0]["id"] == "cu-tru" and data["lookup_failed"][0]["reason"] == "không có dữ liệu"


def test_lookup_failed_with_a_wrong_id_is_one_line_naming_the_looked_up_ids(papers, tmp_path):
    res = run(papers, "--lookup-failed", "cu-trú=mất kết nối", cwd=tmp_path)
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr == ("thutuc checklist: --lookup-failed cu-trú: not a paper the office looks up in this case; "
                          "did you mean 'cu-tru'? (looked-up papers: cu-tru, tuy-than)\n")
    res = run(papers, "--lookup-failed", "to-khai", cwd=tmp_path)
    assert res.returncode == 1 and "looked-up papers: cu-tru, tuy-than" in res.stderr
    assert len(res.stderr.splitlines()) == 1 and "Traceback" not in res.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_match_lookup_failed_in_python(cat):
    proc = cat.procedures["giay-to"]
    assert match_lookup_failed(proc, ["tuy-than=  mất   kết nối "]) == {"tuy-than": "mất kết nối"}
    with pytest.raises(AnswerError, match="the reason is 301 characters long"):
        match_lookup_failed(proc, ["tuy-than=" + "x" * 301])


HOSTILE = "<script>alert(1)</script> & {: onclick=alert(2) } **đậm** [x](javascript:alert(3))"


def test_hostile_reason_is_escaped_in_html_and_printed_as_text_in_pdf(papers, tmp_path):
    res = run(papers, "--have", "to-khai", "--have", "hop-dong", "--lookup-failed", f"cu-tru={HOSTILE}",
              "--format", "html", "-o", "phieu.html", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "phieu.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<a " not in html.split("<body")[-1].split("Lý do")[1][:2000].replace("<a href=\"https", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and 'href="javascript' not in html
    assert "<strong>đậm</strong>" not in html
    res = run(papers, "--have", "to-khai", "--have", "hop-dong", "--lookup-failed", f"cu-tru={HOSTILE}",
              "--format", "pdf", "-o", "phieu.pdf", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    text = pdf_text((tmp_path / "phieu.pdf").read_bytes())
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "<script>alert(1)</script>" in text and "**đậm**" in text  # printed as typed, never markup
    assert "03 bản sao" in text


def test_receipt_pdf_says_what_was_looked_up(papers, tmp_path):
    res = run(papers, "--have", "to-khai", "--have", "hop-dong", "--receipt", "-o", "bien-nhan.pdf", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    text = pdf_text((tmp_path / "bien-nhan.pdf").read_bytes())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Đã tra cứu: Giấy tờ tùy thân có ảnh (Cơ sở dữ liệu quốc gia về dân cư)" in text
    assert "Phiếu đề nghị giải quyết" not in text.split("1. Thành phần hồ sơ nộp gồm:")[1].split("Đã tra cứu")[0]


def test_append_forms_says_which_forms_it_did_not_append(papers, tmp_path):
    res = run(papers, "--append-forms", "-o", "ds.pdf", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    warnings = [line for line in res.stderr.splitlines() if "warning" in line]
    assert warnings == [f"thutuc checklist: warning: {DOCX}: a .docx form cannot be appended to a PDF; download "
                        f"it from catalogue/{DOCX}"], res.stderr
    reader = PdfReader(io.BytesIO((tmp_path / "ds.pdf").read_bytes()))
    assert len(reader.pages) >= 2  # the checklist, then the blank PDF form


# --- the page and the open data -------------------------------------------------------------------

def test_page_sections_and_form_link(cat):
    from thutuc.website.pages import procedure_page, tailor_data

    from thutuc.escaping import markdown as esc

    page = procedure_page(cat.procedures["giay-to"], cat, TODAY, None)
    assert "### Không cần mang — cán bộ tra cứu {#giay-to-tra-cuu}" in page
    assert "### Cán bộ lập tại quầy, bạn ký {#giay-to-lap-tai-quay}" in page
    assert esc("(theo Mẫu CT01)") + " ([tải mẫu](../../forms/M%E1%BA%ABu%20CT01%20m%E1%BB%9Bi.docx))" in page
    assert "(nguồn mẫu: " + esc("Thông tư 66/2023/TT-BCA") + ")" in page
    assert ("- **" + esc("Giấy xác nhận thông tin về cư trú") + "** — không cần mang<br>"
            + esc("Cán bộ tra cứu từ Cơ sở dữ liệu về cư trú hoặc Ứng dụng định danh điện tử VNeID; "
                  "nếu không tra cứu được, mang 01 bản sao cho mỗi người.")) in page
    assert esc("Căn cứ: Điều 5 Luật 60/2014/QH13.") in page
    data = {d["id"]: d for d in tailor_data(cat.procedures["giay-to"])["documents"]}
    assert data["to-khai"]["counts"] == {"originals": 1, "certified_copies": 0, "copies": 0, "quantity_note": None,
                                         "times": "so_nguoi", "pages": None}
    assert data["cu-tru"]["counts"]["copies"] == 1 and data["cu-tru"]["fallback_tail"] == " Giấy xác nhận thông tin về cư trú"
    assert data["to-khai"]["notes"] == ["Nguồn mẫu: Thông tư 66/2023/TT-BCA"]


def test_export_has_the_lookup_and_an_encoded_form_url(cat):
    import jsonschema

    from thutuc.website.export import export_csv, export_data

    data = export_data(cat)
    schema = json.loads((ROOT / "schemas/export/catalogue-export-v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    proc = next(p for p in data["procedures"] if p["id"] == "giay-to")
    docs = {d["id"]: d for d in proc["documents"]}
    assert docs["cu-tru"]["lookup"]["sources"][0] == {"id": "cu_tru", "name": "Cơ sở dữ liệu về cư trú"}
    assert docs["cu-tru"]["lookup"]["fallback"]["quantity_text"] == "01 bản sao" and docs["cu-tru"]["times"] == "so_nguoi"
    assert docs["tuy-than"]["lookup"]["fallback"]["group"] == "show"  # inherited from the shared document
    assert docs["to-khai"]["papers"][0]["form"]["text"] == "(theo Mẫu CT01)"
    shared = {d["id"]: d for d in data["shared_documents"]}
    assert shared["giay-to-tuy-than"]["lookup"]["sources"] == [{"id": "dan_cu", "name": "Cơ sở dữ liệu quốc gia về dân cư"}]
    csv = export_csv(cat)
    assert "Giấy xác nhận thông tin về cư trú (Cơ sở dữ liệu về cư trú hoặc Ứng dụng định danh điện tử VNeID)" in csv


def test_bundled_marriage_no_longer_asks_for_the_marital_status_paper():
    _, model = load(ROOT / "catalogue")
    proc = model.procedures["dang-ky-ket-hon"]
    cl = ck.from_answers(model, "dang-ky-ket-hon", {"mot_ben_cu_tru_noi_khac": "co", "so_ban_sao": 0},
                         "in_person", WHEN, have={"to-khai"})
    assert cl.kind == "checklist" and cl.missing == ()
    looked = {d.id for d in cl.looked_up}
    assert looked == {"xac-nhan-tinh-trang-hon-nhan", "tuy-than", "cu-tru"}
    assert all(d.lookup.source for d in proc.documents if d.looked_up)  # each cites its record
