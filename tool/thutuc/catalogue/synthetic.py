"""Synthetic catalogues for benchmarks and scale tests, made by varying the bundled procedures."""

from __future__ import annotations

import copy
import random
import shutil
from pathlib import Path

import yaml

from thutuc.catalogue.files import load_all


def make_catalogue(source: Path, target: Path, count: int, seed: int = 0) -> Path:
    """Write ``count`` valid procedures to ``target``, varied from the procedures in ``source``.

    Shared files are copied as they are; each procedure gets its own id, code, title, document
    names and fee amounts, so no two pages are the same.
    """
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("procedures"))
    files, _ = load_all(source, "")
    originals = [f.loaded.data for f in files
                 if f.kind == "procedure" and isinstance(f.loaded.data, dict)
                 and f.loaded.data.get("lifecycle", {}).get("status") == "active"]
    for i in range(count):
        data = copy.deepcopy(originals[i % len(originals)])
        n = i + 1
        if i < len(originals):  # the originals themselves keep their ids: shared records cite them
            _write(target, data)
            continue
        data["id"] = f"{data['id']}-{n:05d}"
        data["code"] = f"9.{n:06d}"
        data["title"] = f"{data['title']} (mẫu {n})"
        data["keywords"] = sorted(set(data.get("keywords", [])) | {f"mẫu {n}"})
        for doc in data["documents"]:
            if "name" in doc:
                doc["name"] = f"{doc['name']} – bản {rng.randint(1, 9)}"
        for fee in data["fees"]:
            if fee["kind"] == "fixed":
                fee["amount"] = fee["amount"] + 1000 * rng.randint(0, 5)
        _write(target, data)
    return target


def _write(target: Path, data: dict) -> None:
    folder = target / "procedures" / data["field"]
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    (folder / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
