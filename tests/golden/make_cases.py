"""Writes the golden cases (bad inputs) under cases/. Run it, then review, then
`UPDATE_GOLDEN=1 pytest tests/test_golden.py` and review the expected.txt diff by eye."""
import pathlib
import shutil

here = pathlib.Path(__file__).resolve().parent
root = here / "cases"
base = (here / "base/procedures/ho-tich/khai-sinh.yaml").read_text()
base = base.replace('code: "1.001193"\n', "")

def P(pid, *subs, field="ho-tich"):
    t = base.replace("id: khai-sinh", f"id: {pid}")
    for old, new in subs:
        assert old in t, (pid, old)
        t = t.replace(old, new, 1)
    return {f"procedures/{field}/{pid}.yaml": t}

cases = {}
def case(name, files):
    cases[name] = files

# --- loader ---
case("duplicate-key", P("duplicate-key", ("summary: Đăng ký việc sinh cho trẻ em.\n", "summary: Đăng ký việc sinh cho trẻ em.\ntitle: Khai sinh lần hai\n")))
case("tab-indent", P("tab-indent", ("  deciding: ubnd-xa", "\tdeciding: ubnd-xa")))
case("not-utf8", {"procedures/ho-tich/not-utf8.yaml": "id: not-utf8\ntitle: \u0110\u0103ng k\u00fd khai sinh\n".encode("cp1258", "replace")})
case("too-large", {"procedures/ho-tich/too-large.yaml": "# " + "x" * 600_000 + "\n"})
case("anchor-alias", P("anchor-alias", ("agencies:\n  deciding: ubnd-xa\n  receiving: ttphvhc-xa", "agencies: &a\n  deciding: ubnd-xa\n  receiving: ttphvhc-xa\nsteps_copy: *a")))
case("merge-key", P("merge-key", ("agencies:\n  deciding: ubnd-xa", "agencies:\n  <<: {x: 1}\n  deciding: ubnd-xa")))
case("custom-tag", P("custom-tag", ("title: Đăng ký khai sinh", "title: !!python/object:os.system Đăng ký khai sinh")))
case("unquoted-code", P("unquoted-code", ("title: Đăng ký khai sinh\n", 'code: 1.001190\ntitle: Đăng ký khai sinh\n')))
case("yes-for-boolean", P("yes-for-boolean", ("    default: false", "    default: no")))
case("nfd-text", P("nfd-text", ("title: Đăng ký khai sinh", "title: Đăng ky\u0301 khai sinh")))
case("syntax-error", P("syntax-error", ("levels: [xa]", "levels: [xa")))
case("two-documents", P("two-documents", ("lifecycle:", "---\nlifecycle:")))
case("empty-file", {"procedures/ho-tich/empty-file.yaml": "# nothing here yet\n"})
case("top-level-list", {"procedures/ho-tich/top-level-list.yaml": "- id: top-level-list\n- title: Khai sinh\n"})
case("dotted-amount", P("dotted-amount", ("  - name: Lệ phí\n    kind: free\n", "  - name: Lệ phí\n    kind: fixed\n    amount: 10.000\n")))
case("invalid-date", P("invalid-date", ("last_reviewed: 2026-06-30", "last_reviewed: 2026-02-30")))
case("yml-extension", {"procedures/ho-tich/yml-extension.yml": "id: yml-extension\n"})
case("stray-file", {"notes/readme.yaml": "note: đây là ghi chú\n"})
# --- schema ---
case("missing-required", P("missing-required", ("title: Đăng ký khai sinh\n", "")))
case("unknown-key-typo", P("unknown-key-typo", ("summary:", "sumary:")))
case("enum-typo", P("enum-typo", ("unit: same_day", "unit: same_days")))
case("bad-id-pattern", P("bad-id-pattern", ("    ref: giay-to-tuy-than", "    ref: Giay_To")))
case("string-instead-of-list", P("string-instead-of-list", ("levels: [xa]", "levels: xa")))
case("negative-quantity", P("negative-quantity", ("    originals: 1\n    form:", "    originals: -1\n    form:")))
case("fixed-fee-without-amount", P("fixed-fee-without-amount", ("    kind: free", "    kind: fixed")))
case("choice-without-options", P("choice-without-options", ("    type: boolean\n    default: false", "    type: choice")))
case("bad-result-code", P("bad-result-code", ("  - name: Giấy khai sinh", "  - name: Giấy khai sinh\n    code: KQ-G15-31")))
case("empty-documents", P("empty-documents", ("documents:\n", "documents: []\nold_documents:\n")))
# --- cross-file ---
case("id-differs-from-file", {"procedures/ho-tich/id-differs-from-file.yaml": base.replace("id: khai-sinh", "id: dang-ky-khai-sinh-2")})
case("wrong-field-folder", P("wrong-field-folder", field="chung-thuc"))
case("unknown-field", P("unknown-field", ("field: ho-tich", "field: ho-tch")))
case("unknown-agency", P("unknown-agency", ("deciding: ubnd-xa", "deciding: ubnd-huyen")))
case("unknown-legal-ref", P("unknown-legal-ref", ("  - ref: luat-ho-tich-2014", "  - ref: luat-ho-tich-2015")))
case("unknown-shared-document", P("unknown-shared-document", ("    ref: giay-to-tuy-than", "    ref: giay-to-tuy-thn")))
case("duplicate-procedure-id", {"procedures/chung-thuc/khai-sinh.yaml": base.replace("field: ho-tich", "field: chung-thuc")})
case("duplicate-code", P("duplicate-code", ("title: Đăng ký khai sinh\n", 'code: "1.001193"\ntitle: Đăng ký khai sinh\n')))
case("undeclared-question", P("undeclared-question", ("when: {q: nop_thay, eq: true}", "when: {q: nop_thya, eq: true}")))
case("condition-value-type", P("condition-value-type", ("when: {q: nop_thay, eq: true}", "when: {q: nop_thay, eq: 'có'}")))
case("choice-value-not-option", P("choice-value-not-option",
     ("    type: boolean\n    default: false", "    type: choice\n    options:\n      - value: ca_nhan\n        label: Cá nhân\n      - value: to_chuc\n        label: Tổ chức"),
     ("when: {q: nop_thay, eq: true}", "when: {q: nop_thay, eq: to_chuc_khac}")))
case("condition-two-forms", P("condition-two-forms", ("when: {q: nop_thay, eq: true}", "when: {q: nop_thay, eq: true, all_of: [{q: nop_thay, eq: false}]}")))
case("unreachable-document", P("unreachable-document", ("when: {q: nop_thay, eq: true}", "when: {all_of: [{q: nop_thay, eq: true}, {q: nop_thay, eq: false}]}")))
case("empty-list-for-some-answers", P("empty-list-for-some-answers",
     ("    originals: 1\n    form:\n      file: forms/to-khai.pdf\n", "    originals: 1\n    when: {q: nop_thay, eq: true}\n"),
     ("  - id: tuy-than\n    group: show\n    ref: giay-to-tuy-than\n    originals: 1\n", "")))
case("form-path-escapes", P("form-path-escapes", ("file: forms/to-khai.pdf", "file: forms/../../../etc/passwd")))
case("form-file-missing", P("form-file-missing", ("file: forms/to-khai.pdf", "file: forms/to-khai-moi.pdf")))
case("superseded-by-missing", P("superseded-by-missing", ("  status: active\n", "  status: abolished\n  since: 2026-01-01\n  reason: Thay bằng thủ tục mới\n  superseded_by: khai-sinh-moi\n")))
case("active-with-successor", P("active-with-successor", ("  status: active\n", "  status: active\n  superseded_by: khai-sinh\n")))
case("successor-abolished", {**P("successor-abolished", ("  status: active\n", "  status: abolished\n  since: 2026-01-01\n  reason: Gộp thủ tục\n  superseded_by: successor-old\n")),
                            **P("successor-old", ("  status: active\n", "  status: abolished\n  since: 2025-07-01\n"))})
case("placeholder-text", P("placeholder-text", ("summary: Đăng ký việc sinh cho trẻ em.", "summary: TODO viết tóm tắt")))
case("http-link", P("http-link", ("    online_level: partial", "    online_level: partial\n    url: http://dichvucong.gov.vn")))
case("unknown-facts", P("unknown-facts", ("  unit: same_day\n  cutoff: \"15:00\"\n  source: Điều 16 Luật Hộ tịch\n", "  unit: unknown\n  note: Chưa có nguồn.\n"),
     ("    kind: free\n    source: Điều 11 Luật Hộ tịch\n", "    kind: unknown\n")))
case("unused-question", P("unused-question", ("    default: false\n", "    default: false\n  - key: so_ban\n    ask: Số bản sao?\n    type: number\n    min: 0\n")))
case("fee-units-not-number", P("fee-units-not-number", ("    kind: free\n", "    kind: per_unit\n    amount: 8000\n    units: nop_thay\n")))
case("tiers-not-contiguous", P("tiers-not-contiguous",
     ("    default: false\n", "    default: false\n  - key: so_trang\n    ask: Số trang?\n    type: number\n    min: 1\n"),
     ("    kind: free\n", "    kind: per_unit\n    units: so_trang\n    tiers:\n      - {from: 1, to: 2, amount: 2000}\n      - {from: 4, amount: 1000}\n    cap: 200000\n")))
case("fee-missing-for-channel", P("fee-missing-for-channel", ("    kind: free\n", "    kind: free\n    channels: [in_person]\n")))
case("fee-missing-for-some-answers", P("fee-missing-for-some-answers", ("    kind: free\n", "    kind: free\n    when: {q: nop_thay, eq: false}\n")))
case("duplicate-document-id", P("duplicate-document-id", ("  - id: uy-quyen", "  - id: to-khai")))
case("name-and-ref", P("name-and-ref", ("    ref: giay-to-tuy-than\n", "    ref: giay-to-tuy-than\n    name: Căn cước\n")))
case("district-level", P("district-level", ("levels: [xa]", "levels: [huyen]")))
case("online-level-on-in-person", P("online-level-on-in-person", ("  - kind: in_person\n", "  - kind: in_person\n    online_level: full\n")))
case("duplicate-channel", P("duplicate-channel", ("  - kind: online\n", "  - kind: in_person\n  - kind: online\n")))
case("channel-not-offered", P("channel-not-offered",
     ("    when: {q: nop_thay, eq: true}\n", "    when: {q: nop_thay, eq: true}\n    channels: [in_person, post]\n"),
     ("    source: Điều 11 Luật Hộ tịch\n", "    source: Điều 11 Luật Hộ tịch\n  - name: Phí bưu chính\n    kind: fixed\n    amount: 20000\n    channels: [post]\n"
      "    source: Điều 11 Luật Hộ tịch\n  - name: Lệ phí cấp bản sao\n    kind: fixed\n    amount: 8000\n    channels: [in_person]\n"
      "    source: Điều 11 Luật Hộ tịch\n    reductions:\n      - percent: 50\n        channels: [online, post]\n")))
case("reduction-percent-and-amount", P("reduction-percent-and-amount",
     ("    source: Điều 11 Luật Hộ tịch\n", "    source: Điều 11 Luật Hộ tịch\n  - name: Lệ phí cấp bản sao\n    kind: fixed\n    amount: 8000\n"
      "    source: Điều 11 Luật Hộ tịch\n    reductions:\n      - percent: 50\n        amount: 4000\n      - valid_to: 2026-12-31\n"
      "      - amount: 9000\n  - name: Phí theo trang\n    kind: per_unit\n    amount: 2000\n    unit: trang\n    source: Điều 11 Luật Hộ tịch\n"
      "    reductions:\n      - amount: 1000\n      - amount: 9000\n        valid_from: 2027-01-01\n        valid_to: 2026-12-31\n")))
case("calendar-day-twice", {"calendar.yaml": "calendar:\n  timezone: Asia/Ho_Chi_Minh\n  days_off:\n    - date: 2026-01-02\n      reason: Nghỉ bù\n  working_days:\n    - date: 2026-01-02\n      reason: Làm bù\n    - date: 2026-01-07\n      reason: Làm bù\n"})
case("legal-dates-out-of-order", {"legal/extra.yaml": "legal_documents:\n  - id: nd-123-2015\n    number: 123/2015/NĐ-CP\n    type: Nghị định\n    title: Quy định chi tiết Luật Hộ tịch\n    issuer: Chính phủ\n    issued: 2016-01-01\n    in_force: 2015-11-15\n"})
case("duplicate-shared-id", {"agencies/more.yaml": "agencies:\n  - id: ubnd-xa\n    name: UBND xã khác\n    level: xa\n"})
case("missing-office-file", {"office.yaml": None})
# --- bad inputs that once crashed check (issue 11) ---
case("nested-500-levels", P("nested-500-levels", ("summary: Đăng ký việc sinh cho trẻ em.", "summary: " + "[" * 500 + "]" * 500)))
case("huge-integer", P("huge-integer", ("    kind: free\n", "    kind: fixed\n    amount: " + "9" * 5001 + "\n")))
case("processing-time-too-long", P("processing-time-too-long", ("  unit: same_day\n  cutoff: \"15:00\"\n", "  unit: working_days\n  amount: 3000000\n")))
case("unprintable-character", P("unprintable-character", ("title: Đăng ký khai sinh", "title: ✓ Đăng ký khai sinh № 1"),
     ("    name: Văn bản ủy quyền", "    name: Văn bản ủy quyền 委任状"), ("summary: Đăng ký việc sinh cho trẻ em.", "summary: ✓ chỉ trên trang web, không in")))
case("unprintable-in-shared-files", {
    "agencies/xa.yaml": "agencies:\n  - id: ttphvhc-xa\n    name: Trung tâm Phục vụ hành chính công xã ✓\n    level: xa\n  - id: ubnd-xa\n    name: Ủy ban nhân dân xã\n    level: xa\n    address: Số nhà № 5\n",
    "calendar.yaml": "calendar:\n  timezone: Asia/Ho_Chi_Minh\n  days_off:\n    - date: 2026-05-04\n      reason: Nghỉ bù ☺\n"})
case("shared-legal-basis-scalar", {"documents/chung.yaml": "documents:\n  - id: giay-to-tuy-than\n    name: Giấy tờ tùy thân có ảnh\n    legal_basis: 5\n"})
case("shared-legal-basis-string", {"documents/chung.yaml": "documents:\n  - id: giay-to-tuy-than\n    name: Giấy tờ tùy thân có ảnh\n    legal_basis: luat-ho-tich-2014\n"})
case("days-off-unquoted-dates", {"calendar.yaml": "calendar:\n  timezone: Asia/Ho_Chi_Minh\n  days_off: [2026-05-04]\n  working_days: 5\n"})
case("agencies-scalar", {"agencies/xa.yaml": "agencies: 5\n"})
case("null-document", {"agencies/xa.yaml": "# agencies moved elsewhere\n~\n"})
case("procedure-legal-basis-string", P("procedure-legal-basis-string", ("legal_basis:\n  - ref: luat-ho-tich-2014\n", "legal_basis: luat-ho-tich-2014\n")))
# --- every problem at once (issue 12): a file the schema refuses is still read by the rules ---
case("unquoted-code-and-missing-form", P("unquoted-code-and-missing-form", ("title: Đăng ký khai sinh\n", 'code: 1.001190\ntitle: Đăng ký khai sinh\n'),
     ("file: forms/to-khai.pdf", "file: forms/to-khai-moi.pdf")))
case("bad-quantity-and-unknown-agency", P("bad-quantity-and-unknown-agency", ("    originals: 1\n    form:", "    originals: hai\n    form:"),
     ("deciding: ubnd-xa", "deciding: ubnd-xaa")))
# --- agencies, questions, sources (issue 12) ---
case("unknown-receiving-point", P("unknown-receiving-point", ("  receiving: ttphvhc-xa", "  receiving: [ttphvhc-xa, buu-dien-xa]\n  carrying_out: [ubnd-xaa]")))
case("any-office-basis-unknown", P("any-office-basis-unknown", ("  receiving: ttphvhc-xa", "  receiving: ttphvhc-xa\n  any_office: true\n  any_office_basis: {ref: nd-118-2025, articles: Điều 5}")))
case("any-office-basis-without-flag", P("any-office-basis-without-flag", ("  receiving: ttphvhc-xa", "  receiving: ttphvhc-xa\n  any_office_basis: {ref: luat-ho-tich-2014}")))
case("question-when-later", P("question-when-later", ("    default: false\n", "    default: false\n    when: {q: so_ban, gt: 0}\n  - key: so_ban\n    ask: Số bản sao?\n    type: number\n    min: 0\n"),
     ("when: {q: nop_thay, eq: true}", "when: {any_of: [{q: nop_thay, eq: true}, {q: so_ban, gt: 1}]}")))
case("question-when-itself", P("question-when-itself", ("    default: false\n", "    default: false\n    when: {not: {q: nop_thay, eq: true}}\n")))
case("question-when-never", P("question-when-never", ("    default: false\n", "    default: false\n  - key: la_cha_me\n    ask: Người nộp thay là cha mẹ?\n    type: boolean\n    when: {all_of: [{q: nop_thay, eq: true}, {q: nop_thay, eq: false}]}\n"),
     ("when: {q: nop_thay, eq: true}", "when: {q: la_cha_me, eq: false}")))
case("question-when-bad-value", P("question-when-bad-value", ("    default: false\n", "    default: false\n  - key: la_cha_me\n    ask: Người nộp thay là cha mẹ?\n    type: boolean\n    when: {q: nop_thay, eq: 'có'}\n"),
     ("when: {q: nop_thay, eq: true}", "when: {q: la_cha_me, eq: false}")))
case("document-needs-unasked-answer", P("document-needs-unasked-answer",
     ("when: {q: nop_thay, eq: true}", "when: {all_of: [{q: nop_thay, eq: false}, {q: la_cha_me, eq: true}]}"),
     ("    default: false\n", "    default: false\n  - key: la_cha_me\n    ask: Người nộp thay là cha mẹ?\n    type: boolean\n    when: {q: nop_thay, eq: true}\n")))
case("source-item-bad", P("source-item-bad", ("lifecycle:\n", "sources:\n  - https://dichvucong.gov.vn/p/1.001193\n  - {url: https://dichvucong.gov.vn, text: Cổng, retrieved: 2026-06-30, status: old}\nlifecycle:\n")))
case("editor-note-empty", P("editor-note-empty", ("  - name: Giấy khai sinh", "  - name: Giấy khai sinh\n    editor_note: ''")))

# --- papers the office looks up or prepares; forms (issue 12) ---
LOOKED_UP = "  - id: tuy-than\n    group: show\n    ref: giay-to-tuy-than\n    originals: 1\n"
def L(text):
    return ("  - id: tuy-than\n    group: show\n    ref: giay-to-tuy-than\n    originals: 1\n", text)
case("lookup-without-lookup", P("lookup-without-lookup", L("  - id: cu-tru\n    group: lookup\n    name: Giấy xác nhận thông tin về cư trú\n")))
case("lookup-own-quantity", P("lookup-own-quantity", L("  - id: cu-tru\n    group: lookup\n    name: Giấy xác nhận thông tin về cư trú\n    copies: 1\n    lookup:\n      sources: [cu_tru]\n      basis: [{ref: luat-ho-tich-2014, articles: Điều 5}]\n      fallback: {group: submit}\n")))
case("lookup-sector-without-note", P("lookup-sector-without-note", L("  - id: cu-tru\n    group: lookup\n    name: Giấy xác nhận thông tin về cư trú\n    lookup:\n      sources: [chuyen_nganh]\n      fallback: {originals: 1}\n")))
case("lookup-basis-unknown", P("lookup-basis-unknown", L("  - id: cu-tru\n    group: lookup\n    name: Giấy xác nhận thông tin về cư trú\n    lookup:\n      sources: [cu_tru, vneid]\n      basis: [{ref: nd-07-2025, articles: Điều 5}]\n      fallback: {originals: 1}\n")))
case("lookup-source-typo", P("lookup-source-typo", L("  - id: cu-tru\n    group: lookup\n    name: Giấy xác nhận thông tin về cư trú\n    lookup:\n      sources: [dan-cu]\n      basis: [{ref: luat-ho-tich-2014}]\n")))
case("lookup-on-submit", P("lookup-on-submit", L("  - id: cu-tru\n    group: submit\n    name: Giấy xác nhận thông tin về cư trú\n    originals: 1\n    lookup:\n      sources: [cu_tru]\n      basis: [{ref: luat-ho-tich-2014}]\n")))
case("lookup-shared-without-lookup", P("lookup-shared-without-lookup", ("    group: show\n    ref: giay-to-tuy-than\n    originals: 1\n", "    group: lookup\n    ref: giay-to-tuy-than\n")))
case("prepared-with-quantity", P("prepared-with-quantity", L("  - id: phieu\n    group: prepared\n    name: Phiếu đề nghị\n    originals: 1\n")))
case("unknown-not-alone", P("unknown-not-alone", L("  - id: giay-to\n    group: unknown\n    name: Giấy tờ khác\n")))
case("times-not-number", P("times-not-number", ("    originals: 1\n    when: {q: nop_thay, eq: true}\n", "    originals: 1\n    when: {q: nop_thay, eq: true}\n    times: nop_thay\n    pages: so_trang\n")))
case("legal-looked-up-unknown", {"legal/extra.yaml": "legal_documents:\n  - id: nd-07-2025\n    number: 07/2025/NĐ-CP\n    type: Nghị định\n    title: Sửa đổi Nghị định 123/2015/NĐ-CP\n    issuer: Chính phủ\n    issued: 2025-01-09\n    looked_up: [giay-to-tuy-than, giay-xac-nhan-cu-tru]\n"})
case("shared-lookup-problems", {"documents/chung.yaml": "documents:\n  - id: giay-to-tuy-than\n    name: Giấy tờ tùy thân có ảnh\n    lookup:\n      sources: [can_cuoc, chuyen_nganh]\n      basis: [{ref: nd-07-2025}]\n      fallback: {note: Mang bản chính}\n"})
case("form-file-absolute", P("form-file-absolute", ("file: forms/to-khai.pdf", "file: /etc/passwd")))
case("form-file-address", P("form-file-address", ("file: forms/to-khai.pdf", "file: https://dichvucong.gov.vn/mau.pdf")))
case("form-file-type", P("form-file-type", ("file: forms/to-khai.pdf", "file: forms/to-khai.exe")))
case("form-file-outside-forms", P("form-file-outside-forms", ("file: forms/to-khai.pdf", "file: procedures/to-khai.pdf")))
case("form-file-with-space-missing", P("form-file-with-space-missing", ("file: forms/to-khai.pdf", "file: forms/Tờ khai CT01.docx")))

shutil.rmtree(root, ignore_errors=True)
for name, files in cases.items():
    for rel, content in files.items():
        p = root / name / "files" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            (root / name / "remove.txt").write_text(rel + "\n")
            continue
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
print(len(cases), "cases")
