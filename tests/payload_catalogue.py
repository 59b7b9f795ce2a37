"""A copy of the bundled catalogue whose every text field holds markup, script and tracking payloads.

Every string in every file is appended with all PAYLOADS; then `thutuc check` says which strings
are not free text (ids, references, enum values, dates, URLs, answers in conditions…) and those
are put back, until the catalogue is valid. What is left mutated is exactly the free text the
schemas allow, in every kind of file (procedures, agencies, fields and life events, legal
documents, shared documents, the office).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "{: autofocus onfocus=alert(1) }",
    '{: style="background:url(https://evil.example/x)" }',
    "<img src=https://evil.example/t.png>",
    "<!--",
    "<!--<script>",
    "</script><script>alert(1)</script>",
    "a < b",
    "&lt;b&gt;",
    "*bold* _x_ [l](javascript:alert(1))",
    "x\u2028y",
]
SUFFIX = " " + " ".join(PAYLOADS)
# What a reader sees: whitespace (U+2028 included) shown as one space.
SHOWN = [" ".join(p.split()) for p in PAYLOADS]
MARK = "<img src=x onerror=alert(1)>"  # the first payload: a string holding it was mutated


def _yaml():
    from ruamel.yaml import YAML

    y = YAML()
    y.width = 1 << 20
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _strings(node, path=()):
    """(path, value) of every string scalar, and a setter for it."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str):
                yield path + (k,), node, k
            else:
                yield from _strings(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, str):
                yield path + (i,), node, i
            else:
                yield from _strings(v, path + (i,))


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _check(root: Path) -> list[dict]:
    env = dict(os.environ, LC_ALL="C.UTF-8")
    run = subprocess.run([sys.executable, "-m", "thutuc", "check", str(root), "--format", "json"],
                         capture_output=True, text=True, env=env)
    return [p for p in json.loads(run.stdout or "[]") if p["severity"] == "error"]


def _git(tmp: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(tmp), "-c", "user.name=thutuc tests", "-c", "user.email=tests@thutuc.invalid",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def make(tmp: Path, procedures: int | None = None, history: bool = True) -> Path:
    """The payload catalogue in tmp/catalogue. ``procedures``: keep only that many procedures
    (plus the ones they need as successors), to keep browser tests quick. ``history``: tmp
    becomes a git repository with the bundled catalogue, then the payload one, committed, so the
    "Thay đổi" page and its feed announce every procedure as amended, with payloads."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    root = tmp / "catalogue"
    shutil.copytree(ROOT / "catalogue", root)
    if procedures is not None:
        _subset(root, procedures)
    if history:
        _git(tmp, "init", "-q")
        _git(tmp, "add", "catalogue")
        _git(tmp, "commit", "-q", "-m", "bundled catalogue")
    y = _yaml()
    files = sorted(p for p in root.rglob("*.yaml") if p.name != "calendar.yaml")
    docs = {f: y.load(f.read_text(encoding="utf-8")) for f in files}
    originals: dict[tuple[Path, tuple], str] = {}
    for f, data in docs.items():
        for path, parent, k in list(_strings(data)):
            originals[(f, path)] = str(parent[k])
            parent[k] = DoubleQuotedScalarString(str(parent[k]) + SUFFIX)

    def write():
        for f, data in list(docs.items()):
            buf = io.StringIO()
            y.dump(data, buf)
            f.write_text(buf.getvalue(), encoding="utf-8")
            docs[f] = y.load(buf.getvalue())  # positions as in the file check reads

    def node_of(f: Path, path: tuple):
        node = docs[f]
        for part in path[:-1]:
            node = node[part]
        return node

    def mutated(f: Path) -> dict[str, tuple]:
        """key as check writes it -> path, for the strings of f still holding the payloads"""
        out = {}
        for (g, path) in originals:
            if g == f:
                value = node_of(f, path)[path[-1]]
                if isinstance(value, str) and value.endswith(SUFFIX):
                    out[_key(path)] = path
        return out

    for _round in range(8):
        write()
        errors = _check(root)
        if not errors:
            if history:
                _git(tmp, "add", "catalogue")
                _git(tmp, "commit", "-q", "-m", "payloads " + SUFFIX)
            return root
        by_file: dict[Path, list[dict]] = {}
        for e in errors:
            by_file.setdefault(Path(e["path"]).resolve(), []).append(e)
        restored = 0
        for f in docs:
            problems = by_file.get(f.resolve())
            if not problems:
                continue
            strings = mutated(f)
            undo = set()
            for e in problems:
                k = e["key"]
                if k in strings:  # the string itself is not free text (an id, enum, date…)
                    undo.add(strings[k])
                    continue
                inside = [p for key, p in strings.items() if key.startswith((k + ".", k + "["))]
                if inside:  # e.g. a condition whose answers no longer match: its strings
                    undo.update(inside)
                    continue
                for key, p in strings.items():  # anything else: the strings on that line
                    node = node_of(f, p)
                    line = (node.lc.key(p[-1]) if isinstance(node, dict) else node.lc.item(p[-1]))[0] + 1
                    if line == e["line"]:
                        undo.add(p)
            for path in undo:
                node_of(f, path)[path[-1]] = originals[(f, path)]
            restored += len(undo)
        if not restored:
            raise AssertionError("payload catalogue stays invalid: " + json.dumps(errors[:5], ensure_ascii=False))
    raise AssertionError("payload catalogue did not become valid")


def _subset(root: Path, keep: int) -> None:
    """Keep `keep` procedures with questions, forms, fees and several channels first, and every
    procedure another kept one names as its successor or in a condition."""
    import yaml

    procs = sorted((root / "procedures").rglob("*.yaml"))
    keep_ids = {"dang-ky-khai-sinh", "chung-thuc-ban-sao-tu-ban-chinh",
                "dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho", "cap-giay-phep-xay-dung-nha-o-rieng-le"}
    texts = {p: p.read_text(encoding="utf-8") for p in procs}
    ids = {p: re.search(r"^id: (\S+)", t, re.M).group(1) for p, t in texts.items()}
    # abolished and suspended ones too: they have pages of their own
    for p, t in texts.items():
        if re.search(r"status: (abolished|suspended)", t):
            keep_ids.add(ids[p])
    for p in procs:
        if len(keep_ids) >= keep:
            break
        keep_ids.add(ids[p])
    # successors and any procedure referred to by id
    changed = True
    while changed:
        changed = False
        for p, t in texts.items():
            if ids[p] in keep_ids:
                for other in ids.values():
                    if other not in keep_ids and re.search(rf"\b{re.escape(other)}\b", t):
                        keep_ids.add(other)
                        changed = True
    for p in procs:
        if ids[p] not in keep_ids:
            p.unlink()
    del yaml
