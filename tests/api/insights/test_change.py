import math

import pytest

from api.insights.change import (
    ABOUT_THE_SAME,
    HIGHER,
    LOWER,
    MORE_CHANGEABLE,
    NO_DATA,
    NOT_ENOUGH_HISTORY,
    SPREAD,
    STEADIER,
    classify,
    compare_with_history,
    reliable_change_threshold,
)

# earlier weeks 4,5,6,5: mean 5, squared deviations 1+0+1+0 = 2, SD = sqrt(2/3) = 0.8165;
# threshold = 1.96 * sqrt(2) * sqrt(2/3) = 1.96 * sqrt(4/3) = 2.2632
EARLIER = [4.0, 5.0, 6.0, 5.0]
THRESHOLD = 1.96 * math.sqrt(4 / 3)


def test_threshold_by_hand():
    assert reliable_change_threshold(EARLIER) == pytest.approx(THRESHOLD)


def test_threshold_needs_four_earlier_weeks():
    assert reliable_change_threshold(EARLIER[:3]) is None


def test_a_change_above_the_threshold_is_named():
    assert classify(THRESHOLD + 0.01, THRESHOLD) == HIGHER
    assert classify(-(THRESHOLD + 0.01), THRESHOLD) == LOWER


def test_a_change_equal_to_the_threshold_is_about_the_same():
    assert classify(THRESHOLD, THRESHOLD) == ABOUT_THE_SAME


def test_a_spread_change_is_steadier_or_more_changeable():
    assert classify(3.0, 1.0, SPREAD) == MORE_CHANGEABLE
    assert classify(-3.0, 1.0, SPREAD) == STEADIER


def test_float_noise_is_not_a_change_when_earlier_weeks_were_all_alike():
    # threshold 0; a "change" of 1e-15 is rounding, not a change
    assert classify(1e-15, 0.0) == ABOUT_THE_SAME


def test_compare_with_last_week_and_the_last_four_weeks():
    # history oldest first: 3, then 4,5,6,5 (last week 5). Earlier values 3,4,5,6,5:
    # mean 4.6, squared deviations 2.56+0.36+0.16+1.96+0.16 = 5.2, SD = sqrt(5.2/4) = sqrt(1.3)
    # threshold = 1.96 * sqrt(2) * sqrt(1.3) = 1.96 * sqrt(2.6) = 3.1604
    # last 4 weeks: (4+5+6+5)/4 = 5
    out = compare_with_history(8.5, [3.0, *EARLIER])
    assert out["earlier_weeks"] == 5
    assert out["threshold"] == pytest.approx(1.96 * math.sqrt(2.6))
    assert out["last_week"] == {"reference": 5.0, "change": 3.5, "verdict": HIGHER}
    assert out["last_4_weeks"] == {"reference": 5.0, "change": 3.5, "verdict": HIGHER}


def test_a_change_within_the_usual_spread_is_about_the_same():
    out = compare_with_history(7.0, EARLIER)  # change 2 < 2.2632
    assert out["last_week"]["verdict"] == ABOUT_THE_SAME
    assert out["last_4_weeks"]["verdict"] == ABOUT_THE_SAME


def test_weeks_without_a_value_are_skipped():
    # 8 calendar weeks, 4 with a value; last week had none
    history = [None, 4.0, None, 5.0, 6.0, None, 5.0, None]
    out = compare_with_history(7.5, history)
    assert out["earlier_weeks"] == 4
    assert out["last_week"] == {"reference": None, "change": None, "verdict": NO_DATA}
    assert out["last_4_weeks"]["reference"] == 5.0
    assert out["last_4_weeks"]["verdict"] == HIGHER  # 2.5 > 2.2632


def test_fewer_than_four_earlier_weeks_is_not_enough_history():
    out = compare_with_history(9.0, [None, 4.0, 5.0, 6.0])
    assert out["threshold"] is None
    assert out["last_week"]["verdict"] == NOT_ENOUGH_HISTORY
    assert out["last_4_weeks"]["verdict"] == NOT_ENOUGH_HISTORY
    assert out["last_week"]["change"] is None


def test_no_value_this_week_is_no_data():
    out = compare_with_history(None, EARLIER)
    assert out["last_week"]["verdict"] == NO_DATA
    assert out["last_4_weeks"]["verdict"] == NO_DATA


def test_an_empty_history_is_not_enough_history():
    assert compare_with_history(5.0, [])["last_week"]["verdict"] == NOT_ENOUGH_HISTORY


def test_threshold_never_falls_below_half_a_point_when_history_was_flat():
    from api.insights.change import MIN_RELIABLE_CHANGE, reliable_change_threshold

    assert reliable_change_threshold([5.0, 5.0, 5.0, 5.0]) == MIN_RELIABLE_CHANGE == 0.5
    result = compare_with_history(5.2, [5.0, 5.0, 5.0, 5.0])
    assert result["last_week"]["verdict"] == "about_the_same"
    assert compare_with_history(5.6, [5.0, 5.0, 5.0, 5.0])["last_week"]["verdict"] == "higher"
