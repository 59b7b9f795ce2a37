"""What one applicant pays: pure functions over a procedure's fees and the answers."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from thutuc.catalogue.conditions import holds
from thutuc.catalogue.model import Fee


@dataclass(frozen=True)
class FeeLine:
    """One fee for this case: ``amount`` is None when no source gives it (unknown, set by province)."""

    name: str
    kind: str
    amount: int | None
    detail: str = ""  # how the amount was reached, in Vietnamese
    note: str | None = None
    source: str | None = None
    condition: Mapping | None = None  # on the generic list: the case it applies to
    full: int | None = None  # the amount before the reductions in force, when one lowered it
    reductions: tuple[Mapping, ...] = ()  # the reductions applied (wording.reduction_text says them)
    exempt_if: tuple[str, ...] = ()  # exempt groups the answers cannot tell ("Người thuộc hộ nghèo")


def in_force(valid_from: str | None, valid_to: str | None, on: dt.date) -> bool:
    return (valid_from is None or dt.date.fromisoformat(valid_from) <= on) and \
        (valid_to is None or on <= dt.date.fromisoformat(valid_to))


def applies(fee: Fee, answers: Mapping[str, Any] | None, channel: str, on: dt.date) -> bool:
    """Whether the fee is due; with answers None (the generic list) every case counts."""
    return ((not fee.channels or channel in fee.channels) and (answers is None or holds(fee.when, answers))
            and in_force(fee.valid_from, fee.valid_to, on))


def reduction_applies(red: Mapping, channel: str, on: dt.date) -> bool:
    """A reduction counts only while in force on the day and only on the channels it covers."""
    return in_force(red.get("valid_from"), red.get("valid_to"), on) and \
        (not red.get("channels") or channel in red["channels"])


def reduce(amount: int, red: Mapping) -> int:
    """The amount after one reduction, in whole đồng: a new amount (never above the one it
    lowers), or floor(amount × (100 − percent) / 100) in exact arithmetic."""
    if red.get("amount") is not None:
        return min(amount, red["amount"])
    return math.floor(amount * (100 - _exact(red["percent"])) / 100)


def tiered(units: int, tiers, flat: int | None) -> int:
    """Amount for ``units`` units: each unit priced by the tier its rank falls in (the first
    listed tier holding that rank; a rank no tier holds costs nothing).

    Counted by ranges, not unit by unit: O(tiers²) whatever the number of units, exact đồng.
    """
    if not tiers:
        return max(units, 0) * (flat or 0)
    total = 0
    free = [(1, units)] if units >= 1 else []  # ranks no earlier tier has priced, inclusive
    for t in tiers:
        lo, hi = math.ceil(t["from"]), (math.floor(t["to"]) if t.get("to") is not None else None)
        rest = []
        for a, b in free:
            start, end = max(a, lo), (b if hi is None else min(b, hi))
            if start > end:
                rest.append((a, b))
                continue
            total += (end - start + 1) * t["amount"]
            if a < start:
                rest.append((a, start - 1))
            if end < b:
                rest.append((end + 1, b))
        free = rest
        if not free:
            break
    return total


def _exact(number: int | float) -> Fraction:
    """A number as written (0.5 is one half, not the binary float nearest it), for exact đồng."""
    return Fraction(number) if isinstance(number, int) else Fraction(repr(number))


def _number(answers: Mapping[str, Any], key: str | None, default: int = 1) -> float:
    value = answers.get(key) if key else None
    return default if value is None else value


def amount_of(fee: Fee, answers: Mapping[str, Any]) -> tuple[int | None, str]:
    """(amount before exemptions and reductions, how it was computed)."""
    from thutuc import vi

    if fee.kind == "free":
        return 0, "Miễn phí"
    if fee.kind in ("unknown", "set_by_province"):
        return None, ""
    if fee.kind == "fixed":
        return fee.amount, ""
    if fee.kind == "per_unit":
        units = int(_number(answers, fee.units))
        each = tiered(units, fee.tiers, fee.amount)
        if fee.cap is not None:
            each = min(each, fee.cap)
        times = int(_number(answers, fee.times))
        detail = f"{units} {fee.unit or 'đơn vị'}"
        if fee.times:
            detail += f" × {times} bản"
        return each * times, detail
    if fee.kind == "percent":
        base = _number(answers, fee.of, default=0)
        value = math.floor(_exact(base) * _exact(fee.percent) / 100)
        if fee.min is not None:
            value = max(value, fee.min)
        if fee.max is not None:
            value = min(value, fee.max)
        return value, f"{vi.number(fee.percent)} % × {vi.money(base)}"
    raise ValueError(f"unknown fee kind {fee.kind!r}")


def compute(fees: tuple[Fee, ...], answers: Mapping[str, Any] | None, channel: str, on: dt.date) -> list[FeeLine]:
    """Every fee that applies to this case on this channel and date, with its amount. With answers
    None (the generic list) every fee is listed with the case it applies to."""
    generic = answers is None
    answers = answers or {}
    lines = []
    for fee in fees:
        if not applies(fee, None if generic else answers, channel, on):
            continue
        amount, detail = amount_of(fee, answers)
        exempt_if = []
        for ex in fee.exemptions:
            if ex.get("when") is None:  # a group the answers cannot tell: the renderer says so
                exempt_if.append(ex["who"])
            elif amount and holds(ex["when"], answers):
                amount, detail = 0, f"Miễn: {ex['who']}"
        full, applied = amount, []
        for red in fee.reductions:
            if not reduction_applies(red, channel, on) or (amount == 0 and not generic):
                continue  # not in force, not this channel, or nothing left to reduce (exempt)
            if amount:
                amount = reduce(amount, red)
            applied.append(red)  # said even where the amount is not known
        lines.append(FeeLine(fee.name, fee.kind, amount, detail, fee.note, fee.source,
                             fee.when if generic else None, full if full != amount else None, tuple(applied),
                             tuple(exempt_if)))
    return lines


def total(lines: list[FeeLine]) -> tuple[int, bool]:
    """(sum of the known amounts, whether every amount is known)."""
    return sum(line.amount or 0 for line in lines), all(line.amount is not None for line in lines)
