"""Property tests over every command's inputs and every catalogue value (issue 11, "done when").

Whatever a user types or a file holds, a command ends with exit status 0, 1 or 2, never says
"internal error" nor shows a traceback, and changes no file but the one it was asked to write.
Commands run in-process through click's test runner (thutuc.cli._fast_exit exits normally under
pytest), each in its own folder, with the cache in a folder of the test's own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import GOLDEN, ROOT
from thutuc.cli import main
from thutuc.catalogue.yamlload import load_file, load_text

# THUTUC_FUZZ_SCALE=20 THUTUC_FUZZ_RANDOM=1 pytest tests/test_fuzz_commands.py: go looking for more
# (new random inputs each run); by default the same modest set every run, within about 30 s.
SCALE = float(os.environ.get("THUTUC_FUZZ_SCALE", "1"))
SETTINGS = settings(max_examples=int(60 * SCALE), deadline=None, database=None,
                    derandomize=not os.environ.get("THUTUC_FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


# --- values a user or a file can hold ---------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
WEIRD_WORDS = st.sampled_from([
    "", " ", "0", "-1", "1e309", "-1e309", "nan", "inf", "-inf", "2.5", "1.000", "1.500.000", "0x10", "1_000",
    "9" * 5001, "9" * 40, "co", "không", "true", "yes", "null", "~", "2026-02-30", "9999-12-31", "0001-01-01",
    "31/12/9999", "2026-11-26 15:30", "2026-11-26T15:30+14:00", "9999-12-31T23:59-12:00", "李小龙", "✓", "№",
    "\x00", "\t", "\n", "a\nb", "../../etc/passwd", "/etc/passwd", "--output=x", "-x", "HEAD", "HEAD~1",
    "HEAD~999", "@{-1}", "khai-sinh", "1.001193", "giay_chung_sinh", "{a: 1}", "[1, 2]", "'", '"', "\\",
    "<script>alert(1)</script>", "{: onclick=x }", "%s%n", "\u202e", "\ufeff", "Đ" * 300,
])
WORD = st.one_of(WEIRD_WORDS, TEXT)
DATES = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(lambda d: d.isoformat())
SUBMITTED = st.one_of(
    st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M") if d.year >= 1000 else d.isoformat()),
    DATES, WORD)


def scalars():
    return st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                     TEXT, WEIRD_WORDS)


VALUES = st.recursive(scalars(), lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)
# Written into a YAML file as they are: numbers no float holds, YAML's own spellings, broken syntax.
LITERALS = st.sampled_from([
    "9" * 5001, "-" + "9" * 400, "1e309", ".nan", "-.inf", ".INF", "2026-02-30", "2026-13-01", "24:61", "0o17",
    "0x1F", "1_000", "10.000", "+1", "~", "yes", "No", "on", "'quoted'", '"\\x00"', "!!binary aGk=",
    "!!python/object/apply:os.system [ls]", "&a x", "*a", "{a: [b, {c: d}]}", "[" * 70 + "]" * 70,
    "[" * 900 + "]" * 900, "{a: " * 80 + "1" + "}" * 80, "- a\n- b", "|\n  text", ">-\n  folded", "[unclosed",
    "a: b: c", "\t tab", "'it''s'", "\"\\ud800\"", "\"\\U0010FFFF\"", "✓ №", "李小龙", "<!--", "{: x }",
])


# --- running a command -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A folder with the golden base catalogue in a git repository of two commits, a copy of the
    bundled catalogue (for checklists with every kind of question), and a cache folder."""
    top = tmp_path_factory.mktemp("fuzz")
    os.environ["THUTUC_CACHE_DIR"] = str(top / "cache")
    repo = top / "repo"
    shutil.copytree(GOLDEN / "base", repo / "catalogue")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.vn", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-q", "-m", "one"], check=True)
    proc = repo / "catalogue/procedures/ho-tich/khai-sinh.yaml"
    proc.write_text(proc.read_text(encoding="utf-8").replace("Đăng ký khai sinh", "Đăng ký khai sinh mới", 1),
                    encoding="utf-8")
    subprocess.run([*git, "-C", str(repo), "commit", "-q", "-am", "two"], check=True)
    shutil.copytree(ROOT / "catalogue", top / "bundled")
    return top


def tree(folder: Path, skip: set[Path] = frozenset()) -> dict[str, str]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            p = Path(dirpath) / name
            if p in skip:
                continue
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest() if not p.is_symlink() else "link"
    return out


@contextlib.contextmanager
def inside(folder: Path):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run(args: list[str], watch: list[Path], cwd: Path, may_write: set[Path] = frozenset(), lang: str = "en",
        stdin: str = ""):
    """Run thutuc ARGS in CWD; assert the contract; return the result."""
    may_write = {p.resolve() if p.exists() else p for p in may_write}
    befores = [tree(w) for w in watch]
    with inside(cwd):
        result = CliRunner().invoke(main, ["--lang", lang, *args], input=stdin)
    out = result.output
    shown = f"thutuc {' '.join(args)[:300]!r}\n{out[-2000:]}"
    assert "internal error" not in out and "lỗi nội bộ" not in out and "Traceback" not in out, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), (shown, result.exception)
    assert result.exit_code in (0, 1, 2), shown
    for w, before in zip(watch, befores):
        after = tree(w, skip={p for p in may_write})
        before = {k: v for k, v in before.items() if (w / k) not in may_write}
        assert after == before, (shown, set(after.items()) ^ set(before.items()))
    return result


def fresh(world: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=world))


# --- checklist ------------------------------------------------------------------------------------

def _questions() -> dict[str, list[dict]]:
    out = {}
    for f in (ROOT / "catalogue/procedures").rglob("*.yaml"):
        data = load_file(f).data
        out[data["id"]] = data.get("questions") or []
    return out


QUESTIONS = _questions()
BUNDLED_PROCEDURES = sorted(QUESTIONS) + ["1.001193", "2.000815"]
KEYS = sorted({q["key"] for qs in QUESTIONS.values() for q in qs})


def answer_for(q: dict, clean: bool):
    """An answer the question takes (clean), or mostly that, sometimes just outside, sometimes anything."""
    if q["type"] == "boolean":
        good = st.sampled_from(["co", "có", "khong", "không", "true", "false", "1", "0", "y", "n"])
    elif q["type"] == "choice":
        good = st.sampled_from([o["value"] for o in q["options"]] + [o["label"] for o in q["options"]]
                               + [str(i) for i in range(1, len(q["options"]) + 1)])
    elif q["type"] == "number":
        low, high = q.get("min", 0), q.get("max", 10**15)
        good = st.integers(int(low), int(high)).map(str)
        if not clean:
            good = st.one_of(st.integers(int(low) - 2, int(high) + 2).map(str),
                             st.floats(float(low) - 1, float(high) + 1).map(str),
                             st.sampled_from(["1.000", "1.500.000", "1e15", "1e16", "0,5", "2.5"]))
    else:
        good = st.one_of(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(lambda d: d.isoformat()),
                         st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")))
    return good if clean else st.one_of(good, good, good, WORD)


@st.composite
def checklist_args(draw):
    """Half the time a case the command takes (so PDFs, fees and due dates are made), else chaos."""
    clean = draw(st.booleans())
    pid = draw(st.sampled_from(BUNDLED_PROCEDURES) if clean else st.one_of(*[st.sampled_from(BUNDLED_PROCEDURES)] * 6, WORD))
    args = [pid]
    for q in QUESTIONS.get(pid, []):
        if clean or draw(st.integers(0, 9)) > 0:
            args += ["-a", f"{q['key']}={draw(answer_for(q, clean))}"]
    when = st.datetimes(dt.datetime(1970, 1, 1), dt.datetime(2100, 10, 31)).map(lambda d: d.strftime("%Y-%m-%d %H:%M"))
    if clean:
        args += ["--submitted", draw(when)] if draw(st.booleans()) else []
        for option in ("--applicant", "--address", "--phone", "--email"):
            if draw(st.booleans()):
                args += [option, draw(st.text(st.characters(codec="cp1258", exclude_categories=("Cs", "Cc")),
                                              max_size=30))]
        args += ["--generic"] if draw(st.integers(0, 4)) == 0 else []
        return args
    for _ in range(draw(st.integers(0, 1))):
        key = draw(st.one_of(st.sampled_from(["so_trang", "nop_thay", "loai"]), WORD.filter(lambda w: not w.startswith("-"))))
        args += ["-a", f"{key}={draw(WORD)}" if draw(st.booleans()) else key]
    if draw(st.booleans()):
        args += ["--submitted", draw(st.one_of(when, when, when, SUBMITTED))]
    if draw(st.integers(0, 5)) == 0:
        args += ["--as-of", draw(st.one_of(DATES, DATES, WORD))]
    if draw(st.integers(0, 4)) == 0:
        args += ["--generic"]
    for _ in range(draw(st.integers(0, 2))):
        args += ["--have", draw(WORD)]
    if draw(st.integers(0, 3)) == 0:
        args += ["--receipt"]
    for option in ("--applicant", "--address", "--phone", "--email"):
        if draw(st.integers(0, 3)) == 0:
            args += [option, draw(WORD)]
    if draw(st.integers(0, 6)) == 0:
        args += ["--channel", draw(st.sampled_from(["in_person", "online", "post", "fax"]))]
    return args


@settings(SETTINGS, max_examples=int(100 * SCALE))
@given(args=checklist_args(), fmt=st.sampled_from(["pdf", "json", "html", "md"]), answers=st.one_of(
    st.none(), VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), VALUES.map(json.dumps),
    st.dictionaries(st.sampled_from(KEYS), st.one_of(LITERALS, WEIRD_WORDS), max_size=4).map(
        lambda d: "".join(f"{k}: {v}\n" for k, v in d.items())),
    st.binary(max_size=200)), lang=st.sampled_from(["en", "vi"]))
def test_checklist_inputs(world, args, fmt, answers, lang):
    work = fresh(world)
    cat = world / "bundled"
    extra = []
    if answers is not None:
        (work / "answers.yaml").write_bytes(answers if isinstance(answers, bytes) else answers.encode("utf-8"))
        extra = ["--answers", "answers.yaml"]
    out = work / f"out.{fmt}"
    run(["checklist", "--catalogue", str(cat), *args, *extra, "--format", fmt, "-o", str(out)],
        watch=[work, cat], cwd=work, may_write={out}, lang=lang)


@SETTINGS
@given(code=st.one_of(WORD, st.builds(lambda a, b: f"{a}_{b}", st.sampled_from(
    ["2.000815_7407e2_i2611260900_1.1", "1.001193_7407e2_i9912310800_0.0.0.0.2", "x_y_z_w", "g", ""]), WORD)),
    fmt=st.sampled_from(["pdf", "json"]))
def test_checklist_codes(world, code, fmt):
    work = fresh(world)
    cat = world / "bundled"
    out = work / f"out.{fmt}"
    run(["checklist", "--catalogue", str(cat), "--code", code, "--format", fmt, "-o", str(out)],
        watch=[work, cat], cwd=work, may_write={out})


@settings(SETTINGS, max_examples=int(15 * SCALE))
@given(rows=st.lists(st.lists(st.one_of(WORD, st.sampled_from(["1", "2", "khong", "co"])), min_size=0, max_size=5),
                     max_size=4),
       header=st.lists(st.one_of(st.sampled_from(["applicant", "so_trang", "so_ban", "submitted", "procedure",
                                                  "channel"]), WORD), max_size=5),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "utf-16"]))
def test_batch_files(world, rows, header, encoding):
    import csv
    import io

    work = fresh(world)
    cat = world / "bundled"
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    (work / "rows.csv").write_bytes(buf.getvalue().encode(encoding, "replace"))
    result = run(["checklist", "--catalogue", str(cat), "chung-thuc-ban-sao-tu-ban-chinh", "--batch", "rows.csv",
                  "--out-dir", "out", "--format", "json", "--submitted", "2026-11-26 08:00"],
                 watch=[cat], cwd=work)
    written = {p.name for p in work.iterdir()}
    assert written <= {"rows.csv", "out"}, (written, result.output)


# --- every catalogue value --------------------------------------------------------------------------

def _paths(data, path=()):
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, path + (i,))


BASE_FILES = sorted(p.relative_to(GOLDEN / "base").as_posix() for p in (GOLDEN / "base").rglob("*.yaml"))
PLACEHOLDER = "PLACEHOLDER-7f3a"


BUNDLED_FILES = sorted(p.relative_to(ROOT / "catalogue").as_posix() for p in (ROOT / "catalogue").rglob("*.yaml"))


@st.composite
def mutation(draw, base: Path = GOLDEN / "base", files: list[str] = BASE_FILES):
    """(file, new text): one value of one file of ``base`` replaced, or a key added, by a value of
    any type (written by YAML's own dumper) or a literal written as it is."""
    rel = draw(st.sampled_from(files))
    data = load_file(base / rel).data
    paths = list(_paths(data))
    path = draw(st.sampled_from(paths))
    target = data
    for part in path[:-1]:
        target = target[part]
    old = target[path[-1]] if path else data
    literal = None
    if draw(st.booleans()) and isinstance(old, (str, int, float, bool)):  # same type: often still valid
        value = draw({str: st.one_of(TEXT, WEIRD_WORDS), bool: st.booleans(), float: st.floats(),
                      int: st.integers(-10, 10**12)}[type(old)])
    else:
        literal = draw(st.one_of(st.none(), LITERALS))
        value = PLACEHOLDER if literal is not None else draw(VALUES)
    if not path:
        data = value
    elif draw(st.booleans()) and isinstance(target, dict):
        target[draw(st.one_of(st.sampled_from(["id", "name", "when", "amount", "legal_basis", "agencies", "q"]),
                              TEXT))] = value
    else:
        target[path[-1]] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    if literal is not None:
        text = text.replace(PLACEHOLDER, literal)
    return rel, text


@settings(SETTINGS, max_examples=int(120 * SCALE))
@given(change=mutation(), lang=st.sampled_from(["en", "vi"]))
def test_any_catalogue_value(world, change, lang):
    """check, and with a catalogue that passes, the commands that read its model, on any value."""
    rel, text = change
    work = fresh(world)
    cat = work / "catalogue"
    shutil.copytree(GOLDEN / "base", cat)
    (cat / rel).write_text(text, encoding="utf-8")
    result = run(["check", str(cat)], watch=[work], cwd=work, lang=lang)
    run(["check", str(cat), "--format", "json"], watch=[work], cwd=work, lang=lang)
    if result.exit_code == 0:
        out = work / "out.pdf"
        run(["checklist", "--catalogue", str(cat), "khai-sinh", "-a", "nop_thay=co", "--submitted",
             "2026-11-26 09:00", "-o", str(out)], watch=[work], cwd=work, may_write={out}, lang=lang)
        run(["checklist", "--catalogue", str(cat), "khai-sinh", "--generic", "--format", "html", "-o", str(out)],
            watch=[work], cwd=work, may_write={out}, lang=lang)
        run(["export", "--catalogue", str(cat), "--format", "jsonld"], watch=[work], cwd=work, lang=lang)
        run(["review", str(cat), "--as-of", "2026-11-26"], watch=[work], cwd=work, lang=lang)


def _default_answers(data) -> str:
    out = {}
    for q in (data.get("questions") or []) if isinstance(data, dict) else []:
        if not isinstance(q, dict) or not isinstance(q.get("key"), str):
            continue
        if "default" in q:
            out[q["key"]] = q["default"]
        elif q.get("type") == "choice" and q.get("options"):
            out[q["key"]] = q["options"][0].get("value") if isinstance(q["options"][0], dict) else None
        elif q.get("type") == "number":
            out[q["key"]] = q.get("min", 1)
        elif q.get("type") == "date":
            out[q["key"]] = "2026-01-01"
        else:
            out[q["key"]] = False
    return json.dumps(out, ensure_ascii=False, default=str)


@settings(SETTINGS, max_examples=int(30 * SCALE))
@given(change=mutation(ROOT / "catalogue", BUNDLED_FILES), fmt=st.sampled_from(["pdf", "json", "html"]))
def test_any_value_of_the_bundled_catalogue(world, change, fmt):
    """Every kind of field the bundled catalogue has (tiers, percent fees, exemptions, stages,
    agencies' hours, calendar days): any value there, then the commands that read the model."""
    rel, text = change
    work = fresh(world)
    cat = work / "catalogue"
    shutil.copytree(ROOT / "catalogue", cat)
    (cat / rel).write_text(text, encoding="utf-8")
    result = run(["check", str(cat)], watch=[work], cwd=work)
    if result.exit_code != 0:
        return
    data = load_text(rel, text).data if rel.startswith("procedures/") else None
    pid = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else COPIES_ID
    answers = work / "answers.json"
    answers.write_text(_default_answers(data if pid != COPIES_ID else load_file(
        ROOT / "catalogue/procedures/chung-thuc/chung-thuc-ban-sao-tu-ban-chinh.yaml").data), encoding="utf-8")
    out = work / f"out.{fmt}"
    for extra in (["--answers", str(answers), "--submitted", "2026-02-10 16:00"], ["--generic"],
                  ["--answers", str(answers), "--have", "khong-co", "--receipt"]):
        run(["checklist", "--catalogue", str(cat), pid, *extra, "--format", fmt, "-o", str(out)],
            watch=[work], cwd=work, may_write={out})
        out.unlink(missing_ok=True)
    run(["export", "--catalogue", str(cat), "--format", "csv"], watch=[work], cwd=work)


COPIES_ID = "chung-thuc-ban-sao-tu-ban-chinh"


# --- the other commands --------------------------------------------------------------------------

@SETTINGS
@given(as_of=st.one_of(DATES, WORD), fmt=st.sampled_from(["json", "csv", "jsonld"]),
       review_fmt=st.sampled_from(["table", "md", "json"]), fail_on=st.one_of(st.just(""), WORD))
def test_dates_for_check_review_export(world, as_of, fmt, review_fmt, fail_on):
    cat = world / "repo/catalogue"
    work = fresh(world)
    out = work / "out.txt"
    run(["check", str(cat), "--as-of", as_of], watch=[cat, work], cwd=work)
    run(["review", str(cat), "--as-of", as_of, "--format", review_fmt, "--fail-on", fail_on, "-o", str(out)],
        watch=[cat, work], cwd=work, may_write={out})
    run(["export", "--catalogue", str(cat), "--as-of", as_of, "--format", fmt, "-o", str(out)],
        watch=[cat, work], cwd=work, may_write={out})


@SETTINGS
@given(old=st.one_of(st.sampled_from(["HEAD", "HEAD~1", "HEAD~2", "HEAD^", "catalogue", ".", "..", "-", "--",
                                      "--output=pwned", "-o", "HEAD:catalogue", "HEAD~1..HEAD"]), WORD),
       new=st.one_of(st.none(), st.sampled_from(["HEAD", "catalogue", "HEAD~1"]), WORD),
       fmt=st.sampled_from(["md", "json"]))
def test_diff_revisions(world, old, new, fmt):
    repo = world / "repo"
    out = repo / "diff-out.txt"
    args = ["diff", "--catalogue", "catalogue", "--format", fmt, "-o", str(out), "--", old,
            *([new] if new is not None else [])]
    try:
        run(args, watch=[repo], cwd=repo, may_write={out})
    finally:
        out.unlink(missing_ok=True)


@SETTINGS
@given(pid=st.one_of(st.sampled_from(["dang-ky-moi", "khai-sinh", "a", "-", "Dang-Ky", "../x", "x" * 200]), WORD),
       field=st.one_of(st.none(), st.sampled_from(["ho-tich", "chung-thuc", "khong-co"]), WORD),
       title=st.one_of(st.none(), WORD), source=st.one_of(st.none(), st.sampled_from(["khai-sinh", "1.001193"]), WORD),
       dry_run=st.booleans())
def test_new_procedure(world, pid, field, title, source, dry_run):
    work = fresh(world)
    cat = work / "catalogue"
    shutil.copytree(GOLDEN / "base", cat)
    args = ["new", pid, "--catalogue", str(cat)]
    args += ["--field", field] if field is not None else []
    args += ["--title", title] if title is not None else []
    args += ["--from", source] if source is not None else []
    args += ["--dry-run"] if dry_run else []
    before = tree(cat)
    result = run(args, watch=[], cwd=work)
    after = tree(cat)
    changed = set(after.items()) ^ set(before.items())
    if dry_run or result.exit_code != 0:
        assert not changed, (args, result.output, changed)
    else:  # exactly one new file, under procedures/
        added = set(after) - set(before)
        assert len(added) == 1 and next(iter(added)).startswith("procedures/"), (args, changed)
        assert {k: v for k, v in after.items() if k not in added} == before


@SETTINGS
@given(name=st.one_of(st.none(), st.sampled_from(["procedure", "common", "calendar", "../procedure", ""]), WORD),
       to_folder=st.booleans())
def test_schema_names(world, name, to_folder):
    work = fresh(world)
    out = work / "schemas"
    args = ["schema", *([name] if name is not None else []), *(["--out", str(out)] if to_folder else [])]
    run(args, watch=[ROOT / "schemas"], cwd=work)
    assert {p.name for p in work.iterdir()} <= {"schemas"}  # writes only into --out
    if to_folder and out.exists():
        assert all(p.suffix == ".json" for p in out.rglob("*") if p.is_file())


@SETTINGS
@given(command=st.sampled_from(["reviewed", "retire"]),
       pid=st.one_of(st.sampled_from(["khai-sinh", "1.001193"]), WORD), by=WORD, on=st.one_of(DATES, WORD),
       reason=WORD, successor=st.one_of(st.none(), st.sampled_from(["khai-sinh"]), WORD), dry_run=st.booleans())
def test_edit_commands(world, command, pid, by, on, reason, successor, dry_run):
    work = fresh(world)
    cat = work / "catalogue"
    shutil.copytree(GOLDEN / "base", cat)
    target = cat / "procedures/ho-tich/khai-sinh.yaml"
    if command == "reviewed":
        args = ["reviewed", pid, "--catalogue", str(cat), "--by", by, "--on", on]
    else:
        args = ["retire", pid, "--catalogue", str(cat), "--on", on, "--reason", reason]
        args += ["--superseded-by", successor] if successor is not None else []
    args += ["--dry-run"] if dry_run else []
    result = run(args, watch=[work], cwd=work, may_write=set() if dry_run else {target})
    if result.exit_code == 0 and not dry_run:  # the catalogue is checked before anything is written
        assert run(["check", str(cat)], watch=[work], cwd=work).exit_code == 0, (args, result.output)
