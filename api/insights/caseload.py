"""Figures for the therapist view (INSIGHTS.md, "Therapist view"): aggregates only.

- `client_week`: one client's figures for one local ISO week;
- `caseload`: per week, figures over many clients, where any cell built from fewer than k clients
  is suppressed (value None, and its count shown only as "fewer than k") so that no one client
  can be singled out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from api.insights.series import Checkin, daily_series
from api.insights.stats import adherence
from api.insights.weeks import DAYS_PER_WEEK, mondays_between, week_key


def client_week(
    checkins: Iterable[Checkin], monday: date, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """Check-in days, adherence, and the mood and Self-energy means (with their n days) of the
    week starting `monday`; with `start` / `end`, only the days of the week inside them count."""
    first, last = _clip(monday, start, end)
    window = [c for c in checkins if (d := c.get("local_date")) is not None and first <= d <= last]
    days = {c["local_date"] for c in window}
    mood = daily_series(window, "mood")
    self_energy = daily_series(window, "self_energy")
    return {
        "week": week_key(monday),
        "start": first.isoformat(),
        "end": last.isoformat(),
        "checkin_days": len(days),
        "adherence": adherence(days, first, last),
        "mood": {"mean": fmean(mood.values()) if mood else None, "n": len(mood)},
        "self_energy": {
            "mean": fmean(self_energy.values()) if self_energy else None,
            "n": len(self_energy),
        },
    }


def _clip(monday: date, start: date | None, end: date | None) -> tuple[date, date]:
    sunday = monday + timedelta(days=DAYS_PER_WEEK - 1)
    return (max(monday, start) if start else monday), (min(sunday, end) if end else sunday)


def cell(values: Sequence[float], k: int) -> dict[str, Any]:
    """The mean of one value per client, or nothing when fewer than k clients gave one."""
    if len(values) < k:
        return suppressed(k)
    return {"value": fmean(values), "clients": len(values), "suppressed": False}


def count_cell(n: int, k: int) -> dict[str, Any]:
    """A number of clients, shown only from k on."""
    return suppressed(k) if n < k else {"value": n, "clients": n, "suppressed": False}


def suppressed(k: int) -> dict[str, Any]:
    return {"value": None, "clients": f"fewer than {k}", "suppressed": True}


def caseload(
    checkins_by_client: Mapping[Any, Sequence[Checkin]], start: date, end: date, k: int
) -> dict[str, Any]:
    """Per local ISO week from `start`'s to `end`'s: clients with a check-in, the mean of the
    clients' weekly mood means, the mean of their Self-energy means, and the mean adherence
    (over every client given, with or without check-ins)."""
    weeks = []
    for monday in mondays_between(start, end):
        figures = [client_week(c, monday, start, end) for c in checkins_by_client.values()]
        first, last = _clip(monday, start, end)
        weeks.append(
            {
                "week": week_key(monday),
                "start": first.isoformat(),
                "end": last.isoformat(),
                "clients_with_data": count_cell(sum(1 for f in figures if f["checkin_days"]), k),
                "mood_mean": cell([f["mood"]["mean"] for f in figures if f["mood"]["n"]], k),
                "self_energy_mean": cell(
                    [f["self_energy"]["mean"] for f in figures if f["self_energy"]["n"]], k
                ),
                "adherence": cell([f["adherence"] for f in figures], k),
            }
        )
    return {"k": k, "clients": count_cell(len(checkins_by_client), k), "weeks": weeks}


def any_shown(result: Mapping[str, Any]) -> bool:
    """Did a caseload show any figure over its clients (a cell that is not suppressed)?"""
    return any(
        not cell_["suppressed"]
        for week in result["weeks"]
        for key, cell_ in week.items()
        if isinstance(cell_, dict)
    )
