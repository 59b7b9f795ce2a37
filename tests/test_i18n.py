"""thutuc speaks English or Vietnamese: every message has its Vietnamese translation."""

import re
import subprocess
import sys

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from helpers import GOLDEN, ROOT, TODAY, make_catalogue
from thutuc import i18n
from thutuc.catalogue.check import check_catalogue

PACKAGE = ROOT / "tool" / "thutuc"
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "thutuc.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _in_code() -> dict[str, str]:
    """Every message marked in thutuc's code, and where."""
    found = {}
    for file, line, message, _, _ in extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")],
                                                      keywords={"_": None, "N_": None}):
        assert isinstance(message, str), f"{file}:{line}: _() must be given one plain string"
        found[message] = f"{file}:{line}"
    return found


def _catalogue():
    with open(PO, "rb") as f:
        return read_po(f, locale="vi")


def test_every_message_has_a_vietnamese_translation():
    catalogue = _catalogue()
    missing = [f"{where}: {msg!r}" for msg, where in sorted(_in_code().items())
               if msg not in catalogue or not catalogue[msg].string or catalogue[msg].fuzzy]
    assert not missing, "no Vietnamese translation (run `make messages`, then translate):\n" + "\n".join(missing)


def test_translations_keep_every_placeholder():
    wrong = []
    for message in _catalogue():
        if message.id and message.string:
            if sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string)):
                wrong.append(f"{message.id!r} -> {message.string!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_no_message_is_built_before_translation():
    """_(f"...") or _("..." % x) would look up a text no catalogue has."""
    bad = []
    for py in sorted(PACKAGE.rglob("*.py")):
        for n, line in enumerate(py.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""\b_\(\s*f["']""", line):
                bad.append(f"{py.relative_to(PACKAGE)}:{n}: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_every_pattern_description_a_message_quotes_is_marked_for_translation():
    """"'x' is not in the right form (…)" quotes the schema's description: each must be in the
    list schemas.py marks for translation, or it would stay English in Vietnamese messages."""
    import json

    from thutuc.catalogue import schemas

    def walk(node):
        if isinstance(node, dict):
            if "pattern" in node and node.get("description"):
                yield schemas.pattern_description(node)
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    found = {d for f in sorted((ROOT / "schemas").glob("*.schema.json"))
             for d in walk(json.loads(f.read_text(encoding="utf-8")))}
    assert found and found <= set(schemas._PATTERN_DESCRIPTIONS), found - set(schemas._PATTERN_DESCRIPTIONS)


def test_the_compiled_catalogue_is_up_to_date():
    """The .mo file thutuc reads holds exactly the .po file's translations (compared message by
    message: the header names the Babel version that compiled it)."""
    import gettext

    with open(MO, "rb") as f:
        compiled = {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if k}
    in_po = {m.id: m.string for m in _catalogue() if m.id and m.string}
    assert compiled == in_po, "run `make messages` to compile thutuc.po"


def test_the_language_follows_the_locale():
    assert i18n.language_from_env({"LANG": "vi_VN.UTF-8"}) == "vi"
    assert i18n.language_from_env({"LANG": "en_US.UTF-8"}) == "en"
    assert i18n.language_from_env({}) == "en"
    # LC_ALL outranks LANG, as in every POSIX program
    assert i18n.language_from_env({"LC_ALL": "C.UTF-8", "LANG": "vi_VN.UTF-8"}) == "en"
    assert i18n.language_from_env({"LC_ALL": "vi_VN.UTF-8", "LANG": "C"}) == "vi"


def _run(*args, env_lang=None):
    env = {"PATH": "/usr/bin:/bin", "THUTUC_CACHE_DIR": __import__("os").environ["THUTUC_CACHE_DIR"]}
    if env_lang:
        env["LANG"] = env_lang
    return subprocess.run([sys.executable, "-m", "thutuc", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT)


def test_check_speaks_vietnamese_with_a_vietnamese_locale_or_lang_vi(tmp_path):
    cat = make_catalogue(tmp_path, GOLDEN / "cases" / "duplicate-key" / "files")
    english = _run("check", str(cat))
    assert "duplicate key 'title' (first at line" in english.stdout and "error(s)" in english.stdout
    for vietnamese in (_run("check", str(cat), env_lang="vi_VN.UTF-8"), _run("--lang", "vi", "check", str(cat))):
        assert english.returncode == vietnamese.returncode == 1
        assert "khóa 'title' bị lặp" in vietnamese.stdout, vietnamese.stdout
        assert "duplicate key" not in vietnamese.stdout
    assert "duplicate key" in _run("--lang", "en", "check", str(cat), env_lang="vi_VN.UTF-8").stdout


CASES = sorted(p.name for p in (GOLDEN / "cases").iterdir() if p.is_dir())


@pytest.fixture
def vietnamese():
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def _messages(root) -> list[str]:
    return [p.message for p in check_catalogue(root, display_root="catalogue", today=TODAY).problems]


@pytest.mark.parametrize("case", CASES)
def test_no_problem_of_check_is_left_in_english(tmp_path, case, vietnamese):
    """Each golden case, checked in Vietnamese: no message is the English one."""
    removed = GOLDEN / "cases" / case / "remove.txt"
    root = make_catalogue(tmp_path, GOLDEN / "cases" / case / "files",
                          removed.read_text().split() if removed.is_file() else [])
    in_vietnamese = _messages(root)
    i18n.set_language("en")
    in_english = _messages(root)
    assert len(in_vietnamese) == len(in_english)
    same = [m for m in in_vietnamese if m in in_english]
    assert not same, f"not translated: {same}"


# --- review: every finding in Vietnamese (tool/thutuc/review.py) ---------------------------------
from test_review import AS_OF as REVIEW_AS_OF, stale  # noqa: E402,F401 - stale: one finding of every kind


def test_no_finding_of_review_is_left_in_english(stale):
    """`thutuc --lang vi review`: the same findings as in English (placeholders and unknown facts
    are still told apart when check speaks Vietnamese), and none in English words."""
    import json

    def findings(*lang):
        res = _run(*lang, "review", str(stale), "--as-of", REVIEW_AS_OF.isoformat(), "--format", "json")
        assert res.returncode == 0, res.stderr
        return json.loads(res.stdout)["findings"]

    english, vietnamese = findings(), findings("--lang", "vi")
    where = lambda f: (f["kind"], f["path"], f["line"], f["subject"])  # noqa: E731
    assert sorted(map(where, vietnamese)) == sorted(map(where, english))
    assert {f["kind"] for f in english} >= {"placeholder", "unknown", "expired", "overdue"}
    in_english = {f["message"] for f in english} | {f["action"] for f in english}
    left = [f"{f['kind']}: {text}" for f in vietnamese for text in (f["message"], f["action"]) if text in in_english]
    assert not left, "not translated:\n" + "\n".join(left)


# --- checklist: the counter officer's errors in Vietnamese (tool/thutuc/tailor.py, checklist.py, cli.py) ---

def test_checklist_errors_are_vietnamese_with_lang_vi_and_english_without():
    """An unknown procedure and a wrong answer: Vietnamese with --lang vi, as counter officers read
    them, English otherwise; same exit status, same suggestion, no traceback."""
    catalogue = str(ROOT / "catalogue")
    unknown = ("checklist", "--catalogue", catalogue, "dang-ky-khai-sin")
    wrong = ("checklist", "--catalogue", catalogue, "dang-ky-khai-sinh", "-a", "nop_thay=maybe")
    english, vietnamese = _run(*unknown), _run("--lang", "vi", *unknown)
    assert english.returncode == vietnamese.returncode == 1
    assert "there is no procedure 'dang-ky-khai-sin'; did you mean 'dang-ky-khai-sinh'?" in english.stderr
    assert "không có thủ tục 'dang-ky-khai-sin'; có phải 'dang-ky-khai-sinh'?" in vietnamese.stderr
    assert "there is no procedure" not in vietnamese.stderr and "không có thủ tục" not in english.stderr
    english, vietnamese = _run(*wrong), _run("--lang", "vi", *wrong)
    assert english.returncode == vietnamese.returncode == 1
    assert "nop_thay: answer yes or no (true/false), not 'maybe'" in english.stderr
    assert "nop_thay: trả lời có hoặc không (true/false), không phải 'maybe'" in vietnamese.stderr
    assert "answer yes or no" not in vietnamese.stderr and "không phải" not in english.stderr
    assert "Traceback" not in english.stderr + vietnamese.stderr
