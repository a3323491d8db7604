"""Reminders end to end: due time, the push service decrypting what arrived, the delivery log."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from api.domain.schedule import refresh_due_times
from api.models import Checkin, PushSubscription, User
from api.models.delivery import Delivery

from .helpers import REMINDER, T0, the_delivery


def test_a_due_reminder_reaches_the_phone_with_its_json(
    dispatcher, make_client, subscribe, push_service
):
    browser = subscribe(make_client())

    dispatcher.tick()

    [received] = push_service.received_for(browser)
    assert received.payload == REMINDER


def test_it_is_recorded_sent_for_the_local_date(dispatcher, make_client, subscribe, push_service):
    user = make_client()
    subscribe(user)

    dispatcher.tick()

    delivery = the_delivery(user=user.id)
    assert (delivery.kind, delivery.period_key, delivery.status) == (
        "reminder",
        "2026-11-25",
        "sent",
    )
    assert delivery.attempts == 1 and delivery.accepted == 1
    assert delivery.lease_owner is None and delivery.sending_since is None


def test_the_due_time_moves_to_the_next_day(dispatcher, make_client, subscribe, push_service):
    user = make_client()
    subscribe(user)

    dispatcher.tick()

    assert User.objects.get(id=user.id).next_reminder_at == T0 + dt.timedelta(days=1)


def test_nothing_is_sent_before_the_due_time(
    dispatcher, clock, make_client, subscribe, push_service
):
    subscribe(make_client())
    clock.now = T0 - dt.timedelta(seconds=1)

    dispatcher.tick()

    assert push_service.requests == []
    assert Delivery.objects.count() == 0


def test_ttl_topic_and_urgency_are_set(dispatcher, make_client, subscribe, push_service):
    subscribe(make_client())

    dispatcher.tick()

    headers = push_service.received[0].headers
    assert headers["topic"] == "reminder"
    assert headers["urgency"] == "normal"
    # The push expires when the grace window ends: two hours after 20:00, sent at 20:00:30.
    assert headers["ttl"] == str(2 * 3600 - 30)


def test_every_device_of_the_client_gets_it(dispatcher, make_client, subscribe, push_service):
    user = make_client()
    phone, tablet = subscribe(user), subscribe(user)

    dispatcher.tick()

    assert [m.payload for m in push_service.received_for(phone)] == [REMINDER]
    assert [m.payload for m in push_service.received_for(tablet)] == [REMINDER]
    assert the_delivery(user=user.id).accepted == 2


def test_no_reminder_when_the_client_already_checked_in_that_day(
    dispatcher, make_client, subscribe, push_service
):
    user = make_client()
    subscribe(user)
    Checkin(
        owner=user.id,
        client_id=str(uuid.uuid4()),
        payload_hash="x",
        local_date=dt.date(2026, 11, 25),
        mood=6,
    ).save()

    dispatcher.tick()

    assert push_service.requests == []
    delivery = the_delivery(user=user.id)
    assert (delivery.status, delivery.last_error) == ("skipped", "already checked in that day")


def test_a_deleted_checkin_does_not_count(dispatcher, make_client, subscribe, push_service):
    user = make_client()
    browser = subscribe(user)
    Checkin(
        owner=user.id,
        client_id=str(uuid.uuid4()),
        payload_hash="x",
        local_date=dt.date(2026, 11, 25),
        deleted_at=T0 - dt.timedelta(hours=1),
    ).save()

    dispatcher.tick()

    assert [m.payload for m in push_service.received_for(browser)] == [REMINDER]


def test_yesterdays_checkin_does_not_count(dispatcher, make_client, subscribe, push_service):
    user = make_client()
    browser = subscribe(user)
    Checkin(
        owner=user.id,
        client_id=str(uuid.uuid4()),
        payload_hash="x",
        local_date=dt.date(2026, 11, 24),
        mood=6,
    ).save()

    dispatcher.tick()

    assert [m.payload for m in push_service.received_for(browser)] == [REMINDER]


def test_a_client_without_a_device_is_recorded_skipped(dispatcher, make_client, push_service):
    user = make_client()

    dispatcher.tick()

    delivery = the_delivery(user=user.id)
    assert (delivery.status, delivery.last_error) == ("skipped", "no device to send to")


def test_a_reminder_turned_off_after_it_was_claimed_is_skipped(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client()
    subscribe(user)
    [claimed] = dispatcher.claim("reminder", clock.now)
    User.objects(id=user.id).update_one(set__reminders__enabled=False)

    dispatcher.process(dispatcher.lease(clock.now))

    assert push_service.requests == []
    assert Delivery.objects.get(id=claimed.id).status == "skipped"


def test_a_reminder_reached_after_the_grace_window_is_missed_not_sent(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client()
    subscribe(user)
    clock.now = T0 + dt.timedelta(hours=2, seconds=1)

    dispatcher.tick()

    assert push_service.requests == []
    assert the_delivery(user=user.id).status == "missed"


def test_the_grace_window_comes_from_configuration(
    make_dispatcher, clock, make_client, subscribe, push_service
):
    browser = subscribe(make_client())
    clock.now = T0 + dt.timedelta(hours=2, seconds=1)

    make_dispatcher(reminder_grace=dt.timedelta(hours=3)).tick()

    assert len(push_service.received_for(browser)) == 1


def test_clients_whose_time_has_not_come_are_left_alone(
    dispatcher, make_client, subscribe, push_service
):
    due = make_client()
    later = make_client(timezone="America/New_York")  # 20:00 there is 01:00 UTC tomorrow
    subscribe(due), subscribe(later)

    dispatcher.tick()

    assert [d.user for d in Delivery.objects] == [due.id]


def test_a_client_without_a_due_time_is_scheduled_by_the_worker(
    dispatcher, clock, make_client, push_service
):
    user = make_client()
    User.objects(id=user.id).update_one(unset__next_reminder_at=True, unset__next_digest_at=True)

    dispatcher.tick()

    stored = User.objects.get(id=user.id)
    assert stored.next_reminder_at == T0 + dt.timedelta(days=1)
    assert stored.next_digest_at == dt.datetime(2026, 11, 29, 17, tzinfo=dt.UTC)


# -- days on the worker's clock: DST, weekdays, a move to another zone ---------------------------


def arrivals(dispatcher, clock, push_service, until, step=dt.timedelta(minutes=15)):
    """Tick every `step` until `until`; the clock times at which reminders arrived."""
    times = []
    while clock.now < until:
        before = len(push_service.received)
        dispatcher.tick()
        times += [clock.now] * (len(push_service.received) - before)
        clock.now += step
    return times


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


NO_DIGEST = {"enabled": False}


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Berlin springs forward on Sunday 2026-03-29: 20:00 is 19:00 UTC, then 18:00 UTC.
        (utc(2026, 3, 28, 12), [utc(2026, 3, 28, 19), utc(2026, 3, 29, 18), utc(2026, 3, 30, 18)]),
        # ... and falls back on Sunday 2026-10-25: 18:00 UTC, then 19:00 UTC.
        (
            utc(2026, 10, 24, 12),
            [utc(2026, 10, 24, 18), utc(2026, 10, 25, 19), utc(2026, 10, 26, 19)],
        ),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_reminders_keep_the_local_time_across_a_dst_change(
    dispatcher, clock, make_client, subscribe, push_service, start, expected
):
    subscribe(make_client(digest=NO_DIGEST, scheduled_at=start))
    clock.now = start

    assert arrivals(dispatcher, clock, push_service, until=start + dt.timedelta(days=3)) == expected


def test_reminders_come_only_on_the_chosen_weekdays(
    dispatcher, clock, make_client, subscribe, push_service
):
    monday = utc(2026, 11, 23, 12)
    subscribe(make_client(reminders={"weekdays": [1, 3, 5]}, digest=NO_DIGEST, scheduled_at=monday))
    clock.now = monday

    times = arrivals(dispatcher, clock, push_service, until=monday + dt.timedelta(days=7))

    assert times == [utc(2026, 11, 23, 19), utc(2026, 11, 25, 19), utc(2026, 11, 27, 19)]


def test_a_move_to_another_zone_moves_the_reminder_and_never_repeats_a_local_day(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client(digest=NO_DIGEST)  # Berlin, 20:00 every day
    subscribe(user)
    clock.now = T0
    sent_in_berlin = arrivals(dispatcher, clock, push_service, until=T0 + dt.timedelta(hours=1))
    # At 20:30 in Berlin the client flies to New York and says so (what PATCH /api/v1/me does).
    user = User.objects.get(id=user.id)
    user.timezone = "America/New_York"
    refresh_due_times(user, clock.now)
    user.save()

    later = arrivals(dispatcher, clock, push_service, until=T0 + dt.timedelta(days=2))

    assert sent_in_berlin == [T0]  # Wednesday 20:00 in Berlin
    # Wednesday 20:00 in New York is still Wednesday there: that day had its reminder. The next
    # comes on Thursday at 20:00 New York time (01:00 UTC on Friday).
    assert later == [utc(2026, 11, 27, 1)]
    assert {d.period_key: d.status for d in Delivery.objects(user=user.id)} == {
        "2026-11-25": "sent",
        "2026-11-26": "sent",
    }


# -- what the push service answers ---------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted(dispatcher, make_client, subscribe, push_service, status):
    user = make_client()
    browser = subscribe(user)
    push_service.respond_for(browser, status)

    dispatcher.tick()

    assert PushSubscription.objects(owner=user.id).count() == 0
    delivery = the_delivery(user=user.id)
    assert delivery.status == "failed"
    assert f"gone {status}" in delivery.last_error


def test_a_gone_device_does_not_stop_the_others(dispatcher, make_client, subscribe, push_service):
    user = make_client()
    gone, phone = subscribe(user), subscribe(user)
    push_service.respond_for(gone, 410)

    dispatcher.tick()

    assert [m.payload for m in push_service.received_for(phone)] == [REMINDER]
    assert the_delivery(user=user.id).status == "sent"
    assert [s.endpoint for s in PushSubscription.objects(owner=user.id)] == [phone["endpoint"]]


@pytest.mark.parametrize("status", [400, 413])
def test_our_bug_is_recorded_and_not_retried(
    dispatcher, clock, make_client, subscribe, push_service, status
):
    user = make_client()
    browser = subscribe(user)
    push_service.respond_for(browser, status)

    dispatcher.tick()
    clock.advance(hours=1)
    dispatcher.tick()

    assert len(push_service.requests) == 1
    delivery = the_delivery(user=user.id)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert f"our_bug {status}" in delivery.last_error
    assert PushSubscription.objects.get(owner=user.id).failures == 1


def test_429_is_retried_no_sooner_than_retry_after(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client()
    browser = subscribe(user)
    push_service.respond_next(429, retry_after="600")

    dispatcher.tick()
    delivery = the_delivery(user=user.id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at >= clock.now + dt.timedelta(seconds=600)

    clock.advance(seconds=599)
    dispatcher.tick()
    assert push_service.received_for(browser) == []

    clock.now = delivery.next_attempt_at
    dispatcher.tick()
    assert [m.payload for m in push_service.received_for(browser)] == [REMINDER]
    assert the_delivery(user=user.id).status == "sent"


def test_a_retry_goes_only_to_the_devices_that_did_not_get_it(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client()
    phone, tablet = subscribe(user), subscribe(user)
    push_service.respond_for(tablet, 503)

    dispatcher.tick()
    push_service.reset()
    clock.now = the_delivery(user=user.id).next_attempt_at
    dispatcher.tick()

    assert len(push_service.received_for(phone)) == 1
    assert len(push_service.received_for(tablet)) == 1
    delivery = the_delivery(user=user.id)
    assert (delivery.status, delivery.attempts, delivery.accepted) == ("sent", 2, 2)


def test_retries_stop_at_the_end_of_the_grace_window(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client()
    browser = subscribe(user)
    push_service.respond_for(browser, 500)

    for _ in range(20):
        dispatcher.tick()
        pending = Delivery.objects(user=user.id, status="pending").first()
        if pending is None:
            break
        clock.now = pending.next_attempt_at

    delivery = the_delivery(user=user.id)
    assert delivery.status == "failed"
    assert "retry 500" in delivery.last_error
    assert clock.now <= T0 + dt.timedelta(hours=2)
    assert all(r.status == 500 for r in push_service.requests)


def test_a_client_whose_zone_is_unknown_does_not_hold_up_the_others(
    dispatcher, make_client, subscribe, push_service
):
    broken = make_client()
    User.objects(id=broken.id).update_one(set__timezone="Mars/Olympus_Mons")
    browser = subscribe(make_client())

    dispatcher.tick()

    assert [m.payload for m in push_service.received_for(browser)] == [REMINDER]
