"""Offline first: the shell opens offline; check-ins made offline wait on the phone, are sent
once when the network returns, and a second replay does not duplicate them."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.pwa.conftest import START_CHECKIN, eventually, log_in, wait_for_service_worker

# Chromium logs each request that fails while offline; those are expected here.
BATCH = "/api/v1/checkins/batch"
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "503", "Failed to load resource")

QUEUE_ENTRIES = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('partwise');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const req = open.result.transaction('checkin-queue').objectStore('checkin-queue').getAll();
    req.onsuccess = () => { open.result.close(); resolve(req.result); };
    req.onerror = () => reject(req.error);
  };
})"""

PUT_BACK = """(entry) => new Promise((resolve, reject) => {
  const open = indexedDB.open('partwise');
  open.onsuccess = () => {
    const tx = open.result.transaction('checkin-queue', 'readwrite');
    const { seq, ...fresh } = entry;
    tx.objectStore('checkin-queue').add(fresh);
    tx.oncomplete = () => { open.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
})"""


def _quick_checkin(page, mood: str = "5") -> None:
    """The mood on Today: rate it, save it."""
    page.get_by_role("slider", name=re.compile("mood", re.I)).fill(mood)
    page.get_by_role("button", name=f"Save mood {mood}").tap()


def _full_checkin(page, mood: str = "5") -> None:
    page.get_by_role("link", name=START_CHECKIN).tap()
    expect(page.get_by_text("Step 1 of 8")).to_be_visible()  # not Today's own Mood slider
    page.get_by_label("Mood", exact=True).fill(mood)
    for step in range(2, 9):
        page.get_by_role("button", name="Next").tap()
        expect(page.get_by_text(f"Step {step} of 8")).to_be_visible()
    page.get_by_role("button", name="Save check-in").tap()


def test_an_offline_checkin_is_pending_then_stored_exactly_once(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    wait_for_service_worker(page)

    page.context.set_offline(True)
    expect(page.get_by_text("Offline", exact=True)).to_be_visible()
    _quick_checkin(page)
    expect(page.get_by_text("Kept on this phone: you seem to be offline.")).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting to be sent (1)")).to_be_visible()
    expect(page.get_by_text("Waiting", exact=True)).to_be_visible()
    assert server.checkins(user["token"]) == []
    (entry,) = page.evaluate(QUEUE_ENTRIES)
    assert entry["attempts"] >= 1

    page.context.set_offline(False)
    expect(page.get_by_role("heading", name="Waiting to be sent (1)")).to_be_hidden()
    stored = server.checkins(user["token"])
    assert [c["client_id"] for c in stored] == [entry["client_id"]]
    assert stored[0]["mood"] == 5
    assert page.evaluate(QUEUE_ENTRIES) == []

    # A replay whose answer was lost sends the same check-in again: still one check-in.
    page.evaluate(PUT_BACK, entry)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    eventually(page, f"() => ({QUEUE_ENTRIES})().then(q => q.length === 0)")
    assert [c["client_id"] for c in server.checkins(user["token"])] == [entry["client_id"]]
    assert console.unexpected(*OFFLINE_NOISE) == []


def test_a_server_error_keeps_the_checkin_queued(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    wait_for_service_worker(page)  # as on a phone that has the app: its requests pass the worker

    with server.answering(BATCH, lambda body: (503, {"message": "Down for maintenance."})):
        _full_checkin(page, "4")
        expect(page.get_by_role("heading", name="Kept on this phone")).to_be_visible()
        # The server failed; the phone is online: not called offline.
        expect(page.get_by_text("server could not take it just now")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("offline")
        page.get_by_role("link", name="Back to Today").tap()
        expect(page.get_by_role("heading", name="Waiting to be sent (1)")).to_be_visible()
        _quick_checkin(page, "3")
        expect(page.get_by_text("server could not take it just now")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("offline")
        expect(page.get_by_role("heading", name="Waiting to be sent (2)")).to_be_visible()
        assert server.checkins(user["token"]) == []

    page.get_by_role("button", name="Try sending now").tap()
    expect(page.get_by_role("heading", name="Waiting to be sent (2)")).to_be_hidden()
    assert sorted(c["mood"] for c in server.checkins(user["token"])) == [3, 4]
    assert console.unexpected(*OFFLINE_NOISE) == []


def test_a_refused_checkin_is_kept_readable_and_not_retried(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()

    def refuse(body):
        result = {"index": 0, "client_id": body["checkins"][0]["client_id"], "status": 422}
        result |= {"message": "Some fields are invalid.", "errors": {"mood": ["Not valid."]}}
        return 200, {"results": [result]}

    with server.answering(BATCH, refuse):
        _full_checkin(page, "2")
        heading = "Kept on this phone, with a question"
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        page.get_by_role("link", name="Back to Today").tap()
        expect(page.get_by_role("heading", name="Needs a look (1)")).to_be_visible()
        expect(page.get_by_text("Some answers could not be accepted (mood)")).to_be_visible()
        page.get_by_text("Show what you wrote").tap()
        expect(page.get_by_text("2 of 10")).to_be_visible()
        assert page.evaluate(QUEUE_ENTRIES) == []

        page.get_by_role("button", name="Remove this copy from the phone").tap()
        expect(page.get_by_role("heading", name="Needs a look (1)")).to_be_hidden()
    assert server.checkins(user["token"]) == []
    assert console.unexpected() == []


def test_the_app_shell_opens_offline_after_the_first_visit(phone, server, console):
    user = server.register()
    server.api("POST", "/api/v1/parts", user["token"], json={"name": "Little One", "role": "exile"})
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    page.get_by_role("link", name="Parts").tap()
    expect(page.get_by_role("heading", name="Little One")).to_be_visible()
    wait_for_service_worker(page)

    page.context.set_offline(True)
    page.goto("/")
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    offline_note = "You are offline. Everything you write is kept on this phone."
    expect(page.get_by_text(offline_note)).to_be_visible()
    page.get_by_role("link", name="Parts").tap()
    expect(page.get_by_text("showing the parts saved on this phone")).to_be_visible()
    expect(page.get_by_role("heading", name="Little One")).to_be_visible()
    assert console.unexpected(*OFFLINE_NOISE) == []


def _dispatch_sync(page, tag: str) -> None:
    """Fire a Background Sync event at the service worker, as the browser does when online."""
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)
    (registration,) = [r for r in registrations if not r.get("isDeleted")]
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": page.evaluate("location.origin"),
            "registrationId": registration["registrationId"],
            "tag": tag,
            "lastChance": False,
        },
    )


def test_the_service_worker_replays_the_queue_on_background_sync(phone, server, console):
    user = server.register()
    page = phone
    log_in(page, user["email"])
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    wait_for_service_worker(page)

    page.context.set_offline(True)
    _quick_checkin(page, "6")
    expect(page.get_by_text("Kept on this phone: you seem to be offline.")).to_be_visible()
    # Leave the app: only the service worker can send the check-in now.
    page.goto("/icons/icon-192.png")
    assert server.checkins(user["token"]) == []
    page.context.set_offline(False)
    # Chromium may fire the sync by itself on reconnecting; fire it too, so as not to wait.
    _dispatch_sync(page, "partwise-checkins")
    eventually(page, f"() => ({QUEUE_ENTRIES})().then(q => q.length === 0)")
    assert [c["mood"] for c in server.checkins(user["token"])] == [6]
    assert console.unexpected(*OFFLINE_NOISE) == []
