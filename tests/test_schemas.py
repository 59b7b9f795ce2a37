"""Schemas are what editors see on hover: every property must explain itself."""

import json

import pytest

from thutuc.catalogue.schemas import KINDS, SCHEMA_DIR, schema

COMMON = schema("common")["$defs"]


def _properties(node, path=""):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}.{name}", sub
        for key, sub in node.items():
            yield from _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _properties(sub, f"{path}[{i}]")


def _explained(sub: dict, local: dict) -> bool:
    if "description" in sub or "title" in sub:
        return True
    ref = sub.get("$ref", "")
    target = COMMON.get(ref.rsplit("/", 1)[-1]) if ref.startswith("common.schema.json") else local.get(ref.rsplit("/", 1)[-1])
    return bool(target) and ("description" in target or "title" in target)


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_a_description(kind):
    s = schema(kind)
    missing = [path for path, sub in _properties(s)
               if "/if" not in path and not _explained(sub, s.get("$defs", {}))]
    assert missing == []


def test_schema_files_are_2020_12_with_ids():
    for f in sorted(SCHEMA_DIR.glob("*.schema.json")):
        s = json.loads(f.read_text(encoding="utf-8"))
        assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema", f
        assert s["$id"].endswith(f.name), f


def test_every_schema_description_explains_in_vietnamese_then_english():
    """Hover help in editors: each key is explained for Vietnamese staff first, then in English
    (the paragraph check's messages quote)."""
    import json
    import unicodedata

    from helpers import ROOT

    def descriptions(node):
        if isinstance(node, dict):
            if isinstance(node.get("description"), str):
                yield node["description"]
            for value in node.values():
                yield from descriptions(value)
        elif isinstance(node, list):
            for value in node:
                yield from descriptions(value)

    vietnamese = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
    bad = []
    for path in sorted((ROOT / "schemas").rglob("*.schema.json")):
        for text in descriptions(json.loads(path.read_text(encoding="utf-8"))):
            vi, _, en = text.partition("\n\n")
            if not en or not vietnamese & set(vi.lower()) or unicodedata.normalize("NFC", text) != text:
                bad.append(f"{path.name}: {text[:80]!r}")
    assert not bad, "\n".join(bad)
