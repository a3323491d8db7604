"""My parts (name, edit, archive, bring back) and my settings, through the screens."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.pwa.conftest import PASSWORD, log_in


def test_a_client_grows_their_parts_map(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Parts").tap()
    expect(page.get_by_text("No parts yet")).to_be_visible()

    page.get_by_role("link", name="Name a new part").tap()
    page.get_by_label("Name").fill("The Planner")
    page.get_by_label("Manager").check()
    page.get_by_label("What is it afraid of?").fill("Chaos.")
    page.get_by_label("What does it need?").fill("To trust that I can cope.")
    page.get_by_label("Where do you feel it in your body?").fill("shoulders")
    page.get_by_role("button", name="Save").tap()
    managers = page.get_by_role("region", name="Managers")
    expect(managers.get_by_role("heading", name="The Planner")).to_be_visible()
    expect(managers.get_by_text("To trust that I can cope.")).to_be_visible()

    page.get_by_role("link", name="Edit The Planner").tap()
    expect(page.get_by_label("Name")).to_have_value("The Planner")
    page.get_by_label("Firefighter").check()
    page.get_by_label("Notes").fill("Shows up before exams.")
    page.get_by_role("button", name="Save").tap()
    firefighters = page.get_by_role("region", name="Firefighters")
    expect(firefighters.get_by_role("heading", name="The Planner")).to_be_visible()

    (part,) = server.api("GET", "/api/v1/parts", user["token"]).json
    assert (part["role"], part["fears"], part["body_location"], part["notes"]) == (
        "firefighter",
        "Chaos.",
        "shoulders",
        "Shows up before exams.",
    )

    page.get_by_role("link", name="Edit The Planner").tap()
    page.get_by_role("button", name="Archive this part").tap()
    expect(page.get_by_text("No parts yet")).to_be_visible()
    assert server.api("GET", "/api/v1/parts", user["token"]).json == []

    page.get_by_label("Show archived parts").check()
    page.get_by_role("button", name="Bring back The Planner").tap()
    expect(page.get_by_role("link", name="Edit The Planner")).to_be_visible()
    assert [p["name"] for p in server.api("GET", "/api/v1/parts", user["token"]).json] == [
        "The Planner"
    ]
    assert console.unexpected() == []


def test_settings_change_name_time_zone_and_reminders(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Me", exact=True).tap()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")

    page.get_by_label("Display name").fill("Robin B.")
    page.get_by_label("Time zone").fill("America/Toronto")
    page.get_by_label("Remind me at").fill("07:30")
    page.get_by_label("Saturday").uncheck()
    page.get_by_label("Sunday").uncheck()
    weekly = page.get_by_role("group", name="Weekly reflection")
    weekly.get_by_label("Ready on").select_option(label="Friday")
    weekly.get_by_label("Ready at").fill("19:15")
    weekly.get_by_label("Both").check()
    weekly.get_by_label("Put the reflection itself in the email").check()
    page.get_by_role("button", name="Save settings").tap()
    expect(page.get_by_role("status")).to_have_text("Your settings are saved.")

    me = server.api("GET", "/api/v1/me", user["token"]).json
    assert me["display_name"] == "Robin B."
    assert me["timezone"] == "America/Toronto"
    assert me["reminders"]["local_time"] == "07:30"
    assert me["reminders"]["weekdays"] == [1, 2, 3, 4, 5]
    assert me["digest"] == {
        "enabled": True,
        "weekday": 5,
        "local_time": "19:15",
        "channel": "both",
        "include_summary_in_email": True,
    }

    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save settings").tap()
    expect(page.get_by_role("alert")).to_have_text("Please check the fields marked above.")
    assert server.api("GET", "/api/v1/me", user["token"]).json["timezone"] == "America/Toronto"
    assert console.unexpected("422") == []


def test_change_the_password_then_log_out_on_every_device(phone, server, console):
    user = server.register()
    other_device = server.login(user["email"])
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Me", exact=True).tap()
    page.locator("summary", has_text="Change my password").tap()
    page.get_by_label("Current password").fill("not it at all")
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change my password").tap()
    expect(page.get_by_role("alert")).to_contain_text("nothing was changed")
    expect(page.get_by_role("heading", name="Me")).to_be_visible()  # still logged in here

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Change my password").tap()
    expect(page.get_by_role("status")).to_have_text(
        "Your password is changed. Your other devices are logged out."
    )
    assert server.api("GET", "/api/v1/me", other_device).status_code == 401
    server.login(user["email"], "a brand new passphrase")

    page.get_by_role("button", name="Log out on every device…").tap()
    page.get_by_role("button", name="Log out everywhere").tap()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    expect(page.get_by_text("You logged out on every device.")).to_be_visible()
    assert console.unexpected("401") == []
