"""`thutuc fmt`: one layout for every catalogue YAML file, without losing a word of it.

The layout is the one ruamel.yaml round-trips byte-identically for every bundled file (see
:func:`thutuc.editing.edit.yaml_rt`: mappings indented 2, sequences 4 with the dash at 2), so comments,
key order, quoting and blank lines between entries stay as they were. On top of that: text in
Unicode NFC, Unix line ends, no trailing spaces, no blank lines at the start or end, exactly one
final newline.

Before a formatted text is accepted it is read back and compared with the original: same data
(text compared line by line without trailing spaces) and the same comments. When ruamel.yaml
cannot keep something (a comment inside a ``{…}`` written over several lines, text after
``...``), the file is reported and left as it was: formatting never loses an editor's words.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from thutuc.editing.edit import TextStyle, dump, load
from thutuc.i18n import _
from thutuc.outputs import atomic_write
from thutuc.problems import Problem

SUFFIXES = (".yaml", ".yml")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)


class FormatError(ValueError):
    """The text cannot be formatted safely; ``problems`` say where and why (all errors)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.format() for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class FileResult:
    path: Path
    display: str
    changed: bool = False
    problems: tuple[Problem, ...] = ()  # errors: the file was left untouched


@dataclass
class FormatReport:
    results: list[FileResult] = field(default_factory=list)
    check: bool = False

    @property
    def changed(self) -> list[FileResult]:
        return [r for r in self.results if r.changed]

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.problems]

    @property
    def ok(self) -> bool:
        """False when a file could not be read, or (with check) when a file would change."""
        return not self.failed and not (self.check and self.changed)


def _error(path: str, line: int, col: int, message: str) -> Problem:
    return Problem(path, line, col, "error", "", message)


def _clean_text(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _tidy_lines(text: str) -> str:
    """No trailing spaces, no blank lines at either end, one final newline (none if empty)."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def _split_preamble(text: str) -> tuple[str, str]:
    """('comments and directives before a bare ---' + '---\\n', the document after it).

    ruamel.yaml drops what comes before an explicit document start, including the schema line;
    so that part is kept aside as text. A '---' with something after it on the line is left to
    the parser (and to the comment check)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or s.startswith("#") or line.startswith("%"):
            continue
        if s == "---":
            return "\n".join(lines[: i + 1]) + "\n", "\n".join(lines[i + 1 :])
        break
    return "", text


def _comments(text: str) -> list[str]:
    """Every comment (stripped, in order) as ruamel.yaml's scanner sees it: '#' inside quotes or
    block text is not a comment."""
    from ruamel.yaml import YAML

    out: list[str] = []

    def collect(c: Any) -> None:
        if c is None:
            return
        if isinstance(c, list):
            for x in c:
                collect(x)
        elif hasattr(c, "value") and isinstance(c.value, str):
            out.extend(s for s in (line.strip() for line in c.value.split("\n")) if s)

    for token in YAML().scan(text):
        if type(token).__name__ == "CommentToken":
            collect(token)
        collect(getattr(token, "_comment", None))
    return out


def _plain(value: Any) -> Any:
    """Comparable form of loaded data; text compared without trailing spaces on its lines."""
    if isinstance(value, str):
        return "\n".join(line.rstrip() for line in value.split("\n"))
    if isinstance(value, dict):
        return ("map", [(_plain(k), _plain(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_plain(v) for v in value])
    tag = getattr(value, "tag", None)
    if tag is not None and hasattr(value, "value"):  # a custom-tagged scalar
        return ("tagged", str(getattr(tag, "value", tag)), _plain(value.value))
    return (type(value).__name__, value)


def _parse(text: str, path: str):
    """ruamel.yaml's round-trip data, or FormatError with the positions `thutuc check` gives."""
    try:
        return load(text)
    except Exception as exc:  # noqa: BLE001 - ruamel raises many kinds; report them all as positions
        from thutuc.catalogue.yamlload import load_text

        errors = [p for p in load_text(path, text).problems if p.severity == "error"]
        if errors:
            raise FormatError(errors) from None
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
        raise FormatError([_error(path, line, col, _("not valid YAML: {problem}").format(problem=_(what)))]) from None


def _line_of(text: str, comment: str) -> int:
    for i, line in enumerate(text.split("\n"), 1):
        if comment in line:
            return i
    return 1


def format_text(text: str, path: str = "<text>") -> str:
    """The formatted text; raises :class:`FormatError` (with positions in ``path``) when the text
    is not YAML, or when formatting could not keep its data or comments exactly."""
    text = _clean_text(text)
    for m in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        raise FormatError([_error(path, line, m.end() - m.start(), _("tab in indentation; indent with spaces"))])
    preamble, body = _split_preamble(text)
    offset = preamble.count("\n")
    try:
        data = _parse(body, path)
    except FormatError as exc:
        if not offset:
            raise
        raise FormatError([Problem(p.path, p.line + offset, p.col, p.severity, p.key, p.message)
                           for p in exc.problems]) from None
    out = _tidy_lines(preamble + (body if data is None else dump(data)))
    if out == text:
        return out
    # Read the result back: the layout may change, the content may not.
    before = _comments(text)
    after = _comments(out)
    if before != after:
        lost = next((c for c in before if c not in after), None) or next(
            (a for a, b in zip(before, after) if a != b), before[0] if before else "#")
        raise FormatError([_error(path, _line_of(text, lost), 1,
                                  _("fmt would lose the comment '{comment}' (a comment inside {{…}} or […] "
                                    "written over several lines, or after '...'); move it above the key "
                                    "it explains and run fmt again; the file was left as it is").format(
                                      comment=lost))])
    if data is not None and _plain(data) != _plain(load(_split_preamble(out)[1])):
        raise FormatError([_error(path, 1, 1, _("fmt would change the data of this file, so it was left as "
                                                "it is; this is a bug in thutuc, please report it"))])
    return out


def yaml_files(paths: Iterable[Path]) -> list[tuple[Path, str, Path | None]]:
    """(file, display path, folder it was found in) for each file given and each YAML file under
    each folder given, skipping hidden files and folders; in order, without repeats."""
    seen: set[Path] = set()
    out = []
    for given in paths:
        given = Path(given)
        if given.is_dir():
            found = [(f, (given / f.relative_to(given)).as_posix(), given) for f in sorted(given.rglob("*"))
                     if f.suffix in SUFFIXES and f.is_file()
                     and not any(part.startswith(".") for part in f.relative_to(given).parts)]
        else:
            found = [(given, given.as_posix(), None)]
        for f, display, folder in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append((f, display, folder))
    return out


def _format_found(path: Path, display: str, folder: Path | None, check: bool) -> FileResult:
    if folder is not None and path.is_symlink() and folder.resolve() not in path.resolve().parents:
        return FileResult(path, display, problems=(_error(display, 1, 1, _(
            "this file is a link to a file outside {folder}; left as it is (name it to format it)").format(
                folder=folder)),))
    return format_file(path, display, check)


def format_file(path: Path, display: str | None = None, check: bool = False) -> FileResult:
    """Format one file in place (atomically), or with ``check`` only say whether it would change."""
    from thutuc.catalogue.yamlload import decode

    display = display or path.as_posix()
    if path.suffix not in SUFFIXES:  # a file named on the command line by mistake: never rewrite it
        return FileResult(path, display, problems=(
            _error(display, 1, 1, _("not a YAML file (it does not end in .yaml or .yml); left as it is")),))
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(path, display, problems=(
            _error(display, 1, 1, _("cannot read file: {reason}").format(reason=exc.strerror)),))
    text, problems = decode(display, data)
    errors = tuple(p for p in problems if p.severity == "error")
    if text is None or errors:
        return FileResult(path, display, problems=errors)
    try:
        out = format_text(text, display)
    except FormatError as exc:
        return FileResult(path, display, problems=tuple(exc.problems))
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the others
        if os.environ.get("THUTUC_DEBUG"):
            raise
        return FileResult(path, display, problems=(_error(
            display, 1, 1, _("fmt could not format this file ({error}); it was left as it is. This is a bug "
                             "in thutuc; run again with THUTUC_DEBUG=1 and report the output").format(
                                 error=f"{type(exc).__name__}: {exc}")),))
    out = TextStyle.of(data.decode("utf-8")).restore(out)  # keep a BOM and Windows line endings
    changed = out.encode("utf-8") != data
    if changed and not check:
        atomic_write(path, out)  # through a link, to the file it points at
    return FileResult(path, display, changed=changed)


def format_paths(paths: Iterable[Path], check: bool = False) -> FormatReport:
    """Format every YAML file in ``paths`` (files or folders); a file that cannot be formatted is
    reported and left untouched, and the others are still formatted."""
    return FormatReport([_format_found(f, display, folder, check) for f, display, folder in yaml_files(paths)],
                        check)
