"""Problems found in catalogue files, and how they are reported."""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field
from typing import Iterable, Literal

from thutuc.i18n import _

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, pointing at a file position (1-based line and column)."""

    path: str
    line: int
    col: int
    severity: Severity
    key: str
    message: str
    # What a reviewer files it under, in any language: "unknown" (a fact marked unknown, to be
    # found) or "placeholder" (TODO-like text left in); "" for everything else.
    topic: str = field(default="", compare=False)

    def format(self) -> str:
        key = f"{self.key}: " if self.key else ""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {key}{self.message}"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Stable report order: by file, then position, then message; duplicates dropped."""
    return sorted(set(problems))


def format_text(problems: list[Problem]) -> str:
    lines = [p.format() for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    lines.append(_("{errors} error(s), {warnings} warning(s)").format(errors=errors, warnings=warnings))
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)


def key_path(path: tuple) -> str:
    """('documents', 2, 'originals') -> 'documents[2].originals'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def suggest(word: str, choices, lead: str | None = None) -> str:
    """"; did you mean 'x'?" for a near miss, else ''. ``lead`` replaces "did you mean"."""
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    if not match:
        return ""
    return "; " + (lead or _("did you mean {choice}?")).format(choice=f"'{match[0]}'")
