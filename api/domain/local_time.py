"""The signed-in user's own calendar: today and weeks in their time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo


def local_today(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the user is."""
    return local_day(now or dt.datetime.now(dt.UTC), timezone)


def local_day(moment: dt.datetime, timezone: str) -> dt.date:
    """The date of `moment` (naive: UTC) in the time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()


#: Local time runs from UTC-12 to UTC+14: no local day lies further than this from a UTC time.
_BEHIND_UTC = dt.timedelta(hours=12)
_AHEAD_OF_UTC = dt.timedelta(hours=14)


def possible_local_days(moment: dt.datetime) -> tuple[dt.date, dt.date]:
    """The earliest and the latest local day that an instant falls on somewhere on Earth."""
    utc = moment.astimezone(dt.UTC)
    return (utc - _BEHIND_UTC).date(), (utc + _AHEAD_OF_UTC).date()
