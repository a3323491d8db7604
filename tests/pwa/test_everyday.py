"""Everyday use on a phone: a mood in two taps, a journal to read, change, delete and fill in,
and a Today that knows the week."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
import zoneinfo

from playwright.sync_api import expect

from tests.pwa.conftest import (
    PHONE,
    START_CHECKIN,
    eventually,
    log_in,
    sign_up,
    wait_for,
    wait_for_service_worker,
)

OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to load resource")


def _today() -> dt.date:
    """Today on the test phone (its zone is Europe/Berlin)."""
    return dt.datetime.now(zoneinfo.ZoneInfo("Europe/Berlin")).date()


def _checkin(server, token: str, days_ago: int, **answers) -> dict:
    """A check-in for a past day (filled in later) or today, made through the API."""
    body = {"client_id": str(uuid.uuid4()), **answers}
    body["local_date"] = (_today() - dt.timedelta(days=days_ago)).isoformat()
    response = server.api("POST", "/api/v1/checkins", token, json=body)
    assert response.status_code == 201, response.json
    return response.json


class Taps:
    """Counts the taps a person makes (what the tests claim about effort is measured)."""

    def __init__(self):
        self.count = 0

    def tap(self, locator, **kwargs) -> None:
        self.count += 1
        locator.tap(**kwargs)


def test_a_mood_takes_two_taps_and_is_saved_at_once(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_text("No check-in yet today")).to_be_visible()

    slider = page.get_by_label("Mood", exact=True)
    # Nothing is chosen before the person chooses: no value, no thumb, no fill.
    expect(slider).to_have_attribute("aria-valuetext", "not rated yet")
    expect(page.locator(".quick-mood .rating")).to_have_class(re.compile(r"\bunset\b"))
    save = page.get_by_role("button", name=re.compile("mood"))
    expect(save).to_be_disabled()

    taps = Taps()
    box = slider.bounding_box()
    taps.tap(slider, position={"x": box["width"] * 0.85, "y": box["height"] / 2})
    chosen = int(slider.input_value())
    assert chosen >= 7  # where the finger landed, not the middle
    expect(slider).to_have_attribute("aria-valuetext", f"{chosen} of 10")
    taps.tap(page.get_by_role("button", name=f"Save mood {chosen}"))
    expect(page.get_by_text(f"Mood {chosen} of 10. Saved.")).to_be_visible()
    assert taps.count == 2

    (stored,) = server.checkins(user["token"])
    assert stored["mood"] == chosen
    assert stored["local_date"] == _today().isoformat()
    assert all(stored[k] in (None, []) for k in ("energy", "emotions", "parts", "note"))
    assert console.unexpected() == []


def test_a_saved_mood_never_leaves_the_week_while_it_is_sent(phone, server, console):
    """Queued, then sent, then read back: at no moment between does today's dot go back to
    open (once it did, for as long as the server took to list the journal again)."""
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_text("No check-in yet today")).to_be_visible()
    page.evaluate(
        """() => {
            window.__today = [];
            const week = document.querySelector('.week-dots');
            const note = () => window.__today.push(week.lastElementChild.querySelector('a')
                .getAttribute('aria-label'));
            new MutationObserver(note).observe(week, {subtree: true, attributes: true,
                                                      childList: true});
        }"""
    )

    def listed_slowly(_body):  # a server slow to list the journal: the gap would show
        time.sleep(0.5)
        return 200, server.api("GET", "/api/v1/checkins", user["token"]).json

    with server.answering("/api/v1/checkins", listed_slowly):
        page.get_by_label("Mood", exact=True).fill("4")
        page.get_by_role("button", name="Save mood 4").tap()
        expect(page.get_by_text("Mood 4 of 10. Saved.")).to_be_visible()
        page.wait_for_load_state("networkidle")
    seen = page.evaluate("window.__today")
    first = next(i for i, label in enumerate(seen) if label.endswith("mood 4"))
    assert all(label.endswith("mood 4") for label in seen[first:]), seen
    assert console.unexpected() == []


def test_add_more_continues_the_same_checkin(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    page.get_by_label("Mood", exact=True).fill("6")
    page.get_by_role("button", name="Save mood 6").tap()
    expect(page.get_by_text("Mood 6 of 10. Saved.")).to_be_visible()

    page.get_by_role("link", name="Add more to this check-in").tap()
    expect(page.get_by_role("heading", name="How are you, right now?")).to_be_visible()
    expect(page.get_by_label("Mood", exact=True)).to_have_value("6")
    page.get_by_label("Energy").fill("3")
    for _ in range(6):
        page.get_by_role("button", name="Next").tap()
    page.get_by_label("Anything else you want to remember").fill("Tired but okay.")
    page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="Save changes").tap()
    expect(page.get_by_role("heading", name="Your changes are saved.")).to_be_visible()

    (stored,) = server.checkins(user["token"])  # one check-in, completed
    assert (stored["mood"], stored["energy"], stored["note"]) == (6, 3, "Tired but okay.")
    assert console.unexpected() == []


def test_a_notice_never_takes_a_tap_and_stays_with_its_screen(phone, server, console):
    """ "Mood 6 saved." sits at the foot of the screen for a few seconds: a tap there reaches
    what is beneath it (once it swallowed the flow's Save for six seconds), and a screen
    opened after it has been read does not carry it along."""
    user = server.register()
    page = phone
    log_in(page, user["email"])
    page.get_by_label("Mood", exact=True).fill("6")
    page.get_by_role("button", name="Save mood 6").tap()
    notice = page.get_by_role("status").filter(has_text="Mood 6 saved.")
    expect(notice).to_be_visible()
    box = notice.bounding_box()
    beneath = page.evaluate(
        "([x, y]) => !document.elementFromPoint(x, y).closest('.toast')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert beneath, "a tap on the notice would land on the notice"

    page.wait_for_timeout(1600)  # it has been on the screen long enough to be read
    page.get_by_role("link", name="Add more to this check-in").tap()
    expect(page.get_by_role("heading", name="How are you, right now?")).to_be_visible()
    expect(notice).to_be_hidden(timeout=1000)  # not only once its six seconds are up
    assert console.unexpected() == []


def test_a_mood_saved_offline_can_be_added_to_and_is_sent_once(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_text("No check-in yet today")).to_be_visible()
    wait_for_service_worker(page)
    page.context.set_offline(True)

    page.get_by_label("Mood", exact=True).fill("4")
    page.get_by_role("button", name="Save mood 4").tap()
    expect(page.get_by_text("Kept on this phone: you seem to be offline.")).to_be_visible()
    page.get_by_role("link", name="Add more to this check-in").tap()
    page.get_by_label("Energy").fill("2")
    for _ in range(7):
        page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="Save changes").tap()
    expect(page.get_by_role("heading", name="Kept on this phone")).to_be_visible()
    assert server.checkins(user["token"]) == []

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    stored = wait_for(page, lambda: server.checkins(user["token"]), "the replay to be stored")
    assert [(c["mood"], c["energy"]) for c in stored] == [(4, 2)]
    assert console.unexpected(*OFFLINE_NOISE) == []


def test_the_journal_reads_changes_deletes_and_fills_in_a_day(phone, server, console):
    user = server.register()
    token = user["token"]
    critic = server.api("POST", "/api/v1/parts", token, json={"name": "The Critic"}).json
    _checkin(server, token, 5, mood=3, note="A heavy day. Too much at work and no sleep.")
    kept = _checkin(
        server, token, 2, mood=6, parts=[{"part": critic["id"]}], note="Walked by the river."
    )
    gone = _checkin(server, token, 1, mood=8, note="Dinner with friends.")
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Journal", exact=True).tap()
    expect(page.get_by_role("heading", name="Journal")).to_be_visible()

    cards = page.locator(".entry-link")
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_contain_text("Mood 8")
    expect(cards.nth(1)).to_contain_text("Mood 6")
    expect(cards.nth(1)).to_contain_text("The Critic")
    expect(cards.nth(1)).to_contain_text("Walked by the river.")
    expect(cards.nth(2)).to_contain_text("A heavy day.")

    # Read one whole, and change it.
    cards.nth(1).tap()
    expect(page.get_by_text("Walked by the river.")).to_be_visible()
    page.get_by_role("link", name="Change it").tap()
    expect(page.get_by_text("Changing 1 of")).to_be_visible()
    page.get_by_label("Mood", exact=True).fill("7")
    page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="Look it over").tap()
    page.get_by_role("button", name="Save changes").tap()
    expect(page.get_by_role("heading", name="Your changes are saved.")).to_be_visible()
    changed = server.api("GET", f"/api/v1/checkins/{kept['id']}", token).json
    assert (changed["mood"], changed["note"]) == (7, "Walked by the river.")
    assert changed["parts"] == [{"part": critic["id"], "intensity": None, "blended": None}]

    # Delete one, after saying yes.
    page.get_by_role("link", name="Back to this check-in").tap()
    page.get_by_role("link", name="Back to your journal").tap()
    page.locator(".entry-link").first.tap()
    page.get_by_role("button", name="Delete this check-in").tap()
    page.get_by_role("button", name="Delete", exact=True).tap()
    expect(page.get_by_role("heading", name="Journal")).to_be_visible()
    expect(page.locator(".entry-link")).to_have_count(2)
    assert server.api("GET", f"/api/v1/checkins/{gone['id']}", token).status_code == 404

    # Fill in a day that was missed.
    missed = _today() - dt.timedelta(days=3)
    page.get_by_label("Which day?").fill(missed.isoformat())
    page.get_by_role("button", name=re.compile("^Write for")).tap()
    expect(page.get_by_text(re.compile(r"^For "))).to_be_visible()
    page.get_by_label("Mood", exact=True).fill("5")
    for _ in range(4):
        page.get_by_role("button", name="Next").tap()
    expect(page.get_by_role("group", name="Was there a hard moment that day?")).to_be_visible()
    for _ in range(3):
        page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.get_by_role("heading", name="Saved. Thank you.")).to_be_visible()
    days = {c["local_date"]: c["mood"] for c in server.checkins(token)}
    assert days[missed.isoformat()] == 5
    assert console.unexpected() == []


def test_the_journal_stays_readable_offline(phone, server, console):
    user = server.register()
    _checkin(server, user["token"], 1, mood=6, note="Slept well for once.")
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Journal", exact=True).tap()
    expect(page.locator(".entry-link")).to_have_count(1)
    wait_for_service_worker(page)

    page.context.set_offline(True)
    page.goto("/")  # the app opened afresh, with no connection
    page.get_by_role("link", name="Journal", exact=True).tap()
    expect(page.get_by_text("You are offline: this is what is kept on this phone.")).to_be_visible()
    page.locator(".entry-link").first.tap()
    expect(page.get_by_text("Slept well for once.")).to_be_visible()
    needs = "Changing or deleting a saved check-in needs a connection."
    expect(page.get_by_text(needs)).to_be_visible()
    assert console.unexpected(*OFFLINE_NOISE) == []


def test_no_to_a_hard_moment_is_stored_as_no(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name=START_CHECKIN).tap()
    for _ in range(4):
        page.get_by_role("button", name="Skip this step").tap()
    page.get_by_role("group", name="Was there a hard moment today?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="Skip this step").tap()
    page.get_by_role("button", name="Skip this step").tap()
    expect(page.locator("dt", has_text="A hard moment")).to_be_visible()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.get_by_role("heading", name="Saved. Thank you.")).to_be_visible()
    (stored,) = server.checkins(user["token"])
    assert stored["regulation"]["occurred"] is False
    assert console.unexpected() == []


def test_the_full_checkin_has_the_steps_the_person_chose(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    page.get_by_role("link", name="Me", exact=True).tap()
    steps = page.get_by_role("group", name="Your check-in")
    for label in ("Self-energy", "A hard moment", "Closeness and distance"):
        steps.get_by_label(label).uncheck()
    page.get_by_role("button", name="Save settings").tap()
    expect(page.get_by_role("status")).to_have_text("Your settings are saved.")
    me = server.api("GET", "/api/v1/me", user["token"]).json
    assert me["checkin_steps"] == ["feel", "emotions", "parts", "notes"]

    page.get_by_role("link", name="Today").tap()
    page.get_by_role("link", name=START_CHECKIN).tap()
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()
    titles = []
    for _ in range(4):
        titles.append(page.locator("h1").inner_text())
        page.get_by_role("button", name="Next").tap()
    assert titles == [
        "How are you, right now?",
        "What are you feeling?",
        "Which parts are here?",
        "Anything else?",
    ]
    expect(page.get_by_role("heading", name="Look it over")).to_be_visible()
    assert console.unexpected() == []


def test_today_shows_the_week_the_last_note_and_what_next(phone, server, console):
    user = server.register()
    token = user["token"]
    for days_ago, mood in ((6, 4), (4, 5), (2, 7)):
        _checkin(server, token, days_ago, mood=mood)
    _checkin(server, token, 1, mood=6, note="Talked to Little One. It helped more than I thought.")
    _checkin(server, token, 0, mood=7)
    page = phone
    log_in(page, user["email"])
    week = page.get_by_role("list").filter(has=page.locator(".dot")).first
    expect(week.get_by_role("link")).to_have_count(7)
    for days_ago, words in ((6, "mood 4"), (5, "open: fill it in"), (0, "mood 7")):
        day = _today() - dt.timedelta(days=days_ago)
        expect(week.get_by_role("link", name=re.compile(f"{day.day} .*: {words}$"))).to_be_visible()
    expect(page.get_by_text("Check-ins on 5 of these days.")).to_be_visible()
    expect(page.get_by_text("Talked to Little One. It helped more than I thought.")).to_be_visible()
    expect(page.get_by_text("You checked in today at")).to_be_visible()
    expect(page.get_by_role("link", name="Add a few words about today")).to_be_visible()
    body = page.locator("main").inner_text().lower()
    assert not any(word in body for word in ("streak", "missed", "you forgot", "don't break"))
    # The seven days read as one row, on this phone and on a small one (320 px wide); a day's
    # mean with a decimal stays inside its dot.
    _checkin(server, token, 4, mood=6)
    page.reload()
    expect(week.get_by_role("link", name=re.compile(": mood 5.5$"))).to_have_text("5.5")
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        rows = week.get_by_role("link").evaluate_all(
            "(dots) => new Set(dots.map((d) => Math.round(d.getBoundingClientRect().top))).size"
        )
        assert rows == 1, f"the week takes {rows} rows at {width} px"
        assert week.get_by_role("link").evaluate_all(
            "(dots) => dots.every((d) => d.scrollWidth <= d.clientWidth)"
        )
    page.set_viewport_size(PHONE["viewport"])

    # An open day leads to filling it in.
    open_day = _today() - dt.timedelta(days=5)
    week.get_by_role("link", name=re.compile("open: fill it in")).first.tap()
    expect(page).to_have_url(re.compile(f"#/checkin/{open_day.isoformat()}$"))
    assert console.unexpected() == []


def test_a_new_client_is_welcomed_and_reminders_stay_off_without_notifications(
    phone, server, console
):
    page = phone
    email = sign_up(page, "Ana")

    expect(page.get_by_role("heading", name="Welcome, Ana")).to_be_visible()
    expect(page.get_by_text("we all have parts")).to_be_visible()
    page.get_by_role("button", name="Next").tap()
    expect(page.get_by_role("heading", name="Name a first part")).to_be_visible()
    page.get_by_role("button", name="The Worrier").tap()
    page.get_by_role("button", name="Save this part").tap()
    expect(page.get_by_role("heading", name="A gentle daily reminder")).to_be_visible()
    # Headless Chromium answers the permission prompt with "no": reminders stay off.
    page.get_by_label("Remind me at").fill("21:30")
    page.get_by_role("button", name="Turn on reminders").tap()
    expect(page.get_by_role("alert")).to_contain_text("reminders")
    page.get_by_role("button", name="Go to Today").tap()
    expect(page.get_by_role("heading", name="Hello, Ana")).to_be_visible()

    token = server.login(email)
    assert [p["name"] for p in server.api("GET", "/api/v1/parts", token).json] == ["The Worrier"]
    me = server.api("GET", "/api/v1/me", token).json
    assert me["reminders"]["enabled"] is False
    page.get_by_role("link", name="Me", exact=True).tap()
    expect(page.get_by_role("switch", name="Remind me to check in")).not_to_be_checked()
    assert console.unexpected() == []


def test_crisis_lines_show_the_moment_item_9_is_answered_even_offline(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_text("No check-in yet today")).to_be_visible()
    wait_for_service_worker(page)
    # Log-in keeps the questionnaires and the crisis lines on the phone.
    eventually(
        page,
        """() => new Promise((resolve) => {
          const open = indexedDB.open('partwise');
          open.onsuccess = () => {
            const store = open.result.transaction('kv').objectStore('kv');
            const q = store.get('questionnaires');
            const c = store.get('crisis');
            q.transaction.oncomplete = () => {
              open.result.close();
              resolve(!!q.result && !!c.result);
            };
          };
        })""",
    )
    page.context.set_offline(True)
    page.goto("/#/questionnaires/phq9")
    item9 = page.get_by_role("group", name=re.compile("better off dead"))
    not_alone = "You don\u2019t have to carry this alone"
    expect(page.get_by_role("heading", name=not_alone)).to_have_count(0)
    item9.get_by_label("Several days").check()
    crisis = page.locator(".crisis-now")
    expect(crisis.get_by_role("heading", name=not_alone)).to_be_visible()
    expect(crisis.get_by_role("link", name=re.compile("^Call"))).not_to_have_count(0)
    assert (
        page.get_by_role("group")
        .nth(0)
        .get_by_role("radio")
        .evaluate_all("(rs) => rs.every((r) => !r.checked)")
    )  # before the rest of the form is answered
    item9.get_by_label("Not at all").check()
    expect(crisis).to_have_count(0)
    assert console.unexpected(*OFFLINE_NOISE) == []


def test_the_crisis_answer_thanks_once(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_text("No check-in yet today")).to_be_visible()
    page.goto("/#/questionnaires/phq9")
    for item in range(8):
        page.get_by_role("group").nth(item).get_by_label("Not at all").check()
    page.get_by_role("group", name=re.compile("better off dead")).get_by_label(
        "Several days"
    ).check()
    page.get_by_role("button", name="See my score").tap()
    expect(page.get_by_role("heading", name="Your PHQ-9 score")).to_be_visible()
    text = page.locator("main").inner_text().lower()
    assert text.count("thank you") == 1, text
    assert console.unexpected() == []


def test_a_weekly_reflection_opens_with_a_headline_and_few_highlights(phone, server, console):
    from api import demo

    server.seed_demo()
    page = phone
    log_in(page, demo.CLIENT_EMAIL, demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    page.get_by_role("link", name="Trends").tap()
    page.get_by_role("link", name=re.compile("Your weekly reflections")).tap()
    expect(page.get_by_role("heading", name="Past weeks")).to_be_visible()
    page.locator(".digest-link").nth(1).tap()
    headline = page.locator(".digest-headline")
    expect(headline).to_be_visible()
    assert headline.inner_text().count(".") == 1  # one sentence
    assert page.locator(".highlights li").count() <= 3
    shown = page.locator("article").inner_text()  # the whole text stays folded away
    assert shown.count("about the same") + shown.count("much like") <= 1
    # One date format: the heading names the week as "30 Nov \u2013 6 Dec".
    title = page.locator("h1").inner_text()
    week = r"Your week, \d{1,2} \w{3} \u2013 \d{1,2} \w{3}( \d{4})?"
    assert re.fullmatch(week, title), title
    page.get_by_text("Read the whole reflection").tap()
    expect(page.locator(".digest-paragraph")).to_be_visible()
    assert console.unexpected() == []
