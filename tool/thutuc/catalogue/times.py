"""Which time limit applies to one applicant, for the whole file and for each result.

Precedence (the staff guide, huong-dan/thoi-han.md, says the same):

1. a result with its own ``processing_time`` is counted by that time;
2. otherwise by the channel's ``processing_time`` when the channel has one, else the procedure's;
3. inside the time chosen, the first of its ``cases`` whose condition holds for the answers gives
   unit, amount and cut-off; when none holds (or there are no answers: the generic list), the
   time's own unit and amount apply.

``starts``, ``stages`` and ``note`` always come from the time chosen in 1–2; a case brings its own
``source`` and ``what`` (the case in words).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from thutuc.catalogue.conditions import holds
from thutuc.catalogue.model import ProcessingTime, Procedure, Result, TimeCase


@dataclass(frozen=True)
class Limit:
    """The time limit that applies: what the due date is counted from."""

    unit: str
    amount: int | None
    cutoff: str | None
    time: ProcessingTime  # the time it was chosen from (starts, stages, note, cases)
    case: TimeCase | None = None  # the case that gave it, if one did

    @property
    def starts(self) -> tuple[str, ...]:
        return self.time.starts

    @property
    def source(self) -> str | None:
        return (self.case.source if self.case and self.case.source else None) or self.time.source

    @property
    def what(self) -> str | None:
        return self.case.what if self.case else None


def limit(time: ProcessingTime, answers: Mapping[str, Any] | None) -> Limit:
    """The time for these answers: the first case that holds, else the time itself."""
    if answers is not None:
        for case in time.cases:
            if holds(case.when, answers):
                return Limit(case.unit, case.amount, case.cutoff, time, case)
    return Limit(time.unit, time.amount, time.cutoff, time)


def procedure_limit(proc: Procedure, channel: str, answers: Mapping[str, Any] | None) -> Limit:
    return limit(proc.time_for(channel), answers)


@dataclass(frozen=True)
class ResultLimit:
    result: Result
    limit: Limit
    own: bool  # the result has its own processing_time
    conditional: bool  # generic list: given only in some cases


def results_for(proc: Procedure, channel: str, answers: Mapping[str, Any] | None) -> list[ResultLimit]:
    """The results this applicant gets, each with its time limit. With answers None (the generic
    list) every result is listed, those with a condition marked conditional."""
    base = proc.time_for(channel)
    out = []
    for r in proc.results:
        if answers is not None and not holds(r.when, answers):
            continue
        out.append(ResultLimit(r, limit(r.processing_time or base, answers), r.processing_time is not None,
                               answers is None and r.when is not None))
    return out


def has_own_times(proc: Procedure) -> bool:
    return any(r.processing_time is not None for r in proc.results)
