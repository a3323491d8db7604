"""Weekly digests: built, then delivered by push, email or both at the client's local time."""

from __future__ import annotations

import datetime as dt

import pytest

from api.digests import preview
from api.models import Checkin, Digest, User
from api.models.delivery import Delivery
from worker import dispatch

from .helpers import the_delivery

#: Sunday 2026-11-29, 18:00 in Berlin: the default digest time, ending ISO week 2026-W48.
DUE = dt.datetime(2026, 11, 29, 17, 0, tzinfo=dt.UTC)
WEEK = "2026-W48"
DIGEST = {
    "type": "digest",
    "title": "Your week in the journal",
    "body": "Your weekly reflection is ready.",
    "url": f"/#/digests/{WEEK}",
}


@pytest.fixture(autouse=True)
def sunday_evening(clock):
    clock.now = DUE + dt.timedelta(seconds=30)


@pytest.fixture
def make_digest_client(make_client):
    def make(**digest):
        return make_client(reminders={"enabled": False}, digest=digest)

    return make


def test_the_digest_push_reaches_the_phone(dispatcher, make_digest_client, subscribe, push_service):
    browser = subscribe(make_digest_client())

    dispatcher.tick()

    [received] = push_service.received_for(browser)
    assert received.payload == DIGEST
    assert received.headers["topic"] == "digest"
    assert received.headers["urgency"] == "normal"


def test_it_is_recorded_for_the_iso_week(dispatcher, make_digest_client, subscribe, push_service):
    user = make_digest_client()
    subscribe(user)

    dispatcher.tick()

    delivery = the_delivery(user=user.id)
    assert (delivery.kind, delivery.period_key, delivery.status) == ("digest", WEEK, "sent")


def checked_in(user: User, *days: dt.date) -> None:
    for n, day in enumerate(days):
        Checkin(
            owner=user.id,
            client_id=f"c{n}-{day}",
            payload_hash="-",
            recorded_at=dt.datetime.combine(day, dt.time(12), dt.UTC),
            timezone=user.timezone,
            local_date=day,
            mood=5,
        ).save()


def test_a_week_still_under_way_is_sent_but_not_stored(
    dispatcher, make_digest_client, subscribe, push_service
):
    user = make_digest_client()
    browser = subscribe(user)
    checked_in(user, dt.date(2026, 11, 24), dt.date(2026, 11, 29))  # in W48, ending tonight

    dispatcher.tick()

    assert [m.payload for m in push_service.received_for(browser)] == [DIGEST]
    # Sunday 18:00 in Berlin: W48 has not ended there, so it is not stored as finished.
    assert Digest.objects(owner=user.id, week=WEEK).count() == 0


def test_the_week_before_which_has_ended_is_stored_then(
    dispatcher, make_digest_client, subscribe, push_service
):
    user = make_digest_client()
    subscribe(user)
    checked_in(user, dt.date(2026, 11, 17), dt.date(2026, 11, 24))  # W47 and W48

    dispatcher.tick()

    assert [d.week for d in Digest.objects(owner=user.id)] == ["2026-W47"]


def test_a_digest_due_after_its_week_has_ended_is_stored_before_it_is_announced(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client(reminders={"enabled": False}, digest={"weekday": 1, "local_time": "08:00"})
    subscribe(user)
    checked_in(user, dt.date(2026, 11, 24))
    clock.now = dt.datetime(2026, 11, 30, 7, 0, 30, tzinfo=dt.UTC)  # Monday 08:00:30 in Berlin

    dispatcher.tick()

    assert Digest.objects.get(owner=user.id, week=WEEK).data["checkin_days"] == 1


def test_a_finished_week_without_a_checkin_is_sent_but_not_stored(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client(reminders={"enabled": False}, digest={"weekday": 1, "local_time": "08:00"})
    browser = subscribe(user)
    clock.now = dt.datetime(2026, 11, 30, 7, 0, 30, tzinfo=dt.UTC)  # Monday 08:00:30 in Berlin

    dispatcher.tick()

    assert [m.payload for m in push_service.received_for(browser)] == [DIGEST]
    assert Digest.objects(owner=user.id).count() == 0


def test_the_next_digest_is_due_a_week_later(
    dispatcher, make_digest_client, subscribe, push_service
):
    user = make_digest_client()
    subscribe(user)

    dispatcher.tick()

    assert User.objects.get(id=user.id).next_digest_at == DUE + dt.timedelta(weeks=1)


def test_by_email_it_is_a_link_without_the_numbers(
    make_dispatcher, make_digest_client, subscribe, push_service, smtp_server, smtp_settings
):
    user = make_digest_client(channel="email")
    browser = subscribe(user)

    make_dispatcher(smtp=smtp_settings, public_base_url="https://partwise.example").tick()

    [email] = smtp_server.received
    assert email.rcpt_tos == [user.email]
    body = email.message.get_content()
    assert f"https://partwise.example/#/digests/{WEEK}" in body
    summary = preview(User.objects.get(id=user.id), WEEK)["summary"]
    assert summary["paragraph"] not in body
    assert push_service.received_for(browser) == []
    assert the_delivery(user=user.id).status == "sent"


def test_the_summary_is_in_the_email_when_the_client_asked(
    make_dispatcher, make_digest_client, smtp_server, smtp_settings
):
    user = make_digest_client(channel="email", include_summary_in_email=True)

    make_dispatcher(smtp=smtp_settings).tick()

    summary = preview(User.objects.get(id=user.id), WEEK)["summary"]
    body = smtp_server.received[0].message.get_content()
    assert summary["paragraph"] in body


def test_both_channels_get_it(
    make_dispatcher, make_digest_client, subscribe, push_service, smtp_server, smtp_settings
):
    user = make_digest_client(channel="both")
    browser = subscribe(user)

    make_dispatcher(smtp=smtp_settings).tick()

    assert [m.payload for m in push_service.received_for(browser)] == [DIGEST]
    assert len(smtp_server.received) == 1
    assert the_delivery(user=user.id).accepted == 2


def test_an_email_retry_does_not_push_again(
    make_dispatcher,
    clock,
    make_digest_client,
    subscribe,
    push_service,
    smtp_server,
    smtp_settings,
):
    user = make_digest_client(channel="both")
    browser = subscribe(user)
    smtp_server.mailbox.replies.append("451 Greylisted, try again later")
    worker = make_dispatcher(smtp=smtp_settings)

    worker.tick()
    assert the_delivery(user=user.id).status == "pending"
    clock.now = the_delivery(user=user.id).next_attempt_at
    worker.tick()

    assert len(push_service.received_for(browser)) == 1
    assert len(smtp_server.received) == 1
    delivery = the_delivery(user=user.id)
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_email_only_without_smtp_is_recorded_failed(dispatcher, make_digest_client):
    user = make_digest_client(channel="email")

    dispatcher.tick()

    delivery = the_delivery(user=user.id)
    assert delivery.status == "failed"
    assert "SMTP_HOST" in delivery.last_error


def test_both_without_smtp_is_push_only(dispatcher, make_digest_client, subscribe, push_service):
    user = make_digest_client(channel="both")
    browser = subscribe(user)

    dispatcher.tick()

    assert [m.payload for m in push_service.received_for(browser)] == [DIGEST]
    assert the_delivery(user=user.id).status == "sent"


def test_a_digest_reached_after_its_grace_window_is_missed(
    dispatcher, clock, make_digest_client, subscribe, push_service
):
    user = make_digest_client()
    subscribe(user)
    clock.now = DUE + dt.timedelta(hours=24, seconds=1)

    dispatcher.tick()

    assert push_service.requests == []
    assert the_delivery(user=user.id).status == "missed"


def test_a_digest_that_cannot_be_built_is_tried_again(
    dispatcher, clock, make_digest_client, subscribe, push_service, monkeypatch
):
    user = make_digest_client()
    browser = subscribe(user)
    real = dispatch.ensure_digest

    def broken(*_args):
        raise ConnectionError("database went away")

    monkeypatch.setattr(dispatch, "ensure_digest", broken)
    dispatcher.tick()
    delivery = the_delivery(user=user.id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "ConnectionError" in delivery.last_error

    monkeypatch.setattr(dispatch, "ensure_digest", real)
    clock.now = delivery.next_attempt_at
    dispatcher.tick()
    assert [m.payload for m in push_service.received_for(browser)] == [DIGEST]


def test_no_digest_is_sent_for_a_week_that_ended_before_the_account_existed(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client(reminders={"enabled": False}, digest={"weekday": 1, "local_time": "08:00"})
    user.update(set__created_at=dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC))  # that Monday
    browser = subscribe(user)
    clock.now = dt.datetime(2026, 11, 30, 7, 0, 30, tzinfo=dt.UTC)  # Monday 08:00:30 in Berlin

    dispatcher.tick()

    assert push_service.received_for(browser) == []
    (delivery,) = Delivery.objects(user=user.id, kind="digest")
    assert (delivery.status, delivery.last_error) == (
        "skipped",
        "the week ended before the account existed",
    )


def test_a_digest_on_monday_is_for_the_week_before(
    dispatcher, clock, make_client, subscribe, push_service
):
    user = make_client(reminders={"enabled": False}, digest={"weekday": 1, "local_time": "08:00"})
    browser = subscribe(user)
    clock.now = dt.datetime(2026, 11, 30, 7, 0, 30, tzinfo=dt.UTC)  # Monday 08:00:30 in Berlin

    dispatcher.tick()

    assert push_service.received_for(browser)[0].payload["url"] == f"/#/digests/{WEEK}"
