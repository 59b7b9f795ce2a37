"""When a result is due: working days with Vietnamese holidays and the office's own calendar.

Rules (see shared/reference/vietnam-procedures.md §4):
- a period counted in days starts the day after the file is received (Civil Code 2015, art. 147(1));
- working days skip Saturdays, Sundays and days off; a Saturday or Sunday announced as a make-up
  working day (làm bù) counts;
- a period in calendar days whose last day is a day off ends on the next working day
  (Civil Code 2015, art. 148(5));
- "same day" procedures with a cut-off (15:00 for certification and civil status): a file received
  after the cut-off, or on a day off, is done on the next working day;
- hours are counted within office hours on working days;
- where the office works Saturday mornings (calendar.saturday_morning, or an agency's hours on
  "sat"), those hours are office hours too: a count in working hours runs through them, and a
  same-day file received then is done that morning; no due time falls on a Saturday afternoon.
  Counts in working days do not count Saturdays: the working days of the law are Monday to
  Friday, and a desk open on Saturday morning serves people sooner without changing the time
  limit the law gives (a due date that counted Saturdays would promise less than the law does,
  and differ between offices for the same procedure).

Everything here is pure: the calendar is a value, so tests can pass any calendar they like.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

DEFAULT_HOURS = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))
SATURDAY_MORNING = ((dt.time(7, 30), dt.time(11, 30)),)  # calendar.saturday_morning: true
# The years whose public holidays are known: the `holidays` package computes Vietnam's (lunar Tết
# included) from 1901 to 2100 (tests/test_bad_inputs.py checks this against the package); before
# 1970 its table is not today's law anyway. A date outside cannot be given a due date honestly.
FIRST_YEAR, LAST_YEAR = 1970, 2100


class CalendarError(ValueError):
    """A count that leaves the years whose days off are known: the due date would be a guess."""


def covered(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


@dataclass(frozen=True)
class Calendar:
    """Days off and make-up working days, with a name for each (shown on checklists)."""

    days_off: Mapping[dt.date, str] = field(default_factory=dict)
    working: Mapping[dt.date, str] = field(default_factory=dict)  # weekend days worked
    hours: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_HOURS  # office hours on a working day
    sources: tuple[str, ...] = ()
    last: dt.date | None = None  # the last day whose days off are known (None: any day)
    saturday: tuple[tuple[dt.time, dt.time], ...] = ()  # office hours on a Saturday not worked in full

    def is_working_day(self, day: dt.date) -> bool:
        """A legal working day: what counts in working days (never a Saturday morning desk)."""
        if day in self.days_off:
            return False
        return day in self.working or day.weekday() < 5

    def hours_on(self, day: dt.date) -> tuple[tuple[dt.time, dt.time], ...]:
        """Office hours on this day: a working day's, a Saturday morning's, or none."""
        if self.is_working_day(day):
            return self.hours
        if day.weekday() == 5 and day not in self.days_off:
            return self.saturday
        return ()

    def closing_on(self, day: dt.date) -> dt.time:
        hours = self.hours_on(day)
        return hours[-1][1] if hours else self.closing

    @property
    def closing(self) -> dt.time:
        return self.hours[-1][1]


def _beyond(cal: Calendar, day: dt.date) -> CalendarError:
    from thutuc.i18n import _

    last = cal.last or dt.date(LAST_YEAR, 12, 31)
    return CalendarError(_("the due date falls after {last}, beyond the days off thutuc knows; it cannot be "
                           "counted").format(last=last.strftime("%d/%m/%Y")))


def _next(cal: Calendar, day: dt.date) -> dt.date:
    if day >= (cal.last or dt.date(LAST_YEAR, 12, 31)):
        raise _beyond(cal, day)
    return day + dt.timedelta(days=1)


def next_working_day(cal: Calendar, day: dt.date) -> dt.date:
    """The first working day after ``day``; CalendarError past the last day the calendar knows."""
    day = _next(cal, day)
    while not cal.is_working_day(day):
        day = _next(cal, day)
    return day


def add_working_days(cal: Calendar, received: dt.date, n: int) -> dt.date:
    """The n-th working day after the day of receipt (which is not counted)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day = received
    for _ in range(n):
        day = next_working_day(cal, day)
    return day


def add_calendar_days(cal: Calendar, received: dt.date, n: int) -> dt.date:
    """n days after receipt; a last day that is a day off moves to the next working day."""
    last = cal.last or dt.date(LAST_YEAR, 12, 31)
    if n > (last - received).days:
        raise _beyond(cal, received)
    day = received + dt.timedelta(days=n)
    return day if cal.is_working_day(day) else next_working_day(cal, day)


def same_day(cal: Calendar, received: dt.datetime, cutoff: dt.time | None) -> dt.date:
    """Today if received on a working day before the cut-off, else the next working day."""
    day = received.date()
    if cal.is_working_day(day) and (cutoff is None or received.time() <= cutoff):
        return day
    if (not cal.is_working_day(day) and cal.hours_on(day) and received.time() < cal.closing_on(day)
            and (cutoff is None or received.time() <= cutoff)):
        return day  # a Saturday morning desk: done before it closes
    return next_working_day(cal, day)


def add_working_hours(cal: Calendar, received: dt.datetime, hours: int) -> dt.datetime:
    """``hours`` of office time after ``received``, skipping nights, breaks and days off (and
    counting Saturday-morning hours where the calendar has them)."""
    left = dt.timedelta(hours=hours)
    moment = received
    while True:
        day = moment.date()
        for start, end in cal.hours_on(day):  # a Saturday morning too, where the desk opens then
            begin = max(moment, dt.datetime.combine(day, start, moment.tzinfo))
            finish = dt.datetime.combine(day, end, moment.tzinfo)
            if begin >= finish:
                continue
            if begin + left <= finish:
                return begin + left
            left -= finish - begin
        moment = dt.datetime.combine(_next(cal, day), dt.time(0), moment.tzinfo)


@dataclass(frozen=True)
class Due:
    """When the result is due, and the days off that the count stepped over."""

    at: dt.datetime
    unit: str
    amount: int | None
    skipped: tuple[tuple[dt.date, str], ...]  # days off between receipt and due date, with names

    def as_json(self) -> dict:
        return {"due": self.at.isoformat(), "unit": self.unit, "amount": self.amount,
                "days_off_counted_over": [{"date": d.isoformat(), "name": n} for d, n in self.skipped]}


def due(cal: Calendar, received: dt.datetime, unit: str, amount: int | None = None,
        cutoff: dt.time | None = None) -> Due | None:
    """The moment a result is due, or None when the time limit is unknown."""
    if unit == "unknown":
        return None
    if unit == "working_hours":
        at = add_working_hours(cal, received, amount)
    else:
        if unit == "same_day":
            day = same_day(cal, received, cutoff)
        elif unit == "working_days":
            day = add_working_days(cal, received.date(), amount)
        elif unit == "calendar_days":
            day = add_calendar_days(cal, received.date(), amount)
        else:
            raise ValueError(f"unknown unit {unit!r}")
        at = dt.datetime.combine(day, cal.closing_on(day), received.tzinfo)
    skipped = tuple(sorted((d, n) for d, n in cal.days_off.items() if received.date() <= d <= at.date()))
    return Due(at, unit, amount, skipped)


def vietnam_calendar(years: Iterable[int], days_off: Mapping[str, str] = {}, working: Mapping[str, str] = {},
                     not_holidays: Iterable[str] = (), hours=DEFAULT_HOURS, saturday=()) -> Calendar:
    """Public holidays from the `holidays` package, corrected by the office's calendar.

    The package knows the lunar holidays, observed days and many announced swaps; the office adds
    days off and make-up working days the package misses, and removes days it lists wrongly.
    """
    years = tuple(sorted(set(years)))
    if not years or not (FIRST_YEAR <= years[0] and years[-1] <= LAST_YEAR + 1):
        from thutuc.i18n import _

        raise CalendarError(_("thutuc knows the days off from {first} to {last} only").format(
            first=FIRST_YEAR, last=LAST_YEAR))
    # and one year more: a checklist asks for the year of receipt and the next, and the schema's
    # longest time limit, 365 working days, received late in the year ends in the year after that
    years = tuple(y for y in years + (years[-1] + 1,) if y <= LAST_YEAR)
    off, work, source = _public_holidays(years)
    off, work = dict(off), dict(work)
    for d in not_holidays:
        off.pop(dt.date.fromisoformat(d), None)
    off.update({dt.date.fromisoformat(d): name for d, name in days_off.items()})
    work.update({dt.date.fromisoformat(d): name for d, name in working.items()})
    return Calendar(days_off=off, working=work, hours=tuple(hours), sources=(source, "catalogue/calendar.yaml"),
                    last=dt.date(years[-1], 12, 31), saturday=tuple(saturday))


@lru_cache(maxsize=8)
def _public_holidays(years: tuple[int, ...]) -> tuple[dict, dict, str]:
    """(days off, weekend days worked, source) from the `holidays` package, cached on disk
    (computing the lunar calendar costs more than the rest of a checklist) and in memory
    (a batch or the site's PDFs ask for the same years again and again)."""
    from importlib.metadata import version

    from thutuc.cache import cached

    release = version("holidays")

    def compute():
        import holidays

        vn = holidays.country_holidays("VN", years=list(years), language="vi")
        off = dict(vn.items())
        work = {d: "Ngày làm bù (hoán đổi ngày nghỉ)" for d in getattr(vn, "weekend_workdays", set())
                if d.year in years}
        return off, work, f"holidays {release} (VN)"

    return cached("holidays", f"{release}-{'-'.join(map(str, years))}", compute)
