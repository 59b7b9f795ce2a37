"""Due dates: worked examples from the reference and properties that must always hold."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from thutuc.checklist.workdays import (Calendar, add_calendar_days, add_working_days, add_working_hours, due,
                             next_working_day, same_day, vietnam_calendar)

TZ = dt.timezone(dt.timedelta(hours=7))
VN = vietnam_calendar((2025, 2026, 2027), days_off={"2026-01-02": "Nghỉ bù Tết Dương lịch"},
                      working={"2026-01-10": "Làm bù"})
D = dt.date


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_tet_2026_is_skipped():
    # Received Friday 13/2/2026; Tết is Monday 16 to Friday 20 February: 1 working day -> Monday 23.
    assert add_working_days(VN, D(2026, 2, 13), 1) == D(2026, 2, 23)
    # 18 working days from Tuesday 10/2 (the land transfer): 3 before Tết, 15 after -> Friday 13/3.
    assert add_working_days(VN, D(2026, 2, 10), 18) == D(2026, 3, 13)


def test_gio_to_2026_on_sunday_gives_monday_off():
    assert not VN.is_working_day(D(2026, 4, 27))
    assert add_working_days(VN, D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_new_year_2026_swap():
    assert not VN.is_working_day(D(2026, 1, 2))  # Friday off
    assert VN.is_working_day(D(2026, 1, 10))  # Saturday worked
    assert add_working_days(VN, D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert add_working_days(VN, D(2026, 1, 9), 1) == D(2026, 1, 10)


def test_national_day_2026_swap_from_the_package():
    assert not VN.is_working_day(D(2026, 8, 31)) and VN.is_working_day(D(2026, 8, 22))
    assert add_working_days(VN, D(2026, 8, 28), 1) == D(2026, 9, 3)


def test_after_15_the_same_day_procedure_is_next_working_day():
    assert same_day(VN, at(2026, 11, 26, 14, 59), dt.time(15)) == D(2026, 11, 26)
    assert same_day(VN, at(2026, 11, 26, 15, 1), dt.time(15)) == D(2026, 11, 27)
    assert same_day(VN, at(2026, 11, 27, 15, 30), dt.time(15)) == D(2026, 11, 30)  # Friday -> Monday
    assert same_day(VN, at(2026, 2, 13, 16), dt.time(15)) == D(2026, 2, 23)  # Friday before Tết


def test_calendar_days_ending_on_a_day_off_move_to_the_next_working_day():
    # 15 days from Thursday 5/2/2026 -> Friday 20/2 is Tết -> Monday 23/2.
    assert add_calendar_days(VN, D(2026, 2, 5), 15) == D(2026, 2, 23)
    assert add_calendar_days(VN, D(2026, 3, 2), 10) == D(2026, 3, 12)


def test_working_hours_stay_in_office_hours():
    cal = Calendar(hours=((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17))))
    assert add_working_hours(cal, at(2026, 11, 26, 10, 0), 2) == at(2026, 11, 26, 14, 0)
    assert add_working_hours(cal, at(2026, 11, 27, 16, 0), 2) == at(2026, 11, 30, 8, 30)  # Friday -> Monday
    assert add_working_hours(cal, at(2026, 11, 26, 20, 0), 1) == at(2026, 11, 27, 8, 30)


def test_due_lists_the_days_off_it_stepped_over():
    d = due(VN, at(2026, 2, 10), "working_days", 18)
    assert d.at == dt.datetime(2026, 3, 13, 17, 0, tzinfo=TZ)
    assert [x for x, _ in d.skipped] == [D(2026, 2, 16) + dt.timedelta(days=i) for i in range(5)]
    assert due(VN, at(2026, 2, 10), "unknown") is None


def test_office_can_remove_a_package_holiday():
    cal = vietnam_calendar((2026,), not_holidays=["2026-11-24"])
    assert cal.is_working_day(D(2026, 11, 24))


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 10, 1))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_working_days_due_is_a_working_day_with_exactly_n_working_days(start, n):
    end = add_working_days(VN, start, n)
    assert VN.is_working_day(end) and end > start
    counted = sum(VN.is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert counted == n


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_one_more_working_day_never_goes_back(start, n):
    assert add_working_days(VN, start, n + 1) == next_working_day(VN, add_working_days(VN, start, n))
    assert add_working_days(VN, start, n + 1) > add_working_days(VN, start, n)


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_calendar_days_due_is_a_working_day_not_before_n_days(start, n):
    end = add_calendar_days(VN, start, n)
    assert VN.is_working_day(end) and (end - start).days >= n


@settings(max_examples=200, deadline=None)
@given(day=dates, minute=st.integers(min_value=0, max_value=24 * 60 - 1), hours=st.integers(min_value=1, max_value=40))
def test_working_hours_end_inside_office_hours_on_a_working_day(day, minute, hours):
    start = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), TZ)
    end = add_working_hours(VN, start, hours)
    assert end > start and VN.is_working_day(end.date())
    assert any(a <= end.time() <= b for a, b in VN.hours)


@settings(max_examples=200, deadline=None)
@given(day=dates, minute=st.integers(min_value=0, max_value=24 * 60 - 1))
def test_same_day_result_is_never_a_day_off_nor_before_receipt(day, minute):
    received = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), TZ)
    result = same_day(VN, received, dt.time(15))
    assert VN.is_working_day(result) and result >= day
