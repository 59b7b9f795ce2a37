"""Tailoring a procedure to one applicant: reading answers, choosing papers, finding what is missing."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from thutuc import vi
from thutuc.catalogue.conditions import holds, holds_so_far
from thutuc.catalogue.fees import in_force
from thutuc.catalogue.model import Document, Procedure, Question
from thutuc.i18n import _
from thutuc.problems import suggest

TRUE = {"true", "yes", "y", "1", "co", "có", "c"}
FALSE = {"false", "no", "n", "0", "khong", "không", "k"}


class AnswerError(ValueError):
    """An answer that cannot be used; the message says what would be accepted."""


# No answer a person types is longer than this; longer text is a paste gone wrong (and Python
# refuses to read an integer of more than 4,300 digits).
MAX_ANSWER_CHARS = 200
# A number question without a max still gets one: 10^15 (a million billion đồng) is above any
# declared value of land or a house, and far below where floats lose whole đồng.
LARGEST = 10**15


# Money the Vietnamese way: "1,5 triệu", "2tr", "500k", "1 tỷ 200 triệu", "1.500.000 đồng".
_SCALES = {"ty": 9, "ti": 9, "trieu": 6, "tr": 6, "nghin": 3, "ngan": 3, "k": 3}
_CURRENCY = re.compile(r"(dong|vnd|d)$")
_SCALED = re.compile(r"(\d+(?:[.,]\d+)*)(ty|ti|trieu|tr|nghin|ngan|k)")


def _scaled(t: str) -> int | float | None:
    """'1,5trieu' -> 1500000, '1ty200trieu' -> 1200000000 (folded, no spaces); None when the text
    has no scale word. Exact: 1,5 triệu is 1.500.000, not 1.499.999,99…"""
    from decimal import Decimal, InvalidOperation

    parts = _SCALED.findall(t)
    if not parts or "".join(n + s for n, s in parts) != t:
        return None
    scales = [_SCALES[s] for _, s in parts]
    if scales != sorted(scales, reverse=True) or len(set(scales)) != len(scales):
        raise ValueError(t)  # "2 triệu 1 tỷ", "1 triệu 2 triệu"
    total = Decimal(0)
    for digits, scale in parts:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):
            digits = digits.replace(".", "")
        try:
            total += Decimal(digits.replace(",", ".")) * (Decimal(10) ** _SCALES[scale])
        except InvalidOperation:
            raise ValueError(t) from None
    return int(total) if total == total.to_integral_value() else float(total)


def parse_number(text: str) -> int | float:
    """'1.500.000' (Vietnamese thousands) -> 1500000; '0,5' -> 0.5; '12' -> 12; money as people
    write it: '1,5 triệu' -> 1500000, '2tr' -> 2000000, '500k' / '500 nghìn' -> 500000,
    '1.500.000 đồng' / '1.500.000đ' -> 1500000. ValueError for anything else, including nan, inf
    and numbers too large to mean anything."""
    t = text.strip().replace(" ", "")
    if len(t) > 40:
        raise ValueError(t)
    folded = vi.fold(t)
    if re.fullmatch(r"\d[\d.,a-z]*[a-z]", folded):  # ends in a word: đồng, triệu, tr, k…
        folded = _CURRENCY.sub("", folded)
        scaled = _scaled(folded)
        if scaled is not None:
            return scaled
        t = folded
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", t):
        return int(t.replace(".", ""))
    t = t.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", t):
        raise ValueError(t)  # float() also reads 'nan', 'inf', 'infinity' and '1_000'
    value = float(t)
    if not math.isfinite(value):
        raise ValueError(t)
    return int(value) if value.is_integer() and "." not in t else value


def _shown(raw: Any) -> str:
    """An answer as quoted back in a message: never a whole pasted page."""
    text = str(raw)
    return text if len(text) <= 40 else text[:37] + "…"


def counted(proc: Procedure) -> set[str]:
    """Keys of the number questions that count something (pages, copies: a fee's units or
    times, a paper's times or pages), whose answers must be whole numbers."""
    return ({k for f in proc.fees for k in (f.units, f.times) if k}
            | {k for d in proc.documents for k in (d.times, d.pages) if k})


def parse_answer(q: Question, raw: Any, whole: bool = False) -> Any:
    """An answer typed by a person (or read from a file) as the value conditions compare.
    ``whole``: the question counts something (see :func:`counted`), so 2.5 is refused."""
    if isinstance(raw, (list, dict)):
        raise AnswerError(_("{key}: give one answer, not a list or a mapping").format(key=q.key))
    if isinstance(raw, str) and len(raw) > MAX_ANSWER_CHARS:
        raise AnswerError(_("{key}: the answer is {count:,} characters long; give a short answer").format(
            key=q.key, count=len(raw)))
    if q.type == "boolean":
        if isinstance(raw, bool):
            return raw
        word = vi.fold(str(raw).strip())
        if word in {vi.fold(w) for w in TRUE}:
            return True
        if word in {vi.fold(w) for w in FALSE}:
            return False
        raise AnswerError(_("{key}: answer yes or no (true/false), not '{answer}'").format(
            key=q.key, answer=_shown(raw)))
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
            key=q.key, choices=", ".join(values), answer=_shown(raw), hint=suggest(text, values)))
    if q.type == "number":
        try:
            if isinstance(raw, bool) or raw is None:
                raise ValueError(raw)
            value = parse_number(str(raw)) if not isinstance(raw, int) else raw
        except ValueError:
            raise AnswerError(_("{key}: a number is needed, not '{answer}'").format(
                key=q.key, answer=_shown(raw))) from None
        low = q.min if q.min is not None else -LARGEST
        high = q.max if q.max is not None else LARGEST
        if not low <= value <= high:
            message = (_("{key}: a number of at least {min} is needed, not {answer}")
                       if q.max is None and value < low
                       else _("{key}: a number from {min} to {max} is needed, not {answer}"))
            raise AnswerError(message.format(key=q.key, min=vi.number(low), max=vi.number(high),
                                             answer=_shown(raw)))
        if whole and value != int(value):
            raise AnswerError(_("{key}: a whole number is needed, not {answer}").format(
                key=q.key, answer=_shown(raw)))
        return int(value) if whole else value
    if q.type == "date":
        text = str(raw).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}", text):
            raise AnswerError(_("{key}: {answer} is not a real date").format(key=q.key, answer=text))
        raise AnswerError(_("{key}: a date is needed, as dd/mm/yyyy, not '{answer}'").format(
            key=q.key, answer=_shown(raw)))
    raise AnswerError(_("{key}: unknown question type {type}").format(key=q.key, type=q.type))


def asked(q: Question, decided: Mapping[str, Any]) -> bool | None:
    """Whether question ``q`` is asked, given the answers to the questions before it (a question
    that is not asked is in ``decided`` as None: no answer): True, False, or None while an earlier
    answer it depends on is still missing."""
    return holds_so_far(q.when, decided)


def visible_answers(proc: Procedure, answers: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The answers to the questions that are asked for them: an answer to a question that these
    answers do not ask (its when does not hold) is dropped, so it never changes the list."""
    if answers is None:
        return None
    decided: dict[str, Any] = {}
    for q in proc.questions:
        if asked(q, decided) is not True:
            decided[q.key] = None
        else:
            decided[q.key] = answers.get(q.key)
    return {k: v for k, v in decided.items() if v is not None and k in answers}


def not_asked_message(proc: Procedure, q: Question) -> str:
    from thutuc.wording import describe_condition

    return _("{key}: this question is not asked for these answers (only if {condition}); its answer is "
             "ignored").format(key=q.key, condition=describe_condition(q.when, proc))


def read_answers(proc: Procedure, given: Mapping[str, Any],
                 where: Mapping[str, str] | None = None,
                 warnings: list[str] | None = None) -> tuple[dict[str, Any], list[Question]]:
    """(parsed answers, questions still unanswered); unknown keys are errors with a suggestion.
    ``where``: for answers read from a file, 'file:line:col' of each key, put before its error.
    A question asked only in some cases (``when``) that these answers do not ask is neither
    required nor used: an answer given to it is ignored, and ``warnings`` told why.
    Unanswered questions include those that may be asked once an earlier answer is given."""
    keys = [q.key for q in proc.questions]
    where = where or {}

    def at(key: str, message: str) -> AnswerError:
        return AnswerError(f"{where[key]}: {message}" if key in where else message)

    for key in given:
        if key not in keys:
            if not keys:
                raise at(key, _("procedure '{id}' has no question '{key}' (it asks no questions)").format(
                    id=proc.id, key=_shown(key)))
            raise at(key, _("procedure '{id}' has no question '{key}'{hint} (questions: {questions})").format(
                id=proc.id, key=_shown(key), hint=suggest(key, keys), questions=", ".join(keys)))
    whole = counted(proc)
    answers: dict[str, Any] = {}
    decided: dict[str, Any] = {}  # the answers, and None for each question not asked
    missing = []
    for q in proc.questions:
        if asked(q, decided) is False:
            decided[q.key] = None
            if q.key in given and warnings is not None:
                message = not_asked_message(proc, q)
                warnings.append(f"{where[q.key]}: {message}" if q.key in where else message)
            continue
        if q.key in given:
            try:
                answers[q.key] = decided[q.key] = parse_answer(q, given[q.key], q.key in whole)
            except AnswerError as exc:
                raise at(q.key, str(exc)) from None
        else:
            missing.append(q)
    return answers, missing


def read_answers_file(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers in a YAML or JSON file, read as strictly as the catalogue (no dates, .nan or
    tags converted behind the applicant's back, no deep nesting), with 'file:line:col' for each
    key; AnswerError saying where and what for a file that cannot be used."""
    from thutuc.catalogue.yamlload import decode, load_text

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnswerError(_("{file}: cannot read the answers ({reason})").format(
            file=path, reason=exc.strerror or exc)) from None
    text, problems = decode(str(path), data)
    loaded = (load_text(str(path), text) if text is not None and not any(p.severity == "error" for p in problems)
              else None)
    problems = [p for p in problems + (loaded.problems if loaded else []) if p.severity == "error"]
    if problems:
        p = problems[0]
        raise AnswerError(_("{where}: cannot read the answers ({reason})").format(
            where=f"{p.path}:{p.line}:{p.col}", reason=p.message))
    if not isinstance(loaded.data, dict):
        raise AnswerError(_("{file}: needs a mapping of 'question: answer'").format(file=path))
    where = {k: "{}:{}:{}".format(path, *loaded.keys[(k,)]) for k in loaded.data}
    return dict(loaded.data), where


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


MAX_REASON_CHARS = 300  # a reason the officer types at the counter, not a pasted page


def match_lookup_failed(proc: Procedure, items: Iterable[str], applicable: Iterable[Document] | None = None
                        ) -> dict[str, str]:
    """--lookup-failed values, 'DOC=lý do' (DOC: the id or name of a looked-up paper), as
    {id: reason}. A DOC that is not a paper the office looks up in this case is an AnswerError in
    one line naming the ids that are."""
    docs = [d for d in (applicable if applicable is not None else proc.documents) if d.looked_up]
    ids = sorted(d.id for d in docs)
    by_name = {vi.fold(p.name): d.id for d in docs for p in d.papers}
    out: dict[str, str] = {}
    for item in items:
        key, _sep, reason = item.partition("=")
        key, reason = key.strip(), " ".join(reason.split())
        if len(reason) > MAX_REASON_CHARS:
            raise AnswerError(_("--lookup-failed {doc}: the reason is {count:,} characters long; say it in a few "
                                "words").format(doc=_shown(key), count=len(reason)))
        found = key if key in ids else by_name.get(vi.fold(key))
        if found is None:
            if not ids:
                raise AnswerError(_("--lookup-failed {doc}: procedure '{id}' has no paper the office looks up "
                                    "in this case").format(doc=_shown(key), id=proc.id))
            raise AnswerError(_("--lookup-failed {doc}: not a paper the office looks up in this case{hint} "
                                "(looked-up papers: {ids})").format(doc=_shown(key), hint=suggest(key, ids),
                                                                     ids=", ".join(ids)))
        out[found] = reason
    return out
