"""Registering devices and the test notification without HTTP (api.services.push_devices)."""

import datetime as dt

import pytest
from bson import ObjectId

from api.devices import Acceptances
from api.models import PushSubscription
from api.services import push_devices
from webpush import VapidSigner, generate_keys

NOW = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def subscribe(owner, endpoint, now=NOW, user_agent="Firefox", keys=("p256dh", "auth")):
    return push_devices.subscribe(owner, endpoint, *keys, user_agent, now)


@pytest.fixture
def owner(app) -> ObjectId:
    return ObjectId()


def test_a_new_endpoint_is_created_and_a_known_one_updated(owner):
    first = subscribe(owner, "https://push.example/1")
    assert first.created
    PushSubscription.objects(id=first.subscription.id).update(set__failures=3, set__refusals=2)

    again = subscribe(owner, "https://push.example/1", NOW + MINUTE, keys=("new", "keys"))

    assert not again.created
    assert again.subscription.id == first.subscription.id
    stored = PushSubscription.objects.get(id=first.subscription.id)
    assert (stored.p256dh, stored.auth, stored.failures, stored.refusals) == ("new", "keys", 0, 0)


def test_an_endpoint_of_another_account_is_refused_and_stays_theirs(owner):
    theirs = ObjectId()
    subscribe(theirs, "https://push.example/1")

    with pytest.raises(push_devices.EndpointHeldByAnotherAccount) as refused:
        subscribe(owner, "https://push.example/1")

    assert str(refused.value).startswith("This push subscription belongs to another account")
    assert PushSubscription.objects.get(endpoint="https://push.example/1").owner == theirs


def test_the_user_agent_is_kept_short(owner):
    subscribed = subscribe(owner, "https://push.example/1", user_agent="x" * 500)
    assert len(subscribed.subscription.user_agent) == push_devices.USER_AGENT_MAX


def test_one_device_too_many_replaces_the_one_heard_of_least_recently(owner):
    limit = push_devices.MAX_DEVICES_PER_USER
    for n in range(limit):
        subscribe(owner, f"https://push.example/{n}", NOW + n * MINUTE)
    # The oldest registration was heard of since: the second oldest goes.
    PushSubscription.objects(endpoint="https://push.example/0").update(
        set__last_success_at=NOW + limit * MINUTE
    )

    newest = subscribe(owner, "https://push.example/new", NOW - MINUTE)

    endpoints = {s.endpoint for s in PushSubscription.objects(owner=owner)}
    assert len(endpoints) == limit
    assert "https://push.example/1" not in endpoints
    assert {"https://push.example/0", newest.subscription.endpoint} <= endpoints


@pytest.fixture
def signer() -> VapidSigner:
    return VapidSigner(generate_keys().private_key, "mailto:ops@partwise.example")


def send_test(signer, owner):
    return push_devices.send_test(signer, owner, Acceptances(), allow_http=True, timeout=5.0)


def test_a_test_notification_to_no_device_reports_nothing_sent(owner, signer):
    assert send_test(signer, owner) == push_devices.PushTestReport(sent=0, devices=[])


def test_a_test_notification_reports_each_device_and_forgets_gone_ones(owner, signer, push_service):
    here = push_service.make_subscription(signer.application_server_key)
    gone = push_service.make_subscription(signer.application_server_key)
    ids = {}
    for browser in (here, gone):
        keys = (browser["keys"]["p256dh"], browser["keys"]["auth"])
        ids[browser["endpoint"]] = subscribe(owner, browser["endpoint"], keys=keys).subscription.id
    push_service.respond_for(gone, 410)

    report = send_test(signer, owner)

    assert report.sent == 1
    outcomes = {d.id: (d.outcome, d.status) for d in report.devices}
    assert outcomes[str(ids[gone["endpoint"]])] == ("gone", 410)
    assert outcomes[str(ids[here["endpoint"]])][0] == "sent"
    [received] = push_service.received_for(here)
    assert received.payload["type"] == "test"
    assert received.headers["ttl"] == str(push_devices.TEST_TTL_SECONDS)
    assert [s.id for s in PushSubscription.objects(owner=owner)] == [ids[here["endpoint"]]]
