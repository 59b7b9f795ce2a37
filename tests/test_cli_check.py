"""`thutuc check` as a user runs it: exit codes, output shapes, no tracebacks."""

import json
import re
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, make_catalogue

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+$")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "thutuc", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_bundled_catalogue_has_no_errors():
    res = run("check", "catalogue")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip().splitlines()[-1].startswith("0 error(s)")


def test_broken_catalogue_exits_1_with_positioned_lines(tmp_path):
    root = make_catalogue(tmp_path)
    (root / "procedures/ho-tich/khai-sinh.yaml").write_text("id: khai-sinh\ntitle: [\n", encoding="utf-8")
    (root / "legal/ho-tich.yaml").write_bytes(b"legal_documents:\n  - id: \xff\n")
    res = run("check", str(root), cwd=tmp_path)
    assert res.returncode == 1
    body = res.stdout.strip().splitlines()
    assert "Traceback" not in res.stdout + res.stderr
    assert all(LINE.match(line) for line in body[:-1]), body
    assert {LINE.match(line)["path"] for line in body[:-1]} == {
        f"{root}/procedures/ho-tich/khai-sinh.yaml", f"{root}/legal/ho-tich.yaml"}
    assert re.match(r"^[1-9]\d* error\(s\), \d+ warning\(s\)$", body[-1])


def test_json_format_lists_the_same_problems(tmp_path):
    root = make_catalogue(tmp_path)
    (root / "procedures/ho-tich/khai-sinh.yaml").write_text("id: khai-sinh\n", encoding="utf-8")
    text = run("check", str(root)).stdout.strip().splitlines()[:-1]
    res = run("check", str(root), "--format", "json")
    assert res.returncode == 1
    items = json.loads(res.stdout)
    assert len(items) == len(text) > 5
    assert set(items[0]) == {"path", "line", "col", "severity", "key", "message", "topic"}
    assert any(i["message"] == "missing required key 'title'" for i in items)


def test_json_tags_unknown_facts_and_placeholders_in_any_language():
    """A script (or `thutuc review`) can pick out what is still to be found without reading words."""
    for lang in ("en", "vi"):
        items = json.loads(run("--lang", lang, "check", str(ROOT / "catalogue"), "--format", "json").stdout)
        unknown = [i for i in items if i["topic"] == "unknown"]
        assert any(i["key"] == "fees[0].kind" and "cap-phieu-ly-lich-tu-phap" in i["path"] for i in unknown)
        assert all(i["severity"] == "warning" for i in unknown)
        assert {i["topic"] for i in items} <= {"", "unknown", "placeholder"}


def test_strict_fails_on_warnings(tmp_path):
    root = make_catalogue(tmp_path)
    p = root / "procedures/ho-tich/khai-sinh.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("Đăng ký việc sinh", "TODO Đăng ký việc sinh"), encoding="utf-8")
    assert run("check", str(root)).returncode == 0
    strict = run("check", str(root), "--strict")
    assert strict.returncode == 1
    assert "placeholder 'TODO'" in strict.stdout


def test_usage_errors_exit_2():
    assert run("check", "--format", "xml").returncode == 2
    assert run("no-such-command").returncode == 2


def test_missing_folder_is_an_error_not_a_traceback(tmp_path):
    res = run("check", str(tmp_path / "nowhere"))
    assert res.returncode in (1, 2)
    assert "Traceback" not in res.stderr


def test_help_shows_examples():
    res = run("check", "--help")
    assert res.returncode == 0
    assert "Examples:" in res.stdout and "thutuc check" in res.stdout
