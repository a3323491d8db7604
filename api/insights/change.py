"""The reliable-change rule for week-to-week comparisons (INSIGHTS.md, "Weekly digest").

A change counts only when abs(change) > 1.96 x sqrt(2) x SD of the client's earlier weekly values
(n-1 denominator), with at least 4 earlier weeks; otherwise it is "about the same", and with fewer
earlier weeks there is not yet enough history to compare. The same threshold applies to both
comparisons: with last week, and with the mean of the client's last 4 weeks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

#: Earlier weekly values needed before any comparison is made.
MIN_EARLIER_WEEKS = 4
#: The comparison "with the client's own last 4 weeks" uses the mean of this many weeks.
BASELINE_WEEKS = 4
#: 95% two-sided normal quantile of the reliable-change rule.
RELIABLE_CHANGE_Z = 1.96
#: A change must exceed the threshold by more than float noise.
_FLOAT_TOLERANCE = 1e-9
#: The threshold never falls below half a scale point. When a client's earlier weeks were all
#: alike (say, mood 5 every day for a month) their SD is 0 and the rule alone would call a move
#: from 5.0 to 5.1 a change; on a 0-10 scale answered in whole points that is noise, and the
#: journal should say less, not more, when it cannot tell.
MIN_RELIABLE_CHANGE = 0.5

HIGHER = "higher"
LOWER = "lower"
STEADIER = "steadier"
MORE_CHANGEABLE = "more_changeable"
ABOUT_THE_SAME = "about_the_same"
NOT_ENOUGH_HISTORY = "not_enough_history"
#: This week, or the week compared with, has no value for the measure.
NO_DATA = "no_data"

#: Verdicts for a level (mood mean, Self-energy, attachment) and for a spread (SD, RMSSD): up, down.
LEVEL = (HIGHER, LOWER)
SPREAD = (MORE_CHANGEABLE, STEADIER)


def reliable_change_threshold(earlier: Sequence[float]) -> float | None:
    """1.96 x sqrt(2) x SD (n-1) of the earlier weekly values, at least MIN_RELIABLE_CHANGE;
    None with fewer than 4 of them."""
    n = len(earlier)
    if n < MIN_EARLIER_WEEKS:
        return None
    m = math.fsum(earlier) / n
    sd = math.sqrt(math.fsum((x - m) ** 2 for x in earlier) / (n - 1))
    return max(RELIABLE_CHANGE_Z * math.sqrt(2) * sd, MIN_RELIABLE_CHANGE)


def classify(change: float, threshold: float, kind: tuple[str, str] = LEVEL) -> str:
    """`kind`'s up or down verdict when the change is reliable, else "about_the_same"."""
    if abs(change) > threshold + _FLOAT_TOLERANCE:
        return kind[0] if change > 0 else kind[1]
    return ABOUT_THE_SAME


def compare_with_history(
    value: float | None, history: Sequence[float | None], kind: tuple[str, str] = LEVEL
) -> dict[str, Any]:
    """Compare this week's value with last week and with the client's last 4 weeks.

    `history` holds one entry per earlier calendar week, oldest first, the last entry being last
    week; None marks a week without a value. The earlier values are the entries that are not
    None; "last 4 weeks" is the mean of the 4 most recent of them.
    """
    earlier = [v for v in history if v is not None]
    threshold = reliable_change_threshold(earlier)
    last_week = history[-1] if history else None
    baseline = (
        math.fsum(earlier[-BASELINE_WEEKS:]) / BASELINE_WEEKS
        if len(earlier) >= BASELINE_WEEKS
        else None
    )
    return {
        "value": value,
        "earlier_weeks": len(earlier),
        "threshold": threshold,
        "last_week": _verdict(value, last_week, threshold, kind),
        "last_4_weeks": _verdict(value, baseline, threshold, kind),
    }


def _verdict(
    value: float | None, reference: float | None, threshold: float | None, kind: tuple[str, str]
) -> dict[str, Any]:
    if value is None:
        return {"reference": reference, "change": None, "verdict": NO_DATA}
    if threshold is None:
        return {"reference": reference, "change": None, "verdict": NOT_ENOUGH_HISTORY}
    if reference is None:
        return {"reference": None, "change": None, "verdict": NO_DATA}
    change = value - reference
    return {"reference": reference, "change": change, "verdict": classify(change, threshold, kind)}
