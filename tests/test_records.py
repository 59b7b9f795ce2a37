"""The golden set of real national records (tests/records): ten procedures of seven ministries, written from
the records of the National Public Service Portal into tests/records/catalogue.

For every record: the catalogue checks clean; every numbered fact of facts.md is placed exactly once in
mapping.yaml (a key of the YAML, or a reason it is not modelled); and for two or three applicants — what a
counter officer would answer for them — the checklist lists exactly their papers in each section, the fees
and the due dates computed by hand in expected.yaml, and the procedure's page says what the record says.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from click.testing import CliRunner

from helpers import ROOT
from thutuc.catalogue.check import check_catalogue
from thutuc.catalogue.model import load
from thutuc.checklist import make as ck
from thutuc.cli import main
from thutuc.website.pages import procedure_page

RECORDS = ROOT / "tests" / "records"
CATALOGUE = RECORDS / "catalogue"
CODES = sorted(p.parent.name for p in RECORDS.glob("*/facts.md"))
TZ = ck.TZ
AS_OF = dt.date(2026, 12, 1)  # the day the records were last compared with the catalogue
SECTIONS = ("submit", "show", "lookup", "prepared")
# A fact placed under one of these keys is held only as free text (prose a person reads), not as a
# dedicated key a program can use; the summary counts them apart.
FREE_TEXT = {"steps", "notes", "note", "requirements", "when_text", "quantity_note", "who_can_apply",
             "editor_note", "summary", "starts_note", "help"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- reading the record folders ---------------------------------------------------------------------

def facts(code: str) -> dict[int, tuple[str, str]]:
    """Fact number → (category, exact text) from facts.md."""
    out = {}
    for line in (RECORDS / code / "facts.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d+)\. ([\w/ ]+?) \| (.*?)(?: \| .*)?$", line)
        if m:
            out[int(m.group(1))] = (m.group(2), m.group(3))
    return out


def declared_count(code: str) -> int:
    m = re.search(r"Count of facts: (\d+)", (RECORDS / code / "facts.md").read_text(encoding="utf-8"))
    return int(m.group(1))


def mapping(code: str) -> list[dict]:
    return yaml.safe_load((RECORDS / code / "mapping.yaml").read_text(encoding="utf-8"))["facts"]


def expected(code: str) -> dict:
    return yaml.safe_load((RECORDS / code / "expected.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def raw_procedures() -> dict[str, dict]:
    """National code → the procedure YAML as written (for key paths)."""
    out = {}
    for path in CATALOGUE.glob("procedures/*/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["code"]] = data
    return out


@lru_cache(maxsize=None)
def raw_shared() -> dict[str, dict[str, dict]]:
    """legal / agency / document → id → entry, from the shared files."""
    kinds = {"legal": ("legal", "legal_documents"), "agency": ("agencies", "agencies"),
             "document": ("documents", "documents")}
    out = {}
    for kind, (folder, key) in kinds.items():
        out[kind] = {}
        for path in (CATALOGUE / folder).glob("*.yaml"):
            for entry in yaml.safe_load(path.read_text(encoding="utf-8"))[key]:
                out[kind][entry["id"]] = entry
    return out


def resolve(code: str, path: str):
    """The value a mapping key points at; KeyError/IndexError/TypeError when it does not exist."""
    m = re.match(r"^(legal|agency|document):([a-z0-9-]+)\.(.+)$", path)
    data = raw_shared()[m.group(1)][m.group(2)] if m else raw_procedures()[code]
    rest = m.group(3) if m else path
    for part in re.findall(r"\[\d+\]|[^.\[\]]+", rest):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return data


def is_free_text(path: str) -> bool:
    last = re.sub(r"\[\d+\]", "", path.rsplit(".", 1)[-1])
    return last in FREE_TEXT


@lru_cache(maxsize=1)
def catalogue():
    result, cat = load(CATALOGUE, today=AS_OF)
    assert cat is not None, "\n".join(p.format() for p in result.problems if p.severity == "error")
    return cat


def _cases():
    for code in CODES:
        for i, case in enumerate(expected(code)["cases"]):
            yield pytest.param(code, i, id=f"{code}-{i + 1}")


CASES = list(_cases())


def submitted(case: dict) -> dt.datetime:
    return dt.datetime.strptime(case["submitted"], "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def checklist(code: str, case: dict):
    proc = ck.find_procedure(catalogue(), code)
    return ck.from_answers(catalogue(), proc.id, case["answers"], case["channel"], submitted(case))


def unescape_md(text: str) -> str:
    """Markdown as a reader sees it: backslash escapes and character references undone."""
    return nfc(html.unescape(re.sub(r"\\(.)", r"\1", text)))


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- the catalogue --------------------------------------------------------------------------------

def test_the_records_catalogue_checks_without_errors():
    result = check_catalogue(CATALOGUE, today=AS_OF)
    errors = [p.format() for p in result.problems if p.severity == "error"]
    assert errors == []


def test_there_are_at_least_eight_records_from_different_ministries():
    ministries = set()
    for code in CODES:
        m = re.search(r"^- Ministry: ([^(\n]+)", (RECORDS / code / "facts.md").read_text(encoding="utf-8"), re.M)
        ministries.add(m.group(1).strip())
    assert len(CODES) >= 8 and len(ministries) >= 7
    assert set(raw_procedures()) == set(CODES)  # each record is one procedure of the catalogue
    assert all(2 <= len(expected(code)["cases"]) <= 3 for code in CODES)


# --- every fact placed exactly once ---------------------------------------------------------------

@pytest.mark.parametrize("code", CODES)
def test_every_fact_is_mapped_exactly_once(code):
    numbers = [row["fact"] for row in mapping(code)]
    doubled = sorted({n for n in numbers if numbers.count(n) > 1})
    assert doubled == [], f"facts mapped more than once: {doubled}"
    assert sorted(numbers) == sorted(facts(code)) == list(range(1, declared_count(code) + 1))
    for row in mapping(code):
        assert set(row) in ({"fact", "key"}, {"fact", "not_modelled"}), row
        assert str(row.get("key") or row.get("not_modelled")).strip(), row


@pytest.mark.parametrize("code", CODES)
def test_every_mapped_key_exists_in_the_yaml(code):
    missing = []
    for row in mapping(code):
        if "key" in row:
            try:
                resolve(code, row["key"])
            except (KeyError, IndexError, TypeError):
                missing.append(f"fact {row['fact']}: {row['key']}")
    assert missing == []


# Facts that are identifiers (codes, numbers of legal documents, result codes, decisions) must be found
# word for word where the mapping puts them — a key that merely exists is not enough for those.
IDENTIFIER = re.compile(r"^(KQ\.G\d+\.\d+|\d\.\d{6}|[\d.]+/\d{4}/[A-ZĐa-z\-0-9]+|\d+/QĐ-[A-ZĐ0-9-]+)$")


@pytest.mark.parametrize("code", CODES)
def test_identifiers_are_written_as_the_record_gives_them(code):
    fx = facts(code)
    wrong = []
    for row in mapping(code):
        text = fx[row["fact"]][1].strip()
        if "key" in row and IDENTIFIER.match(text):
            value = resolve(code, row["key"])
            if text not in str(value):
                wrong.append(f"fact {row['fact']} {text!r} not in {row['key']} = {value!r}")
    assert wrong == []


def counts(code: str) -> dict[str, int]:
    rows = mapping(code)
    keyed = [r for r in rows if "key" in r]
    free = [r for r in keyed if is_free_text(r["key"])]
    return {"facts": len(rows), "dedicated": len(keyed) - len(free), "free_text": len(free),
            "not_modelled": len(rows) - len(keyed)}


def test_summary_of_what_the_catalogue_models(capsys):
    table = {code: counts(code) for code in CODES}
    total = {k: sum(c[k] for c in table.values()) for k in ("facts", "dedicated", "free_text", "not_modelled")}
    with capsys.disabled():
        print("\nrecord      facts  dedicated  free text  not modelled")
        for code, c in table.items():
            print(f"{code}  {c['facts']:5}  {c['dedicated']:9}  {c['free_text']:9}  {c['not_modelled']:12}")
        print(f"total       {total['facts']:5}  {total['dedicated']:9}  {total['free_text']:9}  {total['not_modelled']:12}")
    assert total["facts"] == sum(declared_count(c) for c in CODES)
    assert total["dedicated"] + total["free_text"] + total["not_modelled"] == total["facts"]
    # Most of what a record says is held in keys a checklist or page can use, not only as prose.
    assert total["dedicated"] > total["free_text"] + total["not_modelled"]


# --- checklists for real applicants ---------------------------------------------------------------

def papers_by_section(cl) -> dict[str, list[str]]:
    out = {s: [] for s in SECTIONS}
    for d, _conditional in cl.documents:
        out.setdefault(d.group, []).append(d.id)
    return out


def due_text(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize("code,i", CASES)
def test_checklist_lists_exactly_the_papers_fees_and_due_date(code, i):
    case = expected(code)["cases"][i]
    want = case["expected"]
    cl = checklist(code, case)
    assert papers_by_section(cl) == {s: want["papers"].get(s, []) for s in SECTIONS}
    amount, complete = cl.total
    assert amount == want["fees"]["total"]
    assert complete == want["fees"].get("complete", True)
    assert [{"name": f.name, "amount": f.amount} for f in cl.fees] == want["fees"]["lines"]
    assert cl.due is not None and due_text(cl.due.at) == want["due"]


@pytest.mark.parametrize("code,i", CASES)
def test_checklist_json_says_the_same(code, i):
    case = expected(code)["cases"][i]
    want = case["expected"]
    data = ck.to_json(checklist(code, case))
    got = {s: [d["id"] for d in data["documents"] if d["group"] == s] for s in SECTIONS}
    assert got == {s: want["papers"].get(s, []) for s in SECTIONS}
    assert data["total"]["amount"] == want["fees"]["total"]
    assert data["total"]["complete"] == want["fees"].get("complete", True)
    assert data["due"]["due"] == submitted(case).replace(
        **dict(zip(("year", "month", "day", "hour", "minute"),
                   map(int, re.split("[- :]", want["due"]))))).isoformat()
    for name, when in want.get("results_due", {}).items():
        result = next(r for r in data["results"] if r["name"] == name)
        assert result["due"] is not None, name
        assert result["due"]["due"][:16].replace("T", " ") == when, name


def md_sections(md: str) -> dict[str, str]:
    """Markdown checklist → heading → the text under it."""
    out, heading = {}, ""
    for line in md.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            out[heading] = ""
        else:
            out[heading] = out.get(heading, "") + line + "\n"
    return out


def section_of(heading: str) -> str | None:
    h = heading.casefold()
    if "phải nộp" in h:
        return "submit"
    if "xuất trình" in h:
        return "show"
    if "không cần mang" in h or "tra cứu" in h:
        return "lookup"
    if "lập" in h or "ký" in h:
        return "prepared"
    return None


def papers_in_line(line: str, names: dict[str, str]) -> list[str]:
    """The papers a checklist line lists: a name that is only the start of a longer name found at the
    same place (one paper's name can begin another's) does not count."""
    found = {i: n for i, n in names.items() if n in line}
    return [i for i, n in found.items()
            if not any(m != n and n in m and line.find(m) == line.find(n) for m in found.values())]


@pytest.mark.parametrize("code,i", CASES)
def test_the_printed_markdown_checklist_lists_the_same(code, i):
    """What the counter officer prints with the command line: each paper in its section, the total, the date."""
    case = expected(code)["cases"][i]
    want = case["expected"]
    proc = ck.find_procedure(catalogue(), code)
    result = cli_checklist(code, case)
    assert result.exit_code == 0, result.output
    md = unescape_md(result.output)
    names = {d.id: squeeze(nfc(d.name)) for d in proc.documents}
    listed = {s: [] for s in SECTIONS}
    for heading, text in md_sections(md).items():
        if section_of(heading):
            for line in text.splitlines():
                listed[section_of(heading)] += papers_in_line(squeeze(line), names)
    assert listed == {s: want["papers"].get(s, []) for s in SECTIONS}
    total = f"{want['fees']['total']:,}".replace(",", ".") + " đồng"
    assert f"| Tổng cộng | {total} |" in md
    assert ("Chưa gồm các khoản chưa rõ mức thu" in md) == (not want["fees"].get("complete", True))
    for when in [want["due"], *want.get("results_due", {}).values()]:
        day = dt.datetime.strptime(when, "%Y-%m-%d %H:%M")
        assert f"{day:%H} giờ {day:%M}" in md and day.strftime("%d/%m/%Y") in md, when


# --- the citizen's page ---------------------------------------------------------------------------

@pytest.mark.parametrize("code", CODES)
def test_the_page_shows_what_the_record_says(code):
    proc = ck.find_procedure(catalogue(), code)
    md = squeeze(unescape_md(procedure_page(proc, catalogue(), AS_OF, catalogue().office.get("site_url"))))
    exp = expected(code)
    missing = [fact for fact in exp["page"] if squeeze(nfc(str(fact))) not in md]
    assert missing == []
    shown = [fact for fact in exp.get("page_absent", []) if squeeze(nfc(fact)) in md]
    assert shown == [], "editor's notes must never reach the public page"


@pytest.mark.parametrize("code", CODES)
def test_the_page_links_every_form_the_record_attaches(code):
    """A form file named by the record (.doc, .docx, names with spaces) is a working link on the page."""
    proc = ck.find_procedure(catalogue(), code)
    page = procedure_page(proc, catalogue(), AS_OF, catalogue().office.get("site_url"))
    files = [f for f in (d.get("form", {}).get("file") for d in raw_procedures()[code]["documents"]) if f]
    for f in files:
        assert (CATALOGUE / f).is_file(), f
        assert f"(../../{quote(f)})" in page, f  # percent-encoded: spaces and Vietnamese letters


# --- at the counter: the receipt, and a lookup that fails -------------------------------------------

def cli_checklist(code: str, case: dict, *extra: str):
    args = ["--lang", "vi", "checklist", "--catalogue", str(CATALOGUE), code, "--channel", case["channel"],
            "--submitted", case["submitted"], "--format", "md", "-o", "-", *extra]
    for key, value in case["answers"].items():
        args += ["-a", f"{key}={str(value).lower() if isinstance(value, bool) else value}"]
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("code,i", CASES)
def test_the_receipt_for_a_complete_file_names_what_the_office_looked_up(code, i):
    """The officer ticks every paper brought; the receipt gives the date and says what was looked up instead."""
    case = expected(code)["cases"][i]
    want = case["expected"]
    brought = [*want["papers"].get("submit", []), *want["papers"].get("show", [])]
    if not brought:
        pytest.skip("nothing to bring")
    result = cli_checklist(code, case, *[a for d in brought for a in ("--have", d)], "--receipt")
    assert result.exit_code == 0, result.output
    md = squeeze(unescape_md(result.output))
    day = dt.datetime.strptime(want["due"], "%Y-%m-%d %H:%M")
    assert day.strftime("%d/%m/%Y") in md
    proc = ck.find_procedure(catalogue(), code)
    for doc in proc.documents:
        if doc.id in want["papers"].get("lookup", []):
            assert squeeze(nfc(doc.name)) in md, doc.id


LOOKUP_FAILED = [pytest.param(code, i, id=f"{code}-{i + 1}") for code in CODES
                 for i, case in enumerate(expected(code)["cases"]) if case.get("lookup_failed")]


@pytest.mark.parametrize("code,i", LOOKUP_FAILED)
def test_a_failed_lookup_asks_for_the_fallback_paper_with_the_reason(code, i):
    case = expected(code)["cases"][i]
    want = case["expected"]
    brought = [*want["papers"].get("submit", []), *want["papers"].get("show", [])]
    failed = [a for doc, why in case["lookup_failed"].items() for a in ("--lookup-failed", f"{doc}={why}")]
    result = cli_checklist(code, case, *[a for d in brought for a in ("--have", d)], *failed)
    assert result.exit_code in (0, 1), result.output
    md = squeeze(unescape_md(result.output))
    proc = ck.find_procedure(catalogue(), code)
    for doc_id, why in case["lookup_failed"].items():
        doc = next(d for d in proc.documents if d.id == doc_id)
        assert squeeze(nfc(doc.name)) in md
        assert squeeze(nfc(why)) in md


@pytest.mark.parametrize("code", [c for c in CODES if raw_procedures()[c].get("delivery")])
def test_the_page_ends_the_post_delivery_sentence_with_one_full_stop(code):
    proc = ck.find_procedure(catalogue(), code)
    md = unescape_md(procedure_page(proc, catalogue(), AS_OF, catalogue().office.get("site_url")))
    doubled = [md[max(0, m.start() - 50):m.end()] for m in re.finditer(r"[^.\s]\.\.(?![./])", md)]
    assert doubled == []


@pytest.mark.parametrize("code,i", CASES)
def test_the_code_printed_on_the_checklist_gives_the_same_checklist_again(code, i):
    """Weeks later the officer types the code from the applicant's paper: same papers, fees and date."""
    case = expected(code)["cases"][i]
    first = checklist(code, case)
    again = ck.decode(catalogue(), first.code)
    assert again.warnings == ()
    second = ck.make(catalogue(), again.procedure, again.answers, again.channel, again.submitted)
    assert papers_by_section(second) == papers_by_section(first)
    assert second.total == first.total and second.due == first.due
    assert ck.to_json(second) == ck.to_json(first)


def test_the_reviewer_is_told_what_the_records_still_show_out_of_date():
    """The passport record still shows the 2023 online rate of Thông tư 44/2023/TT-BTC: the review says so,
    and says nothing else is repealed or expired in the ten records."""
    import json

    result = CliRunner().invoke(main, ["--lang", "en", "review", str(CATALOGUE), "--as-of", AS_OF.isoformat(),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    stale = sorted((f["kind"], f["subject"], f["when"]) for f in findings if f["kind"] in ("expired", "repealed"))
    assert stale == [("expired", "cap-ho-chieu-pho-thong-trong-nuoc", "2023-12-31"),
                     ("expired", "cap-ho-chieu-pho-thong-trong-nuoc", "2023-12-31"),
                     ("repealed", "cap-ho-chieu-pho-thong-trong-nuoc", "2024-01-01")]
    assert any("160.000 đồng" in f["message"] for f in findings)
