"""Property tests: the loader and `check` survive any mutation of a valid file and say where."""

import string
import unicodedata
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import GOLDEN, TODAY, make_catalogue
from thutuc.catalogue.check import check_catalogue
from thutuc.catalogue.yamlload import decode, load_text

VALID = (GOLDEN / "base/procedures/ho-tich/khai-sinh.yaml").read_text(encoding="utf-8")
LINES = VALID.splitlines(keepends=True)
TOP_KEYS = [line.split(":")[0] for line in LINES if line[:1].isalpha()]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _replace_top_key(key: str, replacement: list[str]) -> bytes:
    """The valid file with a top-level key (and its block) replaced by some lines."""
    out, skipping = [], False
    for line in LINES:
        if line.startswith(f"{key}:"):
            out += replacement
            skipping = True
            continue
        if skipping and line[:1] in (" ", "-"):
            continue
        skipping = False
        out.append(line)
    return "".join(out).encode()


def _check_file(tmp: Path, content: bytes):
    root = make_catalogue(tmp)
    (root / "procedures/ho-tich/khai-sinh.yaml").write_bytes(content)
    return check_catalogue(root, display_root="catalogue", today=TODAY)


def _assert_positions(result, content: bytes):
    n_lines = content.count(b"\n") + 2
    for p in result.problems:
        assert p.severity in ("error", "warning")
        assert 1 <= p.line <= n_lines, p
        assert p.col >= 1, p
        assert p.message


truncations = st.integers(min_value=0, max_value=len(VALID.encode()))
junk = st.binary(min_size=1, max_size=20)


@SETTINGS
@given(cut=truncations)
def test_truncated_file_is_reported_not_crashed(tmp_path_factory, cut):
    content = VALID.encode()[:cut]
    result = _check_file(tmp_path_factory.mktemp("t"), content)
    _assert_positions(result, content)
    if cut < len(VALID.encode()) // 2:
        assert result.errors > 0  # half a procedure always misses required keys


@SETTINGS
@given(at=truncations, data=junk)
def test_random_bytes_never_crash(tmp_path_factory, at, data):
    raw = VALID.encode()
    content = raw[:at] + data + raw[at:]
    result = _check_file(tmp_path_factory.mktemp("t"), content)
    _assert_positions(result, content)


@SETTINGS
@given(key=st.sampled_from(["title", "summary", "field", "levels", "documents", "channels",
                            "processing_time", "fees", "results", "legal_basis", "lifecycle"]))
def test_deleted_required_key_is_an_error_naming_it(tmp_path_factory, key):
    content = _replace_top_key(key, [])
    result = _check_file(tmp_path_factory.mktemp("t"), content)
    assert any(p.severity == "error" and f"'{key}'" in p.message for p in result.problems)


@SETTINGS
@given(i=st.integers(min_value=0, max_value=len(LINES) - 1))
def test_duplicated_top_level_line_is_a_duplicate_key(tmp_path_factory, i):
    line = LINES[i]
    if not line[:1].isalpha():
        return
    content = "".join(LINES[: i + 1] + [line] + LINES[i + 1 :]).encode()
    result = _check_file(tmp_path_factory.mktemp("t"), content)
    key = line.split(":")[0]
    assert any(p.line == i + 2 and "duplicate key" in p.message and key in p.message for p in result.problems)


swapped = st.sampled_from(["[]", "{}", "42", "true", "null", "'text'", "[1, 2]", "2026-01-01", "no", "1.5"])


@SETTINGS
@given(key=st.sampled_from(TOP_KEYS), value=swapped)
def test_swapped_type_is_reported_in_place_never_crashes(tmp_path_factory, key, value):
    content = _replace_top_key(key, [f"{key}: {value}\n"])
    result = _check_file(tmp_path_factory.mktemp("t"), content)
    _assert_positions(result, content)


json_like = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**12, max_value=10**12)
    | st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8), children, max_size=4),
    max_leaves=15,
)


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8), json_like, min_size=1, max_size=5))
def test_loader_reads_back_what_a_yaml_writer_wrote(data):
    """Anything a standard YAML writer emits comes back unchanged (in NFC) with our strict rules."""
    text, problems = decode("x.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    assert not [p for p in problems if p.severity == "error"]
    loaded = load_text("x.yaml", text)
    assert loaded.problems == []
    assert loaded.data == _nfc(data)
    for path in loaded.values:
        assert loaded.values[path][0] >= 1
