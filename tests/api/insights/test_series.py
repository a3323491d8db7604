from datetime import date, timedelta

import pytest

from api.insights.series import (
    checkin_self_energy,
    daily_points,
    daily_series,
    group_by_week,
    weekly_points,
)

MONDAY = date(2026, 11, 16)


def day(i: int) -> date:
    return MONDAY + timedelta(days=i)


def checkin(i: int, **fields) -> dict:
    return {"local_date": day(i), **fields}


def test_self_energy_of_a_checkin_is_the_mean_of_the_rated_cs():
    assert checkin_self_energy({"self_energy": {"calm": 6, "curiosity": 9}}) == 7.5


def test_self_energy_ignores_unrated_and_unknown_cs():
    cs = {"calm": 4, "clarity": None, "sparkle": 10}
    assert checkin_self_energy({"self_energy": cs}) == 4.0


@pytest.mark.parametrize("cs", [None, {}, {"calm": None}])
def test_self_energy_of_a_checkin_without_ratings_is_none(cs):
    assert checkin_self_energy({"self_energy": cs}) is None


def test_self_energy_of_a_checkin_without_the_key_is_none():
    assert checkin_self_energy({}) is None


def test_daily_series_averages_checkins_on_one_day():
    checkins = [checkin(0, mood=4), checkin(0, mood=7), checkin(1, mood=2)]
    assert daily_series(checkins, "mood") == {day(0): 5.5, day(1): 2.0}


def test_daily_series_skips_missing_values_and_undated_checkins():
    checkins = [checkin(0, mood=None), checkin(1), {"mood": 9}, checkin(2, mood=3)]
    assert daily_series(checkins, "mood") == {day(2): 3.0}


def test_daily_series_reads_attachment_values():
    checkins = [
        checkin(0, attachment={"anxiety": 6, "avoidance": 2}),
        checkin(0, attachment={"anxiety": 2, "avoidance": None}),
        checkin(1, attachment=None),
    ]
    assert daily_series(checkins, "anxiety") == {day(0): 4.0}
    assert daily_series(checkins, "avoidance") == {day(0): 2.0}


def test_daily_series_takes_an_extractor():
    assert daily_series([checkin(0, energy=3)], lambda c: c.get("energy")) == {day(0): 3}


def test_group_by_week_uses_local_iso_weeks():
    checkins = [checkin(6, mood=1), checkin(7, mood=2), checkin(0, mood=3)]
    weeks = group_by_week(checkins)
    assert {k: [c["mood"] for c in v] for k, v in weeks.items()} == {
        "2026-W47": [1, 3],
        "2026-W48": [2],
    }


def test_daily_points_carry_n_and_smoothing():
    checkins = [checkin(0, mood=4), checkin(0, mood=6), checkin(1, mood=8)]
    # day 0: (4+6)/2 = 5 from 2 check-ins; day 1: 8; ewma 5, then 0.3*8 + 0.7*5 = 5.9
    assert daily_points(checkins, "mood") == [
        {"date": "2026-11-16", "value": 5.0, "n": 2, "ewma": 5.0},
        {"date": "2026-11-17", "value": 8.0, "n": 1, "ewma": pytest.approx(5.9)},
    ]


def test_daily_points_over_a_range_include_empty_days():
    checkins = [checkin(0, mood=4), checkin(2, mood=6), checkin(5, mood=1)]
    points = daily_points(checkins, "mood", start=day(0), end=day(2))
    assert [(p["date"], p["value"], p["n"]) for p in points] == [
        ("2026-11-16", 4.0, 1),
        ("2026-11-17", None, 0),
        ("2026-11-18", 6.0, 1),
    ]


def test_daily_points_count_only_checkins_with_a_value():
    checkins = [checkin(0, mood=4), checkin(0, mood=None)]
    assert daily_points(checkins, "mood")[0]["n"] == 1


def test_weekly_points_describe_each_week():
    # week 47: Monday-Friday 2,4,6,4,2 -> mean 18/5 = 3.6; week 48: one day
    checkins = [checkin(i, mood=v) for i, v in enumerate([2, 4, 6, 4, 2])]
    checkins.append(checkin(7, mood=9))
    w47, w48 = weekly_points(checkins, "mood")
    assert (w47["week"], w47["start"], w47["end"]) == ("2026-W47", "2026-11-16", "2026-11-22")
    assert (w47["n"], w47["mean"], w47["pairs"]) == (5, pytest.approx(3.6), 4)
    assert "inertia" not in w47
    assert (w48["week"], w48["n"], w48["mean"], w48["sd"]) == ("2026-W48", 1, 9.0, None)


def test_weekly_points_never_pair_days_across_two_weeks():
    # Sunday of week 47 and Monday of week 48 are consecutive days but different weeks
    checkins = [checkin(6, mood=1), checkin(7, mood=9)]
    assert [p["pairs"] for p in weekly_points(checkins, "mood")] == [0, 0]


def test_weekly_points_over_a_range_include_empty_weeks():
    checkins = [checkin(0, mood=5), checkin(15, mood=5)]
    points = weekly_points(checkins, "mood", start=day(0), end=day(15))
    assert [(p["week"], p["n"]) for p in points] == [
        ("2026-W47", 1),
        ("2026-W48", 0),
        ("2026-W49", 1),
    ]
