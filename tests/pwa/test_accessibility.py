"""axe-core finds no violations on any screen, and every screen fits the phone, in the light and
the dark theme: each screen is checked in both as it stands (tests/pwa/conftest.py
`in_each_scheme`)."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from api import demo
from tests.pwa.conftest import PHONE, START_CHECKIN, in_each_scheme, log_in, run_axe, sign_up


class Audit:
    def __init__(self, page):
        self.page = page
        self.found: dict[str, list[dict]] = {}

    def check(self, screen: str) -> None:
        for scheme, violations in in_each_scheme(self.page, lambda: run_axe(self.page)).items():
            if violations:
                self.found[f"{screen} ({scheme})"] = violations

    def report(self) -> str:
        return json.dumps(self.found, indent=2)


def _answer_some_of_each_step(page, audit: Audit) -> None:
    page.get_by_role("link", name=START_CHECKIN).tap()
    expect(page.get_by_text("Step 1 of 8")).to_be_visible()
    page.get_by_label("Mood", exact=True).fill("6")
    audit.check("check-in: mood and energy")
    steps = {
        2: lambda: page.get_by_role("button", name="sadness", exact=True).tap(),
        3: lambda: page.get_by_role("button", name="The Worrier").tap(),
        4: lambda: page.get_by_label("Calm", exact=True).fill("4"),
        5: lambda: page.get_by_role("radio", name="Yes", exact=True).check(),
        6: lambda: page.get_by_label("Pulling away").fill("3"),
        7: lambda: page.get_by_label("Anything else you want to remember").fill("tired"),
        8: lambda: None,
    }
    for step, answer in steps.items():
        page.get_by_role("button", name="Next").tap()
        expect(page.get_by_text(f"Step {step} of 8")).to_be_visible()
        answer()
        audit.check(f"check-in: step {step}")


def test_every_client_screen_has_no_axe_violations(phone, server, console):
    user = server.register()
    worrier = {"name": "The Worrier", "role": "manager"}
    server.api("POST", "/api/v1/parts", user["token"], json=worrier)
    archived = server.api("POST", "/api/v1/parts", user["token"], json={"name": "Old Guard"}).json
    server.api("PATCH", f"/api/v1/parts/{archived['id']}", user["token"], json={"archived": True})
    page = phone
    audit = Audit(page)

    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    audit.check("log in")
    page.get_by_role("link", name="Create an account").tap()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    audit.check("sign up")

    log_in(page, user["email"])
    expect(page.get_by_text("No check-in yet today")).to_be_visible()
    audit.check("today")

    _answer_some_of_each_step(page, audit)
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.get_by_role("heading", name="Saved. Thank you.")).to_be_visible()
    audit.check("check-in saved")

    # Today with a check-in waiting (503) and one refused (422) on the phone.
    batch = "/api/v1/checkins/batch"
    with server.answering(batch, lambda body: (503, {"message": "Down for maintenance."})):
        page.get_by_role("link", name="Back to Today").tap()
        page.get_by_role("link", name=START_CHECKIN).tap()
        expect(page.get_by_text("Step 1 of 8")).to_be_visible()  # not Today's own Mood slider
        page.get_by_label("Mood", exact=True).fill("5")
        for _ in range(7):
            page.get_by_role("button", name="Next").tap()
        page.get_by_role("button", name="Save check-in").tap()
        expect(page.get_by_role("heading", name="Kept on this phone")).to_be_visible()
        audit.check("check-in kept on the phone")
        page.get_by_role("link", name="Back to Today").tap()
        expect(page.get_by_role("heading", name="Waiting to be sent (1)")).to_be_visible()
    conflict = {"index": 0, "status": 409, "message": "Another check-in."}
    with server.answering(batch, lambda body: (200, {"results": [conflict]})):
        page.get_by_role("button", name="Try sending now").tap()
        expect(page.get_by_role("heading", name="Needs a look (1)")).to_be_visible()
        page.get_by_text("Show what you wrote").tap()
        audit.check("today with a check-in to look at")

    page.get_by_role("link", name="Parts").tap()
    expect(page.get_by_role("heading", name="The Worrier")).to_be_visible()
    page.get_by_label("Show archived parts").check()
    expect(page.get_by_role("heading", name="Old Guard")).to_be_visible()
    audit.check("my parts")
    page.get_by_role("link", name="Edit The Worrier").tap()
    expect(page.get_by_label("Name")).to_have_value("The Worrier")
    audit.check("edit a part")
    page.get_by_role("link", name="Cancel").tap()
    page.get_by_role("link", name="Name a new part").tap()
    expect(page.get_by_role("heading", name="Name a new part")).to_be_visible()
    audit.check("name a part")

    page.get_by_role("link", name="Me", exact=True).tap()
    expect(page.get_by_role("group", name="Daily reminder")).to_be_visible()
    audit.check("me")

    assert audit.found == {}, audit.report()
    assert console.unexpected("503", "Failed to load resource") == []


def test_every_everyday_screen_has_no_axe_violations(phone, server, console):
    """The welcome, the quick mood, the journal, one check-in and changing it."""
    page = phone
    audit = Audit(page)
    sign_up(page, "Ana")
    expect(page.get_by_role("heading", name="Welcome, Ana")).to_be_visible()
    audit.check("welcome: parts in plain words")
    page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="The Worrier").tap()
    audit.check("welcome: a first part")
    page.get_by_role("button", name="Save this part").tap()
    expect(page.get_by_label("Remind me at")).to_be_visible()
    audit.check("welcome: a reminder")
    page.get_by_role("button", name="Not now").tap()

    expect(page.get_by_text("No check-in yet today")).to_be_visible()
    page.get_by_label("Mood", exact=True).fill("6")
    audit.check("today: a mood chosen")
    page.get_by_role("button", name="Save mood 6").tap()
    expect(page.get_by_text("Mood 6 of 10. Saved.")).to_be_visible()
    audit.check("today: mood saved")
    page.get_by_role("link", name="Journal", exact=True).tap()
    expect(page.locator(".entry-link")).to_have_count(1)
    audit.check("journal")
    page.locator(".entry-link").first.tap()
    expect(page.get_by_role("link", name="Change it")).to_be_visible()
    audit.check("one check-in")
    page.get_by_role("button", name="Delete this check-in").tap()
    audit.check("one check-in: confirm deletion")
    page.get_by_role("button", name="Keep it").tap()
    page.get_by_role("link", name="Change it").tap()
    expect(page.get_by_text("Changing 1 of 8")).to_be_visible()
    audit.check("changing a check-in")
    page.get_by_role("button", name="Look it over").tap()
    audit.check("changing a check-in: review")
    assert audit.found == {}, audit.report()
    assert console.unexpected() == []


def _visit(page, audit: Audit, screen: str, path: str, ready) -> None:
    page.evaluate(f"location.hash = '{path}'")
    expect(ready(page)).to_be_visible()
    page.wait_for_load_state("networkidle")
    audit.check(screen)


def test_every_insight_sharing_and_data_screen_has_no_axe_violations(phone, server, console):
    """With the demo's ten weeks, so that charts, tables and every section are drawn."""
    server.seed_demo()
    page = phone
    audit = Audit(page)
    log_in(page, demo.CLIENT_EMAIL, demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Sam")).to_be_visible()

    _visit(
        page,
        audit,
        "trends",
        "/trends",
        lambda p: p.get_by_role("heading", name="Mood, energy and Self-energy, week by week"),
    )
    expect(page.get_by_role("heading", name="Parts, week by week")).to_be_visible()
    page.get_by_text("Show the numbers").first.tap()
    audit.check("trends with a table open")
    _visit(
        page, audit, "digests", "/digests", lambda p: p.get_by_role("heading", name="Past weeks")
    )
    _visit(page, audit, "this week", "/digests/current", lambda p: p.get_by_text("still under way"))
    _visit(
        page,
        audit,
        "questionnaires",
        "/questionnaires",
        lambda p: p.get_by_role("heading", name="PHQ-9"),
    )
    _visit(
        page,
        audit,
        "PHQ-9",
        "/questionnaires/phq9",
        lambda p: p.get_by_role("button", name="See my score"),
    )
    page.get_by_role("button", name="See my score").tap()
    expect(page.get_by_role("alert")).to_have_text("9 questions are still unanswered.")
    audit.check("PHQ-9 with unanswered questions")
    for item in range(9):
        page.get_by_role("group").nth(item).get_by_label("Several days").check()
    page.get_by_role("button", name="See my score").tap()
    expect(
        page.get_by_role("heading", name="You don\u2019t have to carry this alone")
    ).to_be_visible()
    audit.check("PHQ-9 score with crisis resources")
    _visit(page, audit, "support", "/support", lambda p: p.get_by_text("Samaritans (UK & Ireland)"))
    _visit(
        page, audit, "sharing", "/sharing", lambda p: p.get_by_role("heading", name="Dr. Rivera")
    )
    page.get_by_role("button", name="Create a code").tap()
    expect(page.get_by_role("heading", name="Your code")).to_be_visible()
    audit.check("sharing: a new code")
    page.get_by_role("button", name="Share less with Dr. Rivera").tap()
    audit.check("sharing: share less")
    page.get_by_role("button", name="Cancel", exact=True).tap()
    page.get_by_role("button", name="Stop sharing with Dr. Rivera").tap()
    audit.check("sharing: confirm stop")
    _visit(
        page,
        audit,
        "my data",
        "/data",
        lambda p: p.get_by_role("heading", name="Delete my account"),
    )
    page.get_by_role("button", name="Delete my account…").tap()
    audit.check("my data: confirm deletion")

    assert audit.found == {}, audit.report()
    assert console.unexpected() == []


def test_every_therapist_screen_has_no_axe_violations(phone, server, console):
    server.seed_demo()
    page = phone
    audit = Audit(page)
    log_in(page, demo.THERAPIST_EMAIL, demo.DEMO_PASSWORD)
    expect(page.get_by_role("link", name="Sam")).to_be_visible()
    audit.check("my clients")
    page.get_by_role("link", name="Sam").tap()
    expect(page.get_by_role("heading", name="Questionnaire scores")).to_be_visible()
    expect(page.get_by_role("heading", name="Weekly trends")).to_be_visible()
    page.wait_for_load_state("networkidle")
    audit.check("one client")
    _visit(page, audit, "caseload", "/caseload", lambda p: p.get_by_role("table"))
    _visit(page, audit, "me", "/me", lambda p: p.get_by_text("(therapist)"))
    _visit(page, audit, "my data", "/data", lambda p: p.get_by_role("heading", name="Download"))
    assert audit.found == {}, audit.report()
    assert console.unexpected() == []


def _overflowing(page) -> list[str]:
    """Elements wider than the screen, or cut off: text that does not reflow when it grows."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *, .tab-bar *')]
            .filter((e) => e.closest('.table-scroll') === null)
            .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
            .map((e) => `${e.tagName}.${e.className}: ${(e.textContent || '').slice(0, 40)}`)"""
    )


def test_text_at_twice_the_size_still_fits_the_phone(phone, server, console):
    server.seed_demo()
    page = phone
    log_in(page, demo.CLIENT_EMAIL, demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    # What a browser's or phone's text-size setting does: the root font size grows.
    page.add_style_tag(content="html { font-size: 200% !important; }")
    too_wide = {}
    for path, ready in (
        ("/today", "Hello, Sam"),
        ("/checkin", "How are you, right now?"),
        ("/trends", "My trends"),
        ("/digests", "Weekly reflections"),
        ("/sharing", "Sharing with my therapist"),
        ("/me", "Me"),
    ):
        page.evaluate(f"location.hash = '{path}'")
        expect(page.get_by_role("heading", name=ready, exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        for scheme, found in in_each_scheme(
            page, lambda: _overflowing(page) + _tab_labels_cut(page)
        ).items():
            if found:
                too_wide[f"{path} ({scheme})"] = found
    assert too_wide == {}
    # The bar grew (its labels wrapped): the page still ends above it.
    page.evaluate("location.hash = '/today'")
    expect(page.get_by_role("heading", name="Your last note")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate(
        """() => document.querySelector('main').lastElementChild.getBoundingClientRect().bottom
            <= document.querySelector('.tab-bar').getBoundingClientRect().top"""
    )
    assert console.unexpected() == []


def _tab_labels_cut(page) -> list[str]:
    """Tab labels that do not show whole: wider than their tab, or off the screen."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.tab-bar a')]
            .filter((a) => a.scrollWidth > a.clientWidth + 1
                || a.querySelector('span').getBoundingClientRect().right > innerWidth + 1)
            .map((a) => `tab ${a.textContent}`)"""
    )


def _focus_hidden(page, presses: int) -> list[str]:
    """Tab through the page from its heading, where a screen opens: every control that gets
    focus must show above the tab bar."""
    page.evaluate("() => { scrollTo(0, 0); document.querySelector('main h1')?.focus(); }")
    hidden = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body || e.closest('.tab-bar')) return null;
                const r = e.getBoundingClientRect();
                const bar = document.querySelector('.tab-bar');
                const limit = bar ? bar.getBoundingClientRect().top : innerHeight;
                return r.bottom > limit + 1 || r.top < 0
                    ? `${e.tagName} ${(e.textContent || e.getAttribute('aria-label') || '').trim()}`
                    : null;
            }"""
        )
        if where:
            hidden.append(where)
    return hidden


def test_focus_is_never_hidden_under_the_tab_bar(phone, server, console):
    server.seed_demo()
    page = phone
    log_in(page, demo.CLIENT_EMAIL, demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    hidden = {}
    for path, ready in (("/today", "Hello, Sam"), ("/journal", "Journal"), ("/me", "Me")):
        page.evaluate(f"location.hash = '{path}'")
        expect(page.get_by_role("heading", name=ready, exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        # What a screen shows after a local check (e.g. whether this phone can receive
        # notifications) is drawn before anyone tabs through it.
        expect(page.get_by_text("Checking…")).to_have_count(0)
        for scheme, found in in_each_scheme(page, lambda: _focus_hidden(page, 25)).items():
            if found:
                hidden[f"{path} ({scheme})"] = found
    assert hidden == {}
    assert console.unexpected() == []


def _short_links(page) -> list:
    return page.evaluate(
        """() => [...document.querySelectorAll('a[href]')]
            .filter((a) => a.getClientRects().length > 0)
            .map((a) => [a.textContent.trim(), a.getBoundingClientRect().height])
            .filter(([, h]) => h < 43.5)"""
    )


def test_every_link_is_at_least_44_px_tall(phone, server, console):
    server.seed_demo()
    page = phone
    page.goto("/")
    low = {}

    def measure(screen: str) -> None:
        page.wait_for_load_state("networkidle")
        for scheme, short in in_each_scheme(page, lambda: _short_links(page)).items():
            if short:
                low[f"{screen} ({scheme})"] = short

    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    measure("log in")
    log_in(page, demo.CLIENT_EMAIL, demo.DEMO_PASSWORD)
    for path, ready in (
        ("/today", "Hello, Sam"),
        ("/journal", "Journal"),
        ("/trends", "My trends"),
        ("/digests", "Weekly reflections"),
        ("/questionnaires", "Questionnaires"),
        ("/sharing", "Sharing with my therapist"),
        ("/me", "Me"),
        ("/support", "Talk to someone now"),
    ):
        page.evaluate(f"location.hash = '{path}'")
        expect(page.get_by_role("heading", name=ready, exact=True)).to_be_visible()
        measure(path)
    page.evaluate("location.hash = '/journal'")
    page.locator(".entry-link").first.tap()
    expect(page.get_by_role("link", name="Change it")).to_be_visible()
    measure("one check-in")
    assert low == {}
    assert console.unexpected() == []


def test_nothing_moves_when_reduced_motion_is_asked_for(browser, server):
    context = browser.new_context(base_url=server.base_url, reduced_motion="reduce", **PHONE)
    try:
        page = context.new_page()
        user = server.register()
        log_in(page, user["email"])
        page.get_by_role("link", name="Me", exact=True).tap()
        expect(page.get_by_role("group", name="Daily reminder")).to_be_visible()
        moving = page.evaluate(
            """() => [...document.querySelectorAll('*')]
                .flatMap((e) => [null, '::before', '::after'].map((p) => getComputedStyle(e, p)))
                .filter((s) => s.animationName !== 'none'
                    || s.transitionDuration.split(',').some((d) => parseFloat(d) > 0))
                .length"""
        )
        assert moving == 0
    finally:
        context.close()
