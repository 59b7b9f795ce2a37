"""Finding and loading the files of a catalogue folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from thutuc.cache import BlobStore
from thutuc.catalogue.yamlload import Loaded, decode, load_file, load_text
from thutuc.i18n import _
from thutuc.problems import Problem

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
    return _kind(rel.parts)


def _kind(parts: tuple[str, ...]) -> str | None:
    return FOLDERS.get(parts[0]) if len(parts) > 1 else SINGLE_FILES.get(parts[0])


def discover(root: Path, display_root: str) -> tuple[list[tuple[str, Path, str, str]], list[Problem]]:
    """(kind, file, relative path, display path) for every YAML file, sorted; problems for stray
    files. Hidden files and folders and forms/ are not catalogue records."""
    found, problems = [], []
    rels = []
    for folder, dirs, names in os.walk(root):
        rel_folder = os.path.relpath(folder, root)
        parts = () if rel_folder == "." else tuple(rel_folder.split(os.sep))
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (not parts and d in ASSET_FOLDERS)]
        rels += [parts + (n,) for n in names if not n.startswith(".")]
    inside = root.resolve()
    for parts in sorted(rels):
        rel = "/".join(parts)
        f = root / rel
        if not f.is_file():
            continue
        display = f"{display_root}/{rel}" if display_root else rel
        if f.is_symlink() and inside not in f.resolve().parents:
            problems.append(Problem(display, 1, 1, "error", "",
                                    _("this file is a link to a file outside the catalogue; thutuc does not "
                                      "follow it (copy the file into the catalogue instead)")))
            continue
        if rel.endswith(".yml"):
            problems.append(Problem(display, 1, 1, "error", "", _("rename the file to end in .yaml")))
            continue
        if not rel.endswith(".yaml"):
            continue
        kind = _kind(parts)
        if kind is None:
            problems.append(Problem(display, 1, 1, "warning", "",
                                    _("thutuc does not read this file: procedures go in procedures/<field>/, "
                                      "shared records in agencies/, documents/ or legal/")))
            continue
        found.append((kind, f, rel, display))
    for name in SINGLE_FILES:
        if not (root / name).is_file():
            display = f"{display_root}/{name}" if display_root else name
            problems.append(Problem(display, 1, 1, "error", "", _("missing file: the catalogue needs {name}").format(name=name)))
    return found, problems


def load_all(root: Path, display_root: str,
             overrides: Mapping[str, str] | None = None) -> tuple[list[SourceFile], list[Problem]]:
    """Load every catalogue file; ``overrides`` (relative path -> text) stand in for files on disk,
    so an edit can be checked before it is written.

    Serial on purpose: loading in worker processes was measured slower on 2 cores, because
    sending the loaded data and positions back costs as much as composing them. Instead, what a
    file loads to is cached by the hash of its bytes.
    """
    found, problems = discover(root, display_root)
    store = BlobStore("files")
    files = []
    for kind, f, rel, display in found:
        if overrides and rel in overrides:
            text, found_problems = decode(display, overrides[rel].encode("utf-8"))
            loaded = load_text(display, text) if text is not None else Loaded(display)
            loaded.problems[:0] = found_problems
        else:
            loaded = load_file(f, display, store)
        files.append(SourceFile(kind, rel, loaded))
    return files, problems
