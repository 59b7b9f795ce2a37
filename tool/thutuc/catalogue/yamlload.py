"""Strict YAML loading that keeps line and column for every key and value.

PyYAML's C composer builds the node tree (fast, with marks); this module walks it with its own
scalar rules instead of PyYAML's constructors, so nothing is converted behind the editor's back:
dates, times, ``yes``/``no`` and codes like ``1.001193`` written without quotes stay what the
schema can explain, duplicate keys are errors, and anchors, aliases, merge keys and custom tags are
refused.
"""

from __future__ import annotations

import marshal
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from thutuc.i18n import N_, _
from thutuc.problems import Problem, key_path

MAX_BYTES = 512 * 1024
# Deepest nesting of lists and mappings a file may have. The catalogue's deepest legitimate value
# is a condition inside a fee exemption (about a dozen levels); past a few hundred, walking the
# value (here, in the schema validator, in the rules) would exhaust Python's stack.
MAX_DEPTH = 64

class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The C composer without PyYAML's implicit typing: _scalar types plain scalars itself,
    and skipping the regex resolver halves the time to compose."""

    def resolve(self, kind, value, implicit):
        return _IMPLICIT[kind]


_IMPLICIT = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
             yaml.MappingNode: "tag:yaml.org,2002:map"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+\Z")
_STD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "value")
}
_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)

Path_ = tuple  # a key path such as ("documents", 2, "originals")


@dataclass
class Loaded:
    """A loaded file: plain data plus the position of every value and key (1-based)."""

    path: str
    data: Any = None
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Plain scalars read as numbers or booleans, with their source text (for hints).
    raw: dict[Path_, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str | None = None
    integral_float: bool = False  # "10.000" read as 10.0, which JSON Schema calls an integer
    # values and keys still marshalled (from the file cache): most files never need a position
    packed_positions: bytes | None = None
    digest: str | None = None  # hash of the file's bytes, when it was read through a cache

    def at(self, path: Path_, prefer_key: bool = False) -> tuple[int, int]:
        """Best position for a key path: the key or value itself, else its nearest parent."""
        if self.packed_positions is not None:
            self.values, self.keys = marshal.loads(self.packed_positions)
            self.packed_positions = None
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

    def problem(self, path: Path_, severity: str, message: str, prefer_key: bool = False,
                topic: str = "") -> Problem:
        line, col = self.at(path, prefer_key)
        return Problem(self.path, line, col, severity, key_path(path), message, topic)


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
        if len(value) > 30:  # no catalogue number has that many digits (Python reads at most 4,300)
            return value, False
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
                              _("file is {size:,} bytes, over the {limit:,}-byte limit; split it into "
                                "smaller files").format(size=len(data), limit=MAX_BYTES))]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _offset_to_pos(data, exc.start)
        return None, [Problem(path, line, col, "error", "",
                              _("byte 0x{byte:02X} is not UTF-8; save the file as UTF-8").format(
                                  byte=data[exc.start]))]
    problems = []
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if not unicodedata.is_normalized("NFC", text):
        nfc = unicodedata.normalize("NFC", text)
        for i, (a, b) in enumerate(zip(text.split("\n"), nfc.split("\n"))):
            if a != b:
                col = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), len(b)) + 1
                problems.append(Problem(path, i + 1, col, "warning", "",
                                        _("text is not in Unicode NFC (decomposed diacritics); it was "
                                          "read as NFC, re-save the file with composed characters")))
                break
        text = nfc
    for m in _TAB_INDENT.finditer(text) if "\t" in text else ():
        line = text.count("\n", 0, m.start()) + 1
        problems.append(Problem(path, line, m.end() - m.start(), "error", "",
                                _("tab in indentation; indent with spaces")))
    return text, problems


def _anchor_problems(path: str, text: str) -> list[Problem]:
    out = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            line, col = _pos(event.start_mark)
            out.append(Problem(path, line, col, "error", "",
                               _("alias *{name} is not allowed; write the value out in full").format(
                                   name=event.anchor)))
        elif getattr(event, "anchor", None):
            line, col = _pos(event.start_mark)
            out.append(Problem(path, line, col, "error", "",
                               _("anchor &{name} is not allowed; write values out in full").format(
                                   name=event.anchor)))
    return out


# What libyaml says, marked for translation (N_) so `make messages` extracts them; a message
# not listed here is shown as libyaml wrote it.
_PARSER_MESSAGES = (
    N_("did not find expected ',' or ']'"), N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"), N_("did not find expected <document start>"),
    N_("did not find expected alphabetic or numeric character"), N_("did not find expected key"),
    N_("did not find expected tag URI"), N_("did not find expected node content"),
    N_("did not find expected comment or line break"), N_("could not find expected ':'"),
    N_("found a tab character where an indentation space is expected"),
    N_("found a tab character that violates indentation"),
    N_("found character that cannot start any token"), N_("found duplicate %YAML directive"),
    N_("found undefined tag handle"), N_("found unexpected end of stream"),
    N_("found unknown escape character"), N_("mapping values are not allowed in this context"),
    N_("block sequence entries are not allowed in this context"), N_("found unexpected ':'"),
    N_("while parsing a flow sequence"), N_("while parsing a flow mapping"),
    N_("while parsing a block collection"), N_("while parsing a block mapping"),
    N_("while parsing a tag"), N_("while parsing a node"), N_("while parsing a block node"),
    N_("while parsing a flow node"), N_("while parsing a quoted scalar"),
    N_("while scanning an alias"), N_("while scanning an anchor"), N_("while scanning a block scalar"),
    N_("while scanning for the next token"), N_("while scanning a quoted scalar"),
    N_("while scanning a simple key"), N_("while scanning a plain scalar"),
)


def _yaml_error(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = _pos(mark) if mark is not None else (1, 1)
    what = _(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    context = getattr(exc, "context", None)
    start = getattr(exc, "context_mark", None)
    if context and start is not None and start.line + 1 != line:
        context = _("{context} started at line {line}").format(context=_(context), line=start.line + 1)
    elif context:
        context = _(context)
    message = (_("not valid YAML: {problem} ({context})") if context else _("not valid YAML: {problem}")).format(
        problem=what, context=context)
    if "expected a single document" in str(exc):
        message = _("not valid YAML: only one document per file (remove the second '---')")
    return Problem(path, line, col, "error", "", message)


def _compose(out: Loaded, text: str) -> yaml.Node | None:
    try:
        if "&" in text or "*" in text:
            out.problems += _anchor_problems(out.path, text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        out.problems.append(_yaml_error(out.path, exc))
        return None
    if node is None:
        out.problems.append(Problem(out.path, 1, 1, "error", "", _("file is empty")))
    return node


def load_text(path: str, text: str) -> Loaded:
    """Compose YAML text already decoded by :func:`decode` and walk it with our own rules."""
    out = Loaded(path, text=text)
    values, keys, raw = out.values, out.keys, out.raw
    node = _compose(out, text)
    if node is None:
        return out
    seen: set[int] = set()
    problems = out.problems

    def walk(n: yaml.Node, p: Path_) -> Any:
        mark = n.start_mark
        values[p] = (mark.line + 1, mark.column + 1)
        if len(p) > MAX_DEPTH and type(n) is not yaml.ScalarNode:
            raise _TooDeep(mark)
        if n.tag not in _STD_TAGS:  # report, then read the value as if untagged
            problems.append(out.problem(p, "error", _("custom tag {tag} is not allowed").format(tag=n.tag)))
        kind = type(n)
        if kind is yaml.ScalarNode:
            value, converted = _scalar(n)
            if converted and value is not None:
                raw[p] = n.value
                if type(value) is float and value.is_integer():
                    out.integral_float = True
            return value
        if id(n) in seen:  # an alias (already reported): do not expand it again
            return None
        seen.add(id(n))
        if kind is yaml.SequenceNode:
            return [walk(item, p + (i,)) for i, item in enumerate(n.value)]
        result: dict[str, Any] = {}
        for k, v in n.value:
            kpos = (k.start_mark.line + 1, k.start_mark.column + 1)
            if type(k) is not yaml.ScalarNode:
                problems.append(Problem(path, *kpos, "error", key_path(p),
                                        _("a key must be a plain word, not a list or mapping")))
                continue
            name = k.value
            if name == "<<" and not k.style:
                problems.append(Problem(path, *kpos, "error", key_path(p),
                                        _("merge key << is not allowed; write the keys out in full")))
                continue
            if name in result:
                first = keys[p + (name,)]
                problems.append(Problem(path, *kpos, "error", key_path(p + (name,)),
                                        _("duplicate key '{key}' (first at line {line}); keep only "
                                          "one").format(key=name, line=first[0])))
                continue
            keys[p + (name,)] = kpos
            result[name] = walk(v, p + (name,))
        return result

    try:
        out.data = walk(node, ())
    except _TooDeep as deep:
        out.values.clear()
        out.keys.clear()
        out.raw.clear()
        problems.append(Problem(path, *_pos(deep.mark), "error", "",
                                _("lists and mappings are nested more than {depth} levels deep here; "
                                  "no catalogue value needs that many").format(depth=MAX_DEPTH)))
    if out.data is None and not problems:  # a document that is only `null` or `~`: as good as empty
        problems.append(Problem(path, 1, 1, "error", "", _("file is empty")))
    return out


class _TooDeep(Exception):
    def __init__(self, mark):
        self.mark = mark


def load_file(path: Path, display: str | None = None, store=None) -> Loaded:
    """Read and load one file; never raises for bad content.

    ``store`` (get/put of bytes by key, see :class:`thutuc.cache.BlobStore`) keeps what loading
    found under a hash of the file's bytes, so an unchanged file is never composed twice.
    """
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Loaded(name, problems=[Problem(name, 1, 1, "error", "", _("cannot read file: {reason}").format(reason=exc.strerror))])
    text, problems = decode(name, data)
    if text is None or any(p.severity == "error" for p in problems):
        # tabs: the YAML parser's own message would only confuse
        return Loaded(name, problems=problems, text=text)
    key = store and store.key(data)
    blob = store and store.get(key)  # verified against its digest, or None
    loaded = None
    if blob:
        try:
            loaded = unpack(name, text, blob)
        except Exception:  # not what this version wrote: load the file again, and rewrite the entry
            loaded = None
    if loaded is None:
        loaded = load_text(name, text)
        loaded.problems[:0] = problems
        if store:
            store.put(key, pack(loaded))
    loaded.digest = key
    return loaded

def pack(loaded: Loaded) -> bytes:
    """Everything :func:`load_text` found, as bytes for the file cache (marshal: plain types, fast)."""
    problems = [(p.line, p.col, p.severity, p.key, p.message, p.topic) for p in loaded.problems]
    positions = loaded.packed_positions or marshal.dumps((loaded.values, loaded.keys))
    return marshal.dumps((loaded.data, loaded.raw, loaded.integral_float, problems, positions))


def unpack(path: str, text: str, blob: bytes) -> Loaded:
    data, raw, integral_float, problems, positions = marshal.loads(blob)
    return Loaded(path, data=data, raw=raw, integral_float=integral_float, text=text,
                  problems=[Problem(path, *p) for p in problems], packed_positions=positions)
