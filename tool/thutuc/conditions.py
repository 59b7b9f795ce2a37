"""Conditions over an applicant's answers: evaluation, static checks and the space of answers.

A condition is data, never code: ``{q: KEY, eq: VALUE}`` (or ne, in, gt, gte, lt, lte), or
``{all_of: [...]}``, ``{any_of: [...]}``, ``{not: {...}}``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Iterator, Mapping

from thutuc.i18n import _
from thutuc.problems import suggest

COMPARE = ("eq", "ne", "in", "gt", "gte", "lt", "lte")
COMBINE = ("all_of", "any_of", "not")
MAX_COMBINATIONS = 20_000

Answers = Mapping[str, Any]


def holds(cond: Mapping | None, answers: Answers) -> bool:
    """True when the condition holds for these answers (no condition always holds).

    An unanswered question makes a comparison false, so a paper is never silently dropped
    by accident: callers that need "maybe" ask with both answers.
    """
    if cond is None:
        return True
    if "all_of" in cond:
        return all(holds(c, answers) for c in cond["all_of"])
    if "any_of" in cond:
        return any(holds(c, answers) for c in cond["any_of"])
    if "not" in cond:
        return not holds(cond["not"], answers)
    key = cond.get("q")
    if key not in answers or answers[key] is None:
        return False
    value = answers[key]
    for op in COMPARE:
        if op in cond:
            target = cond[op]
            if op == "eq":
                return value == target
            if op == "ne":
                return value != target
            if op == "in":
                return value in target
            try:
                return {"gt": value > target, "gte": value >= target,
                        "lt": value < target, "lte": value <= target}[op]
            except TypeError:
                return False
    return False


def keys_in(cond: Mapping | None) -> set[str]:
    """Question keys a condition reads."""
    if not isinstance(cond, Mapping):
        return set()
    found = {cond["q"]} if isinstance(cond.get("q"), str) else set()
    for c in cond.get("all_of") or []:
        found |= keys_in(c)
    for c in cond.get("any_of") or []:
        found |= keys_in(c)
    found |= keys_in(cond.get("not"))
    return found


def _constants(cond: Mapping | None, into: dict[str, set]) -> None:
    if not isinstance(cond, Mapping):
        return
    for c in (cond.get("all_of") or []) + (cond.get("any_of") or []) + [cond.get("not")]:
        _constants(c, into)
    key = cond.get("q")
    for op in ("eq", "ne", "gt", "gte", "lt", "lte"):
        if op in cond and isinstance(key, str):
            into.setdefault(key, set()).add(cond[op])
    if isinstance(cond.get("in"), list) and isinstance(key, str):
        into.setdefault(key, set()).update(cond["in"])


def _valid_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(value)
        return True
    except (TypeError, ValueError):
        return False


def value_problem(question: Mapping, op: str, value: Any) -> str | None:
    qtype, key = question.get("type"), question.get("key")
    if qtype == "boolean":
        if op not in ("eq", "ne"):
            return _("question '{key}' is yes/no: compare it with eq or ne").format(key=key)
        if not isinstance(value, bool):
            return _("question '{key}' is yes/no: write true or false, not '{value}'").format(key=key, value=value)
    elif qtype == "choice":
        options = [o.get("value") for o in question.get("options") or [] if isinstance(o, Mapping)]
        if op in ("gt", "gte", "lt", "lte"):
            return _("question '{key}' is a choice: compare it with eq, ne or in").format(key=key)
        for v in value if op == "in" else [value]:
            if v not in options:
                return _("'{value}' is not an option of question '{key}'{suggestion}").format(
                    value=v, key=key, suggestion=suggest(v, options))
    elif qtype == "number":
        for v in value if op == "in" else [value]:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                return _("question '{key}' takes a number, not '{value}'").format(key=key, value=v)
    elif qtype == "date":
        for v in value if op == "in" else [value]:
            if not _valid_date(v):
                return _("question '{key}' takes a date written YYYY-MM-DD, not '{value}'").format(
                    key=key, value=v)
    return None


def check(cond: Any, questions: Mapping[str, Mapping], path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Static problems of a condition: its shape, its keys, the types of its values."""
    if not isinstance(cond, Mapping):
        return
    combine = [k for k in COMBINE if k in cond]
    compare = [k for k in COMPARE if k in cond]
    if combine:
        if len(combine) > 1 or compare or "q" in cond:
            yield path, _("a condition is either {comparison} or one of all_of / any_of / not, not several "
                          "at once (found {keys})").format(comparison="{q: KEY, eq: VALUE}",
                                                           keys=", ".join(sorted(cond)))
            return
        op = combine[0]
        if op == "not":
            yield from check(cond["not"], questions, path + ("not",))
        else:
            for i, c in enumerate(cond[op] or []):
                yield from check(c, questions, path + (op, i))
        return
    if "q" not in cond:
        yield path, _("a comparison needs q: the question key, e.g. {example}").format(
            example="{q: nop_thay, eq: true}")
        return
    if len(compare) != 1:
        if compare:
            yield path, _("a comparison needs exactly one of eq, ne, in, gt, gte, lt, lte (found {keys})").format(
                keys=", ".join(compare))
        else:
            yield path, _("a comparison needs exactly one of eq, ne, in, gt, gte, lt, lte")
        return
    key = cond["q"]
    if key not in questions:
        yield path + ("q",), _("no question has key '{key}'; declare it under questions{suggestion}").format(
            key=key, suggestion=suggest(key, questions))
        return
    op = compare[0]
    message = value_problem(questions[key], op, cond[op])
    if message:
        yield path + (op,), message


def _candidates(question: Mapping, constants: set) -> list:
    """Answers that exercise every branch: each option, or values around each constant."""
    qtype = question.get("type")
    if qtype == "boolean":
        return [True, False]
    if qtype == "choice":
        return [o.get("value") for o in question.get("options") or [] if isinstance(o, Mapping)]
    if qtype == "number":
        lo, hi = question.get("min"), question.get("max")
        points = {question.get("default"), lo, hi}
        for c in constants:
            if isinstance(c, (int, float)) and not isinstance(c, bool):
                points |= {c - 1, c, c + 1}
        points = {p for p in points if isinstance(p, (int, float)) and not isinstance(p, bool)
                  and (lo is None or p >= lo) and (hi is None or p <= hi)}
        return sorted(points) or [0]
    if qtype == "date":
        points = set()
        for c in constants:
            if _valid_date(c):
                d = dt.date.fromisoformat(c)
                points |= {(d + dt.timedelta(days=k)).isoformat() for k in (-1, 0, 1)}
        return sorted(points) or ["2000-01-01"]
    return [None]


def answer_space(questions: Mapping[str, Mapping], conditions: list) -> tuple[list[dict], int]:
    """Every combination of answers that can change the outcome of these conditions.

    Returns (combinations, total); the list is cut at MAX_COMBINATIONS, the total is not.
    """
    used: set[str] = set()
    constants: dict[str, set] = {}
    for c in conditions:
        used |= keys_in(c)
        _constants(c, constants)
    keys = sorted(k for k in used if k in questions)
    choices = [_candidates(questions[k], constants.get(k, set())) for k in keys]
    total = 1
    for c in choices:
        total *= len(c)
    combos = [dict(zip(keys, values))
              for values in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS)]
    return combos, total
