import datetime as dt
import uuid

import pytest

TRENDS = "/api/v1/trends"


def post(account, recorded_at: str, mood: int, **extra):
    response = account.post(
        "/api/v1/checkins",
        json={"client_id": str(uuid.uuid4()), "mood": mood, "recorded_at": recorded_at, **extra},
    )
    assert response.status_code == 201, response.json
    return response.json


def test_default_range_is_eight_whole_local_weeks_up_to_today(alice):
    trends = alice.get(TRENDS).json
    end = dt.date.fromisoformat(trends["to"])
    start = dt.date.fromisoformat(trends["from"])
    assert end == dt.datetime.now(dt.UTC).date()
    assert start.isoweekday() == 1 and (end - start).days // 7 == 7
    assert len(trends["weekly"]["mood"]) == 8
    assert set(trends["daily"]) == {"mood", "energy", "self_energy"}


def test_daily_points_carry_n_and_average_a_day(alice):
    post(alice, "2026-03-03T08:00:00Z", 4)
    post(alice, "2026-03-03T20:00:00Z", 7)
    post(alice, "2026-03-05T20:00:00Z", 6)
    daily = alice.get(f"{TRENDS}?from=2026-03-02&to=2026-03-08&metrics=mood").json["daily"]["mood"]
    assert [p["date"][-2:] for p in daily] == ["02", "03", "04", "05", "06", "07", "08"]
    assert daily[1] == {"date": "2026-03-03", "value": 5.5, "n": 2, "ewma": 5.5}
    assert daily[2]["value"] is None and daily[2]["n"] == 0
    assert daily[3]["value"] == 6 and daily[3]["ewma"] == pytest.approx(0.3 * 6 + 0.7 * 5.5)


def test_weekly_points_follow_the_minimum_data_rules(alice):
    for day in range(2, 6):  # four days: a mean, but no SD (needs 5) and 3 pairs (needs 4)
        post(alice, f"2026-03-0{day}T12:00:00Z", day)
    week = alice.get(f"{TRENDS}?from=2026-03-02&to=2026-03-08&metrics=mood").json["weekly"]["mood"]
    assert len(week) == 1
    assert week[0]["week"] == "2026-W10" and week[0]["n"] == 4 and week[0]["mean"] == 3.5
    assert week[0]["sd"] is None and week[0]["rmssd"] is None and week[0]["pairs"] == 3


@pytest.mark.parametrize(
    ("timezone", "recorded_at", "local_date", "week"),
    [
        # 23:30 in New York on Sunday 8 March 2026, the day clocks sprang forward (UTC-4).
        ("America/New_York", "2026-03-09T03:30:00Z", "2026-03-08", "2026-W10"),
        # 23:30 in Berlin on Sunday 25 October 2026, the day clocks fell back (UTC+1).
        ("Europe/Berlin", "2026-10-25T22:30:00Z", "2026-10-25", "2026-W43"),
        # 00:30 on Monday in Auckland is still Sunday in UTC.
        ("Pacific/Auckland", "2026-03-01T11:30:00Z", "2026-03-02", "2026-W10"),
    ],
)
def test_a_checkin_belongs_to_its_local_day_and_week(
    make_account, timezone, recorded_at, local_date, week
):
    account = make_account(timezone=timezone)
    assert post(account, recorded_at, 5)["local_date"] == local_date
    day = dt.date.fromisoformat(local_date)
    span = dt.timedelta(days=7)
    trends = account.get(f"{TRENDS}?from={day - span}&to={day + span}&metrics=mood").json
    days_with_mood = [p["date"] for p in trends["daily"]["mood"] if p["n"]]
    assert days_with_mood == [local_date]
    assert [w["week"] for w in trends["weekly"]["mood"] if w["n"]] == [week]


def test_only_my_checkins_count(alice, bob):
    post(bob, "2026-03-03T12:00:00Z", 9)
    trends = alice.get(f"{TRENDS}?from=2026-03-02&to=2026-03-08").json
    assert trends["summary"]["checkins"] == 0


def test_summary_over_the_range(alice):
    part = alice.post("/api/v1/parts", json={"name": "Critic"}).json["id"]
    post(
        alice,
        "2026-03-03T12:00:00Z",
        4,
        parts=[{"part": part, "intensity": 6, "blended": True}],
        regulation={"strategies": ["breathing"], "success": 7, "minutes_to_settle": 10},
    )
    summary = alice.get(f"{TRENDS}?from=2026-03-02&to=2026-03-08").json["summary"]
    assert summary["checkin_days"] == 1 and summary["adherence"] == pytest.approx(1 / 7)
    assert summary["parts"][0]["part"] == part
    assert summary["regulation"]["episodes"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "metrics=mood,luck",
        "from=2026-03-08&to=2026-03-01",
        "from=2024-01-01&to=2026-03-01",
        "from=yesterday",
        "from=2020-01-01",
        "to=9999-12-31",
        "from=0001-01-01&to=0001-01-07",
    ],
)
def test_bad_queries_are_422(alice, query):
    response = alice.get(f"{TRENDS}?{query}")
    assert response.status_code == 422
    assert response.json["errors"]


def test_therapists_have_no_trends_of_their_own(therapist):
    assert therapist.get(TRENDS).status_code == 403


def test_the_last_days_a_journal_can_hold_are_a_clean_answer(alice):
    trends = alice.get(f"{TRENDS}?from=9998-12-01&to=9998-12-31&metrics=mood").json
    assert trends["weekly"]["mood"][-1]["week"] == "9998-W53"
    assert all(p["n"] == 0 for p in trends["daily"]["mood"])


def test_weekly_parts_show_how_often_each_part_showed_up(alice):
    critic = alice.post("/api/v1/parts", json={"name": "Critic"}).json["id"]
    for day in ("02", "03", "04"):
        post(alice, f"2026-03-{day}T12:00:00Z", 4, parts=[{"part": critic, "blended": True}])
    post(alice, "2026-03-10T12:00:00Z", 6, parts=[{"part": critic, "blended": False}])
    post(alice, "2026-03-11T12:00:00Z", 7)
    weeks = alice.get(f"{TRENDS}?from=2026-03-02&to=2026-03-22").json["weekly_parts"]
    assert [w["week"] for w in weeks] == ["2026-W10", "2026-W11", "2026-W12"]
    assert [w["checkin_days"] for w in weeks] == [3, 2, 0]
    first, second = weeks[0]["parts"][0], weeks[1]["parts"][0]
    assert (first["part"], first["days"], first["blended_share"]) == (critic, 3, 1.0)
    assert (second["days"], second["blended_share"]) == (1, 0.0)
    assert weeks[2]["parts"] == []


def test_weekly_points_say_why_a_figure_is_withheld(alice):
    for day in range(2, 6):  # four days: no SD (needs 5), 3 pairs (RMSSD and PAC need 4)
        post(alice, f"2026-03-0{day}T12:00:00Z", day)
    week = alice.get(f"{TRENDS}?from=2026-03-02&to=2026-03-08&metrics=mood").json["weekly"]["mood"]
    withheld = week[0]["withheld"]
    assert set(withheld) == {"sd", "relative_sd", "rmssd", "pac"}
    assert withheld["sd"] == "Needs at least 5 days with a value; there are only 4."
    assert withheld["pac"].startswith(
        "Needs at least 4 pairs of consecutive days with a value; there are only 3"
    )


def test_the_summary_says_why_inertia_is_withheld_with_50_days_in_a_row(alice):
    start = dt.date(2026, 1, 5)
    for i in range(50):  # 50 days in a row: 49 pairs of consecutive days
        day = start + dt.timedelta(days=i)
        post(alice, f"{day}T12:00:00Z", i % 4)
    end = start + dt.timedelta(days=49)
    summary = alice.get(f"{TRENDS}?from={start}&to={end}").json["summary"]
    assert summary["mood"]["inertia"] is None
    assert summary["mood"]["withheld"] == {
        "inertia": "Needs at least 50 pairs of consecutive days with a value; there are only 49 "
        "(a pair across a missing day does not count)."
    }
