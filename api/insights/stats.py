"""Numeric measures over a daily series (INSIGHTS.md, "Daily data").

A daily series holds one value per local day: a mapping ``date -> value``, or an iterable of
``(date, value)`` pairs in which several values for one day are averaged. n is the number of days
with a value. Each measure enforces its "shown when" rule here and nowhere else: it returns None
when the rule is not met, so callers never re-check a threshold.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from statistics import NormalDist
from typing import Any, TypeAlias

from api.domain.scales import ACUTE_CHANGE_THRESHOLD, SCALE_MAX, SCALE_MIN

Series: TypeAlias = Mapping[date, float] | Iterable[tuple[date, float]]

#: Variability (SD) and the 95% CI of the mean, which is built from the SD, need this many days.
MIN_DAYS_FOR_VARIABILITY = 5
#: RMSSD and PAC need this many pairs of consecutive days.
MIN_CONSECUTIVE_PAIRS = 4
#: Inertia (lag-1 autocorrelation) is unreliable below about 50 points (Kuppens et al. 2010); its
#: points are the pairs of consecutive days it correlates, so it needs this many PAIRS (50 days
#: in a row give only 49).
MIN_PAIRS_FOR_INERTIA = 50
#: EWMA smoothing weight of the newest day, for charts.
EWMA_LAMBDA = 0.3

#: Daily values are means of integer ratings, so a difference that is exactly the threshold in
#: arithmetic may come out a hair below it in floating point; comparisons allow for that.
_FLOAT_TOLERANCE = 1e-9

#: Two-sided 95% quantiles of Student's t, t(0.975, df), for df = 1..30.
_T975 = (
    12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
    2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
    2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831,
    2.048407, 2.045230, 2.042272,
)  # fmt: skip
_Z975 = NormalDist().inv_cdf(0.975)

_Points: TypeAlias = tuple[list[int], list[float]]


def adherence(checkin_days: Iterable[date], start: date, end: date) -> float:
    """Days with a check-in in [start, end] / days in [start, end] (always shown)."""
    if end < start:
        raise ValueError("the period ends before it starts")
    days = {d for d in checkin_days if start <= d <= end}
    return len(days) / ((end - start).days + 1)


def mean(series: Series) -> float | None:
    """Mean of the daily values (n >= 1), or None for an empty series."""
    if isinstance(series, (dict, Mapping)):  # dict first: the ABC check is slow
        return _mean_of([v for v in series.values() if v is not None])
    return _mean_of(_points(series)[1])


def mean_of_values(values: list[float]) -> float | None:
    """The mean of plain values, one per day (n >= 1), or None for none."""
    return _mean_of(values)


def sd(series: Series) -> float | None:
    """Within-person SD with an n-1 denominator (variability); None below 5 days."""
    return _sd_of(_points(series)[1])


def max_sd(m: float, n: int, low: float = SCALE_MIN, high: float = SCALE_MAX) -> float:
    """Largest SD (n-1 denominator) that n values in [low, high] with mean m can have.

    Mestdagh et al. 2018: the sum of squares is largest when k values sit at `high`, n-k-1 at
    `low` and one value r in between carries the rest of the sum, k = floor(n(m-low)/(high-low)).
    Since sum((x-m)^2) = n(m-low)(high-m) + sum((x-low)(x-high)) and only r contributes to the
    second sum, the maximum is SS = n(m-low)(high-m) - (r-low)(high-r), SD = sqrt(SS / (n-1)).
    When n(m-low)/(high-low) is a whole number r sits on a bound and this is the closed form
    sqrt((m-low)(high-m) n/(n-1)); otherwise it is smaller. At m = low or m = high it is 0.
    """
    if n < 2:
        raise ValueError("an SD needs at least 2 values")
    if not low <= m <= high:
        raise ValueError("the mean lies outside the scale")
    if m <= low or m >= high:
        return 0.0
    k = math.floor(n * (m - low) / (high - low))
    r = min(max(n * m - k * high - (n - k - 1) * low, low), high)
    ss = n * (m - low) * (high - m) - (r - low) * (high - r)
    return math.sqrt(max(ss, 0.0) / (n - 1))


def relative_sd(series: Series) -> float | None:
    """SD / largest SD possible at that mean on the 0-10 scale, in [0, 1].

    None below 5 days, and None when the mean sits on a scale bound: every value is then that
    bound, the largest possible SD is 0 and the ratio is undefined.
    """
    return _relative_sd_of(_points(series)[1])


def mean_ci95(series: Series) -> tuple[float, float] | None:
    """95% t-interval of the mean, clipped to the scale; None when the SD is not shown."""
    return _ci95_of(_points(series)[1])


def consecutive_differences(series: Series) -> list[float]:
    """x_{t+1} - x_t for pairs of consecutive days; a pair across a missing day is dropped."""
    return _diffs(*_points(series))


def rmssd(series: Series) -> float | None:
    """Instability: sqrt(mean squared successive difference) over consecutive-day pairs only.

    None with fewer than 4 consecutive pairs (Jahng et al. 2008).
    """
    return _rmssd_of(consecutive_differences(series))


def pac(series: Series) -> float | None:
    """Share of consecutive-day pairs whose change is at least ACUTE_CHANGE_THRESHOLD points.

    None with fewer than 4 consecutive pairs.
    """
    return _pac_of(consecutive_differences(series))


def inertia(series: Series) -> float | None:
    """Lag-1 autocorrelation: Pearson r of (x_t, x_{t+1}) over consecutive-day pairs.

    Shown only with at least 50 pairs of consecutive days (Kuppens et al. 2010: the points the
    correlation is computed on). Pairs across a missing day are dropped, as for RMSSD, and each
    pair's two sides use their own means, so a gap never bridges two unrelated days. None also
    when r is undefined: a side without spread.
    """
    return _inertia_of(*_points(series))


def ewma(series: Series, weight: float = EWMA_LAMBDA) -> list[tuple[date, float]]:
    """z_t = weight * x_t + (1 - weight) * z_{t-1}, z_1 = x_1, over the days with a value.

    Missing days are not imputed: the next observed day continues the smoothing.
    """
    ordinals, values = _points(series)
    out: list[tuple[date, float]] = []
    z = 0.0
    for i, (o, x) in enumerate(zip(ordinals, values, strict=True)):
        z = x if i == 0 else weight * x + (1 - weight) * z
        out.append((date.fromordinal(o), z))
    return out


def level_and_spread(series: Series) -> tuple[float | None, float | None, float | None]:
    """(mean, SD, RMSSD) in one pass, each None where its rule is not met."""
    return level_and_spread_of(*_points(series))


def level_and_spread_of(
    ordinals: list[int], values: list[float]
) -> tuple[float | None, float | None, float | None]:
    """`level_and_spread` of days already in order: day ordinals and their values."""
    return _mean_of(values), _sd_of(values), _rmssd_of(_diffs(ordinals, values))


def describe(series: Series, *, include_inertia: bool = True) -> dict[str, Any]:
    """Every measure of one series in one pass over sorted days, None where a rule is not met.

    Keys: n, mean, min, max, sd, relative_sd, ci95 ([low, high]), pairs, rmssd, pac, inertia
    unless `include_inertia` is false (the weekly digest never shows it), and withheld: why
    each of those measures that is None was withheld (`withheld_of`).
    """
    ordinals, values = _points(series)
    diffs = _diffs(ordinals, values)
    ci = _ci95_of(values)
    out: dict[str, Any] = {
        "n": len(values),
        "mean": _mean_of(values),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "sd": _sd_of(values),
        "relative_sd": _relative_sd_of(values),
        "ci95": list(ci) if ci else None,
        "pairs": len(diffs),
        "rmssd": _rmssd_of(diffs),
        "pac": _pac_of(diffs),
    }
    if include_inertia:
        out["inertia"] = _inertia_of(ordinals, values)
    out["withheld"] = withheld_of(out)
    return out


def withheld_of(described: Mapping[str, Any]) -> dict[str, str]:
    """Why each measure of a `describe` result that is None was withheld, in words.

    Keys are the measures withheld (sd, relative_sd, rmssd, pac, and inertia when described);
    a measure that is shown has no key. Reads only the counts and values `describe` returns, so
    it also explains a result stored earlier.
    """
    n, pairs = described["n"], described["pairs"]
    reasons: dict[str, str] = {}
    if described["sd"] is None:
        reasons["sd"] = reasons["relative_sd"] = _too_few(n, MIN_DAYS_FOR_VARIABILITY, "day")
    elif described.get("relative_sd", 0.0) is None:
        reasons["relative_sd"] = (
            f"Every value was {described['min']:g}, the end of the scale, where no other spread "
            "is possible: there is nothing to set the spread against."
        )
    if described["rmssd"] is None:
        reasons["rmssd"] = _too_few(pairs, MIN_CONSECUTIVE_PAIRS, "pair")
    if described["pac"] is None:
        reasons["pac"] = _too_few(pairs, MIN_CONSECUTIVE_PAIRS, "pair")
    if "inertia" in described and described["inertia"] is None:
        if pairs < MIN_PAIRS_FOR_INERTIA:
            reasons["inertia"] = _too_few(pairs, MIN_PAIRS_FOR_INERTIA, "pair")
        else:
            reasons["inertia"] = (
                "The values did not vary from one day to the next, so there is no correlation "
                "to compute."
            )
    return reasons


def _too_few(have: int, need: int, unit: str) -> str:
    what = "days with a value" if unit == "day" else "pairs of consecutive days with a value"
    there = "there are none" if have == 0 else f"there {'is' if have == 1 else 'are'} only {have}"
    tail = " (a pair across a missing day does not count)" if unit == "pair" else ""
    return f"Needs at least {need} {what}; {there}{tail}."


def t_quantile_975(df: int) -> float:
    """t(0.975, df): a table up to df 30, a Cornish-Fisher expansion (error < 1e-5) above."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / df + g2 / df**2 + g3 / df**3


# --- the rules, each in one place ----------------------------------------------------------


def _mean_of(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _sd_of(values: list[float]) -> float | None:
    n = len(values)
    if n < MIN_DAYS_FOR_VARIABILITY:
        return None
    m = math.fsum(values) / n
    return math.sqrt(math.fsum([(x - m) * (x - m) for x in values]) / (n - 1))


def _relative_sd_of(values: list[float]) -> float | None:
    s = _sd_of(values)
    if s is None:
        return None
    n = len(values)
    largest = max_sd(min(max(math.fsum(values) / n, SCALE_MIN), SCALE_MAX), n)
    if largest == 0.0:
        return None
    return min(s / largest, 1.0)


def _ci95_of(values: list[float]) -> tuple[float, float] | None:
    s = _sd_of(values)
    if s is None:
        return None
    n = len(values)
    m = math.fsum(values) / n
    half = t_quantile_975(n - 1) * s / math.sqrt(n)
    return max(m - half, SCALE_MIN), min(m + half, SCALE_MAX)


def _diffs(ordinals: list[int], values: list[float]) -> list[float]:
    return [
        values[i + 1] - values[i]
        for i in range(len(ordinals) - 1)
        if ordinals[i + 1] - ordinals[i] == 1
    ]


def _rmssd_of(diffs: list[float]) -> float | None:
    if len(diffs) < MIN_CONSECUTIVE_PAIRS:
        return None
    return math.sqrt(math.fsum([d * d for d in diffs]) / len(diffs))


def _pac_of(diffs: list[float]) -> float | None:
    if len(diffs) < MIN_CONSECUTIVE_PAIRS:
        return None
    cut = ACUTE_CHANGE_THRESHOLD - _FLOAT_TOLERANCE
    return sum(1 for d in diffs if abs(d) >= cut) / len(diffs)


def _inertia_of(ordinals: list[int], values: list[float]) -> float | None:
    if len(values) <= MIN_PAIRS_FOR_INERTIA:  # n days hold at most n - 1 pairs
        return None
    xs: list[float] = []
    ys: list[float] = []
    for i in range(len(ordinals) - 1):
        if ordinals[i + 1] - ordinals[i] == 1:
            xs.append(values[i])
            ys.append(values[i + 1])
    p = len(xs)
    if p < MIN_PAIRS_FOR_INERTIA:
        return None
    mx = math.fsum(xs) / p
    my = math.fsum(ys) / p
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= 0.0 or syy <= 0.0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _points(series: Series) -> _Points:
    """Sorted day ordinals and their values; None is skipped, several values for a day averaged."""
    if isinstance(series, (dict, Mapping)):  # dict first: the ABC check is slow
        days = sorted(series)
        values = [series[d] for d in days]
        if None in values:
            days = [d for d, v in zip(days, values, strict=True) if v is not None]
            values = [v for v in values if v is not None]
        return [d.toordinal() for d in days], values
    sums: dict[date, float] = {}
    counts: dict[date, int] = {}
    for d, v in series:
        if v is None:
            continue
        if d in sums:
            sums[d] += v
            counts[d] += 1
        else:
            sums[d] = v
            counts[d] = 1
    days = sorted(sums)
    return [d.toordinal() for d in days], [sums[d] / counts[d] for d in days]
