from __future__ import annotations

import base64

import pytest

from api import create_app
from api.models import PushSubscription
from webpush import VapidConfigError, generate_keys

CONTACT = "mailto:ops@partwise.example"
URL = "/api/v1/push/subscriptions"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="session")
def vapid():
    return generate_keys()


@pytest.fixture
def app_config(app_config, vapid) -> dict:
    return {
        **app_config,
        "VAPID_PRIVATE_KEY": vapid.private_key,
        "VAPID_SUBJECT": CONTACT,
        "PUSH_ALLOW_HTTP_LOOPBACK": 1,
    }


@pytest.fixture
def browser(push_service, vapid) -> dict:
    """A subscription as `PushSubscription.toJSON()` gives it, made with our public key."""
    return push_service.make_subscription(vapid.public_key)


# -- the public key ------------------------------------------------------------------------------


def test_the_public_key_is_served_without_login(client, vapid):
    response = client.get("/api/v1/push/vapid-public-key")
    assert response.status_code == 200
    assert response.json == {"public_key": vapid.public_key}


def test_without_a_vapid_key_push_is_unavailable(app_config):
    unconfigured = create_app({**app_config, "VAPID_PRIVATE_KEY": ""}).test_client()
    response = unconfigured.get("/api/v1/push/vapid-public-key")
    assert response.status_code == 404
    assert "VAPID_PRIVATE_KEY" in response.json["message"]


def test_a_bad_vapid_key_fails_at_start(app_config):
    with pytest.raises(VapidConfigError):
        create_app({**app_config, "VAPID_PRIVATE_KEY": "not-a-key"})


# -- subscriptions -------------------------------------------------------------------------------


def test_a_subscription_is_stored_for_me(alice, browser):
    response = alice.post(URL, json=browser, headers={"User-Agent": "Firefox on Android"})

    assert response.status_code == 201
    assert response.json["endpoint"] == browser["endpoint"]
    assert response.json["user_agent"] == "Firefox on Android"
    assert "keys" not in response.json and "auth" not in response.json
    assert [s["id"] for s in alice.get(URL).json] == [response.json["id"]]


def test_subscribing_needs_a_login(client, browser):
    assert client.post(URL, json=browser).status_code == 401


def test_a_client_may_have_several_devices(alice, push_service):
    for _ in range(2):
        alice.post(URL, json=push_service.make_subscription())
    assert len(alice.get(URL).json) == 2


def test_the_same_endpoint_again_updates_it(alice, browser, push_service):
    alice.post(URL, json=browser)
    renewed = {**browser, "keys": push_service.make_subscription()["keys"]}

    response = alice.post(URL, json=renewed)

    assert response.status_code == 200
    [stored] = PushSubscription.objects
    assert stored.p256dh == renewed["keys"]["p256dh"]


def test_an_endpoint_of_another_account_is_not_moved_silently(alice, bob, browser):
    alice.post(URL, json=browser)

    response = bob.post(URL, json=browser)

    assert response.status_code == 409
    assert "another account" in response.json["message"]
    assert [s["endpoint"] for s in alice.get(URL).json] == [browser["endpoint"]]
    assert bob.get(URL).json == []


def _with(browser: dict, **changes) -> dict:
    keys = {**browser["keys"], **changes.pop("keys", {})}
    return {**browser, **changes, "keys": keys}


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"endpoint": "http://push.example.com/sub/1"}, ["endpoint"]),
        ({"endpoint": "ftp://push.example.com/sub/1"}, ["endpoint"]),
        ({"endpoint": "https://10.0.0.5/sub/1"}, ["endpoint"]),
        ({"endpoint": "https://user:pw@push.example.com/1"}, ["endpoint"]),
        ({"endpoint": "not a url"}, ["endpoint"]),
        ({"keys": {"p256dh": b64(b"\x04" + b"\x01" * 64)}}, ["keys", "p256dh"]),  # off the curve
        ({"keys": {"p256dh": b64(b"\x04" + b"\x01" * 31)}}, ["keys", "p256dh"]),
        ({"keys": {"p256dh": "!!not base64!!"}}, ["keys", "p256dh"]),
        ({"keys": {"auth": b64(b"\x01" * 15)}}, ["keys", "auth"]),
        ({"keys": {"auth": b64(b"\x01" * 17)}}, ["keys", "auth"]),
    ],
)
def test_a_bad_subscription_is_422_naming_the_field(alice, browser, change, path):
    response = alice.post(URL, json=_with(browser, **change))

    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    for key in path:
        errors = errors[key]
    assert errors
    assert PushSubscription.objects.count() == 0


def test_a_subscription_without_keys_is_422(alice, browser):
    response = alice.post(URL, json={"endpoint": browser["endpoint"]})
    assert response.status_code == 422
    assert "keys" in response.json["errors"]["json"]


def test_plain_http_needs_the_loopback_setting(app, alice, browser):
    app.config["PUSH_ALLOW_HTTP_LOOPBACK"] = 0
    response = alice.post(URL, json=browser)
    assert response.status_code == 422
    assert "https" in response.json["errors"]["json"]["endpoint"][0]


def test_an_https_push_service_is_accepted(alice, browser):
    real = _with(browser, endpoint="https://fcm.googleapis.com/fcm/send/abc123")
    assert alice.post(URL, json=real).status_code == 201


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    ],
)
def test_the_browsers_push_services_are_accepted(alice, browser, endpoint):
    assert alice.post(URL, json=_with(browser, endpoint=endpoint)).status_code == 201


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://push.example.com/sub/1",
        "https://fcm.googleapis.com.evil.example/fcm/send/1",
        "https://evilfcm.googleapis.com.example/1",
        "https://localtest.me/push/1",  # a public name for 127.0.0.1
    ],
)
def test_a_host_that_is_not_a_push_service_is_422(alice, browser, endpoint):
    response = alice.post(URL, json=_with(browser, endpoint=endpoint))

    assert response.status_code == 422
    assert "push service" in response.json["errors"]["json"]["endpoint"][0]


def test_any_public_host_can_be_allowed_but_never_a_private_address(app, alice, browser):
    app.config["PUSH_SERVICE_HOSTS"] = "*"

    assert (
        alice.post(URL, json=_with(browser, endpoint="https://push.example.com/1")).status_code
        == 201
    )
    for private in ("https://10.0.0.5/sub/1", "https://[::1]/sub/1", "https://169.254.169.254/"):
        assert alice.post(URL, json=_with(browser, endpoint=private)).status_code == 422, private


def test_i_can_delete_my_subscription(alice, browser):
    subscription_id = alice.post(URL, json=browser).json["id"]

    assert alice.delete(f"{URL}/{subscription_id}").status_code == 204
    assert alice.get(URL).json == []


@pytest.mark.parametrize("whose", ["someone else's", "malformed"])
def test_deleting_what_is_not_mine_is_404(alice, bob, browser, whose):
    subscription_id = bob.post(URL, json=browser).json["id"]
    target = subscription_id if whose == "someone else's" else "nope"

    assert alice.delete(f"{URL}/{target}").status_code == 404
    assert PushSubscription.objects.count() == 1


# -- the test notification -----------------------------------------------------------------------


def test_a_test_notification_reaches_each_of_my_devices(alice, push_service, vapid):
    phone = push_service.make_subscription(vapid.public_key)
    tablet = push_service.make_subscription(vapid.public_key)
    alice.post(URL, json=phone), alice.post(URL, json=tablet)

    response = alice.post("/api/v1/push/test")

    assert response.status_code == 200
    assert response.json["sent"] == 2
    assert [d["outcome"] for d in response.json["devices"]] == ["sent", "sent"]
    for device in (phone, tablet):
        [received] = push_service.received_for(device)
        assert received.payload["type"] == "test"
        assert received.headers["topic"] == "test"
        assert received.claims["aud"] == push_service.origin


def test_a_test_notification_goes_only_to_my_devices(alice, bob, push_service):
    mine, theirs = push_service.make_subscription(), push_service.make_subscription()
    alice.post(URL, json=mine), bob.post(URL, json=theirs)

    alice.post("/api/v1/push/test")

    assert len(push_service.received_for(mine)) == 1
    assert push_service.received_for(theirs) == []


def test_a_device_that_is_gone_is_reported_and_forgotten(alice, push_service, browser):
    subscription_id = alice.post(URL, json=browser).json["id"]
    push_service.respond_for(browser, 410)

    response = alice.post("/api/v1/push/test")

    assert response.json == {
        "sent": 0,
        "devices": [{"id": subscription_id, "outcome": "gone", "status": 410}],
    }
    assert alice.get(URL).json == []


def test_a_slow_push_service_does_not_hold_up_other_requests(alice, bob, push_service):
    import threading

    alice.post(URL, json=push_service.make_subscription())
    push_service.delay = 3.0
    tested = threading.Thread(target=lambda: alice.post("/api/v1/push/test"), daemon=True)
    tested.start()
    for _ in range(200):  # until the test notification is at the push service
        if push_service.max_in_flight:
            break
        threading.Event().wait(0.02)
    assert push_service.max_in_flight

    assert bob.get("/api/v1/me").status_code == 200
    assert tested.is_alive()  # bob was answered while alice's test still waited
    tested.join(10)


def test_test_notifications_are_limited_per_account(alice, bob, push_service):
    answers = [alice.post("/api/v1/push/test").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert bob.post("/api/v1/push/test").status_code == 200


def test_a_test_notification_without_devices_sends_nothing(alice, push_service):
    assert alice.post("/api/v1/push/test").json == {"sent": 0, "devices": []}
    assert push_service.requests == []


def test_a_device_subscribed_with_an_old_key_is_reported_and_given_up(alice, push_service):
    from api.devices import REFUSALS_BEFORE_DELETE
    from webpush import generate_keys

    stale = alice.post(URL, json=push_service.make_subscription(generate_keys().public_key))
    fine = alice.post(URL, json=push_service.make_subscription()).json["id"]

    for _ in range(REFUSALS_BEFORE_DELETE):
        response = alice.post("/api/v1/push/test")
        assert response.json["sent"] == 1
        assert {"id": stale.json["id"], "outcome": "refused", "status": 403} in response.json[
            "devices"
        ]

    assert [s["id"] for s in alice.get(URL).json] == [fine]


def test_a_device_beyond_the_limit_replaces_the_one_heard_of_least_recently(
    alice, push_service, vapid
):
    import datetime as dt

    from api.services.push_devices import MAX_DEVICES_PER_USER

    ids = [
        alice.post(URL, json=push_service.make_subscription(vapid.public_key)).json["id"]
        for _ in range(MAX_DEVICES_PER_USER)
    ]
    # The first one registered still gets notifications; the second has been silent longest.
    PushSubscription.objects(id=ids[0]).update_one(
        set__last_success_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    )

    response = alice.post(URL, json=push_service.make_subscription(vapid.public_key))

    assert response.status_code == 201
    listed = [s["id"] for s in alice.get(URL).json]
    assert len(listed) == MAX_DEVICES_PER_USER
    assert response.json["id"] in listed and ids[0] in listed
    assert ids[1] not in listed


def test_registering_a_known_device_at_the_limit_removes_none(alice, push_service, vapid):
    from api.services.push_devices import MAX_DEVICES_PER_USER

    browsers = [push_service.make_subscription(vapid.public_key) for _ in range(20)]
    assert len(browsers) == MAX_DEVICES_PER_USER
    for browser in browsers:
        alice.post(URL, json=browser)

    assert alice.post(URL, json=browsers[5]).status_code == 200
    assert len(alice.get(URL).json) == MAX_DEVICES_PER_USER


def test_the_limit_is_per_user(alice, bob, push_service, vapid):
    from api.services.push_devices import MAX_DEVICES_PER_USER

    for _ in range(MAX_DEVICES_PER_USER):
        alice.post(URL, json=push_service.make_subscription(vapid.public_key))
    bob.post(URL, json=push_service.make_subscription(vapid.public_key))

    assert len(alice.get(URL).json) == MAX_DEVICES_PER_USER
    assert len(bob.get(URL).json) == 1
