"""Each measure against values worked out by hand (the arithmetic is in the comments)."""

import math
from datetime import date, timedelta

import pytest

from api.domain.scales import ACUTE_CHANGE_THRESHOLD
from api.insights.stats import (
    adherence,
    consecutive_differences,
    describe,
    ewma,
    inertia,
    level_and_spread,
    level_and_spread_of,
    max_sd,
    mean,
    mean_ci95,
    mean_of_values,
    pac,
    relative_sd,
    rmssd,
    sd,
    t_quantile_975,
)

D0 = date(2026, 11, 16)


def day(i: int) -> date:
    return D0 + timedelta(days=i)


def run(*values: float, start: int = 0) -> dict[date, float]:
    """Consecutive days from day(start)."""
    return {day(start + i): v for i, v in enumerate(values)}


# --- adherence -------------------------------------------------------------------------------


def test_adherence_counts_distinct_days_over_days_in_period():
    # two check-ins on day 0 and one on day 2: 2 distinct days out of 7
    assert adherence([day(0), day(0), day(2)], day(0), day(6)) == 2 / 7


def test_adherence_ignores_days_outside_the_period():
    assert adherence([day(-1), day(1), day(7)], day(0), day(6)) == 1 / 7


def test_adherence_of_a_one_day_period():
    assert adherence([day(0)], day(0), day(0)) == 1.0


def test_adherence_rejects_a_period_ending_before_it_starts():
    with pytest.raises(ValueError):
        adherence([], day(1), day(0))


# --- mean ------------------------------------------------------------------------------------


def test_mean_of_a_series():
    assert mean(run(4, 6, 8)) == 6.0  # (4 + 6 + 8) / 3


def test_mean_of_a_single_point():
    assert mean(run(7)) == 7.0


def test_mean_of_an_empty_series_is_none():
    assert mean({}) is None


def test_mean_skips_days_without_a_value():
    assert mean({day(0): 4, day(1): None, day(2): 8}) == 6.0


def test_several_values_on_one_day_count_as_that_days_mean():
    # day 0: (4 + 6) / 2 = 5; day 1: 8; mean over days (5 + 8) / 2 = 6.5, not (4 + 6 + 8) / 3
    assert mean([(day(0), 4), (day(0), 6), (day(1), 8)]) == 6.5


# --- variability (SD) --------------------------------------------------------------------------


def test_sd_uses_the_n_minus_1_denominator():
    # mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32 / (8 - 1)
    assert sd(run(2, 4, 4, 4, 5, 5, 7, 9)) == pytest.approx(math.sqrt(32 / 7))


def test_sd_is_none_with_four_days():
    assert sd(run(1, 2, 3, 4)) is None


def test_sd_is_shown_with_five_days():
    # mean 3; squared deviations 4+1+0+1+4 = 10; 10 / 4 = 2.5
    assert sd(run(1, 2, 3, 4, 5)) == pytest.approx(math.sqrt(2.5))


def test_sd_of_a_constant_series_is_zero():
    assert sd(run(6, 6, 6, 6, 6)) == 0.0


def test_sd_counts_days_not_checkins():
    # six check-ins on four days: still four days, below the rule
    pairs = [(day(0), 5), (day(0), 6), (day(1), 5), (day(1), 7), (day(2), 4), (day(3), 3)]
    assert sd(pairs) is None


# --- largest SD at a mean, relative SD -------------------------------------------------------


def test_max_sd_matches_the_closed_form_when_every_value_can_sit_on_a_bound():
    # n=5, m=4: 5*4/10 = 2 values at 10, 3 at 0. SS = 2*(10-4)^2 + 3*(0-4)^2 = 72 + 48 = 120,
    # variance 120/4 = 30 = (m-a)(b-m) n/(n-1) = 4*6*5/4
    assert max_sd(4, 5) == pytest.approx(math.sqrt(30))


def test_max_sd_is_below_the_closed_form_when_one_value_must_sit_inside():
    # n=5, m=1: the sum 5 cannot be split between 0s and 10s; the extreme is [5, 0, 0, 0, 0].
    # SS = (5-1)^2 + 4*(0-1)^2 = 16 + 4 = 20, variance 20/4 = 5 (the closed form says 11.25)
    assert max_sd(1, 5) == pytest.approx(math.sqrt(5))
    assert max_sd(1, 5) < math.sqrt(1 * 9 * 5 / 4)


def test_max_sd_at_the_scale_midpoint_with_an_odd_n():
    # n=5, m=5: two 10s, two 0s and one 5. SS = 2*25 + 2*25 + 0 = 100, variance 100/4 = 25
    assert max_sd(5, 5) == pytest.approx(5.0)


def test_max_sd_is_zero_at_either_bound():
    assert max_sd(0, 5) == 0.0
    assert max_sd(10, 5) == 0.0


def test_max_sd_rejects_a_mean_outside_the_scale():
    with pytest.raises(ValueError):
        max_sd(10.5, 5)


def test_max_sd_needs_two_values():
    with pytest.raises(ValueError):
        max_sd(5, 1)


def test_relative_sd_by_hand():
    # 3,4,5,6,7: sd = sqrt(10/4) (as above); largest SD at m=5, n=5 is 5 -> sqrt(2.5) / 5
    assert relative_sd(run(3, 4, 5, 6, 7)) == pytest.approx(math.sqrt(2.5) / 5)


def test_relative_sd_is_one_for_the_most_spread_series_possible():
    assert relative_sd(run(10, 10, 0, 0, 0)) == pytest.approx(1.0)


def test_relative_sd_is_none_when_the_mean_sits_on_a_bound():
    assert relative_sd(run(0, 0, 0, 0, 0)) is None
    assert relative_sd(run(10, 10, 10, 10, 10)) is None


def test_relative_sd_of_a_constant_series_inside_the_scale_is_zero():
    assert relative_sd(run(6, 6, 6, 6, 6)) == 0.0


def test_relative_sd_is_none_with_four_days():
    assert relative_sd(run(3, 4, 5, 6)) is None


# --- 95% interval of the mean ------------------------------------------------------------------


def test_mean_ci95_by_hand():
    # 3..7: mean 5, sd sqrt(2.5), se = sqrt(2.5 / 5) = sqrt(0.5); t(0.975, 4) = 2.776445
    half = 2.776445 * math.sqrt(0.5)  # 1.96324
    low, high = mean_ci95(run(3, 4, 5, 6, 7))
    assert (low, high) == (pytest.approx(5 - half), pytest.approx(5 + half))


def test_mean_ci95_is_clipped_to_the_scale():
    # 10,10,10,10,5: mean 9, SS = 4*1 + 16 = 20, sd = sqrt(5), se = sqrt(5/5) = 1, half = 2.776445
    low, high = mean_ci95(run(10, 10, 10, 10, 5))
    assert low == pytest.approx(9 - 2.776445)
    assert high == 10


def test_mean_ci95_is_none_with_four_days():
    assert mean_ci95(run(3, 4, 5, 6)) is None


def test_t_quantile_comes_from_the_table_up_to_30_df():
    assert t_quantile_975(4) == 2.776445
    assert t_quantile_975(30) == 2.042272


@pytest.mark.parametrize(
    ("df", "expected"), [(31, 2.039513), (40, 2.021075), (60, 2.000298), (120, 1.979930)]
)
def test_t_quantile_expansion_above_30_df(df, expected):
    assert t_quantile_975(df) == pytest.approx(expected, abs=1e-5)


# --- consecutive-day pairs, RMSSD (instability) ----------------------------------------------


def test_a_pair_spanning_a_missing_day_is_dropped():
    # days 0,1 then 3,4: pairs (0,1) and (3,4) only; (1,3) spans day 2 and is never bridged
    series = {day(0): 5, day(1): 7, day(3): 4, day(4): 4}
    assert consecutive_differences(series) == [2, 0]


def test_rmssd_by_hand():
    # 5,7,4,4,6: differences 2,-3,0,2; squares 4+9+0+4 = 17; sqrt(17 / 4)
    assert rmssd(run(5, 7, 4, 4, 6)) == pytest.approx(math.sqrt(17 / 4))


def test_rmssd_is_none_with_three_pairs():
    assert rmssd(run(5, 7, 4, 4)) is None


def test_rmssd_is_shown_with_four_pairs():
    assert rmssd(run(5, 7, 4, 4, 6)) is not None


def test_rmssd_never_bridges_a_gap():
    # days 0-3: 2,4,4,8; day 4 missing; days 5-6: 1,2. Pairs: 2,0,4 and 1 (8 -> 1 is dropped)
    # squares 4+0+16+1 = 21; sqrt(21 / 4). Bridging would add (1-8)^2 = 49.
    series = {day(0): 2, day(1): 4, day(2): 4, day(3): 8, day(5): 1, day(6): 2}
    assert rmssd(series) == pytest.approx(math.sqrt(21 / 4))


def test_a_gap_can_leave_too_few_pairs():
    # five days but only 2 + 1 = 3 consecutive pairs
    series = {day(0): 2, day(1): 4, day(2): 4, day(4): 8, day(5): 1}
    assert rmssd(series) is None


def test_rmssd_of_a_single_point_is_none():
    assert rmssd(run(5)) is None


def test_rmssd_of_a_constant_series_is_zero():
    assert rmssd(run(6, 6, 6, 6, 6)) == 0.0


def test_rmssd_uses_daily_means():
    # day 0: (4+6)/2 = 5, then 5,5,9,9: differences 0,0,4,0; sqrt(16 / 4) = 2
    pairs = [(day(0), 4), (day(0), 6), (day(1), 5), (day(2), 5), (day(3), 9), (day(4), 9)]
    assert rmssd(pairs) == pytest.approx(2.0)


def test_rmssd_works_at_the_scale_bounds():
    # 0,10,0,10,0: every difference is 10; sqrt(4 * 100 / 4) = 10
    assert rmssd(run(0, 10, 0, 10, 0)) == pytest.approx(10.0)


# --- PAC (acute change) --------------------------------------------------------------------------


def test_pac_by_hand():
    c = ACUTE_CHANGE_THRESHOLD
    # differences: +c (counts: exactly c), -(c+1) (counts), +(c-1) (no), 0 (no), +c (counts): 3/5
    x0 = 1.0
    x1 = x0 + c
    x2 = x1 - (c + 1)
    x3 = x2 + (c - 1)
    x4 = x3
    x5 = x4 + c
    assert pac(run(x0, x1, x2, x3, x4, x5)) == pytest.approx(3 / 5)


def test_pac_is_none_with_three_pairs():
    assert pac(run(1, 5, 1, 5)) is None


def test_pac_is_shown_with_four_pairs():
    assert pac(run(1, 5, 1, 5, 1)) is not None


def test_pac_drops_pairs_across_a_gap():
    c = ACUTE_CHANGE_THRESHOLD
    # pairs (0,1), (1,2), (4,5), (5,6) are all flat; the jump from day 2 to day 4 is not a pair
    series = {day(0): 1, day(1): 1, day(2): 1, day(4): 1 + c, day(5): 1 + c, day(6): 1 + c}
    assert pac(series) == 0.0


def test_pac_counts_a_change_of_exactly_the_threshold_between_daily_means():
    # day 0: (2+2+3)/3 = 7/3; day 1: (5+5+6)/3 = 16/3; 16/3 - 7/3 = 3 in arithmetic, but
    # 2.9999999999999996 in floating point. Days 2-4 repeat day 1: differences 0. Share 1/4.
    assert ACUTE_CHANGE_THRESHOLD == 3  # the arithmetic above is for this threshold
    pairs = [(day(0), v) for v in (2, 2, 3)]
    for i in (1, 2, 3, 4):
        pairs += [(day(i), v) for v in (5, 5, 6)]
    assert pac(pairs) == 0.25


# --- inertia -------------------------------------------------------------------------------------


def step_series(days_low: int, days_high: int, gap: bool = False) -> dict[date, float]:
    values = [2.0] * days_low + [8.0] * days_high
    offset = 1 if gap else 0
    return {day(i + (offset if i >= days_low else 0)): v for i, v in enumerate(values)}


def test_inertia_by_hand():
    # 25 days at 2 then 26 at 8: 50 pairs, 24 (2,2), 1 (2,8), 25 (8,8).
    # x: 25 twos, 25 eights; y: 24 twos, 26 eights; sum x = 250, sum y = 256.
    # Sxy = sum(xy) - sum(x) sum(y) / 50 = 1712 - 1280 = 432
    # Sxx = 1700 - 250^2/50 = 450; Syy = 1760 - 256^2/50 = 449.28; r = 432 / sqrt(450 * 449.28)
    assert inertia(step_series(25, 26)) == pytest.approx(432 / math.sqrt(450 * 449.28))


def test_inertia_is_none_with_50_days_in_a_row():
    # 50 consecutive days are only 49 pairs: the correlation is over pairs, and needs 50 of them
    assert inertia(step_series(25, 25)) is None


def test_inertia_is_shown_with_50_pairs():
    assert inertia(step_series(25, 26)) is not None


def test_inertia_counts_pairs_not_days():
    # 60 days, but a gap every 5 days leaves 48 pairs: not enough, however many days there are
    series = {day(i + i // 5): float(i % 7) for i in range(60)}
    assert len(consecutive_differences(series)) == 48
    assert inertia(series) is None


def test_inertia_of_an_alternating_series_is_minus_one():
    assert inertia(run(*([0, 10] * 26))) == pytest.approx(-1.0)


def test_inertia_drops_pairs_across_a_gap():
    # 52 days with one missing day between the 2s and the 8s: pairs are 25 (2,2) and 25 (8,8)
    # only, so x = y and r = 1; bridging the gap would count a (2,8) pair
    assert inertia(step_series(26, 26, gap=True)) == pytest.approx(1.0)


def test_inertia_of_a_constant_series_is_none():
    assert inertia(run(*([5] * 51))) is None


# --- EWMA ----------------------------------------------------------------------------------------


def test_ewma_by_hand():
    # z1 = 5; z2 = 0.3*8 + 0.7*5 = 5.9; z3 = 0.3*2 + 0.7*5.9 = 4.73
    smoothed = ewma(run(5, 8, 2))
    assert [d for d, _ in smoothed] == [day(0), day(1), day(2)]
    assert [z for _, z in smoothed] == pytest.approx([5, 5.9, 4.73])


def test_ewma_continues_over_a_missing_day_without_imputing_it():
    # days 0 and 2 only: z = 4, then 0.3*10 + 0.7*4 = 5.8; no point for day 1
    assert ewma({day(0): 4, day(2): 10}) == [(day(0), 4), (day(2), pytest.approx(5.8))]


def test_ewma_of_an_empty_series():
    assert ewma({}) == []


# --- describe, level_and_spread ------------------------------------------------------------


def test_describe_a_single_point_says_little():
    assert describe(run(7)) == {
        "n": 1,
        "mean": 7.0,
        "min": 7,
        "max": 7,
        "sd": None,
        "relative_sd": None,
        "ci95": None,
        "pairs": 0,
        "rmssd": None,
        "pac": None,
        "inertia": None,
        "withheld": {
            "sd": "Needs at least 5 days with a value; there is only 1.",
            "relative_sd": "Needs at least 5 days with a value; there is only 1.",
            "rmssd": PAIRS_NONE.format(4),
            "pac": PAIRS_NONE.format(4),
            "inertia": PAIRS_NONE.format(50),
        },
    }


PAIRS_NONE = (
    "Needs at least {} pairs of consecutive days with a value; there are none (a pair across a "
    "missing day does not count)."
)


def test_describe_says_why_each_measure_is_withheld():
    # 5 days with a gap after the third: SD shown, 3 pairs (RMSSD, PAC and inertia withheld)
    out = describe({day(0): 3, day(1): 6, day(2): 5, day(4): 9, day(5): 4})
    assert out["sd"] is not None and out["rmssd"] is None
    assert out["withheld"] == {
        "rmssd": "Needs at least 4 pairs of consecutive days with a value; there are only 3 (a "
        "pair across a missing day does not count).",
        "pac": "Needs at least 4 pairs of consecutive days with a value; there are only 3 (a "
        "pair across a missing day does not count).",
        "inertia": "Needs at least 50 pairs of consecutive days with a value; there are only 3 "
        "(a pair across a missing day does not count).",
    }


def test_describe_withholds_nothing_it_shows():
    out = describe({day(i): float(i % 7) for i in range(51)})
    assert out["inertia"] is not None and out["withheld"] == {}


def test_describe_says_why_a_relative_sd_at_the_end_of_the_scale_is_withheld():
    out = describe(run(10, 10, 10, 10, 10), include_inertia=False)
    assert out["sd"] == 0.0 and out["relative_sd"] is None
    assert out["withheld"] == {
        "relative_sd": "Every value was 10, the end of the scale, where no other spread is "
        "possible: there is nothing to set the spread against."
    }


def test_describe_says_why_inertia_of_an_unvarying_series_is_withheld():
    out = describe(run(*([5] * 51)))
    assert out["withheld"]["inertia"].startswith("The values did not vary")


def test_describe_agrees_with_each_measure():
    series = {day(0): 3, day(1): 6, day(2): 5, day(3): 9, day(4): 4, day(6): 2, day(7): 7}
    out = describe(series)
    assert out["n"] == 7
    assert out["pairs"] == 5
    assert out["mean"] == mean(series)
    assert out["sd"] == sd(series)
    assert out["relative_sd"] == relative_sd(series)
    assert out["ci95"] == list(mean_ci95(series))
    assert out["rmssd"] == rmssd(series)
    assert out["pac"] == pac(series)
    assert (out["min"], out["max"]) == (2, 9)


def test_describe_without_inertia_has_no_inertia_key():
    assert "inertia" not in describe(run(1, 2, 3), include_inertia=False)


def test_level_and_spread_agrees_with_each_measure():
    series = run(5, 7, 4, 4, 6)
    assert level_and_spread(series) == (mean(series), sd(series), rmssd(series))


def test_level_and_spread_of_ordered_days_drops_pairs_across_a_gap():
    # days 1, 2, 3 and 5: pairs (1, 2) and (2, 3) only, fewer than 4, so no RMSSD
    assert level_and_spread_of([1, 2, 3, 5], [4.0, 6.0, 5.0, 9.0]) == (6.0, None, None)
    series = run(5, 7, 4, 4, 6)
    ordinals = sorted(d.toordinal() for d in series)
    values = [series[date.fromordinal(o)] for o in ordinals]
    assert level_and_spread_of(ordinals, values) == level_and_spread(series)
    assert mean_of_values(values) == mean(series) and mean_of_values([]) is None
