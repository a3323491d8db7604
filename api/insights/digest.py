"""The weekly digest: one client's local ISO week, compared with their own earlier weeks.

Pure and JSON-serialisable: numbers, strings, lists and dicts only, never free text (part ids,
not names; emotion names, which clients may type themselves, are left out). Numbers keep full
precision; presentation rounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from api.insights.change import (
    LEVEL,
    MIN_EARLIER_WEEKS,
    NO_DATA,
    NOT_ENOUGH_HISTORY,
    SPREAD,
    compare_with_history,
)
from api.insights.series import Checkin, checkin_self_energy, daily_series, group_by_week
from api.insights.stats import (
    describe,
    level_and_spread_of,
    mean_ci95,
    mean_of_values,
    withheld_of,
)
from api.insights.summary import (
    attachment_summary,
    part_days,
    parts_activity,
    regulation_summary,
    self_energy_summary,
)
from api.insights.weeks import DAYS_PER_WEEK, week_range, week_start
from api.insights.weeks import week_key as week_key_of

#: 2: ranges for Self-energy and attachment, and each most active part's days last week.
#: 3: the summary's headline and highlights; the days that said there was no hard moment.
#: 4: why a figure or comparison is withheld (mood.withheld, and said in the text); strategies
#: only ever used together share one entry of best_strategies; inertia counts pairs.
DIGEST_VERSION = 4
#: Earlier weeks the comparisons look back over: the client's usual week-to-week spread is the SD
#: of these weeks' values (weeks without a value are skipped).
HISTORY_WEEKS = 8
MOST_ACTIVE_PARTS = 3
BEST_STRATEGIES = 3

#: The weekly values compared across weeks, and whether "up" means higher or more changeable.
COMPARED: dict[str, tuple[str, str]] = {
    "mood_mean": LEVEL,
    "mood_variability": SPREAD,
    "mood_instability": SPREAD,
    "self_energy_mean": LEVEL,
    "attachment_anxiety": LEVEL,
    "attachment_avoidance": LEVEL,
}

_NO_VALUES: dict[str, float | None] = dict.fromkeys(COMPARED)

RANGE_CI95 = "ci95"
RANGE_OBSERVED = "observed"


def build_digest(
    week_key: str,
    week_checkins: Iterable[Checkin],
    earlier_checkins: Iterable[Checkin] = (),
    *,
    new_part_ids: Iterable[str] = (),
    earlier_weeks: Mapping[str, Mapping[str, float | None]] | None = None,
) -> dict[str, Any]:
    """The digest of `week_key` ("2026-W47") from that week's and earlier check-ins.

    Only check-ins dated in the week count as the week's, and only those in the HISTORY_WEEKS
    weeks before it as history, so a caller may pass more than that. `new_part_ids` are the ids
    of the parts the client named this week. A caller building many weeks of one client may pass
    `earlier_weeks=weekly_history(checkins)` instead of `earlier_checkins`, computed once.
    """
    if earlier_weeks is not None and earlier_checkins:
        raise ValueError("pass earlier_checkins or earlier_weeks, not both")
    monday, sunday = week_range(week_key)
    week = [c for c in week_checkins if (d := c.get("local_date")) and monday <= d <= sunday]
    last_week: list[Checkin] | None = None
    if earlier_weeks is None:
        earlier_checkins = list(earlier_checkins)
        history = _history(earlier_checkins, monday)
        before = monday - timedelta(weeks=1)
        last_week = [
            c for c in earlier_checkins if (d := c.get("local_date")) and before <= d < monday
        ]
    else:
        history = [
            earlier_weeks.get(week_key_of(monday - timedelta(weeks=i)), _NO_VALUES)
            for i in range(HISTORY_WEEKS, 0, -1)
        ]
    mood = describe(daily_series(week, "mood"), include_inertia=False)
    mood["range"] = level_range(mood.pop("ci95"), mood)
    checkin_days = len({c["local_date"] for c in week})
    self_energy = self_energy_summary(week)
    attachment = attachment_summary(week)
    # Ranges, not bare numbers, for every weekly level the digest states.
    self_energy["range"] = _range_of_daily(week, "self_energy")
    for name in ("anxiety", "avoidance"):
        attachment[name]["range"] = _range_of_daily(week, name)
    this_week = {  # the same values weekly_values gives, read off this week's summaries
        "mood_mean": mood["mean"],
        "mood_variability": mood["sd"],
        "mood_instability": mood["rmssd"],
        "self_energy_mean": self_energy["mean"],
        "attachment_anxiety": attachment["anxiety"]["mean"],
        "attachment_avoidance": attachment["avoidance"]["mean"],
    }
    parts = parts_activity(week)
    if last_week:  # with no check-in last week, "0 days" would say more than is known
        days_before = part_days(last_week)
        for row in parts[:MOST_ACTIVE_PARTS]:
            row["days_last_week"] = days_before.get(row["part"], 0)
    regulation = regulation_summary(week)
    regulation["best_strategies"] = regulation["best_strategies"][:BEST_STRATEGIES]
    return {
        "version": DIGEST_VERSION,
        "week": week_key,
        "start": monday.isoformat(),
        "end": sunday.isoformat(),
        "days_in_week": DAYS_PER_WEEK,
        "checkin_days": checkin_days,
        "adherence": checkin_days / DAYS_PER_WEEK,
        "mood": mood,
        "self_energy": self_energy,
        "parts": {
            "active": len(parts),
            "most_active": parts[:MOST_ACTIVE_PARTS],
            "new": list(dict.fromkeys(new_part_ids)),
        },
        "regulation": regulation,
        "attachment": attachment,
        "comparisons": {
            name: compare_with_history(
                this_week[name], [week_values[name] for week_values in history], kind
            )
            for name, kind in COMPARED.items()
        },
    }


def withheld(digest: Mapping[str, Any]) -> dict[str, Any]:
    """Why each figure and comparison of a digest that is not given was withheld, in words.

    {"mood": {measure: reason}, "comparisons": {name: {"last_week": reason, "last_4_weeks":
    reason}}}, with a key only for what is withheld. A pure function of the digest's numbers,
    so it explains a digest stored by any version.
    """
    return {
        "mood": withheld_of(digest["mood"]),
        "comparisons": {
            name: reasons
            for name, comparison in digest["comparisons"].items()
            if (reasons := comparison_withheld(comparison))
        },
    }


def comparison_withheld(comparison: Mapping[str, Any]) -> dict[str, str]:
    """Why each of a comparison's two references was not judged (see `compare_with_history`)."""
    reasons = {}
    for key, reference in (("last_week", "last week"), ("last_4_weeks", "the last 4 weeks")):
        verdict = comparison[key]["verdict"]
        if verdict == NOT_ENOUGH_HISTORY:
            earlier = comparison["earlier_weeks"]
            there = "there are none" if earlier == 0 else f"there {_are(earlier)} only {earlier}"
            reasons[key] = (
                f"Needs at least {MIN_EARLIER_WEEKS} earlier weeks with this figure (of the "
                f"{HISTORY_WEEKS} before this one); {there}."
            )
        elif verdict == NO_DATA and comparison["value"] is None:
            reasons[key] = "This week has no figure to compare."
        elif verdict == NO_DATA:
            reasons[key] = f"There is no figure for {reference} to compare with."
    return reasons


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def level_range(ci95: Sequence[float] | None, described: Mapping[str, Any]) -> dict | None:
    """How sure the week's level is: the 95% interval of its mean from 5 days (see `describe`),
    the lowest and highest day below that, None without a day."""
    if ci95 is not None:
        return {"kind": RANGE_CI95, "low": ci95[0], "high": ci95[1]}
    if described["n"]:
        return {"kind": RANGE_OBSERVED, "low": described["min"], "high": described["max"]}
    return None


def _range_of_daily(week: Sequence[Checkin], metric: str) -> dict | None:
    daily = daily_series(week, metric)
    values = list(daily.values())
    return level_range(
        mean_ci95(daily),
        {"n": len(values), "min": min(values, default=None), "max": max(values, default=None)},
    )


def weekly_values(week: Iterable[Checkin]) -> dict[str, float | None]:
    """The values COMPARED across weeks, for one week's check-ins (None where a rule is unmet)."""
    week = [c for c in week if c.get("local_date") is not None]
    if not week:
        return dict(_NO_VALUES)
    monday = week_start(min(c["local_date"] for c in week))
    return _weekly_values_from(week, monday.toordinal(), 1)[0]


def weekly_history(checkins: Iterable[Checkin]) -> dict[str, dict[str, float | None]]:
    """weekly_values of every week with a check-in, by week key (for `build_digest`)."""
    return {key: weekly_values(week) for key, week in group_by_week(checkins).items()}


def _history(earlier_checkins: Iterable[Checkin], monday: date) -> list[dict[str, float | None]]:
    """weekly_values of each of the HISTORY_WEEKS weeks before `monday`, oldest first."""
    base = (monday - timedelta(weeks=HISTORY_WEEKS)).toordinal()
    return _weekly_values_from(earlier_checkins, base, HISTORY_WEEKS)


def _weekly_values_from(
    checkins: Iterable[Checkin], base: int, weeks: int
) -> list[dict[str, float | None]]:
    """weekly_values of each of `weeks` weeks from the day whose ordinal is `base`, in one pass.

    This is most of the work of building a digest (eight weeks of history for each), so it sums
    per day first and then goes through each week's days in order, without lists per week.
    """
    span = weeks * DAYS_PER_WEEK
    # Day offset -> [mood sum, n, Self-energy sum, n, anxiety sum, n, avoidance sum, n].
    days: dict[int, list] = {}
    for checkin in checkins:
        d = checkin.get("local_date")
        if d is None or not 0 <= (offset := d.toordinal() - base) < span:
            continue
        if (acc := days.get(offset)) is None:
            acc = days[offset] = [0, 0, 0, 0, 0, 0, 0, 0]
        if (v := checkin.get("mood")) is not None:
            acc[0] += v
            acc[1] += 1
        if (v := checkin_self_energy(checkin)) is not None:
            acc[2] += v
            acc[3] += 1
        if attachment := checkin.get("attachment"):
            if (v := attachment.get("anxiety")) is not None:
                acc[4] += v
                acc[5] += 1
            if (v := attachment.get("avoidance")) is not None:
                acc[6] += v
                acc[7] += 1
    values = []
    for week in range(weeks):
        first = week * DAYS_PER_WEEK
        found = [(o, days[o]) for o in range(first, first + DAYS_PER_WEEK) if o in days]
        if not found:
            values.append(_NO_VALUES)
            continue
        mood = [(o, acc[0] / acc[1]) for o, acc in found if acc[1]]
        mood_mean, mood_sd, mood_rmssd = level_and_spread_of(
            [o for o, _ in mood], [v for _, v in mood]
        )
        values.append(
            {
                "mood_mean": mood_mean,
                "mood_variability": mood_sd,
                "mood_instability": mood_rmssd,
                "self_energy_mean": _mean_of_days(found, 2),
                "attachment_anxiety": _mean_of_days(found, 4),
                "attachment_avoidance": _mean_of_days(found, 6),
            }
        )
    return values


def _mean_of_days(found: list[tuple[int, list]], i: int) -> float | None:
    """The mean over days of one metric's day means (sum at i, count at i + 1)."""
    return mean_of_values([acc[i] / acc[i + 1] for _, acc in found if acc[i + 1]])
