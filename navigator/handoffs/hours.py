"""Office hours of the call centre: when a citizen may be promised an agent.

``HANDOFF_HOURS`` is a list of day ranges with times, in ``HANDOFF_TIMEZONE``
(Asia/Jakarta unless set): ``"mon-fri 08:00-16:00, sat 08:00-12:00"``. Day names may be
English or Indonesian (``sen-jum``). National public holidays are closed days, from the
maintained ``holidays`` package (its Indonesian calendar), unless ``HANDOFF_HOLIDAYS`` is
``false``; ``always`` means round the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

import holidays

DAYS = {
    **{d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{d: i for i, d in enumerate(("sen", "sel", "rab", "kam", "jum", "sab", "min"))},
}
_SPAN = re.compile(
    r"^\s*(?P<first>[a-z]{3})[a-z]*(?:\s*-\s*(?P<last>[a-z]{3})[a-z]*)?\s+"
    r"(?P<open>\d{1,2}[:.]\d{2})\s*-\s*(?P<close>\d{1,2}[:.]\d{2})\s*$"
)


NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


class HoursError(ValueError):
    """HANDOFF_HOURS cannot be read; the message says which part."""


def _clock(text: str) -> time:
    hours, minutes = (int(p) for p in re.split(r"[:.]", text))
    if hours == 24 and minutes == 0:
        return time.max
    return time(hours, minutes)


@dataclass(frozen=True)
class OfficeHours:
    """Opening spans per weekday (0 = Monday) in one time zone."""

    spans: dict[int, tuple[tuple[time, time], ...]]
    zone: ZoneInfo
    closed_on_holidays: bool = True
    text: str = ""

    @classmethod
    def parse(
        cls, text: str, zone: str = "Asia/Jakarta", holidays_closed: bool = True
    ) -> OfficeHours:
        """Read ``"mon-fri 08:00-16:00, sat 08:00-12:00"`` or ``"always"``."""
        spans: dict[int, list[tuple[time, time]]] = {}
        if text.strip().lower() == "always":
            whole = (time.min, time.max)
            return cls({d: (whole,) for d in range(7)}, ZoneInfo(zone), False, "always")
        for part in filter(None, (p.strip() for p in text.lower().split(","))):
            found = _SPAN.match(part)
            if not found:
                raise HoursError(
                    f"HANDOFF_HOURS: cannot read {part!r} (e.g. 'mon-fri 08:00-16:00')"
                )
            first, last = found["first"], found["last"] or found["first"]
            if first not in DAYS or last not in DAYS:
                raise HoursError(f"HANDOFF_HOURS: unknown day in {part!r}")
            try:
                opens, closes = _clock(found["open"]), _clock(found["close"])
            except ValueError as exc:
                raise HoursError(f"HANDOFF_HOURS: bad time in {part!r}") from exc
            if closes <= opens:
                raise HoursError(f"HANDOFF_HOURS: {part!r} closes before it opens")
            day = DAYS[first]
            while True:
                spans.setdefault(day, []).append((opens, closes))
                if day == DAYS[last]:
                    break
                day = (day + 1) % 7
        if not spans:
            raise HoursError("HANDOFF_HOURS is empty")
        return cls({d: tuple(s) for d, s in spans.items()}, ZoneInfo(zone), holidays_closed, text)

    def is_open(self, moment: datetime) -> bool:
        """Whether the call centre is open at ``moment`` (an aware datetime)."""
        local = moment.astimezone(self.zone)
        if self.closed_on_holidays and local.date() in holidays.country_holidays(
            "ID", years=local.year
        ):
            return False
        now = local.time()
        return any(opens <= now < closes for opens, closes in self.spans.get(local.weekday(), ()))

    def describe(self, lang: str = "id") -> str:
        """``Senin–Jumat 08.00–16.00 WIB`` for the citizen (days with the same hours joined)."""
        names = NAMES.get(lang, NAMES["id"])
        if self.text == "always":
            return "24 jam setiap hari" if lang != "en" else "24 hours, every day"
        sep = "." if lang != "en" else ":"
        groups: list[tuple[int, int, tuple[tuple[time, time], ...]]] = []
        for day in range(7):
            spans = self.spans.get(day)
            if not spans:
                continue
            if groups and groups[-1][1] == day - 1 and groups[-1][2] == spans:
                groups[-1] = (groups[-1][0], day, spans)
            else:
                groups.append((day, day, spans))
        parts = []
        for first, last, spans in groups:
            days = names[first] if first == last else f"{names[first]}–{names[last]}"
            hours = ", ".join(
                f"{a.strftime('%H' + sep + '%M')}–{'24' + sep + '00' if b == time.max else b.strftime('%H' + sep + '%M')}"
                for a, b in spans
            )
            parts.append(f"{days} {hours}")
        zone = ZONES.get(self.zone.key, self.zone.key)
        return "; ".join(parts) + f" {zone}"
