"""Dates from a service's legal deadline: when it falls, and when to remind the citizen.

Working days are Monday to Friday minus Indonesia's national public holidays as the
maintained ``holidays`` package lists them (``holidays.country_holidays("ID")``: the days
of the government's decree, Islamic holidays for future years *estimated* from the
calendar until the decree fixes them). **Cuti bersama** (the collective leave days the
government adds around Idul Fitri and Christmas each year) are not in it: offices are
closed on those days, so a working-day deadline that spans them really ends a day or
two later than computed here. A reminder therefore errs on the early side.
"""

from __future__ import annotations

import calendar
import threading
from datetime import date, timedelta

import holidays

from navigator.kb.schema import Deadline

BEFORE7 = "before7"  # seven days ahead of the due date
ON_THE_DAY = "day"
TOMORROW = "tomorrow"  # a reminder the citizen asked to be repeated the next day
KINDS = (BEFORE7, ON_THE_DAY, TOMORROW)
LEAD_DAYS = 7

_holidays_lock = threading.Lock()
_id_holidays: holidays.HolidayBase | None = None


class DeadlineError(ValueError):
    """A deadline without the numbers that a date needs (``within`` and ``unit``)."""


def _holiday_calendar() -> holidays.HolidayBase:
    global _id_holidays
    with _holidays_lock:
        if _id_holidays is None:
            _id_holidays = holidays.country_holidays("ID")  # expands to each year asked for
        return _id_holidays


def is_holiday(day: date) -> bool:
    """True on an Indonesian national public holiday (cuti bersama not included)."""
    found = _holiday_calendar()
    with _holidays_lock:  # the calendar fills in a year on first look: not thread-safe
        return day in found


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a national public holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (before it when ``count`` is negative);
    ``day`` itself is not counted."""
    step = timedelta(days=1 if count >= 0 else -1)
    left = abs(count)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day


def due_date(anchor: date, deadline: Deadline) -> date:
    """The last day of ``deadline`` counted from ``anchor`` (the birth, the move, the
    wedding): forward, or backward for a deadline ``before`` the event."""
    if deadline.within is None or deadline.unit is None:
        raise DeadlineError("the deadline has no within/unit: no date can be computed")
    amount = -deadline.within if deadline.before else deadline.within
    if deadline.unit == "days":
        return anchor + timedelta(days=amount)
    if deadline.unit == "working_days":
        return add_working_days(anchor, amount)
    if deadline.unit == "months":
        return add_months(anchor, amount)
    return add_months(anchor, 12 * amount)  # years: 29 February becomes the 28th


def reminder_dates(due: date, today: date) -> list[tuple[str, date]]:
    """``[(kind, date)]``: seven days before (``before7``) and on the day (``day``),
    leaving out the dates already past (today's is kept)."""
    wanted = [(BEFORE7, due - timedelta(days=LEAD_DAYS)), (ON_THE_DAY, due)]
    return [(kind, day) for kind, day in wanted if day >= today]
