"""Working days of the Chinese calendar, as a specification (no database). Real dates from the calendar's data:
国庆节 2025 ran 1–8 October, with Sunday 28 September and Saturday 11 October worked in exchange (调休); 2026's
National Day holiday is 1–7 October with Saturday 10 October worked; 春节 2026 has Saturday 14 and Saturday 28
February worked."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from gongjiang.core import workdays

D = datetime.date


def test_the_official_schedule_decides_holidays_and_swapped_weekends():
    assert not workdays.is_workday(D(2025, 10, 1))  # 国庆节
    assert not workdays.is_workday(D(2025, 10, 8))  # the last day of the 2025 holiday, a Wednesday
    assert workdays.is_workday(D(2025, 9, 28))  # a Sunday worked (调休)
    assert workdays.is_workday(D(2025, 10, 11))  # a Saturday worked (调休)
    assert workdays.is_workday(D(2026, 2, 14)) and workdays.is_workday(D(2026, 2, 28))  # 春节 2026 调休 Saturdays
    assert not workdays.is_workday(D(2026, 10, 3)) and workdays.is_workday(D(2026, 10, 10))
    assert workdays.is_workday(D(2025, 9, 26)) and not workdays.is_workday(D(2025, 9, 27))  # plain Fri / Sat


def test_five_working_days_across_national_day_skip_the_holiday_and_count_the_swapped_sunday():
    # Published on Friday 26 September 2025: Fri 26, Sun 28 (调休), Mon 29, Tue 30, then 1–8 October off: Thu 9.
    period = workdays.working_period(D(2025, 9, 26), 5)
    assert (period.starts_on, period.ends_on, period.estimated) == (D(2025, 9, 26), D(2025, 10, 9), False)
    assert workdays.count_working_days(D(2025, 9, 26), D(2025, 10, 9)) == 5


def test_a_period_starting_on_a_swapped_saturday_counts_it():
    period = workdays.working_period(D(2025, 10, 11), 1)
    assert period.starts_on == period.ends_on == D(2025, 10, 11)
    # published on the holiday itself, the first working day after it is day one
    period = workdays.working_period(D(2025, 10, 3), 3)
    assert (period.starts_on, period.ends_on) == (D(2025, 10, 9), D(2025, 10, 11))


def test_an_ordinary_week_is_monday_to_friday():
    period = workdays.working_period(D(2026, 6, 1), 5)  # Monday 1 June 2026
    assert period.ends_on == D(2026, 6, 5)
    assert workdays.working_period(D(2026, 6, 6), 1).starts_on == D(2026, 6, 8)  # a Saturday: from Monday


def test_beyond_the_calendars_data_weekends_alone_are_skipped_and_the_period_is_marked_estimated():
    assert not workdays.is_known(D(2099, 1, 5)) and workdays.is_known(D(2026, 12, 31))
    assert workdays.is_workday(D(2099, 1, 5)) and not workdays.is_workday(D(2099, 1, 3))  # Mon / Sat
    period = workdays.working_period(D(2099, 1, 2), 5)  # Friday 2 January 2099
    assert (period.ends_on, period.estimated, period.unknown_years) == (D(2099, 1, 8), True, (2099,))
    # a period that runs from the last known days into an unknown year is an estimate too
    period = workdays.working_period(D(2026, 12, 29), 5)
    assert period.estimated and period.unknown_years == (2027,) and period.ends_on == D(2027, 1, 4)
    with translation.override("en"):
        assert "2027" in workdays.period_note(period)
    assert workdays.period_note(workdays.working_period(D(2026, 6, 1), 5)) == ""


@pytest.mark.parametrize("days", [0, -1, workdays.MAX_WORKING_DAYS + 1])
def test_a_period_has_one_to_sixty_working_days(days):
    with pytest.raises(ValueError):
        workdays.working_period(D(2026, 6, 1), days)
