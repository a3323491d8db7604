"""Signing up, logging out, and an expired session sending the user back to log in."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.pwa.conftest import PASSWORD, log_in, sign_up

SESSION_TOKEN = """() => new Promise((resolve) => {
  const open = indexedDB.open('partwise');
  open.onsuccess = () => {
    const req = open.result.transaction('kv').objectStore('kv').get('session');
    req.onsuccess = () => { open.result.close(); resolve(req.result && req.result.token); };
  };
})"""


def test_a_client_signs_up_with_the_phones_time_zone_and_logs_out(phone, server, console):
    page = phone
    email = sign_up(page, "Kim")
    expect(page.get_by_role("heading", name="Welcome, Kim")).to_be_visible()
    page.get_by_role("button", name="Skip the welcome").tap()
    expect(page.get_by_role("heading", name="Hello, Kim")).to_be_visible()
    token = page.evaluate(SESSION_TOKEN)
    me = server.api("GET", "/api/v1/me", token).json
    assert (me["email"], me["role"], me["timezone"]) == (email, "client", "Europe/Berlin")

    page.get_by_role("link", name="Me", exact=True).tap()
    page.get_by_role("button", name="Log out", exact=True).tap()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    assert page.evaluate(SESSION_TOKEN) is None
    assert server.api("GET", "/api/v1/me", token).status_code == 401
    assert console.unexpected() == []


def test_a_therapist_signs_up_and_lands_on_their_clients(phone, server, console):
    page = phone
    sign_up(page, "Dr Lee", "A therapist")
    expect(page.get_by_role("heading", name="My clients")).to_be_visible()
    expect(page.get_by_text("No client shares with you yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Parts")).to_have_count(0)
    expect(page.get_by_role("link", name="Caseload")).to_be_visible()
    assert console.unexpected() == []


def test_a_wrong_password_is_said_kindly(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"], "not the passphrase")
    expect(page.get_by_role("alert")).to_have_text("Email or password is wrong.")
    assert console.unexpected("401") == []


def test_a_revoked_token_sends_the_user_back_to_log_in(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    token = page.evaluate(SESSION_TOKEN)
    assert server.api("POST", "/api/v1/auth/logout", token).status_code == 204

    # The next request the app makes meets the 401: the journal's, or one the app made of its
    # own meanwhile (then the log-in screen is already there, and this changes nothing). Not a
    # reload: a request of the page before it could end the session and say why on a page the
    # reload then threw away.
    page.evaluate("location.hash = '/journal'")
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    expect(page.get_by_text("Your session has ended. Please log in again.")).to_be_visible()
    assert page.evaluate(SESSION_TOKEN) is None
    page.get_by_label("Email").fill(user["email"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    assert console.unexpected("401") == []
