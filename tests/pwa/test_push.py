"""Push on the phone: permission only after a tap, a subscription made with the server's VAPID
key, a test push that really reaches the (verifying, decrypting) push service, and pushes
delivered to the service worker over the DevTools protocol showing notifications that lead to
the right screen.

`pushManager.subscribe` cannot reach a real push service here: the page's PushManager is stubbed
to hand out a subscription of the test push service, as a browser would.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from api.domain import payloads
from tests.pwa.conftest import (
    CHROMIUM,
    eventually,
    log_in,
    sign_up,
    wait_for,
    wait_for_service_worker,
)


@pytest.fixture(scope="module")
def chromium_executable() -> str:
    """The full browser: notifications and push subscriptions are its, not the headless shell's."""
    return CHROMIUM


STUB_PUSH_MANAGER = """
(() => {
  const subscription = __SUBSCRIPTION__;
  window.__asked = { permission: 0, subscribe: 0 };
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    window.__asked.permission += 1;
    return ask(...args);
  };
  const make = (key) => ({
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: key },
    toJSON: () => subscription,
    unsubscribe: async () => { localStorage.removeItem('stub-push'); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    window.__asked.subscribe += 1;
    if (!options.userVisibleOnly) throw new DOMException('userVisibleOnly', 'NotAllowedError');
    localStorage.setItem('stub-push', '1');
    return make(options.applicationServerKey);
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem('stub-push') ? make(null) : null;
  };
})();
"""

NOTIFICATIONS = """() => navigator.serviceWorker.ready
  .then((r) => r.getNotifications())
  .then((list) => list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))"""


def _notifications(page, count: int) -> list[dict]:
    """The notifications shown, once there are `count` of them (the worker shows them async)."""
    return eventually(page, f"() => ({NOTIFICATIONS})().then((n) => n.length === {count} && n)")


class ServiceWorkers:
    """The page's service worker registrations, seen over the DevTools protocol."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.registrations: dict[str, str] = {}
        self.cdp.on("ServiceWorker.workerRegistrationUpdated", self._updated)
        self.cdp.send("ServiceWorker.enable")

    def _updated(self, event: dict) -> None:
        for registration in event["registrations"]:
            self.registrations[registration["scopeURL"]] = registration["registrationId"]

    def deliver_push(self, origin: str, data: str) -> None:
        """What the push service would hand the browser: the decrypted message."""
        wait_for(self.page, lambda: self.registrations, "the service worker's registration", 5000)
        (registration_id,) = self.registrations.values()
        self.cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": origin, "registrationId": registration_id, "data": data},
        )


def _logged_in_with_push(page, server, push_service) -> tuple[dict, dict]:
    """A user logged in on a phone whose PushManager hands out a test push service subscription."""
    user = server.register()
    page.context.grant_permissions(["notifications"], origin=server.base_url)
    subscription = push_service.make_subscription(server.vapid_public_key)
    page.add_init_script(STUB_PUSH_MANAGER.replace("__SUBSCRIPTION__", json.dumps(subscription)))
    log_in(page, user["email"])
    wait_for_service_worker(page)
    return user, subscription


def test_notifications_are_asked_for_after_a_tap_and_a_push_shows_one(
    phone, server, push_service, console
):
    page = phone
    user, subscription = _logged_in_with_push(page, server, push_service)
    workers = ServiceWorkers(page)

    page.get_by_role("link", name="Me", exact=True).tap()
    expect(page.get_by_text("are not sent to this phone")).to_be_visible()
    assert page.evaluate("window.__asked") == {"permission": 0, "subscribe": 0}

    page.get_by_role("button", name="Turn on notifications").tap()
    expect(page.get_by_text("Reminders and weekly reflections come to this phone.")).to_be_visible()
    assert page.evaluate("window.__asked") == {"permission": 1, "subscribe": 1}
    devices = server.api("GET", "/api/v1/push/subscriptions", user["token"]).json
    assert [d["endpoint"] for d in devices] == [subscription["endpoint"]]

    # The server's test push goes through the push service, which checks VAPID and decrypts.
    page.get_by_role("button", name="Send a test").tap()
    expect(page.get_by_text("A test notification is on its way.")).to_be_visible()
    (message,) = push_service.received_for(subscription)
    assert message.payload == payloads.test()

    workers.deliver_push(server.base_url, message.plaintext.decode())
    (shown,) = _notifications(page, 1)
    assert shown["title"] == "Partwise notifications work"
    assert shown["body"] == "This device will get your reminders."
    assert shown["data"] == {"path": "/today"}

    # A digest leads to its week; a newer reminder replaces an older one (one tag per kind).
    workers.deliver_push(server.base_url, json.dumps(payloads.digest("2026-W47")))
    workers.deliver_push(server.base_url, json.dumps(payloads.reminder()))
    workers.deliver_push(server.base_url, json.dumps(payloads.reminder()))
    by_tag = {n["tag"]: n for n in _notifications(page, 3)}
    assert by_tag["digest"]["data"] == {"path": "/digests/2026-W47"}
    assert by_tag["reminder"]["data"] == {"path": "/today"}  # where the mood takes two taps

    page.get_by_role("button", name="Turn off").tap()
    expect(page.get_by_text("are not sent to this phone")).to_be_visible()
    assert server.api("GET", "/api/v1/push/subscriptions", user["token"]).json == []
    assert console.unexpected() == []


def test_logging_out_stops_notifications_on_this_phone(phone, server, push_service, console):
    page = phone
    user, _subscription = _logged_in_with_push(page, server, push_service)
    page.get_by_role("link", name="Me", exact=True).tap()
    page.get_by_role("button", name="Turn on notifications").tap()
    expect(page.get_by_text("come to this phone")).to_be_visible()

    page.get_by_role("button", name="Log out", exact=True).tap()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    # The registration's own token still works: the phone's subscription is gone on the server.
    assert server.api("GET", "/api/v1/push/subscriptions", user["token"]).json == []
    assert console.unexpected() == []


def test_a_device_the_server_let_go_is_registered_again_at_start(
    phone, server, push_service, console
):
    page = phone
    user, subscription = _logged_in_with_push(page, server, push_service)
    page.get_by_role("link", name="Me", exact=True).tap()
    page.get_by_role("button", name="Turn on notifications").tap()
    expect(page.get_by_text("come to this phone")).to_be_visible()
    (device,) = server.api("GET", "/api/v1/push/subscriptions", user["token"]).json
    # As when the server drops a device (too many devices, a push service refusing it).
    assert server.api("DELETE", f"/api/v1/push/subscriptions/{device['id']}", user["token"])
    assert server.api("GET", "/api/v1/push/subscriptions", user["token"]).json == []

    page.reload()
    expect(page.get_by_text("come to this phone")).to_be_visible()
    devices = wait_for(
        page,
        lambda: server.api("GET", "/api/v1/push/subscriptions", user["token"]).json,
        "the device to be registered again",
        5000,
    )
    assert [d["endpoint"] for d in devices] == [subscription["endpoint"]]
    assert page.evaluate("window.__asked") == {"permission": 0, "subscribe": 0}  # asked nothing
    assert console.unexpected() == []


def test_the_welcome_turns_reminders_on_with_notifications_after_a_tap(
    phone, server, push_service, console
):
    page = phone
    page.context.grant_permissions(["notifications"], origin=server.base_url)
    subscription = push_service.make_subscription(server.vapid_public_key)
    page.add_init_script(STUB_PUSH_MANAGER.replace("__SUBSCRIPTION__", json.dumps(subscription)))
    email = sign_up(page, "Ana")
    expect(page.get_by_role("heading", name="Welcome, Ana")).to_be_visible()
    wait_for_service_worker(page)
    page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="Not now").tap()
    page.get_by_label("Remind me at").fill("21:30")
    assert page.evaluate("window.__asked") == {"permission": 0, "subscribe": 0}  # not before a tap

    page.get_by_role("button", name="Turn on reminders").tap()
    expect(page.get_by_role("heading", name="Hello, Ana")).to_be_visible()
    assert page.evaluate("window.__asked") == {"permission": 1, "subscribe": 1}
    token = server.login(email)
    me = server.api("GET", "/api/v1/me", token).json
    assert (me["reminders"]["enabled"], me["reminders"]["local_time"]) == (True, "21:30")
    assert me["next_reminder_at"] is not None
    devices = server.api("GET", "/api/v1/push/subscriptions", token).json
    assert [d["endpoint"] for d in devices] == [subscription["endpoint"]]
    page.get_by_role("link", name="Me", exact=True).tap()
    expect(page.get_by_role("switch", name="Remind me to check in")).to_be_checked()
    expect(page.get_by_text("Reminders and weekly reflections come to this phone.")).to_be_visible()
    assert console.unexpected() == []


STUB_PUSH_MANAGER_FRESH = """
(() => {
  // Each subscribe() makes the next subscription of the list, as a browser makes a new endpoint.
  const subscriptions = __SUBSCRIPTIONS__;
  const current = () => subscriptions[Number(localStorage.getItem('stub-push-index') ?? 0)];
  const make = (key) => ({
    endpoint: current().endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: key },
    toJSON: () => current(),
    unsubscribe: async () => { localStorage.removeItem('stub-push'); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    if (localStorage.getItem('stub-push-used')) {
      const next = Number(localStorage.getItem('stub-push-index') ?? 0) + 1;
      localStorage.setItem('stub-push-index', String(next));
    }
    localStorage.setItem('stub-push', '1');
    localStorage.setItem('stub-push-used', '1');
    return make(options.applicationServerKey);
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem('stub-push') ? make(null) : null;
  };
})();
"""


def test_a_phone_whose_subscription_another_account_holds_gets_a_new_one(
    phone, server, push_service, console
):
    page = phone
    earlier = server.register(name="Earlier")
    first = push_service.make_subscription(server.vapid_public_key)
    second = push_service.make_subscription(server.vapid_public_key)
    # Someone else used this phone and its browser subscription, and never logged out.
    assert server.api("POST", "/api/v1/push/subscriptions", earlier["token"], json=first)
    page.context.grant_permissions(["notifications"], origin=server.base_url)
    page.add_init_script(
        STUB_PUSH_MANAGER_FRESH.replace("__SUBSCRIPTIONS__", json.dumps([first, second]))
    )
    page.add_init_script(
        "localStorage.getItem('stub-push-used') || ['stub-push', 'stub-push-used']"
        ".forEach((k) => localStorage.setItem(k, '1'))"
    )
    user = server.register()
    log_in(page, user["email"])
    wait_for_service_worker(page)
    page.get_by_role("link", name="Me", exact=True).tap()
    page.get_by_role("button", name="Turn on notifications").tap()
    expect(page.get_by_text("Reminders and weekly reflections come to this phone.")).to_be_visible()

    mine = server.api("GET", "/api/v1/push/subscriptions", user["token"]).json
    theirs = server.api("GET", "/api/v1/push/subscriptions", earlier["token"]).json
    assert [d["endpoint"] for d in mine] == [second["endpoint"]]
    assert [d["endpoint"] for d in theirs] == [first["endpoint"]]  # not taken from them
    assert console.unexpected("409") == []
