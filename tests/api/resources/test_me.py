import pytest


def test_me_shows_profile_and_default_reminders(alice):
    me = alice.get("/api/v1/me").json
    assert me["email"] == "alice@example.org"
    assert me["timezone"] == "UTC"
    assert me["reminders"] == {
        "enabled": True,
        "local_time": "20:00",
        "weekdays": [1, 2, 3, 4, 5, 6, 7],
    }


def test_patch_changes_name_and_time_zone(alice):
    response = alice.patch("/api/v1/me", json={"display_name": "Alice", "timezone": "Asia/Tokyo"})
    assert response.status_code == 200
    assert alice.get("/api/v1/me").json["timezone"] == "Asia/Tokyo"
    assert alice.get("/api/v1/me").json["display_name"] == "Alice"


def test_patch_reminders_keeps_what_was_not_sent(alice):
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
