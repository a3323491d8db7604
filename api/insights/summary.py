"""Summaries of a window of check-ins: each section is one linear pass, JSON-serialisable.

Daily measures (mood, energy, Self-energy, attachment anxiety and avoidance) use days as units:
several check-ins on one day count as that day's mean. Regulation episodes, part appearances,
emotions and yes/no answers count per check-in.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from api.domain.scales import SELF_ENERGY_CS
from api.insights.series import METRICS, Checkin, daily_series
from api.insights.stats import adherence, describe, mean
from api.insights.weeks import mondays_between, week_key, week_start

#: A strategy enters "what worked best" only with this many episodes that used it and rated how
#: well it worked: a mean over one rating says nothing about what usually helps.
MIN_STRATEGY_USES = 2
#: How many emotions the window summary lists.
MOST_FREQUENT_EMOTIONS = 5
_CS = frozenset(SELF_ENERGY_CS)
#: Means closer than this are treated as equal when naming the strongest and weakest C.
_TIE_TOLERANCE = 1e-9


def summarize_window(
    checkins: Iterable[Checkin], start: date, end: date, *, include_inertia: bool = True
) -> dict[str, Any]:
    """Everything INSIGHTS.md measures for the check-ins dated in [start, end]."""
    window = [c for c in checkins if (d := c.get("local_date")) is not None and start <= d <= end]
    days = {c["local_date"] for c in window}
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "days": (end - start).days + 1,
        "checkin_days": len(days),
        "checkins": len(window),
        "adherence": adherence(days, start, end),
        "mood": describe(daily_series(window, "mood"), include_inertia=include_inertia),
        "energy": describe(daily_series(window, "energy"), include_inertia=include_inertia),
        "self_energy": self_energy_summary(window),
        "parts": parts_activity(window),
        "regulation": regulation_summary(window),
        "attachment": attachment_summary(window),
        "emotions": emotion_summary(window),
    }


def self_energy_summary(checkins: Sequence[Checkin]) -> dict[str, Any]:
    """Self-energy: mean of the rated Cs per check-in, then over days; each C over days.

    "strongest" and "weakest" list the Cs with the highest and lowest mean (several on a tie);
    both are empty unless at least two Cs were rated and their means differ.
    """
    overall: dict[date, list[float]] = {}
    per_c: dict[str, dict[date, list[float]]] = {}
    for checkin in checkins:
        d = checkin.get("local_date")
        cs = checkin.get("self_energy")
        if d is None or not cs:
            continue
        total = 0.0
        count = 0
        for c, v in cs.items():
            if v is None or c not in _CS:
                continue
            total += v
            count += 1
            per_c.setdefault(c, {}).setdefault(d, []).append(v)
        if count:
            overall.setdefault(d, []).append(total / count)
    by_c = {}
    for c in SELF_ENERGY_CS:
        if c in per_c:
            daily = [sum(v) / len(v) for v in per_c[c].values()]
            by_c[c] = {"n": len(daily), "mean": math.fsum(daily) / len(daily)}
    strongest: list[str] = []
    weakest: list[str] = []
    if len(by_c) >= 2:
        top = max(v["mean"] for v in by_c.values())
        bottom = min(v["mean"] for v in by_c.values())
        if top - bottom > _TIE_TOLERANCE:
            strongest = [c for c, v in by_c.items() if top - v["mean"] <= _TIE_TOLERANCE]
            weakest = [c for c, v in by_c.items() if v["mean"] - bottom <= _TIE_TOLERANCE]
    return {
        "n": len(overall),
        "mean": mean({d: sum(v) / len(v) for d, v in overall.items()}),
        "by_c": by_c,
        "strongest": strongest,
        "weakest": weakest,
    }


def parts_activity(checkins: Sequence[Checkin]) -> list[dict[str, Any]]:
    """Per part: days active, appearances, mean intensity, share of appearances blended.

    The blended share counts only appearances where the client answered the question. Sorted
    most active first: by days, then appearances, then part id.
    """
    acc: dict[str, dict[str, Any]] = {}
    for checkin in checkins:
        d = checkin.get("local_date")
        for entry in checkin.get("parts") or ():
            part = entry.get("part")
            if part is None:
                continue
            a = acc.get(part)
            if a is None:
                a = acc[part] = {"days": set(), "n": 0, "isum": 0.0, "in": 0, "b": 0, "bn": 0}
            if d is not None:
                a["days"].add(d)
            a["n"] += 1
            intensity = entry.get("intensity")
            if intensity is not None:
                a["isum"] += intensity
                a["in"] += 1
            blended = entry.get("blended")
            if blended is not None:
                a["bn"] += 1
                a["b"] += 1 if blended else 0
    rows = [
        {
            "part": part,
            "days": len(a["days"]),
            "appearances": a["n"],
            "mean_intensity": a["isum"] / a["in"] if a["in"] else None,
            "intensity_n": a["in"],
            "blended": a["b"],
            "blended_known": a["bn"],
            "blended_share": a["b"] / a["bn"] if a["bn"] else None,
        }
        for part, a in acc.items()
    ]
    rows.sort(key=lambda r: (-r["days"], -r["appearances"], r["part"]))
    return rows


def part_days(checkins: Iterable[Checkin]) -> dict[str, int]:
    """Per part: the days it was active (the "days" of `parts_activity`, without the rest)."""
    days: dict[str, set] = {}
    for checkin in checkins:
        d = checkin.get("local_date")
        if d is None:
            continue
        for entry in checkin.get("parts") or ():
            part = entry.get("part")
            if part is not None:
                days.setdefault(part, set()).add(d)
    return {part: len(found) for part, found in days.items()}


def weekly_parts(checkins: Iterable[Checkin], start: date, end: date) -> list[dict[str, Any]]:
    """Per local ISO week from `start`'s to `end`'s: check-in days and `parts_activity` of the
    check-ins dated in [start, end], so that a chart can show a part growing quieter."""
    by_monday: dict[date, list[Checkin]] = {}
    for checkin in checkins:
        d = checkin.get("local_date")
        if d is not None and start <= d <= end:
            by_monday.setdefault(week_start(d), []).append(checkin)
    rows = []
    for monday in mondays_between(start, end):
        week = by_monday.get(monday, [])
        rows.append(
            {
                "week": week_key(monday),
                "checkin_days": len({c["local_date"] for c in week}),
                "parts": parts_activity(week),
            }
        )
    return rows


def hard_moment(regulation: Mapping[str, Any] | None) -> bool | None:
    """Whether a regulation record says a hard moment happened: False for a "No", True when it
    says so or (as older clients wrote it) holds details without saying, None when it is silent."""
    if not regulation:
        return None
    occurred = regulation.get("occurred")
    if occurred is not None:
        return occurred
    details = ("strategies", "success", "minutes_to_settle", "peak_intensity")
    return True if any(regulation.get(k) not in (None, []) for k in details) else None


def regulation_summary(checkins: Sequence[Checkin]) -> dict[str, Any]:
    """Episodes, mean success, median minutes to settle, and the strategies that worked best.

    An episode is a check-in whose regulation record says a hard moment occurred, or (as older
    clients wrote it) holds details without saying; one that says it did not occur is never an
    episode, and its day counts in "no_hard_moment_days". "best_strategies" ranks by mean success
    the strategies used in at least MIN_STRATEGY_USES episodes that rated their success (ties:
    more uses first, then name). Strategies that were only ever used together, in the same rated
    episodes, share one entry: their means are the same numbers and say nothing about which of
    them helped, so they are never ranked against each other. The entry names the first of them
    (by name) as "strategy" and the others in "used_with" (empty for a strategy used apart).
    """
    episodes = 0
    successes: list[float] = []
    minutes: list[float] = []
    peaks: list[float] = []
    by_strategy: dict[str, list[float]] = {}
    #: The rated episodes (by their order among rated episodes) each strategy was used in.
    used_in: dict[str, list[int]] = {}
    calm_days: set[date] = set()
    for checkin in checkins:
        reg = checkin.get("regulation")
        if not reg:
            continue
        happened = hard_moment(reg)
        if happened is False:
            if (d := checkin.get("local_date")) is not None:
                calm_days.add(d)
            continue
        if not happened:
            continue
        strategies = list(dict.fromkeys(reg.get("strategies") or ()))
        success = reg.get("success")
        settle = reg.get("minutes_to_settle")
        peak = reg.get("peak_intensity")
        episodes += 1
        if peak is not None:
            peaks.append(peak)
        if settle is not None:
            minutes.append(settle)
        if success is not None:
            for s in strategies:
                by_strategy.setdefault(s, []).append(success)
                used_in.setdefault(s, []).append(len(successes))
            successes.append(success)
    together: dict[tuple[int, ...], list[str]] = {}
    for s, v in by_strategy.items():
        if len(v) >= MIN_STRATEGY_USES:
            together.setdefault(tuple(used_in[s]), []).append(s)
    best = []
    for names in together.values():
        first, *others = sorted(names)
        v = by_strategy[first]
        best.append(
            {
                "strategy": first,
                "used_with": others,
                "mean_success": math.fsum(v) / len(v),
                "n": len(v),
            }
        )
    best.sort(key=lambda r: (-r["mean_success"], -r["n"], r["strategy"]))
    return {
        "episodes": episodes,
        "mean_success": math.fsum(successes) / len(successes) if successes else None,
        "success_n": len(successes),
        "median_minutes_to_settle": statistics.median(minutes) if minutes else None,
        "minutes_n": len(minutes),
        "mean_peak_intensity": math.fsum(peaks) / len(peaks) if peaks else None,
        "peak_n": len(peaks),
        "best_strategies": best,
        "no_hard_moment_days": len(calm_days),
    }


def attachment_summary(checkins: Sequence[Checkin]) -> dict[str, Any]:
    """Mean anxiety and avoidance over days; shares of check-ins that reached out / felt supported.

    A share counts only check-ins that answered the question.
    """
    return {
        "anxiety": _daily_mean(checkins, "anxiety"),
        "avoidance": _daily_mean(checkins, "avoidance"),
        "reached_out": _share(checkins, "reached_out"),
        "felt_supported": _share(checkins, "felt_supported"),
    }


def emotion_summary(
    checkins: Sequence[Checkin], limit: int = MOST_FREQUENT_EMOTIONS
) -> list[dict[str, Any]]:
    """The most frequently named emotions (names trimmed and lower-cased) with mean intensity."""
    acc: dict[str, list[float]] = {}
    for checkin in checkins:
        for entry in checkin.get("emotions") or ():
            name = (entry.get("name") or "").strip().lower()
            if not name:
                continue
            a = acc.get(name)
            if a is None:
                a = acc[name] = [0, 0.0, 0]
            a[0] += 1
            intensity = entry.get("intensity")
            if intensity is not None:
                a[1] += intensity
                a[2] += 1
    rows = [
        {
            "name": name,
            "count": a[0],
            "mean_intensity": a[1] / a[2] if a[2] else None,
            "intensity_n": a[2],
        }
        for name, a in acc.items()
    ]
    rows.sort(key=lambda r: (-r["count"], r["name"]))
    return rows[:limit]


def _daily_mean(checkins: Sequence[Checkin], metric: str) -> dict[str, Any]:
    series = daily_series(checkins, METRICS[metric])
    return {"n": len(series), "mean": mean(series)}


def _share(checkins: Sequence[Checkin], field: str) -> dict[str, Any]:
    yes = 0
    answered = 0
    for checkin in checkins:
        attachment = checkin.get("attachment")
        if not attachment:
            continue
        v = attachment.get(field)
        if v is not None:
            answered += 1
            yes += 1 if v else 0
    return {"n": answered, "yes": yes, "share": yes / answered if answered else None}
