"""The pure tally of one attempt's sends, and the verdict it comes to (no database, no wire)."""

from __future__ import annotations

import datetime as dt

import pytest

from api.models.delivery import EMAIL_TARGET, FAILED, MISSED, PENDING, SENT, SKIPPED
from webpush import Outcome, PushMessage, PushResult
from worker.email import EmailError
from worker.verdict import Tally, Verdict, tally, try_again

NOW = dt.datetime(2026, 11, 25, 19, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2)


def result(ref: str, outcome: Outcome, status: int | None = None, **extra) -> PushResult:
    message = PushMessage(
        endpoint=f"https://push.example.com/{ref}",
        p256dh="key",
        auth="auth",
        payload={"type": "reminder"},
        ttl=60,
        topic="reminder",
        ref=ref,
    )
    return PushResult(message, outcome, status, **extra)


def test_an_attempt_every_device_took_is_sent_and_done():
    counted = tally([result("a", Outcome.SENT, 201), result("b", Outcome.SENT, 201)])
    assert counted == Tally(done=("a", "b"), accepted=2)
    assert counted.verdict(attempt=1, accepted_before=0, now=NOW, deadline=LATER) == Verdict(SENT)


def test_a_gone_device_is_done_without_being_accepted():
    counted = tally([result("a", Outcome.GONE, 410, error="gone")])
    assert (counted.done, counted.accepted, counted.retry) == (("a",), 0, False)
    assert counted.error == "push gone 410 from https://push.example.com: gone"
    verdict = counted.verdict(attempt=1, accepted_before=0, now=NOW, deadline=LATER)
    assert verdict == Verdict(FAILED, counted.error)
    assert counted.verdict(attempt=1, accepted_before=1, now=NOW, deadline=LATER).status == SENT


def test_a_transient_failure_is_tried_again_after_the_longest_retry_after():
    counted = tally(
        [
            result("a", Outcome.SENT, 201),
            result("b", Outcome.RETRY, 503, retry_after=600.0),
            result("c", Outcome.RETRY, 429, retry_after=1200.0),
        ]
    )
    assert (counted.done, counted.accepted, counted.retry) == (("a",), 1, True)
    assert counted.retry_after == 1200.0
    verdict = counted.verdict(attempt=1, accepted_before=0, now=NOW, deadline=LATER)
    assert verdict.status == PENDING and not verdict.final
    assert verdict.next_attempt_at >= NOW + dt.timedelta(seconds=1200)


def test_no_retry_lands_after_the_deadline():
    counted = tally([result("a", Outcome.RETRY, 503, retry_after=3600.0)])
    deadline = NOW + dt.timedelta(minutes=30)
    assert (
        counted.verdict(attempt=1, accepted_before=0, now=NOW, deadline=deadline).status == FAILED
    )
    assert counted.verdict(attempt=1, accepted_before=2, now=NOW, deadline=deadline).status == SENT


@pytest.mark.parametrize(
    ("error", "done", "accepted", "retry"),
    [
        (None, (EMAIL_TARGET,), 1, False),
        (EmailError("SMTP 451", transient=True), (), 0, True),
        (EmailError("SMTP 550", transient=False), (EMAIL_TARGET,), 0, False),
    ],
)
def test_an_email_counts_as_one_target(error, done, accepted, retry):
    counted = tally([], emailed=True, email_error=error)
    assert (counted.done, counted.accepted, counted.retry) == (done, accepted, retry)
    assert counted.error == (None if error is None else f"email: {error}")


def test_no_email_no_count():
    assert tally([], email_error=None) == Tally()


def test_trying_again_sends_nothing_and_gives_up_at_the_deadline():
    assert (
        try_again("preparing: ConnectionError")
        .verdict(attempt=1, accepted_before=0, now=NOW, deadline=LATER)
        .status
        == PENDING
    )
    gave_up = try_again("preparing: ConnectionError").verdict(
        attempt=8, accepted_before=0, now=NOW, deadline=LATER
    )
    assert gave_up == Verdict(FAILED, "preparing: ConnectionError")


def test_a_delivery_an_earlier_attempt_sent_stays_sent():
    assert Verdict.skipped("reminders are turned off").after(1) == Verdict(
        SENT, "reminders are turned off"
    )
    assert Verdict.missed("late").after(0) == Verdict(MISSED, "late")
    assert Verdict.failed("no email").after(1) == Verdict(FAILED, "no email")
    assert Verdict.skipped("x").final and Verdict.skipped("x").status == SKIPPED
