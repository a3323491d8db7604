"""The signed-in user's own calendar: today and weeks in their time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo


def local_today(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the user is."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(zoneinfo.ZoneInfo(timezone)).date()
