"""Bad inputs a clumsy or hostile user gives: each gets one clear message (a `file:line:col` problem
from `check`, or a one-line refusal of the command), never "internal error", and nothing is
half-written (issue 11). Catalogue problems have golden cases too (tests/golden/make_cases.py)."""

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from helpers import ROOT, make_catalogue
from thutuc import glyphs
from thutuc.checklist import workdays
from thutuc.cli import main

CATALOGUE = str(ROOT / "catalogue")
COPIES = "chung-thuc-ban-sao-tu-ban-chinh"  # so_trang (1–500 pages), so_ban (1–100 copies)
FEE = "khai-le-phi-truoc-ba-nha-dat"  # gia_tri: a declared value in đồng, no max
LAND = "dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho"  # 18 working days
LAND_ANSWERS = ["-a", "loai_bien_dong=tang_cho", "-a", "dang_the_chap=khong", "-a", "tach_thua=khong",
                "-a", "nop_thay=khong"]


def invoke(*args, lang="en"):
    result = CliRunner().invoke(main, ["--lang", lang, *args])
    out = result.output
    assert "internal error" not in out and "Traceback" not in out, out
    assert result.exit_code in (0, 1, 2), (result.exit_code, out, result.exception)
    return result


def refused(*args, lang="en") -> str:
    """The one-line refusal of a checklist command (exit 1)."""
    result = invoke(*args, lang=lang)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture(autouse=True)
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def nothing_written(folder: Path) -> None:
    assert [p.name for p in folder.iterdir()] == []


# --- answers on the command line --------------------------------------------------------------------

@pytest.mark.parametrize("value, says", [
    ("1e309", "so_trang: a number is needed, not '1e309'"),
    ("9" * 5001, "so_trang: the answer is 5,001 characters long"),
    ("nan", "so_trang: a number is needed, not 'nan'"),
    ("inf", "so_trang: a number is needed, not 'inf'"),
    ("-inf", "so_trang: a number is needed, not '-inf'"),
    ("2.5", "so_trang: a whole number is needed, not 2.5"),
    ("-3", "so_trang: a number from 1 to 500 is needed, not -3"),
    ("1_000", "so_trang: a number is needed, not '1_000'"),
])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_page_counts_that_are_no_page_count(value, says, lang, here):
    line = refused("checklist", "--catalogue", CATALOGUE, COPIES, "-a", f"so_trang={value}", "-a", "so_ban=1",
                   "--format", "json", lang=lang)
    if lang == "en":
        assert line.startswith(f"thutuc checklist: {says}"), line
    assert len(line) < 300
    nothing_written(here)


@pytest.mark.parametrize("value", ["1e309", "nan", "inf", "1e30", "9" * 40])
def test_a_declared_value_without_max_is_still_bounded(value, here):
    line = refused("checklist", "--catalogue", CATALOGUE, FEE, "-a", f"gia_tri={value}", "-a", "loai=chuyen_nhuong",
                   "-a", "quan_he_gia_dinh=khong", "--format", "json")
    assert line.startswith("thutuc checklist: gia_tri: a number"), line
    nothing_written(here)


def test_a_large_but_real_declared_value_is_taken(here):
    result = invoke("checklist", "--catalogue", CATALOGUE, FEE, "-a", "gia_tri=1.500.000.000", "-a",
                    "loai=chuyen_nhuong", "-a", "quan_he_gia_dinh=khong", "--format", "json", "-o", "x.json")
    assert result.exit_code == 0, result.output


# --- dates the office calendar cannot cover ------------------------------------------------------------

@pytest.mark.parametrize("option", [["--submitted", "9999-12-20"], ["--submitted", "9999-12-31 16:00"],
                                    ["--submitted", "0001-01-01"], ["--submitted", "1969-12-31"],
                                    ["--submitted", "2101-01-01"]])  # --as-of: a usage error, see below
def test_dates_outside_the_holiday_table_are_refused(option, here):
    line = refused("checklist", "--catalogue", CATALOGUE, LAND, *LAND_ANSWERS, *option, "-o", "x.pdf")
    assert "outside the years whose days off thutuc knows (1970–2100)" in line
    nothing_written(here)


def test_a_due_date_past_the_holiday_table_is_refused(here):
    line = refused("checklist", "--catalogue", CATALOGUE, LAND, *LAND_ANSWERS, "--submitted", "2100-12-20",
                   "--format", "json", "-o", "x.json")
    assert line == ("thutuc checklist: the due date falls after 31/12/2100, beyond the days off thutuc knows; "
                    "it cannot be counted")
    nothing_written(here)
    ok = invoke("checklist", "--catalogue", CATALOGUE, LAND, *LAND_ANSWERS, "--submitted", "2100-11-01",
                "--format", "json", "-o", "x.json")
    assert ok.exit_code == 0, ok.output


def test_the_calendar_range_is_what_the_holidays_package_knows():
    import holidays
    from holidays.countries.vietnam import Vietnam

    assert Vietnam.start_year <= workdays.FIRST_YEAR and workdays.LAST_YEAR <= Vietnam.end_year
    last = holidays.country_holidays("VN", years=[workdays.LAST_YEAR], language="vi")
    assert any("Tết" in name for name in last.values())  # the lunar new year is computed that far


def test_counting_never_overflows_the_calendar():
    cal = workdays.vietnam_calendar((2100,))
    start = dt.datetime(2100, 12, 30, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    for unit, amount in (("working_days", 365), ("calendar_days", 365), ("working_hours", 365)):
        with pytest.raises(workdays.CalendarError):
            workdays.due(cal, start, unit, amount)
    with pytest.raises(workdays.CalendarError):
        workdays.vietnam_calendar((9999,))
    # a year-long limit from the end of the year asked for is still counted on known days off
    cal = workdays.vietnam_calendar((2026, 2027))  # what a checklist received in 2026 asks for
    end = dt.datetime(2026, 12, 31, 9, tzinfo=start.tzinfo)
    assert workdays.due(cal, end, "working_days", 365).at.year == 2028


# --- answers files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, says", [
    ("impossible-date.yaml", "dung_han: 2026-02-30\n", "impossible-date.yaml:1:1: dung_han: answer yes or no"),
    ("deep.yaml", "dung_han: " + "[" * 1000 + "]" * 1000 + "\n", "deep.yaml:1:"),
    ("deep-999.yaml", "dung_han: " + "[" * 999 + "]" * 999 + "\n",
     "deep-999.yaml:1:75: cannot read the answers (lists and mappings are nested more than 64 levels"),
    ("nan.yaml", "so_ban_sao: .nan\n", "nan.yaml:1:1: so_ban_sao: a number is needed, not '.nan'"),
    ("inf.json", '{"so_ban_sao": 1e999}', "inf.json:1:2: so_ban_sao: a number is needed, not '1e999'"),
    ("list.yaml", "- dung_han\n- co\n", "list.yaml: needs a mapping of 'question: answer'"),
    ("junk.yaml", bytes(range(256)) * 4, "junk.yaml:2:118: cannot read the answers (byte 0x80 is not UTF-8"),
    ("tag.yaml", "nop_thay: !!python/object/apply:os.system [ls]\n", "tag.yaml:1:11: cannot read the answers (custom tag"),
    ("nested-value.yaml", "so_ban_sao: {a: 1}\n", "nested-value.yaml:1:1: so_ban_sao: give one answer"),
    ("empty.yaml", "", "empty.yaml:1:1: cannot read the answers (file is empty)"),
])
def test_answers_files_that_cannot_be_used(name, content, says, here):
    folder = here / "answers"
    folder.mkdir()
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    line = refused("checklist", "--catalogue", CATALOGUE, "dang-ky-khai-sinh", "--answers", str(path),
                   "--format", "json", "-o", str(here / "out.json"))
    assert line.startswith(f"thutuc checklist: {folder}/"), line
    assert says in line, line
    assert [p.name for p in here.iterdir()] == ["answers"]


def test_an_answers_file_date_is_read_as_written(here):
    path = here / "a.yaml"
    path.write_text("so_ban_sao: 01\ndung_han: có\ngiay_to_ve_viec_sinh: giay_chung_sinh\nmang_thai_ho: false\n"
                    "nop_thay: khong\n", encoding="utf-8")
    ok = invoke("checklist", "--catalogue", CATALOGUE, "dang-ky-khai-sinh", "--answers", str(path),
                "--format", "json", "-o", "x.json")
    assert ok.exit_code == 0, ok.output


# --- characters the PDF font lacks ---------------------------------------------------------------------

def test_a_name_the_pdf_font_cannot_print_is_refused_naming_field_and_character(here):
    line = refused("checklist", "--catalogue", CATALOGUE, COPIES, "-a", "so_trang=1", "-a", "so_ban=1",
                   "--applicant", "李小龙", "-o", "x.pdf")
    assert line.startswith("thutuc checklist: --applicant: the PDF font Be Vietnam Pro cannot print '李' (U+674E), "
                           "'小' (U+5C0F), '龙' (U+9F99)"), line
    nothing_written(here)
    html = invoke("checklist", "--catalogue", CATALOGUE, COPIES, "-a", "so_trang=1", "-a", "so_ban=1",
                  "--applicant", "李小龙", "--format", "html", "-o", "x.html")
    assert html.exit_code == 0 and "李小龙" in (here / "x.html").read_text(encoding="utf-8")
    vietnamese = invoke("checklist", "--catalogue", CATALOGUE, COPIES, "-a", "so_trang=1", "-a", "so_ban=1",
                        "--applicant", "Lý Tiểu Long", "--address", "Số 5, ngõ 12 – Hà Nội…", "-o", "y.pdf")
    assert vietnamese.exit_code == 0, vietnamese.output


def test_coverage_is_the_fonts_own_character_map():
    from reportlab.pdfbase.ttfonts import TTFontFile

    regular = set(TTFontFile(str(glyphs.font_files()[0])).charToGlyph)
    assert glyphs.coverage() <= regular
    text = "Đăng ký khai sinh – “bản sao” … 1.000 đồng ₫ ỹ Ỵ"
    assert glyphs.unprintable(text) == []
    assert glyphs.unprintable("✓ № 李 ✓") == ["✓", "№", "李"]
    assert glyphs.unprintable(unicodedata.normalize("NFD", "Nguyễn")) == []  # read as NFC, as the PDF draws it


def _set(data, path, value):
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


def _strings(data):
    """The path of every string in a loaded file (the walk the glyph rule uses)."""
    from thutuc.catalogue.rules import _walk_strings

    return (path for path, _text in _walk_strings(data))


def _answers(proc):
    out = {}
    for q in proc.questions:
        if q.default is not None:
            out[q.key] = q.default
        elif q.type == "choice":
            out[q.key] = q.options[0]["value"]
        elif q.type == "number":
            out[q.key] = int(q.min or 1)
        elif q.type == "date":
            out[q.key] = "2026-01-01"
        else:
            out[q.key] = False
    return out


def test_every_text_check_lets_through_can_be_printed(tmp_path):
    """glyphs.PRINTED must list every text that reaches a PDF: put a character the font lacks into
    every other text of the bundled catalogue (where the schema and rules still accept it), and
    every checklist, generic list, request to complete and receipt still renders."""
    from thutuc.checklist import make as ck, render, slips
    from thutuc.catalogue.files import kind_of
    from thutuc.catalogue.check import check_catalogue
    from thutuc.catalogue.model import load
    from thutuc.problems import key_path
    from thutuc.catalogue.yamlload import load_file

    root = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", root)
    marker = " ✓"
    assert glyphs.unprintable(marker) == ["✓"]
    originals: dict[Path, tuple[str, dict]] = {}
    for f in sorted(root.rglob("*.yaml")):
        rel = f.relative_to(root)
        kind = kind_of(rel)
        data = load_file(f).data
        originals[f] = (kind, data)
    mutated = {f: {p for p in _strings(data) if not glyphs.printed(kind, p)} for f, (kind, data) in originals.items()}
    for _round in range(6):
        for f, (kind, data) in originals.items():
            copy = yaml.safe_load(yaml.safe_dump(data))
            for p in mutated[f]:
                value = copy
                for part in p:
                    value = value[part]
                _set(copy, p, value + marker)
            f.write_text(yaml.safe_dump(copy, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = check_catalogue(root, today=dt.date(2026, 11, 26))
        errors = [p for p in result.problems if p.severity == "error"]
        assert not any("cannot be printed" in p.message for p in errors), [p.format() for p in errors][:5]
        if not errors:
            break
        for p in errors:  # a text the schema or rules refuse with the marker (an id, a date): leave it
            f = root / Path(p.path).relative_to(str(root))
            for q in list(mutated[f]):
                where = key_path(q)
                if p.key and (where == p.key or where.startswith((p.key + ".", p.key + "["))):
                    mutated[f].discard(q)
    assert not errors, [p.format() for p in errors][:10]
    assert sum(len(m) for m in mutated.values()) > 200  # most texts did get the marker
    _result, cat = load(root, today=dt.date(2026, 11, 26))
    when = dt.datetime(2026, 11, 26, 9, tzinfo=ck.TZ)
    for proc in cat.procedures.values():
        if not proc.active:
            continue
        channel = proc.channels[0].kind  # where a channel's agency differs, its name is PRINTED anyway
        render.to_pdf(slips.slip_for(ck.make(cat, proc, None, channel, when)), when)
        for have, receipt in ((None, False), (set(), False), ({d.id for d in proc.documents}, True)):
            cl = ck.make(cat, proc, _answers(proc), channel, when, ck.Applicant("An", "Hà Nội", "0901", "a@b.vn"),
                         have=have, receipt=receipt)
            render.to_pdf(slips.slip_for(cl), when)


# --- batch CSV files -----------------------------------------------------------------------------------

def _cp1258(text: str) -> bytes:
    """As Excel saves Vietnamese in Windows-1258: tone marks as combining characters."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m in "\u0302\u0306\u031b"))
        out += (base + "".join(m for m in parts[1:] if m not in "\u0302\u0306\u031b")).encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252", "utf-16"])
def test_a_batch_not_in_utf8_is_refused_before_anything_is_written(encoding, here):
    rows = "applicant,so_trang,so_ban\r\nNguyễn Văn Bình,1,1\r\nJosé Müller,2,1\r\n"
    data = _cp1258(rows) if encoding == "cp1258" else rows.encode(encoding, "replace")
    (here / "rows.csv").write_bytes(data)
    line = refused("checklist", "--catalogue", CATALOGUE, COPIES, "--batch", "rows.csv", "--out-dir", "out",
                   "--format", "json")
    if encoding == "utf-16":
        assert "rows.csv: the file is in UTF-16" in line
    else:
        assert line.startswith("thutuc checklist: rows.csv: line 2: byte 0x"), line
        assert "Save it as 'CSV UTF-8 (Comma delimited)'" in line
    assert [p.name for p in here.iterdir()] == ["rows.csv"]


def test_a_batch_row_with_a_name_the_pdf_cannot_print_fails_alone(here):
    (here / "rows.csv").write_text("applicant,so_trang,so_ban\n李小龙,1,1\nLý Tiểu Long,1,1\n", encoding="utf-8")
    result = invoke("checklist", "--catalogue", CATALOGUE, COPIES, "--batch", "rows.csv", "--out-dir", "out",
                    "--submitted", "2026-11-26 08:00")
    assert result.exit_code == 1
    assert "rows.csv: row 1: applicant: the PDF font Be Vietnam Pro cannot print '李' (U+674E)" in result.output
    assert len(list((here / "out").iterdir())) == 1


# --- blank forms ------------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"not a pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R", None])
def test_a_damaged_form_is_left_out_with_a_warning(content, tmp_path, here):
    root = make_catalogue(tmp_path / "c")
    form = root / "forms/to-khai.pdf"
    if content is None:  # a real PDF cut in half
        from reportlab.pdfgen import canvas

        c = canvas.Canvas(str(form))
        c.drawString(72, 720, "TO KHAI")
        c.save()
        content = form.read_bytes()[: len(form.read_bytes()) // 2]
    form.write_bytes(content)
    result = invoke("checklist", "--catalogue", str(root), "khai-sinh", "-a", "nop_thay=khong", "--append-forms",
                    "-o", str(here / "out.pdf"))
    assert result.exit_code == 0, result.output
    assert "warning: the blank form forms/to-khai.pdf is not a readable PDF" in result.output
    assert "it was not appended" in result.output
    from pypdf import PdfReader

    assert len(PdfReader(str(here / "out.pdf")).pages) >= 1


@pytest.mark.parametrize("command", [["build", "--no-pdf"], ["check", CATALOGUE], ["review", CATALOGUE],
                                     ["export", "--catalogue", CATALOGUE],
                                     ["checklist", COPIES, "--catalogue", CATALOGUE, "-a", "so_trang=1", "-a", "so_ban=1"]])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1969-12-31", "2101-01-01"])
def test_every_as_of_outside_the_known_years_is_a_usage_error(command, day, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(*command, "--as-of", day)
    assert result.exit_code == 2 and "outside the years whose days off thutuc knows (1970–2100)" in result.output
    assert not list(tmp_path.iterdir())  # nothing written


def test_review_and_retire_dates_outside_the_known_years_are_usage_errors(tmp_path):
    cat = tmp_path / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    for args in (["reviewed", "dang-ky-khai-sinh", "--by", "Lan", "--on", "0001-01-01"],
                 ["retire", "dang-ky-khai-sinh", "--on", "9999-01-01", "--reason", "x"]):
        result = invoke(*args, "--catalogue", str(cat))
        assert result.exit_code == 2 and "outside the years" in result.output
