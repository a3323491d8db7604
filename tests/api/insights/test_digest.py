import json
import math
from datetime import date, timedelta

import pytest

from api.insights.change import ABOUT_THE_SAME, HIGHER, MORE_CHANGEABLE, NO_DATA, NOT_ENOUGH_HISTORY
from api.insights.digest import (
    BEST_STRATEGIES,
    HISTORY_WEEKS,
    MOST_ACTIVE_PARTS,
    build_digest,
    weekly_history,
    weekly_values,
    withheld,
)

WEEK = "2026-W47"
MONDAY = date(2026, 11, 16)


def day(i: int) -> date:
    return MONDAY + timedelta(days=i)


def checkin(i: int, **fields) -> dict:
    return {"local_date": day(i), **fields}


def moods(first_day: int, *values: float) -> list[dict]:
    return [checkin(first_day + i, mood=v) for i, v in enumerate(values)]


def earlier_weeks(*week_means: float) -> list[dict]:
    """One check-in on the Monday of each earlier week, oldest first, ending last week."""
    n = len(week_means)
    return [checkin(-7 * (n - i), mood=m) for i, m in enumerate(week_means)]


def test_digest_names_its_week():
    digest = build_digest(WEEK, [])
    assert (digest["week"], digest["start"], digest["end"]) == (WEEK, "2026-11-16", "2026-11-22")


def test_digest_rejects_a_bad_week_key():
    with pytest.raises(ValueError):
        build_digest("2026-47", [])


def test_digest_is_json_serialisable_without_nan():
    checkins = [
        checkin(
            i,
            mood=i,
            energy=5,
            emotions=[{"name": "grief", "intensity": 4}],
            parts=[{"part": "p1", "intensity": 5, "blended": True}],
            self_energy={"calm": 5, "courage": 7},
            regulation={"strategies": ["breathing"], "success": 6, "minutes_to_settle": 5},
            attachment={"anxiety": 3, "avoidance": 4, "reached_out": True},
        )
        for i in range(7)
    ]
    text = json.dumps(build_digest(WEEK, checkins, earlier_weeks(5, 6, 5, 4)), allow_nan=False)
    assert json.loads(text)["checkin_days"] == 7


def test_digest_never_carries_free_text():
    checkins = [
        checkin(
            0,
            mood=5,
            note="SECRET NOTE",
            inner_child_note="SECRET CHILD",
            emotions=[{"name": "SECRET FEELING", "intensity": 4}],
        )
    ]
    text = json.dumps(build_digest(WEEK, checkins))
    assert "SECRET" not in text


def test_digest_counts_checkin_days():
    checkins = [checkin(0, mood=5), checkin(0, mood=6), checkin(3)]
    digest = build_digest(WEEK, checkins)
    assert (digest["checkin_days"], digest["adherence"]) == (2, 2 / 7)


def test_digest_ignores_checkins_outside_its_week():
    digest = build_digest(WEEK, [checkin(-1, mood=1), checkin(0, mood=5), checkin(7, mood=9)])
    assert (digest["checkin_days"], digest["mood"]["mean"]) == (1, 5.0)


def test_mood_range_is_a_95_interval_from_five_days():
    # 3..7: mean 5, half-width t(4) * sqrt(2.5) / sqrt(5) = 2.776445 * sqrt(0.5)
    mood = build_digest(WEEK, moods(0, 3, 4, 5, 6, 7))["mood"]
    half = 2.776445 * math.sqrt(0.5)
    assert mood["range"] == {
        "kind": "ci95",
        "low": pytest.approx(5 - half),
        "high": pytest.approx(5 + half),
    }


def test_mood_range_is_the_observed_range_below_five_days():
    mood = build_digest(WEEK, moods(0, 3, 7, 5, 6))["mood"]
    assert mood["range"] == {"kind": "observed", "low": 3, "high": 7}


def test_mood_range_is_none_without_mood():
    assert build_digest(WEEK, [checkin(0)])["mood"]["range"] is None


def test_mood_variability_and_instability_follow_the_rules():
    four_days = build_digest(WEEK, moods(0, 3, 7, 5, 6))["mood"]
    assert (four_days["sd"], four_days["rmssd"], four_days["pac"]) == (None, None, None)
    five_days = build_digest(WEEK, moods(0, 5, 7, 4, 4, 6))["mood"]
    assert five_days["rmssd"] == pytest.approx(math.sqrt(17 / 4))  # as in the stats tests


def test_the_digest_never_shows_inertia():
    assert "inertia" not in build_digest(WEEK, moods(0, 1, 2, 3, 4, 5, 6, 7))["mood"]


def test_mood_is_higher_when_the_change_beats_the_usual_spread():
    # earlier weekly means 4,5,6,5: threshold 2.2632 (see the change tests); this week 8
    digest = build_digest(WEEK, moods(0, 8, 8), earlier_weeks(4, 5, 6, 5))
    comparison = digest["comparisons"]["mood_mean"]
    assert comparison["last_week"]["verdict"] == HIGHER  # 8 - 5 = 3
    assert comparison["last_4_weeks"]["verdict"] == HIGHER  # 8 - (4+5+6+5)/4 = 3


def test_mood_is_about_the_same_within_the_usual_spread():
    digest = build_digest(WEEK, moods(0, 7), earlier_weeks(4, 5, 6, 5))
    comparison = digest["comparisons"]["mood_mean"]
    assert comparison["last_week"]["verdict"] == ABOUT_THE_SAME  # 7 - 5 = 2 < 2.2632


def test_three_earlier_weeks_are_not_enough_history():
    digest = build_digest(WEEK, moods(0, 9), earlier_weeks(4, 5, 6))
    assert digest["comparisons"]["mood_mean"]["last_week"]["verdict"] == NOT_ENOUGH_HISTORY


def test_history_reaches_back_a_fixed_number_of_weeks():
    # four earlier weeks, the oldest just beyond the window: only three count
    old = earlier_weeks(4, *([None] * (HISTORY_WEEKS - 3)), 5, 6, 5)
    digest = build_digest(WEEK, moods(0, 9), [c for c in old if c["mood"] is not None])
    assert digest["comparisons"]["mood_mean"]["earlier_weeks"] == 3


def test_earlier_checkins_in_this_week_are_not_history():
    digest = build_digest(WEEK, moods(0, 5), moods(1, 5, 5, 5))
    assert digest["comparisons"]["mood_mean"]["earlier_weeks"] == 0


def test_variability_compares_weekly_sds():
    # four earlier weeks of 5 flat days each: weekly SD 0, so threshold 0; this week SD > 0
    history = []
    for w in range(1, 5):
        history += moods(-7 * w, 5, 5, 5, 5, 5)
    digest = build_digest(WEEK, moods(0, 3, 7, 3, 7, 5), history)
    assert digest["comparisons"]["mood_variability"]["last_week"]["verdict"] == MORE_CHANGEABLE
    assert digest["comparisons"]["mood_instability"]["last_week"]["verdict"] == MORE_CHANGEABLE


def test_variability_is_not_compared_when_this_week_has_too_few_days():
    history = []
    for w in range(1, 5):
        history += moods(-7 * w, 3, 7, 3, 7, 5)
    digest = build_digest(WEEK, moods(0, 3, 7, 3, 7), history)
    assert digest["comparisons"]["mood_variability"]["last_week"]["verdict"] == NO_DATA


def test_self_energy_and_attachment_are_compared():
    def week(i, se, anxiety):
        return checkin(i, self_energy={"calm": se}, attachment={"anxiety": anxiety})

    history = [week(-28, 4, 5), week(-21, 5, 5), week(-14, 6, 5), week(-7, 5, 5)]
    digest = build_digest(WEEK, [week(0, 9, 5)], history)
    comparisons = digest["comparisons"]
    assert comparisons["self_energy_mean"]["last_week"]["verdict"] == HIGHER  # 9 - 5 = 4
    assert comparisons["attachment_anxiety"]["last_week"]["verdict"] == ABOUT_THE_SAME
    assert comparisons["attachment_avoidance"]["last_week"]["verdict"] == NO_DATA


def test_this_weeks_compared_values_match_weekly_values():
    checkins = [
        checkin(i, mood=v, self_energy={"calm": v}, attachment={"anxiety": 10 - v})
        for i, v in enumerate([2, 6, 4, 8, 5, 5])
    ]
    digest = build_digest(WEEK, checkins)
    compared = {k: c["value"] for k, c in digest["comparisons"].items()}
    assert compared == weekly_values(checkins)


def test_a_precomputed_history_gives_the_same_digest():
    history = []
    for w in range(1, 10):
        history += moods(-7 * w, w % 4, 5, 7, 2, w % 3, 9)
    this_week = moods(0, 4, 6, 8, 2, 5)
    expected = build_digest(WEEK, this_week, history)
    assert build_digest(WEEK, this_week, earlier_weeks=weekly_history(history)) == expected


def test_new_parts_are_listed_once():
    digest = build_digest(WEEK, [], new_part_ids=["p2", "p1", "p2"])
    assert digest["parts"]["new"] == ["p2", "p1"]


def test_only_the_most_active_parts_are_listed():
    checkins = [checkin(0, parts=[{"part": f"p{i}"} for i in range(MOST_ACTIVE_PARTS + 2)])]
    parts = build_digest(WEEK, checkins)["parts"]
    assert parts["active"] == MOST_ACTIVE_PARTS + 2
    assert len(parts["most_active"]) == MOST_ACTIVE_PARTS


def test_only_the_best_strategies_are_listed():
    names = ["breathing", "grounding", "movement", "journaling", "reappraisal"]
    checkins = [
        checkin(i, regulation={"strategies": [name], "success": 5})
        for name in names
        for i in (0, 1)
    ]
    assert len(build_digest(WEEK, checkins)["regulation"]["best_strategies"]) == BEST_STRATEGIES


def test_strategies_only_ever_used_together_count_once_among_the_best():
    names = ["breathing", "grounding", "movement", "journaling", "reappraisal"]
    checkins = [checkin(i, regulation={"strategies": names, "success": 5}) for i in range(2)]
    [entry] = build_digest(WEEK, checkins)["regulation"]["best_strategies"]
    assert [entry["strategy"], *entry["used_with"]] == sorted(names)


def test_the_digest_says_why_each_figure_and_comparison_is_withheld():
    # 3 days of mood (2 pairs) this week, mood in 2 earlier weeks, Self-energy in none
    this_week = [checkin(i, mood=5 + i, self_energy={"calm": 6}) for i in range(3)]
    digest = build_digest(WEEK, this_week, earlier_weeks(4, 6))
    reasons = withheld(digest)
    assert reasons["mood"]["sd"] == "Needs at least 5 days with a value; there are only 3."
    assert reasons["mood"]["rmssd"].startswith(
        "Needs at least 4 pairs of consecutive days with a value; there are only 2"
    )
    assert reasons["comparisons"]["mood_mean"] == {
        key: "Needs at least 4 earlier weeks with this figure (of the 8 before this one); "
        "there are only 2."
        for key in ("last_week", "last_4_weeks")
    }
    assert reasons["comparisons"]["mood_variability"]["last_week"] == (
        "This week has no figure to compare."
    )
    assert reasons["comparisons"]["self_energy_mean"]["last_week"].endswith("there are none.")


def test_a_comparison_judged_is_not_withheld():
    digest = build_digest(WEEK, moods(0, 5), earlier_weeks(4, 6, 5, 3, 5))
    assert "mood_mean" not in withheld(digest)["comparisons"]
    digest = build_digest(WEEK, moods(0, 5), earlier_weeks(4, 6, 5, 3, 5)[:-1])  # none last week
    assert withheld(digest)["comparisons"]["mood_mean"] == {
        "last_week": "There is no figure for last week to compare with."
    }


def test_earlier_checkins_and_earlier_weeks_are_exclusive():
    with pytest.raises(ValueError):
        build_digest(WEEK, [], moods(-7, 5), earlier_weeks={})
