"""Push services that refuse our VAPID credentials (401, 403): a subscription made with an old
key is given up after a few refusals in a row; a refusal of everyone deletes nothing."""

from __future__ import annotations

import pytest

from api.devices import REFUSALS_BEFORE_DELETE
from api.models import PushSubscription, User
from webpush import generate_keys

from .helpers import REMINDER, the_delivery

#: The application server key that some devices subscribed with, before it was rotated.
OLD_KEY = generate_keys().public_key


@pytest.fixture
def client_of(make_client):
    def make() -> User:
        return make_client(digest={"enabled": False})

    return make


def days_of_reminders(dispatcher, clock, days: int) -> None:
    for _ in range(days):
        dispatcher.tick()
        clock.advance(days=1)


def stored(browser: dict) -> PushSubscription | None:
    return PushSubscription.objects(endpoint=browser["endpoint"]).first()


def test_a_subscription_made_with_an_old_key_is_deleted_after_a_few_refusals(
    dispatcher, clock, client_of, subscribe, push_service
):
    alice, bob = client_of(), client_of()
    stale = subscribe(alice, OLD_KEY)  # made with a key we no longer have: 403
    fine = subscribe(bob)  # the same push service takes our key for others

    for day in range(1, REFUSALS_BEFORE_DELETE):
        days_of_reminders(dispatcher, clock, 1)
        assert (stored(stale).refusals, stored(stale).failures) == (day, day)

    days_of_reminders(dispatcher, clock, 1)

    assert stored(stale) is None
    assert stored(fine) is not None
    assert [r.status for r in push_service.requests if r.subscription_id in stale["endpoint"]] == [
        403
    ] * REFUSALS_BEFORE_DELETE
    assert [m.payload for m in push_service.received_for(fine)] == [REMINDER] * 3

    days_of_reminders(dispatcher, clock, 1)  # nothing is sent to it any more
    assert len(push_service.requests) == REFUSALS_BEFORE_DELETE + 4


def test_the_refused_delivery_says_so(dispatcher, clock, client_of, subscribe):
    alice = client_of()
    subscribe(alice, OLD_KEY)
    subscribe(client_of())

    days_of_reminders(dispatcher, clock, 1)

    delivery = the_delivery(user=alice.id)
    assert delivery.status == "failed"
    assert "push refused 403" in delivery.last_error


@pytest.mark.parametrize("status", [401, 403])
def test_when_every_push_is_refused_no_subscription_is_deleted(
    dispatcher, clock, client_of, subscribe, push_service, status
):
    # Our key, token or subject is wrong (a bad deploy): the push service refuses everyone.
    browsers = [subscribe(client_of()) for _ in range(2)]
    for browser in browsers:
        push_service.respond_for(browser, status)

    days_of_reminders(dispatcher, clock, REFUSALS_BEFORE_DELETE + 2)

    for browser in browsers:
        subscription = stored(browser)
        assert (subscription.refusals, subscription.failures) == (0, REFUSALS_BEFORE_DELETE + 2)

    push_service.reset()  # fixed: the same devices get the next reminder
    days_of_reminders(dispatcher, clock, 1)
    assert all(len(push_service.received_for(b)) == 1 for b in browsers)
    assert all(stored(b).failures == 0 for b in browsers)


def test_a_success_between_refusals_starts_the_count_again(
    dispatcher, clock, client_of, subscribe, push_service
):
    flaky = subscribe(client_of())
    subscribe(client_of())
    steps = REFUSALS_BEFORE_DELETE - 1

    push_service.respond_for(flaky, 401)
    days_of_reminders(dispatcher, clock, steps)
    push_service.reset()
    days_of_reminders(dispatcher, clock, 1)
    assert stored(flaky).refusals == 0
    push_service.respond_for(flaky, 401)
    days_of_reminders(dispatcher, clock, steps)

    assert stored(flaky).refusals == steps


def test_subscribing_again_clears_the_refusals(app, subscribe, push_service):
    account = app.test_client()
    registered = account.post(
        "/api/v1/auth/register",
        json={"email": "again@example.org", "password": "a long passphrase", "role": "client"},
    ).json
    token = registered["token"]
    # The same owner subscribes the same device again (another account would get a 409).
    flaky = subscribe(User.objects.get(id=registered["user"]["id"]))
    PushSubscription.objects(endpoint=flaky["endpoint"]).update_one(set__refusals=2)

    response = account.post(
        "/api/v1/push/subscriptions", json=flaky, headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200
    assert stored(flaky).refusals == 0
