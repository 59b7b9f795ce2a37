"""Finding and loading the files of a catalogue folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from thutuc.problems import Problem
from thutuc.yamlload import Loaded, decode, load_file, load_text

SINGLE_FILES = {"office.yaml": "office", "calendar.yaml": "calendar", "fields.yaml": "fields"}
FOLDERS = {"agencies": "agencies", "documents": "documents", "legal": "legal", "procedures": "procedure"}
ASSET_FOLDERS = {"forms"}


@dataclass
class SourceFile:
    kind: str
    rel: str  # path relative to the catalogue root, with '/'
    loaded: Loaded


def kind_of(rel: Path) -> str | None:
    """The record kind a catalogue file holds, from where it lives."""
    if len(rel.parts) == 1:
        return SINGLE_FILES.get(rel.name)
    return FOLDERS.get(rel.parts[0])


def discover(root: Path, display_root: str) -> tuple[list[tuple[str, Path, str]], list[Problem]]:
    """(kind, file, display path) for every YAML file, sorted; problems for stray files."""
    found, problems = [], []
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if not f.is_file() or rel.parts[0] in ASSET_FOLDERS or any(p.startswith(".") for p in rel.parts):
            continue
        display = f"{display_root}/{rel.as_posix()}" if display_root else rel.as_posix()
        if f.suffix == ".yml":
            problems.append(Problem(display, 1, 1, "error", "", "rename the file to end in .yaml"))
            continue
        if f.suffix != ".yaml":
            continue
        kind = kind_of(rel)
        if kind is None:
            problems.append(Problem(display, 1, 1, "warning", "",
                                    "thutuc does not read this file: procedures go in procedures/<field>/, "
                                    "shared records in agencies/, documents/ or legal/"))
            continue
        found.append((kind, f, display))
    for name in SINGLE_FILES:
        if not (root / name).is_file():
            display = f"{display_root}/{name}" if display_root else name
            problems.append(Problem(display, 1, 1, "error", "", f"missing file: the catalogue needs {name}"))
    return found, problems


def load_all(root: Path, display_root: str,
             overrides: Mapping[str, str] | None = None) -> tuple[list[SourceFile], list[Problem]]:
    """Load every catalogue file; ``overrides`` (relative path -> text) stand in for files on disk,
    so an edit can be checked before it is written.

    Serial on purpose: loading in worker processes was measured slower on 2 cores, because
    sending the loaded data and positions back costs as much as composing them.
    """
    found, problems = discover(root, display_root)
    files = []
    for kind, f, display in found:
        rel = f.relative_to(root).as_posix()
        if overrides and rel in overrides:
            text, found_problems = decode(display, overrides[rel].encode("utf-8"))
            loaded = load_text(display, text) if text is not None else Loaded(display)
            loaded.problems[:0] = found_problems
        else:
            loaded = load_file(f, display)
        files.append(SourceFile(kind, rel, loaded))
    return files, problems
