"""Tailoring a procedure to one applicant: reading answers, choosing papers, finding what is missing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Mapping

from thutuc import vi
from thutuc.conditions import holds
from thutuc.fees import in_force
from thutuc.i18n import _
from thutuc.model import Document, Procedure, Question
from thutuc.problems import suggest

TRUE = {"true", "yes", "y", "1", "co", "có", "c"}
FALSE = {"false", "no", "n", "0", "khong", "không", "k"}


class AnswerError(ValueError):
    """An answer that cannot be used; the message says what would be accepted."""


def parse_number(text: str) -> int | float:
    """'1.500.000' (Vietnamese thousands) -> 1500000; '0,5' -> 0.5; '12' -> 12."""
    t = text.strip().replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", t):
        return int(t.replace(".", ""))
    t = t.replace(",", ".")
    value = float(t)
    return int(value) if value.is_integer() and "." not in t else value


def parse_answer(q: Question, raw: Any) -> Any:
    """An answer typed by a person (or read from a file) as the value conditions compare."""
    if q.type == "boolean":
        if isinstance(raw, bool):
            return raw
        word = vi.fold(str(raw).strip())
        if word in {vi.fold(w) for w in TRUE}:
            return True
        if word in {vi.fold(w) for w in FALSE}:
            return False
        raise AnswerError(_("{key}: answer yes or no (true/false), not '{answer}'").format(key=q.key, answer=raw))
    if q.type == "choice":
        values = [o["value"] for o in q.options]
        text = str(raw).strip()
        if text in values:
            return text
        if text.isdigit() and 1 <= int(text) <= len(values):
            return values[int(text) - 1]
        by_label = {vi.fold(o["label"]): o["value"] for o in q.options}
        if vi.fold(text) in by_label:
            return by_label[vi.fold(text)]
        raise AnswerError(_("{key}: choose one of: {choices} (there is no '{answer}'{hint})").format(
            key=q.key, choices=", ".join(values), answer=raw, hint=suggest(text, values)))
    if q.type == "number":
        try:
            value = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else parse_number(str(raw))
        except ValueError:
            raise AnswerError(_("{key}: a number is needed, not '{answer}'").format(key=q.key, answer=raw)) from None
        if q.min is not None and value < q.min or q.max is not None and value > q.max:
            message = (_("{key}: a number from {min} to {max} is needed, not {answer}") if q.max is not None
                       else _("{key}: a number of at least {min} is needed, not {answer}"))
            raise AnswerError(message.format(key=q.key, min=vi.number(q.min or 0),
                                             max=vi.number(q.max) if q.max is not None else "", answer=raw))
        return value
    if q.type == "date":
        text = str(raw).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        raise AnswerError(_("{key}: a date is needed, as dd/mm/yyyy, not '{answer}'").format(key=q.key, answer=raw))
    raise AnswerError(_("{key}: unknown question type {type}").format(key=q.key, type=q.type))


def read_answers(proc: Procedure, given: Mapping[str, Any]) -> tuple[dict[str, Any], list[Question]]:
    """(parsed answers, questions still unanswered); unknown keys are errors with a suggestion."""
    keys = [q.key for q in proc.questions]
    for key in given:
        if key not in keys:
            if not keys:
                raise AnswerError(_("procedure '{id}' has no question '{key}' (it asks no questions)").format(
                    id=proc.id, key=key))
            raise AnswerError(_("procedure '{id}' has no question '{key}'{hint} (questions: {questions})").format(
                id=proc.id, key=key, hint=suggest(key, keys), questions=", ".join(keys)))
    answers = {q.key: parse_answer(q, given[q.key]) for q in proc.questions if q.key in given}
    missing = [q for q in proc.questions if q.key not in answers]
    return answers, missing


def documents_for(proc: Procedure, answers: Mapping[str, Any] | None, channel: str,
                  on: dt.date) -> list[tuple[Document, bool]]:
    """Papers for this case as (document, conditional). With answers None (the generic list),
    every conditional paper is included and marked conditional ("nếu có")."""
    out = []
    for d in proc.documents:
        if d.channels and channel not in d.channels:
            continue
        if not in_force(d.valid_from, d.valid_to, on):
            continue
        if answers is None:
            out.append((d, d.when is not None))
        elif holds(d.when, answers):
            out.append((d, False))
    return out


def match_documents(proc: Procedure, names: Iterable[str]) -> set[str]:
    """Document ids for --have values: an id, or a name (with or without diacritics)."""
    ids = {d.id for d in proc.documents}
    by_name = {vi.fold(p.name): d.id for d in proc.documents for p in d.papers}
    found = set()
    for name in names:
        if name in ids:
            found.add(name)
        elif vi.fold(name) in by_name:
            found.add(by_name[vi.fold(name)])
        else:
            raise AnswerError(_("procedure '{id}' has no paper '{name}'{hint} (paper ids: {ids})").format(
                id=proc.id, name=name, hint=suggest(name, sorted(ids)), ids=", ".join(sorted(ids))))
    return found
