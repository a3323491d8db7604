"""The therapist's screens on a laptop and on a phone: who may need attention, a client's page in
two columns, the name in the therapist's records and the download named by it, with no axe-core
violation, targets of at least 44 px and nothing cut off at twice the text size.

Screenshots go to /tmp/shots (for a person to look at; nothing is compared with them).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.pwa.conftest import PASSWORD, run_axe

LAPTOP = {
    "viewport": {"width": 1280, "height": 800},
    "device_scale_factor": 1,
    "locale": "en-GB",
    "timezone_id": "Europe/Berlin",
}
SHOTS = Path("/tmp/shots")  # noqa: S108 (screenshots for a person to look at, nothing secret)
TODAY = dt.datetime.now(zoneinfo.ZoneInfo("Europe/Berlin")).date()  # the accounts' zone
LABEL = "Robin K. (Mondays)"


@pytest.fixture
def laptop(browser, server, console):
    """A fresh laptop-sized browser context (1280 x 800) and a page."""
    context = browser.new_context(base_url=server.base_url, **LAPTOP)
    page = context.new_page()
    console.watch(page)
    yield page
    context.close()


# --- a caseload, through the API -----------------------------------------------------------------


def _checkin(server, client, day: dt.date, mood: int) -> None:
    noon = dt.datetime.combine(day, dt.time(12), zoneinfo.ZoneInfo("Europe/Berlin"))
    body = {
        "client_id": str(uuid.uuid4()),
        "local_date": day.isoformat(),
        "recorded_at": min(noon, dt.datetime.now(dt.UTC)).isoformat(),
        "mood": mood,
        "self_energy": {"calm": mood, "curiosity": 6},
        "attachment": {"anxiety": 10 - mood, "avoidance": 3},
    }
    response = server.api("POST", "/api/v1/checkins", client["token"], json=body)
    assert response.status_code == 201, response.json


def _answer(server, client, instrument: str, answers: list[int], day: dt.date) -> None:
    body = {
        "client_id": str(uuid.uuid4()),
        "answers": answers,
        "local_date": day.isoformat(),
        "recorded_at": dt.datetime.combine(day, dt.time(9), dt.UTC).isoformat(),
    }
    url = f"/api/v1/questionnaires/{instrument}/responses"
    assert server.api("POST", url, client["token"], json=body).status_code == 201


def _share(server, client, therapist, scopes) -> None:
    invitation = server.api(
        "POST", "/api/v1/sharing/invitations", client["token"], json={"scopes": scopes}
    )
    assert invitation.status_code == 201, invitation.json
    redeemed = server.api(
        "POST",
        "/api/v1/therapist/invitations/redeem",
        therapist["token"],
        json={"code": invitation.json["code"]},
    )
    assert redeemed.status_code == 201, redeemed.json


def _monday(weeks_back: int) -> dt.date:
    return TODAY - dt.timedelta(days=TODAY.weekday(), weeks=weeks_back)


@pytest.fixture(scope="module")
def caseload(server) -> dict:
    """A therapist and four clients: one quiet, one silent for 6 days, one whose mood fell last
    week, one with a PHQ-9 that rose reliably and whose item 9 was above 0."""
    therapist = server.register(role="therapist", name="Dr Lee")
    everything = ["weekly_trends", "digests", "questionnaires"]
    names = ("Kai", "Robin", "Noor", "Sasha")
    clients = {name: server.register(name=name) for name in names}
    kai, robin, noor, sasha = (clients[n] for n in names)
    for weeks_back in range(1, 7):
        for day in range(5):
            _checkin(server, kai, _monday(weeks_back) + dt.timedelta(days=day), 6 + day % 2)
            low = weeks_back == 1
            _checkin(server, noor, _monday(weeks_back) + dt.timedelta(days=day), 2 if low else 7)
    for client in (kai, noor, sasha):
        _checkin(server, client, TODAY, 6)
    _checkin(server, robin, TODAY - dt.timedelta(days=8), 5)
    _checkin(server, robin, TODAY - dt.timedelta(days=6), 4)
    _answer(server, sasha, "phq9", [0] * 9, TODAY - dt.timedelta(weeks=6))
    _answer(server, sasha, "phq9", [1] * 8 + [1], TODAY - dt.timedelta(days=3))
    _answer(server, noor, "gad7", [1] * 7, TODAY - dt.timedelta(days=2))
    for name in ("Kai", "Robin", "Noor"):
        _share(server, clients[name], therapist, everything)
    _share(server, sasha, therapist, ["questionnaires"])
    return {"therapist": therapist, **clients}


# --- checks --------------------------------------------------------------------------------------


def _small_targets(page) -> list[str]:
    """Links, buttons, fields and disclosures in the screen less than 44 px high."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                'main a, main button, main input, main select, main summary')]
            .filter((e) => e.getBoundingClientRect().height < 44)
            .map((e) => `${e.tagName}: ${(e.textContent || e.getAttribute('aria-label') || '')
                .trim().slice(0, 40)} (${Math.round(e.getBoundingClientRect().height)} px)`)"""
    )


def _overflowing(page) -> list[str]:
    """Elements wider than the screen: text that does not reflow when it grows."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter((e) => e.closest('.table-scroll') === null)
            .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
            .map((e) => `${e.tagName}.${e.className}: ${(e.textContent || '').slice(0, 40)}`)"""
    )


def _audited(page, screen: str, shot: str) -> None:
    page.wait_for_load_state("networkidle")
    assert run_axe(page) == [], screen
    assert _small_targets(page) == [], screen
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"therapist-{shot}.png"), full_page=True)


def log_in(page, email: str) -> None:
    """As conftest's log_in, with a click: a laptop has no touch screen."""
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _card(page, name: str):
    return page.locator(".client-card").filter(has=page.get_by_role("link", name=name, exact=True))


def _open_list(page, therapist) -> None:
    log_in(page, therapist["email"])
    expect(page.get_by_role("heading", name="My clients")).to_be_visible()
    expect(page.locator(".client-card")).to_have_count(4)


# --- the tests -----------------------------------------------------------------------------------


def test_on_a_laptop_the_list_says_who_may_need_attention_first(laptop, caseload, console):
    page = laptop
    _open_list(page, caseload["therapist"])
    expect(
        page.get_by_text("3 clients have something that may need your attention")
    ).to_be_visible()
    expect(_card(page, "Robin").locator(".attention")).to_have_text(["No check-in for 6 days"])
    expect(_card(page, "Noor").locator(".attention")).to_have_text(
        ["Mood last week lower than usual (2.0, usually 7.0)"]
    )
    day = TODAY - dt.timedelta(days=3)
    sasha = _card(page, "Sasha").locator(".attention")
    expect(sasha).to_have_text(
        [
            "PHQ-9 up 9 points since the first answer, now 9",
            f"PHQ-9 item 9 answered above 0 on {day.strftime('%a')} {day.day} {day:%b}",
        ]
    )
    # Sasha shares only questionnaire scores: nothing about check-ins is said of her.
    expect(sasha.get_by_text("check-in")).to_have_count(0)
    expect(_card(page, "Kai").get_by_text("Nothing to note in what they share.")).to_be_visible()
    names = page.locator(".client-card h2").all_inner_texts()
    assert names[-1] == "Kai"  # the one with nothing to note comes last
    # A grid of cards: three side by side on a laptop.
    cards = page.locator(".client-card").all()[:3]
    assert len({round(card.bounding_box()["y"]) for card in cards}) == 1
    _audited(page, "clients on a laptop", "clients-laptop")
    assert console.unexpected() == []


def test_a_therapist_names_a_client_and_downloads_the_csv_named_so(laptop, caseload, console):
    page = laptop
    _open_list(page, caseload["therapist"])
    _card(page, "Robin").get_by_role("link", name="Robin").click()
    expect(page.get_by_role("heading", name="Robin", level=1)).to_be_visible()
    expect(page.locator(".client-note")).to_contain_text("No check-in for 6 days: the last was on")
    page.get_by_role("textbox", name="Name").fill(f"  {LABEL} ")
    page.get_by_role("button", name="Save the name").click()
    expect(page.get_by_role("heading", name=LABEL, level=1)).to_be_visible()
    expect(page.get_by_text(f"The files name the client “{LABEL}”.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV table").click()
    name = download.value.suggested_filename
    assert name.startswith("partwise-robin-k-mondays-") and name.endswith(".csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "kind,measure,week,date_from,date_to,value,n,band"
    # The list now shows the name in my records, and the name the client chose.
    page.get_by_role("link", name="All my clients").click()
    expect(_card(page, LABEL).get_by_text("Their own name: Robin")).to_be_visible()
    assert console.unexpected() == []


def test_on_a_laptop_a_clients_page_has_two_columns_means_first(laptop, caseload, console):
    page = laptop
    _open_list(page, caseload["therapist"])
    _card(page, "Noor").get_by_role("link", name="Noor").click()
    expect(page.get_by_role("heading", name="Weekly trends")).to_be_visible()
    expect(page.get_by_role("heading", name="Questionnaire scores")).to_be_visible()
    note = page.locator(".client-note").bounding_box()
    main = page.locator(".client-main").bounding_box()
    tools = page.locator(".client-tools").bounding_box()
    assert note["x"] > main["x"] + main["width"] - 1  # beside the figures
    assert tools["x"] == note["x"] and tools["y"] > note["y"]
    expect(page.locator(".client-note .attention")).to_have_count(1)
    expect(page.locator(".client-note .attention")).to_contain_text("Mood in the week of")
    headers = page.locator(".weekly-figures thead tr").nth(1).locator("th").all_inner_texts()
    means = ["Mood", "Self-energy", "Worry about closeness"]
    assert headers == ["Week", "Days", *means, "SD", "RMSSD"]
    expect(page.get_by_text("Variability, after the means: SD is how far")).to_be_visible()
    _audited(page, "a client on a laptop", "client-laptop")
    assert console.unexpected() == []


def test_on_a_phone_the_screens_stack_and_reflow(phone, caseload, console):
    page = phone
    _open_list(page, caseload["therapist"])
    _audited(page, "clients on a phone", "clients-phone")
    _card(page, "Noor").get_by_role("link", name="Noor").click()
    expect(page.get_by_role("heading", name="Weekly trends")).to_be_visible()
    note = page.locator(".client-note").bounding_box()
    main = page.locator(".client-main").bounding_box()
    assert note["y"] < main["y"] and note["x"] == main["x"]  # what may need attention first
    _audited(page, "a client on a phone", "client-phone")

    page.add_style_tag(content="html { font-size: 200% !important; }")
    page.wait_for_timeout(300)
    assert _overflowing(page) == []
    page.screenshot(path=str(SHOTS / "therapist-client-phone-200.png"), full_page=True)
    page.evaluate("location.hash = '/clients'")
    expect(page.locator(".client-card")).to_have_count(4)
    assert _overflowing(page) == []
    page.screenshot(path=str(SHOTS / "therapist-clients-phone-200.png"), full_page=True)
    assert console.unexpected() == []


def test_a_client_who_stopped_sharing_is_said_so(laptop, server, caseload, console):
    client = server.register(name="Ari")
    _share(server, client, caseload["therapist"], ["weekly_trends"])
    (grant,) = server.api("GET", "/api/v1/sharing/grants", client["token"]).json
    server.api("DELETE", f"/api/v1/sharing/grants/{grant['id']}", client["token"])
    page = laptop
    log_in(page, caseload["therapist"]["email"])
    expect(page.get_by_role("heading", name="My clients")).to_be_visible()
    page.evaluate(f"location.hash = '/clients/{client['id']}'")
    expect(
        page.get_by_text("This client does not share anything with you (any more).")
    ).to_be_visible()
    expect(page.get_by_text("The client revoked this grant on")).to_be_visible()
    assert console.unexpected("403", "Failed to load resource") == []


def test_the_screens_on_a_phone_name_nobody_by_a_code(phone, caseload):
    """A sanity check of the fixture's clients: the list names each by the name they chose."""
    page = phone
    _open_list(page, caseload["therapist"])
    names = set(page.locator(".client-card h2").all_inner_texts())
    assert {"Kai", "Noor", "Sasha"} <= names
