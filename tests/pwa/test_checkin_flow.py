"""The whole daily check-in on a phone, by touch, ending with the check-in stored."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo

from playwright.sync_api import expect

from tests.pwa.conftest import START_CHECKIN, log_in


def _next(page, step: int) -> None:
    page.get_by_role("button", name="Next").tap()
    expect(page.get_by_text(f"Step {step} of 8")).to_be_visible()


def test_the_whole_checkin_on_a_phone_is_stored(phone, server, console):
    user = server.register()
    part = server.api(
        "POST", "/api/v1/parts", user["token"], json={"name": "The Inner Critic", "role": "manager"}
    ).json
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    expect(page.get_by_text("No check-in yet today")).to_be_visible()
    page.get_by_role("link", name=START_CHECKIN).tap()

    expect(page.get_by_text("Step 1 of 8")).to_be_visible()
    page.get_by_label("Mood", exact=True).fill("7")
    page.get_by_label("Energy").fill("4")

    _next(page, 2)
    page.get_by_role("button", name="calm", exact=True).tap()
    page.get_by_label("In your own words").fill("quiet hope")
    page.get_by_role("button", name="Add this feeling").tap()
    page.get_by_label("How strong is calm?").fill("6")

    _next(page, 3)
    page.get_by_role("button", name="The Inner Critic").tap()
    page.get_by_label("How present is The Inner Critic?").fill("8")
    page.get_by_role("switch", name=re.compile("blended with The Inner Critic")).check()
    page.get_by_label("Name a new part").fill("The Sentinel")
    page.get_by_role("button", name="Add this part").tap()
    expect(page.get_by_role("heading", name="The Sentinel")).to_be_visible()

    _next(page, 4)
    page.get_by_label("Calm", exact=True).fill("5")
    page.get_by_label("Curiosity").fill("7")

    _next(page, 5)
    page.get_by_role("radio", name="Yes", exact=True).check()
    page.get_by_label("At its strongest").fill("8")
    page.get_by_role("button", name="breathing").tap()
    page.get_by_role("button", name="unblending from a part").tap()
    page.get_by_label("How well did it help?").fill("6")
    page.get_by_label("Minutes until you felt settled").fill("20")

    _next(page, 6)
    page.get_by_label("Worry about closeness").fill("5")
    page.get_by_label("Pulling away").fill("2")
    reached_out = page.get_by_role("group", name="Did you reach out to someone?")
    reached_out.get_by_label("Yes", exact=True).check()
    supported = page.get_by_role("group", name="Did you feel supported?")
    supported.get_by_label("No", exact=True).check()

    _next(page, 7)
    page.get_by_label("A note from or to your inner child").fill("You are safe now.")
    page.get_by_label("Anything else you want to remember").fill("A long day, but I noticed it.")

    _next(page, 8)
    expect(page.get_by_text("The Inner Critic (8, blended)")).to_be_visible()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.get_by_role("heading", name="Saved. Thank you.")).to_be_visible()

    stored = server.checkins(user["token"])
    assert len(stored) == 1
    checkin = stored[0]
    uuid.UUID(checkin["client_id"])
    sentinel = next(
        p
        for p in server.api("GET", "/api/v1/parts", user["token"]).json
        if p["name"] == "The Sentinel"
    )
    today_berlin = dt.datetime.now(zoneinfo.ZoneInfo("Europe/Berlin")).date().isoformat()
    assert checkin["local_date"] == today_berlin
    assert (checkin["mood"], checkin["energy"]) == (7, 4)
    assert checkin["emotions"] == [
        {"name": "calm", "intensity": 6},
        {"name": "quiet hope", "intensity": None},
    ]
    assert checkin["parts"] == [
        {"part": part["id"], "intensity": 8, "blended": True},
        {"part": sentinel["id"], "intensity": None, "blended": False},
    ]
    assert {k: v for k, v in checkin["self_energy"].items() if v is not None} == {
        "calm": 5,
        "curiosity": 7,
    }
    assert checkin["regulation"] == {
        "occurred": True,
        "peak_intensity": 8,
        "strategies": ["breathing", "unblending"],
        "success": 6,
        "minutes_to_settle": 20,
    }
    assert checkin["attachment"] == {
        "anxiety": 5,
        "avoidance": 2,
        "reached_out": True,
        "felt_supported": False,
    }
    assert checkin["inner_child_note"] == "You are safe now."
    assert checkin["note"] == "A long day, but I noticed it."

    page.get_by_role("link", name="Back to Today").tap()
    expect(page.get_by_text("You checked in today")).to_be_visible()
    assert console.unexpected() == []


def test_a_skipped_step_sends_nothing_for_it(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name=START_CHECKIN).tap()
    expect(page.get_by_text("Step 1 of 8")).to_be_visible()  # not Today's own Mood slider
    page.get_by_label("Mood", exact=True).fill("3")
    _next(page, 2)
    for step in range(3, 9):
        page.get_by_role("button", name="Skip this step").tap()
        expect(page.get_by_text(f"Step {step} of 8")).to_be_visible()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.get_by_role("heading", name="Saved. Thank you.")).to_be_visible()

    (checkin,) = server.checkins(user["token"])
    assert checkin["mood"] == 3
    assert checkin["energy"] is None
    assert checkin["emotions"] == [] and checkin["parts"] == []
    assert checkin["regulation"] is None and checkin["attachment"] is None
    assert console.unexpected() == []
