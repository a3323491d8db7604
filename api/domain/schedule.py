"""When reminders and digests are due: local wall-clock times turned into UTC instants.

Pure: no database, no clock of its own. A local time that does not exist (the hour skipped when
clocks spring forward) fires at the first valid instant after it, the moment the clocks jump; an
ambiguous one (the hour repeated in autumn) fires once, at its first occurrence.

The period key names what a delivery is for, so that the delivery log can refuse a second one:
a reminder's is the user's local date ("2026-11-25"), a digest's the local ISO week it reflects
on ("2026-W47").
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from api.insights.weeks import week_key

UTC = dt.UTC
#: Far enough to find the next chosen weekday even across a day a time zone skipped.
_DAYS_AHEAD = 9


def parse_local_time(text: str) -> dt.time:
    """ "HH:MM" (24-hour) as a time of day."""
    hours, _, minutes = text.partition(":")
    return dt.time(int(hours), int(minutes))


def local_instant(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """The UTC instant a local wall time names: the first one when ambiguous, the gap's end when
    it does not exist."""
    wall = dt.datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        # fold=0 is the earlier of two readings of an ambiguous time.
        return first
    other = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return _first_instant_at_or_after(wall, zone, min(first, other), max(first, other))


def _first_instant_at_or_after(
    wall: dt.datetime, zone: dt.tzinfo, low: dt.datetime, high: dt.datetime
) -> dt.datetime:
    # In a gap the local reading of `low` is before `wall` and that of `high` after it: bisect
    # (to the second) for the transition, where the clocks jump past `wall`.
    def reached(moment: dt.datetime) -> bool:
        return moment.astimezone(zone).replace(tzinfo=None) >= wall

    lo, hi = int(low.timestamp()), int(high.timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if reached(dt.datetime.fromtimestamp(mid, UTC)):
            hi = mid
        else:
            lo = mid
    return dt.datetime.fromtimestamp(hi, UTC)


def next_local_occurrence(
    after: dt.datetime, timezone: str, local_time: str, weekdays: Iterable[int]
) -> dt.datetime | None:
    """The first instant strictly after `after` at `local_time` on one of the ISO `weekdays`."""
    days = set(weekdays)
    if not days:
        return None
    zone = zoneinfo.ZoneInfo(timezone)
    at = parse_local_time(local_time)
    start = after.astimezone(zone).date() - dt.timedelta(days=1)
    for offset in range(_DAYS_AHEAD):
        day = start + dt.timedelta(days=offset)
        if day.isoweekday() in days:
            when = local_instant(day, at, zone)
            if when > after:
                return when
    return None


def local_date(moment: dt.datetime, timezone: str) -> dt.date:
    """The date on the user's calendar at `moment`."""
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def reminder_period(due_at: dt.datetime, timezone: str) -> str:
    """A reminder is for the user's local day: "2026-11-25"."""
    return local_date(due_at, timezone).isoformat()


def digest_period(due_at: dt.datetime, timezone: str) -> str:
    """A digest reflects on the local ISO week that is ending: on a Sunday that Sunday's week,
    on any other day the week before."""
    day = local_date(due_at, timezone)
    return week_key(day - dt.timedelta(days=day.isoweekday() % 7))


def period_key(kind: str, due_at: dt.datetime, timezone: str) -> str:
    return (reminder_period if kind == "reminder" else digest_period)(due_at, timezone)


# -- a user's preferences ------------------------------------------------------------------------


def _is_client(user: Any) -> bool:
    return getattr(user, "role", None) == "client"


def next_reminder_at(user: Any, after: dt.datetime) -> dt.datetime | None:
    """When the user's next check-in reminder is due, or None when there is none to send."""
    prefs = user.reminders
    if not _is_client(user) or prefs is None or not prefs.enabled:
        return None
    return next_local_occurrence(after, user.timezone, prefs.local_time, prefs.weekdays)


def next_digest_at(user: Any, after: dt.datetime) -> dt.datetime | None:
    """When the user's next weekly digest is due, or None when there is none to send."""
    prefs = user.digest
    if not _is_client(user) or prefs is None or not prefs.enabled:
        return None
    return next_local_occurrence(after, user.timezone, prefs.local_time, [prefs.weekday])


NEXT_DUE = {"reminder": next_reminder_at, "digest": next_digest_at}


def refresh_due_times(user: Any, now: dt.datetime) -> None:
    """Set `next_reminder_at` and `next_digest_at` from the user's zone and preferences (after
    they change); the caller saves."""
    user.next_reminder_at = next_reminder_at(user, now)
    user.next_digest_at = next_digest_at(user, now)
