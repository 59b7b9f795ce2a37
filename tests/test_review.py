"""`thutuc review`: one worked example per kind of finding, each at its file and line."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from helpers import make_catalogue
from thutuc.catalogue.check import check_catalogue
from thutuc.editing.review import KINDS, review

AS_OF = dt.date(2026, 11, 26)


def _line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.fixture
def stale(tmp_path):
    """The small base catalogue with one example of every finding."""
    root = make_catalogue(tmp_path)
    ks = root / "procedures/ho-tich/khai-sinh.yaml"
    text = ks.read_text(encoding="utf-8")
    text = text.replace("last_reviewed: 2026-06-30", "last_reviewed: 2025-01-01")
    text = text.replace("summary: Đăng ký việc sinh cho trẻ em.", "summary: Đăng ký việc sinh cho trẻ em. TODO")
    text = text.replace("  - ref: luat-ho-tich-2014\n", "  - ref: luat-ho-tich-2014\n  - ref: nd-cu\n  - ref: nd-moi\n")
    text = text.replace("  - name: Lệ phí\n    kind: free\n    source: Điều 11 Luật Hộ tịch\n",
                        "  - name: Lệ phí\n    kind: free\n    source: Điều 11 Luật Hộ tịch\n"
                        "  - name: Phí cũ\n    kind: fixed\n    amount: 5000\n    valid_to: 2026-06-30\n    source: Nghị quyết tỉnh\n"
                        "  - name: Phí giảm\n    kind: fixed\n    amount: 10000\n    source: Nghị quyết tỉnh\n"
                        "    reductions:\n      - percent: 50\n        valid_to: 2026-12-31\n"
                        "  - name: Phí chưa rõ\n    kind: unknown\n")
    ks.write_text(text, encoding="utf-8")
    twin = text.replace("id: khai-sinh", "id: khai-sinh-2").replace('code: "1.001193"\n', "")
    twin = twin.replace("title: Đăng ký khai sinh", "title: Đăng ký khai sinh.")
    twin = twin.replace("last_reviewed: 2025-01-01", "last_reviewed: 2025-12-10").replace(" TODO", "")
    twin = twin.replace("receiving: ttphvhc-xa", "receiving: ubnd-huyen").replace("levels: [xa]", "levels: [huyen]")
    (root / "procedures/ho-tich/khai-sinh-2.yaml").write_text(twin, encoding="utf-8")
    old = twin.replace("id: khai-sinh-2", "id: khai-sinh-cu").replace("status: active", "status: abolished\n  since: 2025-07-01\n  reason: Bãi bỏ")
    (root / "procedures/ho-tich/khai-sinh-cu.yaml").write_text(old, encoding="utf-8")
    (root / "agencies/huyen.yaml").write_text(
        "agencies:\n  - id: ubnd-huyen\n    name: UBND huyện\n    level: huyen\n    status: abolished\n"
        "    abolished_on: 2025-07-01\n    successor: ubnd-xa\n", encoding="utf-8")
    (root / "documents/them.yaml").write_text(
        "documents:\n  - id: giay-cu\n    name: Giấy cũ\n    issued_by: khai-sinh-cu\n", encoding="utf-8")
    (root / "legal/them.yaml").write_text(
        "legal_documents:\n"
        "  - id: nd-cu\n    number: 1/2015/NĐ-CP\n    type: Nghị định\n    title: Cũ\n    issuer: Chính phủ\n"
        "    issued: 2015-01-01\n    repealed: 2026-01-01\n    repealed_by: nd-moi\n"
        "  - id: nd-moi\n    number: 2/2026/NĐ-CP\n    type: Nghị định\n    title: Mới\n    issuer: Chính phủ\n"
        "    issued: 2026-10-01\n    in_force: 2027-01-01\n    looked_up: [giay-to-tuy-than]\n"
        "  - id: tt-thua\n    number: 3/2020/TT-BTP\n    type: Thông tư\n    title: Thừa\n    issuer: Bộ Tư pháp\n"
        "    issued: 2020-01-01\n", encoding="utf-8")
    (root / "forms/thua.pdf").write_bytes(b"%PDF-1.4\n")
    return root


def test_every_kind_of_finding_at_its_place(stale):
    result = check_catalogue(stale, display_root="catalogue", today=AS_OF)
    assert result.errors == 0, [p.format() for p in result.problems if p.severity == "error"]
    findings = review(result, AS_OF, stale)
    by_kind = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).append(f)
    assert set(by_kind) == set(KINDS), set(KINDS) - set(by_kind)
    ks = stale / "procedures/ho-tich/khai-sinh.yaml"
    expect = {
        "overdue": ("khai-sinh.yaml", _line_of(ks, "last_reviewed: 2025-01-01"), "review overdue since 01/01/2026"),
        "due-soon": ("khai-sinh-2.yaml", None, "review due on 10/12/2026"),
        "repealed": ("khai-sinh.yaml", _line_of(ks, "ref: nd-cu"), "no longer in force since 01/01/2026"),
        "not-in-force": ("khai-sinh.yaml", _line_of(ks, "ref: nd-moi"), "in force only from 01/01/2027"),
        "expired": ("khai-sinh.yaml", _line_of(ks, "valid_to: 2026-06-30"), "'Phí cũ' ended on 30/06/2026"),
        "expiring": ("khai-sinh.yaml", _line_of(ks, "valid_to: 2026-12-31"), "ends on 31/12/2026"),
        "abolished-agency": ("khai-sinh-2.yaml", None, "'ubnd-huyen' is abolished"),
        "abolished-level": ("khai-sinh-2.yaml", None, "district level"),
        "abolished-referenced": ("documents/them.yaml", 4, "abolished procedure 'khai-sinh-cu'"),
        "duplicate": ("khai-sinh-2.yaml", None, "duplicate of 'khai-sinh'"),
        "placeholder": ("khai-sinh.yaml", _line_of(ks, "TODO"), "placeholder 'TODO'"),
        "unknown": ("khai-sinh.yaml", None, "fee amount unknown"),
        "looked-up-paper-asked": ("khai-sinh.yaml", _line_of(ks, "group: show"),
                                  "shows 'Giấy tờ tùy thân có ảnh', which 2/2026/NĐ-CP says the office looks up"),
    }
    for kind, (path, line, text) in expect.items():
        hits = [f for f in by_kind[kind] if f.path.endswith(path) and text in f.message]
        assert hits, (kind, [(f.path, f.message) for f in by_kind[kind]])
        if line is not None:
            assert hits[0].line == line, (kind, hits[0])
    unused = {f.subject for f in by_kind["unused"]}
    assert {"tt-thua", "forms/thua.pdf"} <= unused
    assert findings == sorted(findings) and findings[0].urgency == 0


def test_fail_on_exits_1_only_for_those_kinds(stale):
    run = lambda *a: subprocess.run([sys.executable, "-m", "thutuc", "review", str(stale), "--as-of", "2026-11-26", *a],
                                    capture_output=True, text=True)
    assert run().returncode == 0
    assert run("--fail-on", "overdue,repealed").returncode == 1
    assert run("--fail-on", "nonsense").returncode == 2
    js = json.loads(run("--format", "json").stdout)
    assert js["as_of"] == "2026-11-26" and any(f["kind"] == "repealed" for f in js["findings"])
    md = run("--format", "md").stdout
    assert md.startswith("# Báo cáo rà soát danh mục ngày 26/11/2026") and "## Quá hạn rà soát" in md


def test_bundled_catalogue_review_is_clean_of_urgent_findings():
    from helpers import ROOT

    result = check_catalogue(ROOT / "catalogue", today=AS_OF)
    urgent = [f for f in review(result, AS_OF, ROOT / "catalogue") if f.urgency == 0]
    assert urgent == []


def test_looked_up_paper_asked_by_name_and_by_shared_document(tmp_path):
    """One procedure looks a paper up; another still asks for it under the same name (any case,
    NFC), and a third shows a shared document that carries lookup: both are found, the
    procedure that looks it up is not."""
    root = make_catalogue(tmp_path)
    ks = root / "procedures/ho-tich/khai-sinh.yaml"
    text = ks.read_text(encoding="utf-8")
    reads = text.replace("id: khai-sinh", "id: ket-hon").replace('code: "1.001193"\n', "").replace(
        "title: Đăng ký khai sinh", "title: Đăng ký kết hôn").replace(
        "  - id: uy-quyen\n    group: submit\n    name: Văn bản ủy quyền\n    originals: 1\n",
        "  - id: cu-tru\n    group: lookup\n    name: Giấy xác nhận thông tin về cư trú\n"
        "    lookup:\n      sources: [cu_tru]\n      basis: [{ref: luat-ho-tich-2014}]\n"
        "      fallback: {originals: 1, group: show}\n")
    (root / "procedures/ho-tich/ket-hon.yaml").write_text(reads, encoding="utf-8")
    asks = text.replace("    name: Văn bản ủy quyền\n", "    name: GIẤY XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ\n")
    ks.write_text(asks, encoding="utf-8")
    (root / "documents/chung.yaml").write_text(
        "documents:\n  - id: giay-to-tuy-than\n    name: Giấy tờ tùy thân có ảnh\n"
        "    lookup:\n      sources: [dan_cu, vneid]\n      basis: [{ref: luat-ho-tich-2014}]\n"
        "      fallback: {originals: 1, group: show}\n", encoding="utf-8")
    result = check_catalogue(root, display_root="catalogue", today=AS_OF)
    assert result.errors == 0, [p.format() for p in result.problems if p.severity == "error"]
    found = [f for f in review(result, AS_OF, root) if f.kind == "looked-up-paper-asked"]
    got = sorted((f.subject, f.line, f.message) for f in found)
    assert got == sorted([
        ("khai-sinh", _line_of(ks, "- id: uy-quyen") + 1,
         "the applicant hands in 'GIẤY XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ', which procedure 'ket-hon' says the office "
         "looks up"),
        ("khai-sinh", _line_of(ks, "group: show"), "the applicant shows 'Giấy tờ tùy thân có ảnh', which shared document 'giay-to-tuy-than' "
                          "says the office looks up"),
        ("ket-hon", _line_of(root / "procedures/ho-tich/ket-hon.yaml", "- id: tuy-than") + 1, "the applicant shows 'Giấy tờ tùy thân có ảnh', which shared document 'giay-to-tuy-than' "
                        "says the office looks up"),
    ]), got
    assert found[0].urgency == KINDS["looked-up-paper-asked"] == 1


def test_looked_up_paper_asked_in_vietnamese(stale):
    from thutuc.editing.review import LABELS_VI, format_md

    run = subprocess.run([sys.executable, "-m", "thutuc", "review", str(stale), "--as-of", "2026-11-26",
                          "--format", "md"], capture_output=True, text=True)
    assert "## " + LABELS_VI["looked-up-paper-asked"] + " (`looked-up-paper-asked`)" in run.stdout
    assert LABELS_VI["looked-up-paper-asked"] == "Yêu cầu mang giấy tờ mà cán bộ phải tự tra cứu"
