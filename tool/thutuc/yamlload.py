"""Strict YAML loading that keeps line and column for every key and value.

PyYAML's C composer builds the node tree (fast, with marks); this module walks it with its own
scalar rules instead of PyYAML's constructors, so nothing is converted behind the editor's back:
dates, times, ``yes``/``no`` and codes like ``1.001193`` written without quotes stay what the
schema can explain, duplicate keys are errors, and anchors, aliases, merge keys and custom tags are
refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from thutuc.problems import Problem, key_path

MAX_BYTES = 512 * 1024

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+\Z")
_STD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "value")
}
_MERGE = "tag:yaml.org,2002:merge"

Path_ = tuple  # a key path such as ("documents", 2, "originals")


@dataclass
class Loaded:
    """A loaded file: plain data plus the position of every value and key (1-based)."""

    path: str
    data: Any = None
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Plain scalars turned into numbers or booleans, with their source text (for hints).
    raw: dict[Path_, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def at(self, path: Path_, prefer_key: bool = False) -> tuple[int, int]:
        """Best position for a key path: the key or value itself, else its nearest parent."""
        p = tuple(path)
        while True:
            first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            if p in first:
                return first[p]
            if p in second:
                return second[p]
            if not p:
                return (1, 1)
            p = p[:-1]

    def problem(self, path: Path_, severity: str, message: str, prefer_key: bool = False) -> Problem:
        line, col = self.at(path, prefer_key)
        return Problem(self.path, line, col, severity, key_path(path), message)


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(node: yaml.ScalarNode) -> tuple[Any, bool]:
    """Our own resolution: only true/false, null, and plain decimal numbers are not text."""
    value = node.value
    if node.style:  # quoted or block: always text (the C composer gives '' for plain)
        return value, False
    if value in ("", "~", "null"):
        return None, True
    if value == "true":
        return True, True
    if value == "false":
        return False, True
    if _INT.match(value):
        return int(value), True
    if _FLOAT.match(value):
        return float(value), True
    return value, False


def _offset_to_pos(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return line, col


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes to NFC text, or problems saying why the file cannot be read as YAML text."""
    if len(data) > MAX_BYTES:
        return None, [Problem(path, 1, 1, "error", "",
                              f"file is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit; "
                              "split it into smaller files")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _offset_to_pos(data, exc.start)
        return None, [Problem(path, line, col, "error", "",
                              f"byte 0x{data[exc.start]:02X} is not UTF-8; save the file as UTF-8")]
    problems = []
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        for i, (a, b) in enumerate(zip(text.split("\n"), nfc.split("\n"))):
            if a != b:
                col = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), len(b)) + 1
                problems.append(Problem(path, i + 1, col, "warning", "",
                                        "text is not in Unicode NFC (decomposed diacritics); it was "
                                        "read as NFC, re-save the file with composed characters"))
                break
        text = nfc
    for i, line in enumerate(text.split("\n")):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            problems.append(Problem(path, i + 1, line.index("\t") + 1, "error", "",
                                    "tab in indentation; indent with spaces"))
    return text, problems


def _anchor_problems(path: str, text: str) -> list[Problem]:
    out = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            line, col = _pos(event.start_mark)
            out.append(Problem(path, line, col, "error", "",
                               f"alias *{event.anchor} is not allowed; write the value out in full"))
        elif getattr(event, "anchor", None):
            line, col = _pos(event.start_mark)
            out.append(Problem(path, line, col, "error", "",
                               f"anchor &{event.anchor} is not allowed; write values out in full"))
    return out


def _yaml_error(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = _pos(mark) if mark is not None else (1, 1)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    start = getattr(exc, "context_mark", None)
    if context and start is not None and start.line + 1 != line:
        context += f" started at line {start.line + 1}"
    message = f"not valid YAML: {what}" + (f" ({context})" if context else "")
    if "expected a single document" in str(exc):
        message = "not valid YAML: only one document per file (remove the second '---')"
    return Problem(path, line, col, "error", "", message)


def load_text(path: str, text: str) -> Loaded:
    """Compose and walk YAML text already decoded by :func:`decode`."""
    out = Loaded(path)
    has_anchors = ("&" in text or "*" in text)
    try:
        if has_anchors:
            out.problems += _anchor_problems(path, text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        out.problems.append(_yaml_error(path, exc))
        return out
    if node is None:
        out.problems.append(Problem(path, 1, 1, "error", "", "file is empty"))
        return out
    seen: set[int] = set()

    def walk(n: yaml.Node, p: Path_) -> Any:
        out.values[p] = _pos(n.start_mark)
        if n.tag not in _STD_TAGS:  # report, then read the value as if untagged
            out.problems.append(out.problem(p, "error", f"custom tag {n.tag} is not allowed"))
        if isinstance(n, yaml.ScalarNode):
            value, converted = _scalar(n)
            if converted and value is not None:
                out.raw[p] = n.value
            return value
        if id(n) in seen:  # an alias (already reported): do not expand it again
            return None
        seen.add(id(n))
        if isinstance(n, yaml.SequenceNode):
            return [walk(item, p + (i,)) for i, item in enumerate(n.value)]
        result: dict[str, Any] = {}
        for k, v in n.value:
            kpos = _pos(k.start_mark)
            if not isinstance(k, yaml.ScalarNode):
                out.problems.append(Problem(path, *kpos, "error", key_path(p),
                                            "a key must be a plain word, not a list or mapping"))
                continue
            if k.tag == _MERGE and k.value == "<<":
                out.problems.append(Problem(path, *kpos, "error", key_path(p),
                                            "merge key << is not allowed; write the keys out in full"))
                continue
            name = k.value
            if name in result:
                first = out.keys[p + (name,)]
                out.problems.append(Problem(path, *kpos, "error", key_path(p + (name,)),
                                            f"duplicate key '{name}' (first at line {first[0]}); "
                                            "keep only one"))
                continue
            out.keys[p + (name,)] = kpos
            result[name] = walk(v, p + (name,))
        return result

    out.data = walk(node, ())
    return out


def load_file(path: Path, display: str | None = None) -> Loaded:
    """Read and load one file; never raises for bad content."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Loaded(name, problems=[Problem(name, 1, 1, "error", "", f"cannot read file: {exc.strerror}")])
    text, problems = decode(name, data)
    if text is None or any(p.severity == "error" for p in problems):
        return Loaded(name, problems=problems)  # tabs: the YAML parser's own message would only confuse
    loaded = load_text(name, text)
    loaded.problems[:0] = problems
    return loaded
