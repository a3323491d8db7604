"""What becomes of a delivery: the named verdict, and the pure tally of one attempt's sends.

No database, no network: `tally` counts what came back for one attempt (its pushes and its
email), and `Tally.verdict` says what to record. `worker.dispatch` does the I/O around them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from api.models.delivery import EMAIL_TARGET, FAILED, MISSED, PENDING, SENT, SKIPPED
from webpush import Outcome, PushMessage, PushResult, next_attempt_at
from webpush.vapid import origin_of
from worker.email import EmailError


@dataclass(frozen=True)
class Verdict:
    """What to record for a delivery: its status (a final one, or PENDING with the time of the
    next attempt) and why."""

    status: str
    reason: str | None = None
    next_attempt_at: dt.datetime | None = None

    @classmethod
    def skipped(cls, reason: str) -> Verdict:
        """Nothing to send, by the client's choice or circumstances."""
        return cls(SKIPPED, reason)

    @classmethod
    def missed(cls, reason: str) -> Verdict:
        """Reached too late to mean anything: not sent late."""
        return cls(MISSED, reason)

    @classmethod
    def failed(cls, reason: str) -> Verdict:
        return cls(FAILED, reason)

    @classmethod
    def sent(cls) -> Verdict:
        return cls(SENT)

    @property
    def final(self) -> bool:
        return self.status != PENDING

    def after(self, accepted: int) -> Verdict:
        """This verdict for a delivery that an earlier attempt already got `accepted` devices to
        take: skipped or missed now, it was sent all the same."""
        if accepted and self.status in (SKIPPED, MISSED):
            return Verdict(SENT, self.reason)
        return self


@dataclass(frozen=True)
class Tally:
    """What one attempt came to."""

    #: Targets finished with (subscription ids, EMAIL_TARGET): not to be tried again.
    done: tuple[str, ...] = ()
    #: How many targets took it.
    accepted: int = 0
    #: One line for each target that did not take it.
    errors: tuple[str, ...] = ()
    #: Whether any target may take it on another attempt.
    retry: bool = False
    #: The longest wait a push service asked for before that attempt.
    retry_after: float | None = None

    @property
    def error(self) -> str | None:
        return "; ".join(self.errors) or None

    def verdict(
        self, *, attempt: int, accepted_before: int, now: dt.datetime, deadline: dt.datetime
    ) -> Verdict:
        """Sent when any target ever took it, else failed; another attempt (PENDING) when one
        may help and comes before `deadline` (see `next_attempt_at`)."""
        status = SENT if accepted_before + self.accepted else FAILED
        if self.retry:
            when = next_attempt_at(attempt, now, retry_after=self.retry_after, deadline=deadline)
            if when is not None:
                return Verdict(PENDING, self.error, when)
        return Verdict(status, self.error)


def tally(
    pushes: Sequence[PushResult], *, emailed: bool = False, email_error: EmailError | None = None
) -> Tally:
    """Count the outcomes of one attempt: its pushes, and its email when `emailed` (then
    `email_error` is what the send raised, or None)."""
    done: list[str] = []
    errors: list[str] = []
    retry_after: list[float] = []
    retry = False
    accepted = 0
    for result in pushes:
        if result.outcome is Outcome.RETRY:
            retry = True
            retry_after += [result.retry_after] if result.retry_after is not None else []
        else:
            done.append(str(result.message.ref))
            accepted += result.outcome is Outcome.SENT
        if result.outcome is not Outcome.SENT:
            errors.append(describe(result))
    if emailed:
        if email_error is None or not email_error.transient:
            done.append(EMAIL_TARGET)
        accepted += email_error is None
        retry = retry or (email_error is not None and email_error.transient)
        errors += [f"email: {email_error}"] if email_error is not None else []
    return Tally(tuple(done), accepted, tuple(errors), retry, max(retry_after, default=None))


def try_again(error: str) -> Tally:
    """An attempt that sent nothing and may work next time (preparing it failed)."""
    return Tally(errors=(error,), retry=True)


def origin(message: PushMessage) -> str:
    """The push service's origin, for logs and errors ("-" when the endpoint has none)."""
    try:
        return origin_of(message.endpoint)
    except ValueError:
        return "-"


def describe(result: PushResult) -> str:
    status = f" {result.status}" if result.status is not None else ""
    return f"push {result.outcome}{status} from {origin(result.message)}: {result.error or ''}"
