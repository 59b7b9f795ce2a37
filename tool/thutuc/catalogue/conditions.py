"""Conditions over an applicant's answers: evaluation, static checks and the search of answers.

A condition is data, never code: ``{q: KEY, eq: VALUE}`` (or ne, in, gt, gte, lt, lte), or
``{all_of: [...]}``, ``{any_of: [...]}``, ``{not: {...}}``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterator, Mapping

from thutuc.i18n import _
from thutuc.problems import suggest

COMPARE = ("eq", "ne", "in", "gt", "gte", "lt", "lte")
COMBINE = ("all_of", "any_of", "not")
SEARCH_LIMIT = 200_000  # answers tried for one question about a procedure before giving up honestly
MAX_SEARCH_DEPTH = 400  # questions one search may branch on (each is a level of recursion)

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
    """Answers that exercise every branch: each option, or one value for each stretch of numbers
    or dates between the constants the conditions compare with (so every answer the question
    allows behaves, in every condition, like one of these)."""
    qtype = question.get("type")
    if qtype == "boolean":
        return [True, False]
    if qtype == "choice":
        return [o.get("value") for o in question.get("options") or [] if isinstance(o, Mapping)]
    if qtype == "number":
        lo, hi = question.get("min"), question.get("max")
        lo, hi = (v if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in (lo, hi))

        def allowed(p) -> bool:
            return (isinstance(p, (int, float)) and not isinstance(p, bool) and math.isfinite(p)
                    and (lo is None or p >= lo) and (hi is None or p <= hi))

        numbers = {c for c in constants if allowed(c)}
        points = {question.get("default"), lo, hi} | {c + d for c in numbers for d in (-1, 0, 1)}
        points = sorted(p for p in points if allowed(p)) or [0 if allowed(0) else (lo if lo is not None else hi)]
        # Whole numbers first (pages, copies: what the answers usually are); then a point inside
        # every stretch between two boundaries that has none yet (e.g. between 2.5 and 3).
        bounds = sorted(numbers | {b for b in (lo, hi) if b is not None})
        between = [(a + b) / 2 for a, b in zip(bounds, bounds[1:])
                   if a < b and not any(a < p < b for p in points)]
        return points + between
    if qtype == "date":
        points = set()
        for c in constants:
            if _valid_date(c):
                d = dt.date.fromisoformat(c)
                points |= {(d + dt.timedelta(days=k)).isoformat() for k in (-1, 0, 1)
                           if dt.date.min + dt.timedelta(days=1) <= d <= dt.date.max - dt.timedelta(days=1)}
        return sorted(points) or ["2000-01-01"]
    return [None]


def _holds3(cond: Mapping | None, answers: Answers) -> bool | None:
    """holds() over some of the answers: None when the missing ones could still decide it."""
    if cond is None:
        return True
    if "all_of" in cond:
        results = [_holds3(c, answers) for c in cond["all_of"]]
        return False if False in results else (True if all(r is True for r in results) else None)
    if "any_of" in cond:
        results = [_holds3(c, answers) for c in cond["any_of"]]
        return True if True in results else (False if all(r is False for r in results) else None)
    if "not" in cond:
        inner = _holds3(cond["not"], answers)
        return None if inner is None else not inner
    return holds(cond, answers) if cond.get("q") in answers else None


def holds_so_far(cond: Mapping | None, answers: Answers) -> bool | None:
    """Whether a condition holds over the answers given so far: True, False, or None when an
    answer still missing could decide it (a question asked only in some cases, before the
    question it depends on is answered)."""
    return _holds3(cond, answers)


class TooManyCombinations(Exception):
    """The search for answers gave up (see SEARCH_LIMIT): nothing was proven either way."""


class Space:
    """The answers that can change these conditions: for each question they read, one value per
    stretch of answers that behaves the same way (see _candidates).

    Questions are answered by search, not by listing every combination: only the questions a
    query's own conditions read are tried, one after another, and a branch is dropped as soon as
    a condition is decided against it. Ten yes/no questions in unrelated conditions cost ten
    tries, not 1,024 combinations.
    """

    def __init__(self, questions: Mapping[str, Mapping], conditions: list):
        constants: dict[str, set] = {}
        used: set[str] = set()
        for c in conditions:
            used |= keys_in(c)
            _constants(c, constants)
        self.keys = sorted(k for k in used if k in questions)
        self.domains = {k: _candidates(questions[k], constants.get(k, set())) or [None] for k in self.keys}
        self._sat: dict[int, bool] = {}

    def find(self, hold: list = (), fail: list = ()) -> dict | None:
        """The first answers (questions in key order, each value in candidate order) under which
        every condition in ``hold`` holds and none in ``fail`` does, with every question of the
        space answered; None when there are none. TooManyCombinations when the search gives up."""
        goals = [(c, True) for c in hold] + [(c, False) for c in fail]
        reads = [keys_in(c) for c, _want in goals]
        keys = [k for k in self.keys if any(k in r for r in reads)]
        if len(keys) > MAX_SEARCH_DEPTH:
            raise TooManyCombinations()
        tries = 0
        answers: dict[str, Any] = {}

        def search(i: int, open_goals: list[int]) -> bool:
            nonlocal tries
            if not open_goals:
                return True
            if i == len(keys):
                return False  # cannot happen: with every question answered every goal is decided
            key = keys[i]
            if not any(key in reads[g] for g in open_goals):  # no open goal reads it: any value will do
                answers[key] = self.domains[key][0]
                if search(i + 1, open_goals):
                    return True
                del answers[key]
                return False
            for value in self.domains[key]:
                tries += 1
                if tries > SEARCH_LIMIT:
                    raise TooManyCombinations()
                answers[key] = value
                still_open = []
                for g in open_goals:
                    result = _holds3(goals[g][0], answers)
                    if result is None:
                        still_open.append(g)
                    elif result is not goals[g][1]:
                        break
                else:
                    if search(i + 1, still_open):
                        return True
                del answers[key]
            return False

        still_open = []
        for g in range(len(goals)):  # conditions that read no question are decided already
            result = _holds3(goals[g][0], answers)
            if result is None:
                still_open.append(g)
            elif result is not goals[g][1]:
                return None
        if not search(0, still_open):
            return None
        return {k: answers.get(k, self.domains[k][0]) for k in self.keys}

    def satisfiable(self, cond: Mapping | None) -> bool:
        """Some answers make the condition hold (TooManyCombinations if the search gives up)."""
        if cond is None:
            return True
        if id(cond) not in self._sat:
            self._sat[id(cond)] = self.find(hold=[cond]) is not None
        return self._sat[id(cond)]
