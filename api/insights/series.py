"""From check-in records to daily series, and trend points per day and per local ISO week.

A check-in is a plain mapping as the API stores it (notes excluded); any key may be missing or
None. A check-in without a local date belongs to no day and is ignored. Several check-ins on one
local day count as that day's mean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, TypeAlias

from api.domain.scales import SELF_ENERGY_CS
from api.insights.stats import describe, ewma
from api.insights.weeks import DAYS_PER_WEEK, mondays_between, week_key, week_start

_CS = frozenset(SELF_ENERGY_CS)

Checkin: TypeAlias = Mapping[str, Any]
Extractor: TypeAlias = Callable[[Checkin], float | None]


def checkin_self_energy(checkin: Checkin) -> float | None:
    """Mean of the Cs this check-in rated (any subset of the 8), None if it rated none."""
    cs = checkin.get("self_energy")
    if not cs:
        return None
    if cs.keys() <= _CS:  # the common case, in C: the same sum as the loop below
        try:
            return sum(cs.values(), 0.0) / len(cs)
        except TypeError:  # a C left unrated (None)
            pass
    total = 0.0
    count = 0
    for c, v in cs.items():
        if v is not None and c in _CS:
            total += v
            count += 1
    return total / count if count else None


def _mood(checkin: Checkin) -> float | None:
    return checkin.get("mood")


def _energy(checkin: Checkin) -> float | None:
    return checkin.get("energy")


def _anxiety(checkin: Checkin) -> float | None:
    attachment = checkin.get("attachment")
    return attachment.get("anxiety") if attachment else None


def _avoidance(checkin: Checkin) -> float | None:
    attachment = checkin.get("attachment")
    return attachment.get("avoidance") if attachment else None


#: The daily metrics a trend series can be built for.
METRICS: Mapping[str, Extractor] = MappingProxyType(
    {
        "mood": _mood,
        "energy": _energy,
        "self_energy": checkin_self_energy,
        "anxiety": _anxiety,
        "avoidance": _avoidance,
    }
)


def daily_series(checkins: Iterable[Checkin], metric: str | Extractor) -> dict[date, float]:
    """local date -> mean of that day's values of a metric; days without a value are absent."""
    extract = METRICS[metric] if isinstance(metric, str) else metric
    sums: dict[date, float] = {}
    counts: dict[date, int] = {}
    for checkin in checkins:
        d = checkin.get("local_date")
        if d is None:
            continue
        v = extract(checkin)
        if v is None:
            continue
        if d in sums:
            sums[d] += v
            counts[d] += 1
        else:
            sums[d] = v
            counts[d] = 1
    return {d: sums[d] / counts[d] for d in sums}


def group_by_week(checkins: Iterable[Checkin]) -> dict[str, list[Checkin]]:
    """Check-ins by local ISO week key, in the order given."""
    keys: dict[date, str] = {}
    weeks: dict[str, list[Checkin]] = {}
    for checkin in checkins:
        d = checkin.get("local_date")
        if d is None:
            continue
        key = keys.get(d)
        if key is None:
            key = keys[d] = week_key(d)
        weeks.setdefault(key, []).append(checkin)
    return weeks


def daily_points(
    checkins: Iterable[Checkin],
    metric: str,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    """One chart point per day: {"date", "value", "n" (check-ins with a value), "ewma"}.

    With `start` and `end`, only check-ins in [start, end] count and every day of the range has a
    point, empty days with value None and n 0; without them, only days with a value appear.
    """
    extract = METRICS[metric]
    in_range = [c for c in checkins if _within(c.get("local_date"), start, end)]
    values = daily_series(in_range, extract)
    counts: dict[date, int] = {}
    for checkin in in_range:
        if extract(checkin) is not None:
            d = checkin["local_date"]
            counts[d] = counts.get(d, 0) + 1
    smoothed = dict(ewma(values))
    if start is not None and end is not None:
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    else:
        days = sorted(values)
    return [
        {
            "date": d.isoformat(),
            "value": values.get(d),
            "n": counts.get(d, 0),
            "ewma": smoothed.get(d),
        }
        for d in days
    ]


def weekly_points(
    checkins: Iterable[Checkin],
    metric: str,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    """One chart point per local ISO week: {"week", "start", "end"} plus `describe` of its days.

    n is the number of days with a value that week; measures whose rule the week does not meet
    are None, and consecutive-day pairs never span two weeks. With `start` and `end`, every week
    from start's to end's has a point (only check-ins in [start, end] count).
    """
    extract = METRICS[metric]
    in_range = [c for c in checkins if _within(c.get("local_date"), start, end)]
    by_monday: dict[date, dict[date, float]] = {}
    for d, v in daily_series(in_range, extract).items():
        by_monday.setdefault(week_start(d), {})[d] = v
    if start is not None and end is not None:
        mondays = mondays_between(start, end)
    else:
        mondays = sorted(by_monday)
    return [
        {
            "week": week_key(monday),
            "start": monday.isoformat(),
            "end": (monday + timedelta(days=DAYS_PER_WEEK - 1)).isoformat(),
            **describe(by_monday.get(monday, {}), include_inertia=False),
        }
        for monday in mondays
    ]


def _within(d: date | None, start: date | None, end: date | None) -> bool:
    if d is None:
        return False
    return (start is None or d >= start) and (end is None or d <= end)
