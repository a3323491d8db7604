"""The claim primitives, one atomic single-document update each."""

from __future__ import annotations

import datetime as dt

from api.models import User
from api.models.delivery import Delivery
from worker import claims

from .helpers import T0

LEASE = dt.timedelta(minutes=5)


def test_only_due_users_are_found(make_client, clock):
    due = make_client()
    make_client(timezone="Asia/Tokyo", scheduled_at=T0)  # next due tomorrow morning there

    assert [u.id for u in claims.find_due("reminder", clock.now, 10)] == [due.id]


def test_the_delivery_log_refuses_a_second_delivery_for_the_same_day(make_client):
    user = make_client()

    assert claims.record_due("reminder", user) is not None
    assert claims.record_due("reminder", user) is None
    assert Delivery.objects.count() == 1


def test_advance_does_not_overwrite_a_due_time_the_api_changed(make_client):
    user = make_client()
    rescheduled = T0 + dt.timedelta(hours=3)
    User.objects(id=user.id).update_one(set__next_reminder_at=rescheduled)

    assert claims.advance("reminder", user) is False
    assert User.objects.get(id=user.id).next_reminder_at == rescheduled


def test_advance_clears_the_due_time_when_reminders_are_off(make_client):
    user = make_client()
    user.reminders.enabled = False

    assert claims.advance("reminder", user) is True
    assert User.objects.get(id=user.id).next_reminder_at is None


def test_a_held_lease_is_not_handed_out_again(make_client, clock):
    claims.record_due("reminder", make_client())

    assert claims.take_lease("a", clock.now, LEASE) is not None
    assert claims.take_lease("b", clock.now, LEASE) is None


def test_an_expired_lease_is_taken_over(make_client, clock):
    claims.record_due("reminder", make_client())
    claims.take_lease("a", clock.now, LEASE)

    taken = claims.take_lease("b", clock.now + LEASE + dt.timedelta(seconds=1), LEASE)

    assert taken is not None and taken.lease_owner == "b"


def test_a_retry_is_not_leased_before_its_time(make_client, clock):
    delivery = claims.record_due("reminder", make_client())
    Delivery.objects(id=delivery.id).update_one(
        set__next_attempt_at=clock.now + dt.timedelta(minutes=1)
    )

    assert claims.take_lease("a", clock.now, LEASE) is None


def test_a_worker_that_lost_its_lease_cannot_record(make_client, clock):
    claims.record_due("reminder", make_client())
    first = claims.take_lease("a", clock.now, LEASE)
    claims.take_lease("b", clock.now + LEASE + dt.timedelta(seconds=1), LEASE)

    assert claims.finish(first, "a", clock.now, status="sent") is False
    assert claims.mark_sending(first, "a", clock.now) is False


def test_a_released_lease_is_free_at_once(make_client, clock):
    claims.record_due("reminder", make_client())
    held = claims.take_lease("a", clock.now, LEASE)

    assert claims.release(held, "a") is True
    assert claims.take_lease("b", clock.now, LEASE) is not None


def test_a_delivery_abandoned_mid_send_is_closed_as_failed(make_client, clock):
    claims.record_due("reminder", make_client())
    held = claims.take_lease("a", clock.now, LEASE)
    claims.mark_sending(held, "a", clock.now)

    assert claims.fail_abandoned(clock.now) is None  # the lease still holds
    closed = claims.fail_abandoned(clock.now + LEASE + dt.timedelta(seconds=1))

    assert (closed.status, closed.last_error) == ("failed", claims.INTERRUPTED)


def test_a_late_success_turns_an_interrupted_delivery_into_sent(make_client, clock):
    claims.record_due("reminder", make_client())
    held = claims.take_lease("a", clock.now, LEASE)
    claims.mark_sending(held, "a", clock.now)
    later = clock.now + LEASE + dt.timedelta(seconds=1)
    claims.fail_abandoned(later)

    assert claims.record_late_success(held, later, accepted=1) is True
    stored = Delivery.objects.get(id=held.id)
    assert (stored.status, stored.accepted, stored.last_error) == ("sent", 1, None)


def test_a_late_success_does_not_touch_a_delivery_closed_otherwise(make_client, clock):
    delivery = claims.record_due("reminder", make_client())
    Delivery.objects(id=delivery.id).update_one(set__status="missed")

    assert claims.record_late_success(delivery, clock.now, accepted=1) is False
    assert Delivery.objects.get(id=delivery.id).status == "missed"


def test_a_new_account_gets_no_reminder_until_it_turns_them_on(app, clock):
    api = app.test_client()
    registered = api.post(
        "/api/v1/auth/register",
        json={"email": "new@example.org", "password": "a long passphrase", "role": "client"},
    ).json

    assert claims.schedule_unscheduled("reminder", clock.now, 10) == 0
    assert User.objects.get(id=registered["user"]["id"]).next_reminder_at is None

    api.patch(
        "/api/v1/me",
        json={"reminders": {"enabled": True}},
        headers={"Authorization": f"Bearer {registered['token']}"},
    )
    assert User.objects.get(id=registered["user"]["id"]).next_reminder_at is not None
