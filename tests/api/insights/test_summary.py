from datetime import date, timedelta

import pytest

from api.insights.summary import (
    attachment_summary,
    emotion_summary,
    part_days,
    parts_activity,
    regulation_summary,
    self_energy_summary,
    summarize_window,
)

MONDAY = date(2026, 11, 16)


def day(i: int) -> date:
    return MONDAY + timedelta(days=i)


def checkin(i: int, **fields) -> dict:
    return {"local_date": day(i), **fields}


def episode(i: int, strategies=(), success=None, minutes=None, peak=None) -> dict:
    reg = {
        "strategies": list(strategies),
        "success": success,
        "minutes_to_settle": minutes,
        "peak_intensity": peak,
    }
    return checkin(i, regulation=reg)


# --- window --------------------------------------------------------------------------------


def test_window_counts_days_checkins_and_adherence():
    checkins = [checkin(0, mood=5), checkin(0, mood=7), checkin(3, mood=4)]
    out = summarize_window(checkins, day(0), day(6))
    assert (out["days"], out["checkin_days"], out["checkins"]) == (7, 2, 3)
    assert out["adherence"] == 2 / 7


def test_window_ignores_checkins_outside_it():
    checkins = [checkin(-1, mood=1), checkin(0, mood=5), checkin(7, mood=9), {"mood": 3}]
    out = summarize_window(checkins, day(0), day(6))
    assert out["checkins"] == 1
    assert out["mood"]["mean"] == 5.0


def test_window_mood_is_described_over_daily_means():
    # day 0: (5+7)/2 = 6; day 1: 4 -> mean 5 over n = 2 days
    checkins = [checkin(0, mood=5), checkin(0, mood=7), checkin(1, mood=4)]
    mood = summarize_window(checkins, day(0), day(6))["mood"]
    assert (mood["n"], mood["mean"], mood["sd"]) == (2, 5.0, None)


def test_window_shows_inertia_only_with_fifty_pairs_of_days():
    checkins = [checkin(i, mood=i % 3, energy=5) for i in range(51)]
    assert summarize_window(checkins, day(0), day(50))["mood"]["inertia"] is not None
    # 50 days in a row are 49 pairs of consecutive days: too few
    assert summarize_window(checkins, day(1), day(50))["mood"]["inertia"] is None


def test_window_can_leave_inertia_out():
    out = summarize_window([checkin(0, mood=5)], day(0), day(0), include_inertia=False)
    assert "inertia" not in out["mood"]


def test_window_of_no_checkins():
    out = summarize_window([], day(0), day(6))
    assert out["adherence"] == 0.0
    assert out["mood"]["n"] == 0 and out["mood"]["mean"] is None
    assert out["parts"] == [] and out["emotions"] == []
    assert out["regulation"]["episodes"] == 0


# --- Self-energy ---------------------------------------------------------------------------


def test_self_energy_is_a_mean_per_checkin_then_over_days():
    checkins = [
        checkin(0, self_energy={"calm": 4, "clarity": 8}),  # 6
        checkin(0, self_energy={"calm": 8}),  # 8 -> day 0: (6 + 8) / 2 = 7
        checkin(1, self_energy={"calm": 6, "clarity": 2}),  # day 1: 4
    ]
    assert self_energy_summary(checkins)["mean"] == 5.5  # (7 + 4) / 2


def test_self_energy_per_c_is_a_mean_over_days():
    checkins = [
        checkin(0, self_energy={"calm": 4, "clarity": 8}),
        checkin(0, self_energy={"calm": 8}),
        checkin(1, self_energy={"calm": 6, "clarity": 2}),
    ]
    by_c = self_energy_summary(checkins)["by_c"]
    # calm: day 0 (4+8)/2 = 6, day 1 6 -> 6; clarity: day 0 8, day 1 2 -> 5
    assert by_c == {"calm": {"n": 2, "mean": 6.0}, "clarity": {"n": 2, "mean": 5.0}}


def test_self_energy_names_the_strongest_and_weakest_c():
    checkins = [checkin(0, self_energy={"calm": 7, "courage": 3, "clarity": 5})]
    out = self_energy_summary(checkins)
    assert (out["strongest"], out["weakest"]) == (["calm"], ["courage"])


def test_self_energy_lists_every_c_on_a_tie():
    checkins = [checkin(0, self_energy={"calm": 7, "courage": 3, "clarity": 7})]
    assert self_energy_summary(checkins)["strongest"] == ["calm", "clarity"]


def test_self_energy_names_no_strongest_when_all_cs_are_equal():
    out = self_energy_summary([checkin(0, self_energy={"calm": 5, "courage": 5})])
    assert (out["strongest"], out["weakest"]) == ([], [])


def test_self_energy_names_no_strongest_with_one_c():
    out = self_energy_summary([checkin(0, self_energy={"calm": 5})])
    assert (out["strongest"], out["weakest"]) == ([], [])


def test_self_energy_without_ratings():
    out = self_energy_summary([checkin(0, self_energy=None), checkin(1, self_energy={})])
    assert (out["n"], out["mean"], out["by_c"]) == (0, None, {})


# --- parts -----------------------------------------------------------------------------------


def test_parts_activity_by_hand():
    checkins = [
        checkin(0, parts=[{"part": "a", "intensity": 6, "blended": True}]),
        checkin(0, parts=[{"part": "a", "intensity": 4, "blended": None}]),
        checkin(1, parts=[{"part": "a", "intensity": None, "blended": False}]),
    ]
    # 2 days, 3 appearances; intensity (6+4)/2 = 5 over 2; blended 1 of the 2 answered
    assert parts_activity(checkins) == [
        {
            "part": "a",
            "days": 2,
            "appearances": 3,
            "mean_intensity": 5.0,
            "intensity_n": 2,
            "blended": 1,
            "blended_known": 2,
            "blended_share": 0.5,
        }
    ]


def test_parts_are_sorted_by_days_then_appearances_then_id():
    checkins = [
        checkin(0, parts=[{"part": "c"}, {"part": "b"}, {"part": "d"}]),
        checkin(0, parts=[{"part": "b"}]),
        checkin(1, parts=[{"part": "c"}, {"part": "b"}, {"part": "a"}]),
        checkin(2, parts=[{"part": "c"}, {"part": "a"}, {"part": "d"}]),
    ]
    # c: 3 days; b: 2 days, 3 appearances; a and d: 2 days, 2 appearances (a before d by id)
    assert [p["part"] for p in parts_activity(checkins)] == ["c", "b", "a", "d"]


def test_part_days_are_the_days_of_parts_activity():
    checkins = [
        checkin(0, parts=[{"part": "a"}, {"part": "b"}]),
        checkin(0, parts=[{"part": "a"}]),
        checkin(2, parts=[{"part": "a"}, {"part": None}]),
        {"parts": [{"part": "c"}]},  # no local date: an appearance on no day
    ]
    assert part_days(checkins) == {"a": 2, "b": 1}
    assert {row["part"]: row["days"] for row in parts_activity(checkins)} == {
        "a": 2,
        "b": 1,
        "c": 0,
    }
    assert part_days([]) == {}


def test_parts_without_answers_have_no_means():
    row = parts_activity([checkin(0, parts=[{"part": "a"}])])[0]
    assert (row["mean_intensity"], row["blended_share"]) == (None, None)


# --- regulation ----------------------------------------------------------------------------


def test_regulation_by_hand():
    checkins = [
        episode(0, ["breathing"], success=8, minutes=10, peak=7),
        episode(1, ["breathing", "distraction"], success=6, minutes=30, peak=9),
        episode(2, ["distraction"], success=2, minutes=20),
        episode(3, ["rumination"], success=1, minutes=40),
    ]
    out = regulation_summary(checkins)
    assert out["episodes"] == 4
    assert out["mean_success"] == pytest.approx(17 / 4)  # (8+6+2+1) / 4
    assert out["median_minutes_to_settle"] == 25  # 10, 20, 30, 40 -> (20 + 30) / 2
    assert out["mean_peak_intensity"] == 8.0  # (7 + 9) / 2
    # breathing: (8+6)/2 = 7 over 2; distraction: (6+2)/2 = 4 over 2; rumination used once
    assert out["best_strategies"] == [
        {"strategy": "breathing", "used_with": [], "mean_success": 7.0, "n": 2},
        {"strategy": "distraction", "used_with": [], "mean_success": 4.0, "n": 2},
    ]


def test_each_episode_counts_even_on_the_same_day():
    checkins = [episode(0, success=5), episode(0, success=7)]
    assert regulation_summary(checkins)["episodes"] == 2


def test_an_empty_regulation_record_is_not_an_episode():
    checkins = [
        checkin(0, regulation=None),
        checkin(1, regulation={}),
        episode(2),  # every field empty
        checkin(3),
    ]
    assert regulation_summary(checkins)["episodes"] == 0


def test_a_day_that_said_no_hard_moment_is_not_an_episode():
    checkins = [checkin(0, regulation={"occurred": False, "strategies": []})]
    assert regulation_summary(checkins)["episodes"] == 0


def test_a_no_is_never_an_episode_whatever_else_the_record_holds():
    # The API refuses details with "no"; a record written otherwise is still read as a no.
    said_no = {"occurred": False, "strategies": ["breathing"], "success": 7}
    out = regulation_summary([checkin(0, regulation=said_no), checkin(1, regulation=said_no)])
    assert (out["episodes"], out["mean_success"], out["best_strategies"]) == (0, None, [])


def test_a_hard_moment_said_to_have_occurred_is_an_episode_without_details():
    assert regulation_summary([checkin(0, regulation={"occurred": True})])["episodes"] == 1


def test_details_without_occurred_are_an_episode_as_older_clients_sent_them():
    assert regulation_summary([episode(0, ["breathing"], success=6)])["episodes"] == 1


def test_the_days_that_said_no_hard_moment_are_counted():
    no = {"occurred": False}
    checkins = [checkin(0, regulation=no), checkin(0, regulation=no), checkin(2, regulation=no)]
    checkins.append(episode(3, success=5))
    assert regulation_summary(checkins)["no_hard_moment_days"] == 2


def test_a_strategy_needs_two_rated_uses():
    checkins = [
        episode(0, ["grounding"], success=9),
        episode(1, ["grounding"], success=None),  # used, but how well it worked is unknown
    ]
    assert regulation_summary(checkins)["best_strategies"] == []


def test_a_strategy_ticked_twice_in_one_episode_counts_once():
    checkins = [episode(0, ["breathing", "breathing"], success=9)]
    assert regulation_summary(checkins)["best_strategies"] == []


def test_best_strategies_break_ties_by_uses_then_name():
    checkins = [
        episode(0, ["movement", "breathing"], success=6),
        episode(1, ["movement", "grounding"], success=6),
        episode(2, ["movement", "grounding"], success=6),
        episode(3, ["breathing"], success=6),
    ]
    names = [s["strategy"] for s in regulation_summary(checkins)["best_strategies"]]
    assert names == ["movement", "breathing", "grounding"]


def test_strategies_only_ever_used_together_are_one_entry_never_ranked_apart():
    checkins = [
        episode(0, ["movement", "breathing", "grounding"], success=8),
        episode(1, ["movement", "breathing", "grounding"], success=4),
        episode(2, ["movement"], success=3),
        episode(3, ["rumination"], success=2),
        episode(4, ["rumination"], success=2),
    ]
    # breathing and grounding: the same two episodes, (8 + 4) / 2 = 6; movement: 15 / 3 = 5
    assert regulation_summary(checkins)["best_strategies"] == [
        {"strategy": "breathing", "used_with": ["grounding"], "mean_success": 6.0, "n": 2},
        {"strategy": "movement", "used_with": [], "mean_success": 5.0, "n": 3},
        {"strategy": "rumination", "used_with": [], "mean_success": 2.0, "n": 2},
    ]


def test_strategies_used_together_only_in_the_rated_episodes_are_one_entry():
    checkins = [
        episode(0, ["breathing", "grounding"], success=7),
        episode(1, ["breathing", "grounding"], success=5),
        episode(2, ["grounding"]),  # how well it worked is unknown: it separates nothing
    ]
    [entry] = regulation_summary(checkins)["best_strategies"]
    assert (entry["strategy"], entry["used_with"]) == ("breathing", ["grounding"])


# --- attachment ----------------------------------------------------------------------------


def test_attachment_means_are_over_days():
    checkins = [
        checkin(0, attachment={"anxiety": 2, "avoidance": 1}),
        checkin(0, attachment={"anxiety": 6, "avoidance": 3}),  # day 0: 4 and 2
        checkin(1, attachment={"anxiety": 7, "avoidance": None}),
    ]
    out = attachment_summary(checkins)
    assert out["anxiety"] == {"n": 2, "mean": 5.5}  # (4 + 7) / 2
    assert out["avoidance"] == {"n": 1, "mean": 2.0}


def test_attachment_shares_count_only_answered_checkins():
    checkins = [
        checkin(0, attachment={"reached_out": True, "felt_supported": True}),
        checkin(1, attachment={"reached_out": False, "felt_supported": None}),
        checkin(2, attachment={"reached_out": True}),
        checkin(3, attachment=None),
    ]
    out = attachment_summary(checkins)
    assert out["reached_out"] == {"n": 3, "yes": 2, "share": pytest.approx(2 / 3)}
    assert out["felt_supported"] == {"n": 1, "yes": 1, "share": 1.0}


def test_attachment_without_answers():
    out = attachment_summary([checkin(0)])
    assert out["anxiety"] == {"n": 0, "mean": None}
    assert out["reached_out"] == {"n": 0, "yes": 0, "share": None}


# --- emotions --------------------------------------------------------------------------------


def test_emotions_by_frequency_with_mean_intensity():
    checkins = [
        checkin(0, emotions=[{"name": "sadness", "intensity": 6}, {"name": "joy", "intensity": 3}]),
        checkin(1, emotions=[{"name": " Sadness ", "intensity": 4}]),
        checkin(2, emotions=[{"name": "sadness", "intensity": None}]),
    ]
    # sadness: 3 times, intensity (6+4)/2 = 5 over 2
    assert emotion_summary(checkins) == [
        {"name": "sadness", "count": 3, "mean_intensity": 5.0, "intensity_n": 2},
        {"name": "joy", "count": 1, "mean_intensity": 3.0, "intensity_n": 1},
    ]


def test_emotions_are_limited():
    names = ["anger", "fear", "grief", "hope", "joy", "shame"]
    checkins = [checkin(0, emotions=[{"name": n, "intensity": 5} for n in names])]
    assert [e["name"] for e in emotion_summary(checkins, limit=2)] == ["anger", "fear"]


def test_emotions_skip_blank_names():
    assert emotion_summary([checkin(0, emotions=[{"name": "  ", "intensity": 5}])]) == []
