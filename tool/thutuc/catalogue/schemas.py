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

from thutuc.catalogue.yamlload import Loaded
from thutuc.i18n import N_, _
from thutuc.problems import Problem, suggest

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"  # a link to the repository's schemas/
KINDS = ("procedure", "legal", "agencies", "documents", "fields", "calendar", "office")

# Marked with N_ here, translated with _() where used: the language is chosen after import.
_TYPE_WORDS = {
    "string": N_("text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "array": N_("a list (lines starting with '- ')"),
    "object": N_("a mapping of 'key: value' lines"),
    "null": N_("empty"),
}

# The first sentence of the description of each schema value that has a pattern, as the
# "not in the right form" message quotes it, marked so that it is translated; a description
# not listed here is shown as the schema writes it. Keep in step with schemas/*.schema.json.
def pattern_description(schema: dict) -> str:
    """The first sentence of the English paragraph of a schema value's description, as a "not in
    the right form" message quotes it (it must be in _PATTERN_DESCRIPTIONS to be translated; a test
    checks). Descriptions are Vietnamese, a blank line, then English: the last paragraph."""
    english = schema.get("description", "").strip().rsplit("\n\n", 1)[-1].strip()
    return re.split(r"\.\s+(?=[A-Z])", english)[0].rstrip(".")


_PATTERN_DESCRIPTIONS = (
    N_("Phone number as dialled, e.g. 0227 3851 234"),
    N_("Contact e-mail address"),
    N_("A stable id in lower case ASCII with hyphens, e.g. dang-ky-khai-sinh"),
    N_("A stable key for an applicant's answer, lower case ASCII with underscores, e.g. nop_thay"),
    N_("A calendar date written YYYY-MM-DD, e.g. 2026-01-01"),
    N_("24-hour time written HH:MM, e.g. 15:00"),
    N_("An https:// address"),
    N_('The code on the national portal, always in quotes: "1.001193"; a province may append a '
       'suffix: "1.000948.H38"'),
    N_("Result code on the national portal, e.g"),
    N_("Path under catalogue/, e.g. forms/to-khai-khai-sinh.pdf"),
)

_BOUNDS = {
    "minimum": N_("must be at least {limit}, not {value}"),
    "exclusiveMinimum": N_("must be more than {limit}, not {value}"),
    "maximum": N_("must be at most {limit}, not {value}"),
    "exclusiveMaximum": N_("must be less than {limit}, not {value}"),
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
            "integer", lambda _checker, v: isinstance(v, int) and not isinstance(v, bool)),
    )
    return strict(schema(kind), registry=_registry(), format_checker=FormatChecker())


def _short(value: Any) -> str:
    """A value as quoted in a message: a pasted page or a 5,000-digit number cut to a glance."""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _type_name(value: Any) -> str:
    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int):
        return _("a whole number")
    if isinstance(value, float):
        return _("a decimal number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    return _("a mapping")


def _types(want: list) -> str:
    """The wanted types in words: "text or a number"."""
    words = [_(_TYPE_WORDS[w]) if w in _TYPE_WORDS else w for w in want]
    out = words[0]
    for word in words[1:]:
        out = _("{first} or {second}").format(first=out, second=word)
    return out


def _example(error: ValidationError) -> str | None:
    """The schema's first example as written in JSON (it is not translated), or None."""
    examples = error.schema.get("examples") if isinstance(error.schema, dict) else None
    return json.dumps(examples[0], ensure_ascii=False) if examples else None


def _unknown_keys(path: tuple, keys, allowed: list) -> Iterator[tuple[tuple, str, bool]]:
    for name in sorted(k for k in keys if k not in allowed):
        yield path + (name,), _("unknown key '{key}'{suggestion}").format(
            key=name, suggestion=suggest(name, allowed)), True


def _messages(error: ValidationError, loaded: Loaded) -> Iterator[tuple[tuple, str, bool]]:
    """(path, message, point-at-key) for one jsonschema error: always one of ours, never
    jsonschema's own English."""
    path = tuple(error.absolute_path)
    v, inst = error.validator, error.instance
    value = error.validator_value
    if v == "required":
        for name in value:
            if isinstance(inst, dict) and name not in inst:
                yield path, _("missing required key '{key}'").format(key=name), True
    elif v == "additionalProperties":
        yield from _unknown_keys(path, inst, list(error.schema.get("properties", {})))
    elif v == "unevaluatedProperties":
        props = error.schema.get("properties", {})
        patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
        extra = [k for k in inst if k not in props and not any(p.search(k) for p in patterns)]
        if extra:
            yield from _unknown_keys(path, extra, list(props))
        else:
            yield path, _("has a key that is not allowed here"), False
    elif v == "type":
        want = value if isinstance(value, list) else [value]
        args = {"expected": _types(want), "actual": _type_name(inst)}
        raw = loaded.raw.get(path)
        raw = _short(raw) if raw is not None else None
        example = _example(error)
        if ("integer" in want or "number" in want) and isinstance(inst, str) and inst.isdigit() and len(inst) > 30:
            message = _("must be {expected}, and a number of {count:,} digits is far too large here").format(
                count=len(inst), **args)
        elif "string" in want and raw is not None:
            message = _("must be {expected}, not {actual}; put it in quotes to keep it as written: "
                        "\"{raw}\"").format(raw=raw, **args)
        elif "integer" in want and (raw or str(inst)).replace(".", "").isdigit():
            message = _("must be {expected}, not {actual}; write it without dots or spaces, "
                        "e.g. {digits}").format(digits=_short((raw or str(inst)).replace(".", "")), **args)
        elif "boolean" in want and isinstance(inst, str) and inst.lower() in {"yes", "no", "on", "off", "y", "n", "có", "không"}:
            message = _("must be {expected}, not {actual}; write true or false").format(**args)
        elif example is not None:
            message = _("must be {expected}, e.g. {example}, not {actual}").format(example=example, **args)
        else:
            message = _("must be {expected}, not {actual}").format(**args)
        yield path, message, False
    elif v in ("enum", "const"):
        choices = value if v == "enum" else [value]
        shown = ", ".join(str(c) for c in choices)
        yield path, _("'{value}' is not allowed; use one of: {choices}{suggestion}").format(
            value=_short(inst), choices=shown, suggestion=suggest(inst, choices) if len(str(inst)) < 100 else ""), False
    elif v == "pattern":
        desc = pattern_description(error.schema)
        example = _example(error)
        if example is not None and desc:
            message = _("'{value}' is not in the right form, e.g. {example} ({description})")
        elif example is not None:
            message = _("'{value}' is not in the right form, e.g. {example}")
        elif desc:
            message = _("'{value}' is not in the right form ({description})")
        else:
            message = _("'{value}' is not in the right form")
        yield path, message.format(value=_short(inst), example=example, description=_(desc) if desc else ""), False
    elif v == "format":
        if value == "date":
            yield path, _("'{value}' is not a real date (write YYYY-MM-DD)").format(value=_short(inst)), False
        else:
            yield path, _("'{value}' is not in the form {format}").format(value=_short(inst), format=value), False
    elif v in _BOUNDS:
        yield path, _(_BOUNDS[v]).format(limit=value, value=_short(inst)), False
    elif v == "multipleOf":
        yield path, _("must be a multiple of {step}, not {value}").format(step=value, value=inst), False
    elif v == "minItems":
        yield path, _("needs at least {count} item(s)").format(count=value), False
    elif v == "maxItems":
        yield path, _("has more than {count} item(s); remove the extra ones").format(count=value), False
    elif v == "uniqueItems":
        yield path, _("has the same item twice; remove the repeat"), False
    elif v in ("minLength", "minProperties"):
        yield path, _("must not be empty"), False
    elif v == "maxLength":
        yield path, _("is longer than {limit} characters").format(limit=value), False
    elif v == "maxProperties":
        yield path, _("has more than {count} key(s)").format(count=value), False
    elif v == "dependentRequired":
        for name, needs in value.items():
            if isinstance(inst, dict) and name in inst:
                for other in needs:
                    if other not in inst:
                        yield path + (name,), _("'{key}' needs '{other}' too; add {other}").format(
                            key=name, other=other), True
    elif v == "oneOf" and not error.context:  # more than one alternative matched
        yield path, _("matches more than one of the allowed forms; keep only one"), False
    elif v in ("anyOf", "oneOf"):
        # One alternative of the right type (a mapping among text-or-mapping): say what is wrong in it.
        by_alternative: dict = {}
        for sub in error.context or ():
            by_alternative.setdefault(sub.relative_schema_path[0], []).append(sub)
        near = [subs for subs in by_alternative.values()
                if not any(s.validator == "type" and not s.relative_path for s in subs)]
        if len(near) == 1 and isinstance(inst, dict):
            for sub in near[0]:
                yield from _messages(sub, loaded)
        else:
            yield path, _("does not match any of the allowed forms"), False
    elif v == "not":
        yield path, _("this value is not allowed here"), False
    elif v in ("contains", "minContains"):
        yield path, _("does not contain a required item"), False
    elif v == "maxContains":
        yield path, _("contains too many items of one kind"), False
    elif v in ("items", "prefixItems", "unevaluatedItems"):
        yield path, _("has more items than allowed"), False
    else:  # false schema, or a keyword our schemas do not use yet
        yield path, _("this value is not accepted here (schema rule: {rule})").format(rule=v or "false"), False


def validate(loaded: Loaded, kind: str) -> list[Problem]:
    """Schema problems for one loaded file (none if it did not load)."""
    if loaded.data is None or (_fast(kind).is_valid(loaded.data) and not loaded.integral_float):
        return []
    problems = []
    for error in validator(kind).iter_errors(loaded.data):
        for path, message, at_key in _messages(error, loaded):
            problems.append(loaded.problem(path, "error", message, prefer_key=at_key))
    return problems


def refused_paths(loaded: Loaded, kind: str) -> list[tuple] | None:
    """The paths of the values the schema refuses in a file (an unknown key, a value of the wrong
    type or form), so that the rules can still run on the rest; None when the whole file is
    refused (its top level is not what the schema wants). A mapping that only lacks a required
    key is kept: the rules that need that key stop, the others run."""
    if not isinstance(loaded.data, dict):
        return None
    paths = []
    for error in validator(kind).iter_errors(loaded.data):
        path = tuple(error.absolute_path)
        if error.validator in ("required", "dependentRequired", "minProperties"):
            continue
        if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
            paths += [path + (k,) for k in error.instance
                      if k not in allowed and not any(p.search(k) for p in patterns)]
            continue
        if not path:
            return None
        paths.append(path)
    return paths
