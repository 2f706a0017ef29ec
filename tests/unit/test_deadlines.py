"""Deadline arithmetic: calendar days, months, years, working days around Indonesian
public holidays, deadlines before the event, and the reminder dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from navigator.kb.schema import Deadline
from navigator.reminders import deadlines
from navigator.reminders.deadlines import (
    DeadlineError,
    add_months,
    due_date,
    is_working_day,
    reminder_dates,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def deadline(within: int, unit: str, before: bool = False) -> Deadline:
    return Deadline(
        text="batas waktu",
        text_en="deadline",
        within=within,
        unit=unit,  # type: ignore[arg-type]
        counted_from="peristiwa",
        counted_from_en="the event",
        before=before,
    )


def test_calendar_days_count_every_day() -> None:
    # a birth on 20 December 2026: sixty days run across the new year and the weekends
    assert due_date(date(2026, 12, 20), deadline(60, "days")) == date(2027, 2, 18)
    assert due_date(date(2027, 3, 1), deadline(14, "days", before=True)) == date(2027, 2, 15)


def test_months_keep_the_day_or_take_the_last_of_the_month() -> None:
    assert due_date(date(2027, 1, 15), deadline(6, "months")) == date(2027, 7, 15)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # a leap year
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert due_date(date(2027, 3, 31), deadline(1, "months", before=True)) == date(2027, 2, 28)


def test_years_move_29_february_to_the_28th() -> None:
    assert due_date(date(2027, 5, 2), deadline(5, "years")) == date(2032, 5, 2)
    assert due_date(date(2028, 2, 29), deadline(1, "years")) == date(2029, 2, 28)


def test_working_days_skip_weekends_and_public_holidays() -> None:
    assert not is_working_day(date(2027, 8, 17))  # Hari Kemerdekaan, a Tuesday
    assert not is_working_day(date(2027, 8, 14))  # a Saturday
    assert is_working_day(date(2027, 8, 16))
    # from Friday 13 August: Mon 16 (1), Tue 17 is a holiday, Wed 18 (2), Thu 19 (3)
    assert due_date(date(2027, 8, 13), deadline(3, "working_days")) == date(2027, 8, 19)
    # Christmas 2026 is a Friday: from Wednesday 23 December, 2 working days end on Monday
    assert due_date(date(2026, 12, 23), deadline(2, "working_days")) == date(2026, 12, 28)


def test_working_days_before_the_wedding_count_backwards_over_a_holiday() -> None:
    # the KUA deadline of the knowledge base itself: ten working days before the akad
    path = REPO_ROOT / "knowledge_base" / "services" / "marriage" / "pencatatan-nikah-kua.yml"
    kua = Deadline.model_validate(yaml.safe_load(path.read_text("utf-8"))["deadline"])
    assert (kua.within, kua.unit, kua.before) == (10, "working_days", True)
    # a wedding on Saturday 21 August 2027: Fri 20 … Mon 16 are four (Tue 17 is a
    # holiday), Fri 13 … Mon 9 five more, Friday 6 August the tenth
    assert due_date(date(2027, 8, 21), kua) == date(2027, 8, 6)
    # with no holiday in those two weeks: Monday 13 September for Saturday 25th
    assert due_date(date(2027, 9, 25), kua) == date(2027, 9, 13)


def test_a_deadline_without_numbers_gives_no_date() -> None:
    with pytest.raises(DeadlineError):
        due_date(date(2027, 1, 1), Deadline(text="tanpa angka", text_en="no numbers"))


def test_reminders_come_seven_days_before_and_on_the_day_never_in_the_past() -> None:
    due = date(2027, 1, 20)
    assert reminder_dates(due, date(2027, 1, 1)) == [
        ("before7", date(2027, 1, 13)),
        ("day", date(2027, 1, 20)),
    ]
    assert reminder_dates(due, date(2027, 1, 13)) == [
        ("before7", date(2027, 1, 13)),
        ("day", date(2027, 1, 20)),
    ]
    assert reminder_dates(due, date(2027, 1, 14)) == [("day", date(2027, 1, 20))]
    assert reminder_dates(due, date(2027, 1, 20)) == [("day", date(2027, 1, 20))]
    assert reminder_dates(due, date(2027, 1, 21)) == []


def test_the_docstring_says_that_cuti_bersama_are_not_counted() -> None:
    assert deadlines.__doc__ is not None and "cuti bersama" in deadlines.__doc__.lower()
