"""Editor tooling: `thutuc fmt`, `thutuc new`, `thutuc schema`, editor and pre-commit settings."""

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from helpers import ROOT
from thutuc.editing import scaffold
from thutuc.catalogue.files import kind_of
from thutuc.catalogue.check import check_catalogue
from thutuc.cli import main
from thutuc.editing.edit import load
from thutuc.editing.fmt import FormatError, format_paths, format_text
from thutuc.catalogue.yamlload import load_text

CATALOGUE = ROOT / "catalogue"
BUNDLED = sorted(CATALOGUE.rglob("*.yaml"))
SCHEMAS = ROOT / "schemas"
POSITIONED = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): error: .+$")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# -- fmt ---------------------------------------------------------------------------------------

MESSY = ("# yaml-language-server: $schema=../../../schemas/procedure.schema.json   \n"
         + nfd("# Ghi chú của biên tập viên  \n")
         + "id: thu-tuc-thu\n"
         + "title: " + nfd("Đăng ký khai sinh") + "   \n"
         + "agencies:\n"
         + "    receiving: ttphvhc-xa    # " + nfd("nơi nhận") + "\n"
         + "    deciding: ubnd-xa\n"
         + "documents:\n"
         + "    -   id: to-khai\n"
         + "        group: submit\n"
         + "\n"
         + "    -   id: cmnd\n"
         + "        group: show\n"
         + "code: \"1.001193\"")  # no final newline

TIDY = """\
# yaml-language-server: $schema=../../../schemas/procedure.schema.json
# Ghi chú của biên tập viên
id: thu-tuc-thu
title: Đăng ký khai sinh
agencies:
  receiving: ttphvhc-xa      # nơi nhận
  deciding: ubnd-xa
documents:
  - id: to-khai
    group: submit

  - id: cmnd
    group: show
code: "1.001193"
"""

# Each of these must change, and come out exactly so.
FIXES = {
    "nfd": (nfd("title: Đăng ký kết hôn\n"), "title: Đăng ký kết hôn\n"),
    "trailing spaces, also in comments and block text": (
        "# ghi chú   \na: 1  \nb: |\n  dòng một   \n  dòng hai\n",
        "# ghi chú\na: 1\nb: |\n  dòng một\n  dòng hai\n"),
    "missing final newline": ("a: 1", "a: 1\n"),
    "blank lines at both ends": ("\n\na: 1\n\n\n", "a: 1\n"),
    "windows line ends and a byte order mark": ("\ufeffa: 1\r\nb: 2\r\n", "a: 1\nb: 2\n"),
    "4-space mapping": ("a:\n    b:\n        c: 1\n", "a:\n  b:\n    c: 1\n"),
    "unindented list": ("a:\n- x\n- y: 1\n  z: 2\n", "a:\n  - x\n  - y: 1\n    z: 2\n"),
    "schema line before an explicit document start": (
        "# yaml-language-server: $schema=x.json  \n---\na:\n    b: 1\n",
        "# yaml-language-server: $schema=x.json\n---\na:\n  b: 1\n"),
    "comment-only file": ("# chỉ có chú thích  \n\n", "# chỉ có chú thích\n"),
}


def test_fmt_fixes_nfd_spaces_newline_and_indentation_keeping_comments_and_order():
    assert format_text(MESSY) == TIDY


@pytest.mark.parametrize("case", FIXES, ids=list(FIXES))
def test_fmt_fixes(case):
    before, after = FIXES[case]
    assert before != after
    assert format_text(before) == after


@pytest.mark.parametrize("text", [MESSY, TIDY, *(b for b, _ in FIXES.values()), ""],
                         ids=["messy", "tidy", *FIXES, "empty"])
def test_fmt_is_idempotent(text):
    once = format_text(text)
    assert format_text(once) == once


def test_fmt_keeps_quoting_flow_style_and_blank_lines():
    text = ('code: "1.001193"\nname: \'Tờ khai\'\nwhen: {q: nop_thay, eq: true}\nlevels: [xa]\n\n'
            '# mục sau\ncutoff: "15:00"\n')
    assert format_text(text) == text


@pytest.mark.parametrize("path", BUNDLED, ids=[p.relative_to(CATALOGUE).as_posix() for p in BUNDLED])
def test_every_bundled_file_is_fmt_clean(path):
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


def test_fmt_check_on_the_bundled_catalogue_exits_0():
    res = invoke("fmt", "--check", str(CATALOGUE))
    assert res.exit_code == 0, res.output
    assert res.output.strip().splitlines()[-1] == f"0 file(s) would be reformatted, {len(BUNDLED)} already formatted"


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "cat"
    (d / "procedures").mkdir(parents=True)
    (d / "procedures" / "messy.yaml").write_text(MESSY, encoding="utf-8")
    (d / "tidy.yaml").write_text(TIDY, encoding="utf-8")
    return d


def _snapshot(root: Path) -> dict:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


def test_fmt_check_exits_1_lists_the_file_and_writes_nothing(folder):
    before = _snapshot(folder)
    res = invoke("fmt", "--check", str(folder))
    assert res.exit_code == 1
    assert f"would reformat {folder.as_posix()}/procedures/messy.yaml" in res.output.splitlines()
    assert "tidy.yaml" not in res.output
    assert "1 file(s) would be reformatted, 1 already formatted; run thutuc fmt" in res.output
    assert _snapshot(folder) == before


def test_fmt_rewrites_only_changed_files_then_check_passes(folder):
    tidy_before = _snapshot(folder)[folder / "tidy.yaml"]
    res = invoke("fmt", str(folder))
    assert res.exit_code == 0, res.output
    assert f"reformatted {folder.as_posix()}/procedures/messy.yaml" in res.output.splitlines()
    assert (folder / "procedures" / "messy.yaml").read_bytes() == TIDY.encode("utf-8")
    assert _snapshot(folder)[folder / "tidy.yaml"] == tidy_before  # untouched, same mtime
    assert invoke("fmt", "--check", str(folder)).exit_code == 0
    assert not list(folder.rglob(".*"))  # no temporary file left behind


def test_a_broken_file_is_reported_with_its_position_and_the_others_are_formatted(folder):
    broken = folder / "procedures" / "broken.yaml"
    broken.write_text("id: hong\ntitle: [Thiếu dấu đóng\nfield: ho-tich\n", encoding="utf-8")
    not_utf8 = folder / "latin1.yaml"
    not_utf8.write_bytes("title: Đăng ký\n".encode("utf-8").replace("Đ".encode("utf-8"), b"\xd0"))
    before = {p: p.read_bytes() for p in (broken, not_utf8)}
    res = invoke("fmt", str(folder))
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    errors = [m for m in map(POSITIONED.match, res.output.splitlines()) if m]
    assert {m["path"] for m in errors} == {broken.as_posix(), not_utf8.as_posix()}
    assert any(m["path"] == broken.as_posix() and m["line"] == "3" for m in errors), res.output
    assert any("is not UTF-8" in m.group(0) for m in errors)
    assert {p: p.read_bytes() for p in before} == before
    assert (folder / "procedures" / "messy.yaml").read_text(encoding="utf-8") == TIDY
    assert "1 file(s) reformatted, 1 already formatted, 2 could not be formatted" in res.output


@pytest.mark.parametrize("text, message", [
    ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first at line 1)"),
    ("a:\n\t- 1\n", "tab in indentation"),
    ("a: 1\n---\nb: 2\n", "only one document per file"),
    ("a: {x: 1,\n  # giải thích\n  y: 2}\n", "would lose the comment '# giải thích'"),
    ("a: 1\n...\n# sau dấu kết thúc\n", "would lose the comment '# sau dấu kết thúc'"),
])
def test_fmt_refuses_what_it_cannot_keep_with_a_positioned_error(text, message):
    with pytest.raises(FormatError) as err:
        format_text(text, "f.yaml")
    lines = [p.format() for p in err.value.problems]
    assert all(POSITIONED.match(line) for line in lines), lines
    assert any(message in line for line in lines), lines


def test_fmt_reports_the_same_yaml_error_as_check():
    text = "id: x\ntitle: [\n"
    with pytest.raises(FormatError) as err:
        format_text(text, "f.yaml")
    assert err.value.problems == [p for p in load_text("f.yaml", text).problems if p.severity == "error"]


def test_fmt_library_reports_per_file(folder):
    report = format_paths([folder], check=True)
    assert [r.display.rsplit("/", 1)[1] for r in report.results] == ["messy.yaml", "tidy.yaml"]
    assert [r.changed for r in report.results] == [True, False]
    assert not report.ok


# -- new ---------------------------------------------------------------------------------------

@pytest.fixture
def cat(tmp_path) -> Path:
    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, root)
    return root


FILL_IN = re.compile(r"placeholder 'TODO' left in the text|quantity unknown|processing time unknown|"
                     r"fee amount unknown|online service level unknown")


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


def _problems_of(root: Path, rel: str):
    result = check_catalogue(root)
    return result, [p for p in result.problems if p.path == f"{root}/{rel}"]


def test_new_from_the_template(cat):
    res = invoke("new", "dang-ky-ket-hon-luu-dong", "--field", "ho-tich", "--title", "Đăng ký kết hôn lưu động",
                 "--catalogue", str(cat))
    assert res.exit_code == 0, res.output
    rel = "procedures/ho-tich/dang-ky-ket-hon-luu-dong.yaml"
    text = (cat / rel).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../schemas/procedure.schema.json"
    assert _comments(text) == _comments(scaffold.TEMPLATE.read_text(encoding="utf-8"))  # every comment kept
    assert unicodedata.is_normalized("NFC", text) and format_text(text) == text
    data = load(text)
    assert (data["id"], data["title"], data["field"]) == ("dang-ky-ket-hon-luu-dong", "Đăng ký kết hôn lưu động", "ho-tich")
    assert data["lifecycle"]["status"] == "draft"
    assert "code" not in data
    result, mine = _problems_of(cat, rel)
    assert result.errors == 0, [p.format() for p in result.problems if p.severity == "error"]
    assert mine and all(p.severity == "warning" and FILL_IN.search(p.message) for p in mine), mine
    assert {"processing_time.unit", "fees[0].kind", "legal_basis[0].articles"} <= {p.key for p in mine}
    assert not any(p.key == "title" for p in mine)
    # The command lists the same things to fill in, then what to do next.
    assert [line for line in res.output.splitlines() if ": warning: " in line] == [p.format() for p in mine]
    assert "created " in res.output and "set lifecycle.status to active" in res.output


def test_new_without_a_title_off_a_terminal_uses_a_placeholder_that_check_flags(cat):
    res = invoke("new", "thu-tuc-moi", "--field", "chung-thuc", "--catalogue", str(cat))
    assert res.exit_code == 0, res.output
    rel = "procedures/chung-thuc/thu-tuc-moi.yaml"
    assert load((cat / rel).read_text(encoding="utf-8"))["title"] == scaffold.PLACEHOLDER_TITLE
    result, mine = _problems_of(cat, rel)
    assert result.errors == 0
    assert any(p.key == "title" and "placeholder" in p.message for p in mine)


def test_new_in_a_field_without_procedures_yet(cat):
    (cat / "fields.yaml").write_text((cat / "fields.yaml").read_text(encoding="utf-8").replace(
        "life_events:", "  - id: tu-phap-moi\n    name: Lĩnh vực mới\nlife_events:"), encoding="utf-8")
    assert check_catalogue(cat).errors == 0
    res = invoke("new", "thu-tuc-dau-tien", "--field", "tu-phap-moi", "--catalogue", str(cat))
    assert res.exit_code == 0, res.output
    assert check_catalogue(cat).errors == 0
    assert (cat / "procedures/tu-phap-moi/thu-tuc-dau-tien.yaml").is_file()


def test_new_from_an_existing_procedure(cat):
    src = cat / "procedures/ho-tich/dang-ky-khai-sinh.yaml"
    # Comments on the lines after removed keys belong to what follows: they must stay.
    src.write_text(src.read_text(encoding="utf-8")
                   .replace('code: "1.001193"\n', 'code: "1.001193"  # mã cũ\n# Về số quyết định\n')
                   .replace("    code: KQ.G15.000031\n", "    code: KQ.G15.000031\n    # Về kết quả thứ hai\n"),
                   encoding="utf-8")
    assert check_catalogue(cat).errors == 0
    src_text = src.read_text(encoding="utf-8")
    res = invoke("new", "dang-ky-khai-sinh-luu-dong", "--from", "dang-ky-khai-sinh", "--catalogue", str(cat),
                 "--title", "Đăng ký khai sinh lưu động")
    assert res.exit_code == 0, res.output
    rel = "procedures/ho-tich/dang-ky-khai-sinh-luu-dong.yaml"
    text = (cat / rel).read_text(encoding="utf-8")
    assert text.splitlines()[0] == src_text.splitlines()[0]  # the schema line
    # The source's comments are kept, but for the one on the removed code's own line.
    assert set(_comments(src_text)) <= set(_comments(text)) and "# mã cũ" not in text
    assert "code: KQ.G15.000031" not in text and "    # Về kết quả thứ hai\n" in text
    assert "# Về số quyết định\ndecision: 163/QĐ-BTP\n" in text
    assert format_text(text) == text
    old, new = load(src_text), load(text)
    # Unique to the source, or its history: gone. Everything else: the same, in the same order.
    assert "code" not in new and all("code" not in r for r in new["results"])
    assert new["lifecycle"]["status"] == "draft" and "reviewed_by" not in new["lifecycle"]
    assert (new["id"], new["title"]) == ("dang-ky-khai-sinh-luu-dong", "Đăng ký khai sinh lưu động")
    same = [k for k in old if k not in ("id", "code", "title", "results", "lifecycle")]
    assert [k for k in new if k in same] == same
    assert all(new[k] == old[k] for k in same)
    assert [r["name"] for r in new["results"]] == [r["name"] for r in old["results"]]
    result, mine = _problems_of(cat, rel)
    assert result.errors == 0, [p.format() for p in result.problems if p.severity == "error"]
    assert all(p.severity == "warning" and FILL_IN.search(p.message) for p in mine), mine


@pytest.mark.parametrize("text, key, expected", [
    ("id: a\ncode: 1  # cũ\n# về b\nb: 2\n", "code", "id: a\n# về b\nb: 2\n"),
    ("a:\n  - x\n  - y: 1\ncode: 1\n\n# về b\nb: 2\n", "code", "a:\n  - x\n  - y: 1\n\n# về b\nb: 2\n"),
    ("a: [1, 2]\ncode: 1\n# về b\nb: 2\n", "code", "a: [1, 2]\n# về b\nb: 2\n"),
    ("a: 1 # một\ncode: 1\n# về b\nb: 2\n", "code", "a: 1 # một\n# về b\nb: 2\n"),
    ("a: 1\ncode: 1\n", "code", "a: 1\n"),
])
def test_remove_key_keeps_the_comments_of_the_lines_after_it(text, key, expected):
    from thutuc.editing.edit import dump

    data = load(text)
    scaffold.remove_key(data, key)
    assert dump(data) == expected


def test_new_from_a_national_code_into_another_field(cat):
    res = invoke("new", "ban-sao-khac", "--from", "1.001193", "--field", "chung-thuc", "--catalogue", str(cat))
    assert res.exit_code == 0, res.output
    rel = "procedures/chung-thuc/ban-sao-khac.yaml"
    data = load((cat / rel).read_text(encoding="utf-8"))
    assert data["field"] == "chung-thuc" and data["title"].startswith(scaffold.PLACEHOLDER_TITLE)
    assert check_catalogue(cat).errors == 0


@pytest.mark.parametrize("args, message", [
    (["Dang-Ky-Moi", "--field", "ho-tich"], "did you mean 'dang-ky-moi'?"),
    (["đăng-ký-mới", "--field", "ho-tich"], "did you mean 'dang-ky-moi'?"),
    (["dang--ky", "--field", "ho-tich"], "not a valid id"),
    (["thu-tuc-moi", "--field", "ho-tic"], "no field 'ho-tic' in "),
    (["thu-tuc-moi", "--field", "zzz"], "fields: bao-tro-xa-hoi, chung-thuc"),
    (["thu-tuc-moi"], "say which field with --field"),
    (["dang-ky-khai-sinh", "--field", "chung-thuc"], "already exists: "),
    (["thu-tuc-moi", "--from", "dang-ky-khai-sin", "--field", "ho-tich"], "did you mean 'dang-ky-khai-sinh'?"),
])
def test_new_refuses_with_a_helpful_message_and_writes_nothing(cat, args, message):
    before = _snapshot(cat)
    res = invoke("new", *args, "--catalogue", str(cat))
    assert res.exit_code == 1
    assert message in res.output and res.output.startswith("thutuc new: ")
    assert "Traceback" not in res.output
    assert _snapshot(cat) == before


def test_new_refuses_a_file_that_would_bring_errors(cat, tmp_path, monkeypatch):
    bad = tmp_path / "procedure.yaml"
    bad.write_text(scaffold.TEMPLATE.read_text(encoding="utf-8").replace("[cong-dan-viet-nam]", "[ai-do]"),
                   encoding="utf-8")
    monkeypatch.setattr(scaffold, "TEMPLATE", bad)
    before = _snapshot(cat)
    with pytest.raises(scaffold.ScaffoldError) as err:
        scaffold.new_procedure(cat, "thu-tuc-moi", "ho-tich")
    assert "nothing was written" in str(err.value)
    assert [p.key for p in err.value.problems] == ["applicants[0]"]
    assert _snapshot(cat) == before


def test_the_title_is_asked_only_once_the_rest_is_valid(cat):
    asked = []

    def ask():
        asked.append(1)
        return "  Thủ tục " + nfd("thử") + "  "

    with pytest.raises(scaffold.ScaffoldError):
        scaffold.new_procedure(cat, "thu-tuc-moi", "khong-co", ask_title=ask)
    assert not asked
    made = scaffold.new_procedure(cat, "thu-tuc-moi", "ho-tich", ask_title=ask, dry_run=True)
    assert asked and load(made.text)["title"] == "Thủ tục thử"  # NFC, spaces tidied
    assert not (cat / made.rel).exists()  # dry run


# -- schema ------------------------------------------------------------------------------------

SCHEMA_NAMES = sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json"))


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_prints_the_file_as_it_is(name):
    res = CliRunner().invoke(main, ["schema", name])
    assert res.exit_code == 0
    on_disk = (SCHEMAS / f"{name}.schema.json").read_bytes()
    assert res.stdout_bytes == on_disk
    assert json.loads(res.stdout) == json.loads(on_disk)


def test_schema_lists_every_name_with_the_files_it_describes():
    res = invoke("schema")
    assert res.exit_code == 0
    listed = dict(line.split(None, 1) for line in res.output.strip().splitlines())
    assert sorted(listed) == SCHEMA_NAMES
    assert listed["procedure"] == "procedures/<field>/<id>.yaml"
    assert listed["office"] == "office.yaml"


def test_schema_out_writes_every_schema(tmp_path):
    out = tmp_path / "schemas"
    res = invoke("schema", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == [f"{n}.schema.json" for n in SCHEMA_NAMES]
    assert all((out / p.name).read_bytes() == p.read_bytes() for p in SCHEMAS.glob("*.schema.json"))


def test_schema_unknown_name_is_a_usage_error_with_a_suggestion():
    res = invoke("schema", "procdure")
    assert res.exit_code == 2
    assert "did you mean 'procedure'?" in res.output


@pytest.mark.parametrize("path", BUNDLED, ids=[p.relative_to(CATALOGUE).as_posix() for p in BUNDLED])
def test_every_bundled_file_names_its_own_schema_on_its_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, first
    target = (path.parent / m.group(1)).resolve()
    assert target.is_file(), target
    assert target.parent == SCHEMAS.resolve()
    assert target.name == f"{kind_of(path.relative_to(CATALOGUE))}.schema.json"


def test_the_template_names_the_procedure_schema_from_where_new_files_go():
    first = scaffold.TEMPLATE.read_text(encoding="utf-8").splitlines()[0]
    rel = first.split("$schema=", 1)[1]
    assert first == scaffold.MODELINE
    assert (CATALOGUE / "procedures" / "ho-tich" / rel).resolve() == (SCHEMAS / "procedure.schema.json").resolve()


def test_vscode_settings_map_each_bundled_file_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert all((ROOT / schema).is_file() for schema in mapping)
    for path in BUNDLED:
        rel = path.relative_to(ROOT).as_posix()
        matches = [Path(s).name for s, globs in mapping.items() if any(fnmatch.fnmatch(rel, g) for g in globs)]
        assert matches == [f"{kind_of(path.relative_to(CATALOGUE))}.schema.json"], rel


# -- pre-commit and CI -------------------------------------------------------------------------

def test_pre_commit_hooks_call_real_commands_on_the_right_files():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert {"thutuc-check", "thutuc-fmt-check"} <= set(hooks)
    for hook in hooks.values():
        assert hook["language"] == "python"
        program, command, *options = hook["entry"].split()
        assert program == "thutuc" and command in main.commands
        known = {o for p in main.commands[command].params for o in p.opts}
        assert set(options) <= known
        assert re.search(hook["files"], "catalogue/procedures/ho-tich/dang-ky-khai-sinh.yaml")
        assert not re.search(hook["files"], ".github/workflows/catalogue.yml")
    assert hooks["thutuc-check"]["pass_filenames"] is False  # check reads the whole catalogue
    assert hooks["thutuc-fmt-check"].get("pass_filenames", True) is True
    assert hooks["thutuc-fmt-check"]["entry"] == "thutuc fmt --check"
    assert not re.search(hooks["thutuc-fmt-check"]["files"], "catalogue/forms/to-khai.pdf")


def test_ci_example_checks_formats_builds_and_publishes_and_is_not_active_here():
    path = ROOT / "examples" / "ci" / "github-actions.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job.get("steps", [])]
    runs = [s.get("run", "") for s in steps]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert any(r.startswith("thutuc check") for r in runs)
    assert any(r.startswith("thutuc fmt --check") for r in runs)
    assert any(r.startswith("thutuc build") and "--out public" in r for r in runs)
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "public"
    assert not (ROOT / ".github" / "workflows" / path.name).exists()


def test_an_installed_thutuc_checks_and_builds_an_office_repository(tmp_path):
    """pre-commit and the example CI install thutuc as a package, away from this repository: it
    must carry its schemas, site sources, mkdocs.yml and messages (the package links to them;
    an install copies what they point at, as copytree does here)."""
    site = tmp_path / "lib" / "python3" / "site-packages"
    shutil.copytree(ROOT / "tool" / "thutuc", site / "thutuc", ignore=shutil.ignore_patterns("__pycache__"))
    assert not any(p.is_symlink() for p in (site / "thutuc").rglob("*"))
    office = tmp_path / "office-repo"
    shutil.copytree(ROOT / "catalogue", office / "catalogue")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "THUTUC_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "thutuc", *args], env=env, cwd=office,
                              capture_output=True, text=True, timeout=300)

    res = run("--lang", "vi", "check", "catalogue")
    assert res.returncode == 0 and re.search(r"^0 lỗi, \d+ cảnh báo$", res.stdout, re.M), res.stdout + res.stderr
    res = run("build", "--no-pdf")
    assert res.returncode == 0, res.stderr
    assert (office / "public/huong-dan/dieu-kien/index.html").is_file()
    assert (office / "public/thu-tuc/dang-ky-khai-sinh/index.html").is_file()
    assert (office / "public/assets/stylesheets/thutuc.css").is_file()
