"""JSON Schema validation of loaded files, with messages an editor can act on."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema import ValidationError

from thutuc.problems import Problem, suggest
from thutuc.yamlload import Loaded

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
KINDS = ("procedure", "legal", "agencies", "documents", "fields", "calendar", "office")

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (lines starting with '- ')",
    "object": "a mapping of 'key: value' lines",
    "null": "empty",
}


@lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _registry():
    from referencing import Registry, Resource

    reg = Registry()
    for f in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = json.loads(f.read_text(encoding="utf-8"))
        reg = reg.with_resource(contents["$id"], Resource.from_contents(contents))
    return reg


@lru_cache(maxsize=None)
def _fast(kind: str):
    """A compiled (Rust) validator that only answers yes or no, ~300× faster than jsonschema.

    Valid files, the vast majority, stop here; only invalid ones (and "10.000" read as 10.0,
    which JSON Schema counts as an integer) pay for jsonschema, whose errors carry what the
    messages below need.
    """
    registry = jsonschema_rs.Registry([(schema(k)["$id"], schema(k)) for k in KINDS + ("common",)])
    return jsonschema_rs.Draft202012Validator(schema(kind), registry=registry, validate_formats=True,
                                              offline=True)


@lru_cache(maxsize=None)
def validator(kind: str):
    """The detailed validator, built once per kind and only when a file fails the fast check
    (importing jsonschema alone costs a tenth of a second)."""
    from jsonschema import Draft202012Validator, FormatChecker, validators

    # 10.0 is not a whole number here: "10.000" in YAML is ten, not the ten thousand an editor meant.
    strict = validators.extend(
        Draft202012Validator,
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
            "integer", lambda _, v: isinstance(v, int) and not isinstance(v, bool)),
    )
    return strict(schema(kind), registry=_registry(), format_checker=FormatChecker())


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _example(error: ValidationError) -> str:
    examples = error.schema.get("examples") if isinstance(error.schema, dict) else None
    return f", e.g. {json.dumps(examples[0], ensure_ascii=False)}" if examples else ""


def _messages(error: ValidationError, loaded: Loaded) -> Iterator[tuple[tuple, str, bool]]:
    """(path, message, point-at-key) for one jsonschema error."""
    path = tuple(error.absolute_path)
    v, inst = error.validator, error.instance
    if v == "required":
        for name in error.validator_value:
            if isinstance(inst, dict) and name not in inst:
                yield path, f"missing required key '{name}'", True
    elif v == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for name in sorted(k for k in inst if k not in allowed):
            yield path + (name,), f"unknown key '{name}'{suggest(name, allowed)}", True
    elif v == "type":
        want = error.validator_value
        want = want if isinstance(want, list) else [want]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in want)
        got = _type_name(inst)
        hint = ""
        raw = loaded.raw.get(path)
        if "string" in want and raw is not None:
            hint = f"; put it in quotes to keep it as written: \"{raw}\""
        elif "integer" in want and (raw or str(inst)).replace(".", "").isdigit():
            hint = f"; write it without dots or spaces, e.g. {(raw or str(inst)).replace('.', '')}"
        elif "boolean" in want and isinstance(inst, str) and inst.lower() in {"yes", "no", "on", "off", "y", "n", "có", "không"}:
            hint = "; write true or false"
        yield path, f"must be {words}{_example(error) if not hint else ''}, not {got}{hint}", False
    elif v in ("enum", "const"):
        choices = error.validator_value if v == "enum" else [error.validator_value]
        shown = ", ".join(str(c) for c in choices)
        yield path, f"'{inst}' is not allowed; use one of: {shown}{suggest(inst, choices)}", False
    elif v == "pattern":
        desc = re.split(r"\.\s+(?=[A-Z])", error.schema.get("description", ""))[0].rstrip(".")
        yield path, f"'{inst}' is not in the right form{_example(error)}" + (f" ({desc})" if desc else ""), False
    elif v == "format":
        yield path, f"'{inst}' is not a real {error.validator_value} (write YYYY-MM-DD)", False
    elif v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "more than",
                 "maximum": "at most", "exclusiveMaximum": "less than"}[v]
        yield path, f"must be {words} {error.validator_value}, not {inst}", False
    elif v == "minItems":
        yield path, f"needs at least {error.validator_value} item(s)", False
    elif v == "uniqueItems":
        yield path, "has the same item twice; remove the repeat", False
    elif v in ("minLength", "minProperties"):
        yield path, "must not be empty", False
    elif v == "maxLength":
        yield path, f"is longer than {error.validator_value} characters", False
    else:
        yield path, error.message, False


def validate(loaded: Loaded, kind: str) -> list[Problem]:
    """Schema problems for one loaded file (none if it did not load)."""
    if loaded.data is None or (_fast(kind).is_valid(loaded.data) and not loaded.integral_float):
        return []
    problems = []
    for error in validator(kind).iter_errors(loaded.data):
        for path, message, at_key in _messages(error, loaded):
            problems.append(loaded.problem(path, "error", message, prefer_key=at_key))
    return problems
