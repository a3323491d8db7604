import datetime as dt
import zoneinfo

import pytest


def test_me_shows_profile_and_default_reminders(alice):
    me = alice.get("/api/v1/me").json
    assert me["email"] == "alice@example.org"
    assert me["timezone"] == "UTC"
    assert me["reminders"] == {
        "enabled": False,
        "local_time": "20:00",
        "weekdays": [1, 2, 3, 4, 5, 6, 7],
    }


def test_turning_reminders_on_schedules_the_next_one(make_account):
    account = make_account("client", timezone="Europe/Berlin")
    me = account.patch("/api/v1/me", json={"reminders": {"enabled": True}}).json
    reminder = _local(me["next_reminder_at"], "Europe/Berlin")
    now = dt.datetime.now(dt.UTC)
    assert now < reminder <= now + dt.timedelta(days=1)
    assert reminder.time() == dt.time(20, 0)


def test_an_account_stored_with_reminders_on_keeps_them(alice, raw_db):
    # Accounts from before reminders started off keep what they have.
    raw_db.users.update_one({"email": "alice@example.org"}, {"$unset": {"reminders": ""}})
    assert alice.get("/api/v1/me").json["reminders"]["enabled"] is True


def test_patch_changes_name_and_time_zone(alice):
    response = alice.patch("/api/v1/me", json={"display_name": "Alice", "timezone": "Asia/Tokyo"})
    assert response.status_code == 200
    assert alice.get("/api/v1/me").json["timezone"] == "Asia/Tokyo"
    assert alice.get("/api/v1/me").json["display_name"] == "Alice"


def test_patch_reminders_keeps_what_was_not_sent(alice):
    alice.patch("/api/v1/me", json={"reminders": {"enabled": True}})
    alice.patch("/api/v1/me", json={"reminders": {"local_time": "07:30"}})
    reminders = alice.get("/api/v1/me").json["reminders"]
    assert reminders["local_time"] == "07:30"
    assert reminders["enabled"] is True


def test_weekdays_are_stored_sorted_without_repeats(alice):
    alice.patch("/api/v1/me", json={"reminders": {"weekdays": [5, 1, 5, 3]}})
    assert alice.get("/api/v1/me").json["reminders"]["weekdays"] == [1, 3, 5]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"timezone": "Europe/Atlantis"}, ["timezone"]),
        ({"timezone": "../../etc/passwd"}, ["timezone"]),
        ({"reminders": {"local_time": "25:00"}}, ["reminders", "local_time"]),
        ({"reminders": {"weekdays": [0]}}, ["reminders", "weekdays"]),
        ({"email": "new@example.org"}, ["email"]),
        ({"role": "therapist"}, ["role"]),
    ],
)
def test_bad_patch_is_422_naming_the_field(alice, body, path):
    response = alice.patch("/api/v1/me", json=body)
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    for key in path:
        errors = errors[key]
    assert errors
    assert alice.get("/api/v1/me").json["timezone"] == "UTC"  # nothing stored was lost


def test_me_shows_default_digest_preferences(alice):
    assert alice.get("/api/v1/me").json["digest"] == {
        "enabled": True,
        "weekday": 7,
        "local_time": "18:00",
        "channel": "push",
        "include_summary_in_email": False,
    }


def test_patch_digest_keeps_what_was_not_sent(alice):
    alice.patch("/api/v1/me", json={"digest": {"channel": "both", "weekday": 1}})
    digest = alice.get("/api/v1/me").json["digest"]
    assert (digest["channel"], digest["weekday"], digest["local_time"]) == ("both", 1, "18:00")


@pytest.mark.parametrize(
    ("digest", "field"),
    [
        ({"channel": "sms"}, "channel"),
        ({"weekday": 8}, "weekday"),
        ({"weekday": "7"}, "weekday"),
        ({"local_time": "18:60"}, "local_time"),
        ({"include_summary_in_email": "perhaps"}, "include_summary_in_email"),
    ],
)
def test_bad_digest_preferences_are_422_naming_the_field(alice, digest, field):
    response = alice.patch("/api/v1/me", json={"digest": digest})
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]["digest"]


def _local(value: str, zone: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).astimezone(zoneinfo.ZoneInfo(zone))


def test_registration_schedules_the_next_digest(make_account):
    me = make_account("client", timezone="Europe/Berlin").get("/api/v1/me").json
    digest = _local(me["next_digest_at"], "Europe/Berlin")
    assert (digest.isoweekday(), digest.time()) == (7, dt.time(18, 0))


@pytest.fixture
def reminded(alice):
    """Alice with reminders turned on."""
    alice.patch("/api/v1/me", json={"reminders": {"enabled": True}})
    return alice


def test_a_new_time_zone_moves_the_next_reminder(reminded):
    reminded.patch("/api/v1/me", json={"timezone": "Asia/Tokyo"})
    me = reminded.get("/api/v1/me").json
    assert _local(me["next_reminder_at"], "Asia/Tokyo").time() == dt.time(20, 0)


def test_a_new_reminder_time_moves_the_next_reminder(reminded):
    reminded.patch("/api/v1/me", json={"reminders": {"local_time": "07:15"}})
    me = reminded.get("/api/v1/me").json
    assert _local(me["next_reminder_at"], "UTC").time() == dt.time(7, 15)


def test_reminders_turned_off_have_no_next_time(reminded):
    reminded.patch("/api/v1/me", json={"reminders": {"enabled": False}})
    assert reminded.get("/api/v1/me").json["next_reminder_at"] is None


def test_therapists_are_not_scheduled(therapist):
    me = therapist.get("/api/v1/me").json
    assert (me["next_reminder_at"], me["next_digest_at"]) == (None, None)


ALL_STEPS = ["feel", "emotions", "parts", "self", "moment", "attachment", "notes"]


def test_the_checkin_has_every_step_by_default(alice):
    assert alice.get("/api/v1/me").json["checkin_steps"] == ALL_STEPS


def test_an_account_from_before_the_choice_has_every_step(alice, raw_db):
    raw_db.users.update_one({"email": "alice@example.org"}, {"$unset": {"checkin_steps": ""}})
    assert alice.get("/api/v1/me").json["checkin_steps"] == ALL_STEPS


def test_chosen_steps_are_stored_in_the_checkins_order(alice):
    response = alice.patch("/api/v1/me", json={"checkin_steps": ["notes", "feel", "self"]})
    assert response.status_code == 200
    assert response.json["checkin_steps"] == ["feel", "self", "notes"]
    assert alice.get("/api/v1/me").json["checkin_steps"] == ["feel", "self", "notes"]


@pytest.mark.parametrize(
    "steps",
    [[], ["feel", "feel"], ["feel", "dreams"], None, "feel", [1]],
)
def test_bad_checkin_steps_are_422_naming_the_field(alice, steps):
    response = alice.patch("/api/v1/me", json={"checkin_steps": steps})
    assert response.status_code == 422
    assert "checkin_steps" in response.json["errors"]["json"]
    assert alice.get("/api/v1/me").json["checkin_steps"] == ALL_STEPS
