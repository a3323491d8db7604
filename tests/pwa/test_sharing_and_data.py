"""Sharing with a therapist, questionnaires, trends, and a client's own data, through the screens:
what the screens show must be what the API stored and allows."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.pwa.conftest import PASSWORD, PHONE, log_in


def _second_phone(browser, server):
    context = browser.new_context(base_url=server.base_url, **PHONE)
    return context, context.new_page()


def test_a_client_shares_sees_the_reads_and_revokes_at_once(phone, browser, server, console):
    client = server.register(name="Robin")
    therapist = server.register(role="therapist", name="Dr Ada")
    page = phone
    log_in(page, client["email"])
    page.get_by_role("link", name="Me", exact=True).tap()
    page.get_by_role("link", name="Sharing with my therapist").tap()
    # Notes are offered, never ticked by default.
    expect(
        page.get_by_label("Your written notes (check-in notes and inner-child notes)")
    ).not_to_be_checked()
    expect(page.get_by_label("Weekly trends", exact=False)).to_be_checked()
    page.get_by_role("button", name="Create a code").tap()
    code = page.locator(".code").inner_text()
    assert len(code.replace("-", "")) == 8

    context, desk = _second_phone(browser, server)
    try:
        log_in(desk, therapist["email"])
        desk.get_by_label("Invitation code").fill(code.lower())  # typed by hand, any case
        desk.get_by_role("button", name="Redeem the code").tap()
        desk.get_by_role("link", name="Robin").tap()
        expect(desk.get_by_role("heading", name="Weekly trends")).to_be_visible()
        expect(desk.get_by_role("heading", name="Written notes")).to_have_count(0)
        with desk.expect_download() as download:
            desk.get_by_role("button", name="Session summary (PDF)").tap()
        assert download.value.suggested_filename.endswith(".pdf")
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

        page.reload()
        expect(page.get_by_role("heading", name="Dr Ada")).to_be_visible()
        log = page.locator(".access-log")
        expect(log.get_by_text("your weekly trends")).to_be_visible()
        expect(log.get_by_text("your questionnaire scores")).to_be_visible()
        expect(
            log.get_by_text("a one-page summary of your trends and scores (PDF)")
        ).to_be_visible()

        page.get_by_role("button", name="Stop sharing with Dr Ada").tap()
        page.get_by_role("button", name="Stop sharing", exact=True).tap()
        expect(page.get_by_text("You are not sharing with anyone right now.")).to_be_visible()

        desk.reload()
        expect(desk.get_by_text("does not share anything with you")).to_be_visible()
        token = server.login(therapist["email"])
        trends = server.api("GET", f"/api/v1/therapist/clients/{client['id']}/trends", token)
        assert trends.status_code in (403, 404)
    finally:
        context.close()
    assert console.unexpected() == []


def test_a_questionnaire_is_scored_on_the_server_and_shown(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Me", exact=True).tap()
    page.get_by_role("link", name="Questionnaires").tap()
    page.get_by_role("link", name="Answer the GAD-7").tap()
    for item, answer in enumerate(["Several days"] * 3 + ["Not at all"] * 4):
        page.get_by_role("group").nth(item).get_by_label(answer).check()
    page.get_by_role("button", name="See my score").tap()
    expect(page.get_by_role("heading", name="Your GAD-7 score")).to_be_visible()
    expect(page.locator(".big-number")).to_have_text("3 of 21")
    expect(page.get_by_text("One answer so far")).to_be_visible()
    (stored,) = server.api("GET", "/api/v1/questionnaires/gad7/responses", user["token"]).json
    assert (stored["total"], stored["answers"]) == (3, [1, 1, 1, 0, 0, 0, 0])
    assert console.unexpected() == []


def test_a_server_failure_on_sharing_is_said_in_words_not_its_raw_message(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    failing = lambda body: (500, {"code": 500, "status": "Internal Server Error"})  # noqa: E731
    with server.answering("/api/v1/sharing/grants", failing):
        page.evaluate("location.hash = '/sharing'")
        expect(page.get_by_text("Partwise could not answer just now.")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("Internal Server Error")
        expect(page.locator("main")).not_to_contain_text("offline")
    assert console.unexpected("500") == []


def test_trends_say_less_when_there_is_little_data(phone, server, console):
    user = server.register()
    today = dt.datetime.now(dt.UTC)
    for days_ago, mood in ((2, 4), (1, 6)):
        at = today - dt.timedelta(days=days_ago)
        body = {"client_id": str(uuid.uuid4()), "recorded_at": at.isoformat(), "mood": mood}
        assert server.api("POST", "/api/v1/checkins", user["token"], json=body).status_code == 201
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Trends").tap()
    # The chart comes first, with one plain sentence; the statistics are folded under details.
    lead = "Over the last 3 months, your mood averaged 5.0 out of 10 on the 2 days you rated it."
    expect(page.get_by_text(lead)).to_be_visible()
    expect(page.get_by_text("Averaged 5.0 out of 10 over 2 days.")).to_be_hidden()
    page.get_by_text("Details: averages, ups and downs").tap()
    expect(page.get_by_text("Averaged 5.0 out of 10 over 2 days.")).to_be_visible()
    # What is left out says why, in the server's words.
    expect(page.get_by_text("How much it varies: Needs at least 5 days").first).to_be_visible()
    expect(page.get_by_text("Day-to-day change: Needs at least 4 pairs").first).to_be_visible()
    inertia = page.get_by_text("Carry-over from one day to the next (inertia): not shown yet.")
    expect(inertia.first).to_contain_text("50 pairs of consecutive days")
    assert console.unexpected() == []


def test_a_client_downloads_everything_then_deletes_the_account(phone, server, console):
    user = server.register()
    body = {"client_id": str(uuid.uuid4()), "mood": 7, "note": "A quiet walk."}
    assert server.api("POST", "/api/v1/checkins", user["token"], json=body).status_code == 201
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Me", exact=True).tap()
    page.get_by_role("link", name="My data: download or delete").tap()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download everything (JSON)").tap()
    archive = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [c["note"] for c in archive["checkins"]] == ["A quiet walk."]
    assert download.value.suggested_filename.startswith("partwise-export-")

    page.get_by_role("button", name="Delete my account\u2026").tap()
    page.get_by_label("Your password, to confirm").fill("not my password")
    page.get_by_role("button", name="Delete for good").tap()
    expect(page.get_by_role("alert")).to_contain_text("The password is wrong")
    expect(page.get_by_role("heading", name="My data")).to_be_visible()  # still logged in

    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Delete for good").tap()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    expect(page.get_by_text("Your account and everything in it are deleted.")).to_be_visible()
    response = server.http.post(
        "/api/v1/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    assert response.status_code == 401
    assert console.unexpected("401") == []
