"""Local ISO weeks: the key of a week ("2026-W47") and the days it spans.

Check-ins carry the client's local date, so weeks are computed from dates alone, with no time
zone. Weeks run Monday to Sunday (ISO 8601); the ISO year of a week can differ from the calendar
year of some of its days (2026-12-31 falls in 2026-W53, 2027-01-01 too).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

DAYS_PER_WEEK = 7

_WEEK_KEY = re.compile(r"(\d{4})-W(\d{2})")


def week_key(d: date) -> str:
    """The ISO week key of a local date, e.g. "2026-W47"."""
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_start(d: date) -> date:
    """The Monday of the ISO week a local date falls in."""
    return d - timedelta(days=d.weekday())


def week_range(key: str) -> tuple[date, date]:
    """The Monday and the Sunday of an ISO week key; ValueError for a malformed or absent week."""
    match = _WEEK_KEY.fullmatch(key)
    if match is None:
        raise ValueError(f"not an ISO week key: {key!r}")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return monday, monday + timedelta(days=DAYS_PER_WEEK - 1)
    except (ValueError, OverflowError):  # no such week, or one that ends after 9999-12-31
        raise ValueError(f"no such ISO week: {key!r}") from None


def shift_week(key: str, weeks: int) -> str:
    """The key `weeks` weeks after (negative: before) the given week."""
    return week_key(week_range(key)[0] + timedelta(weeks=weeks))


def mondays_between(start: date, end: date) -> list[date]:
    """The Monday of every week from the week of `start` to the week of `end`, in order."""
    if end < start:
        return []
    first = week_start(start)
    # Counted, not stepped past `end`: the Monday after 9999-12-27 does not exist.
    return [first + timedelta(weeks=i) for i in range((end - first).days // DAYS_PER_WEEK + 1)]


def week_keys_between(start: date, end: date) -> list[str]:
    """Every week key from the week of `start` to the week of `end`, in order."""
    return [week_key(monday) for monday in mondays_between(start, end)]
