"""The worker's loop: schedule, claim, lease, prepare, send, record.

What each attempt comes to is counted without I/O in `worker.verdict` (a `Tally` of the sends, a
`Verdict` to record); this module does the database and the wire around it.

Each step is a small method that tests call directly, in any interleaving between several
dispatchers sharing one database; `tick` runs them in order until nothing is ready. A dispatcher
keeps no state that matters between steps: the users' due times and the delivery log do (see
`worker.claims`). The database is touched only in short units under `db.store_lock()`, never
while pushes or emails are on the wire.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from pymongo.errors import PyMongoError

from api import config as config_module
from api import db, delivery_metrics, devices, logs
from api.digests import ensure_digest, last_complete_week, week_has_ended
from api.domain import payloads
from api.domain.local_time import local_today
from api.insights import week_range
from api.models import Checkin, User
from api.models.base import utcnow
from api.models.delivery import EMAIL_TARGET, KINDS, PENDING, SENT, Delivery
from webpush import PushMessage, PushResult, VapidSigner
from worker import claims
from worker import email as mail
from worker.verdict import Verdict, origin, tally, try_again

logger = logging.getLogger(__name__)

#: What preparing an attempt raises when the database or the network lets it down: worth
#: another attempt (anything else is a fault: see the guard in `Dispatcher._prepare_one`).
TRANSIENT_ERRORS = (PyMongoError, OSError)


@dataclass(frozen=True)
class Settings:
    """What the dispatcher needs of `api.config.Settings`, in the units it works in."""

    reminder_grace: dt.timedelta = dt.timedelta(hours=2)
    digest_grace: dt.timedelta = dt.timedelta(hours=24)
    lease: dt.timedelta = dt.timedelta(minutes=5)
    batch_size: int = 500
    allow_http: bool = False
    push_timeout: float = 10.0
    push_concurrency: int = 64
    public_base_url: str = "http://127.0.0.1:8000"
    smtp: mail.SmtpSettings | None = None

    @classmethod
    def from_settings(cls, settings: config_module.Settings) -> Settings:
        """ValueError on settings the dispatcher cannot work with (see `SmtpSettings`)."""
        return cls(
            reminder_grace=dt.timedelta(seconds=int(settings.reminder_grace_seconds)),
            digest_grace=dt.timedelta(seconds=int(settings.digest_grace_seconds)),
            lease=dt.timedelta(seconds=int(settings.worker_lease_seconds)),
            batch_size=int(settings.worker_batch_size),
            allow_http=bool(settings.push_allow_http_loopback),
            push_timeout=float(settings.push_timeout_seconds),
            push_concurrency=int(settings.push_concurrency),
            public_base_url=str(settings.public_base_url).rstrip("/"),
            smtp=mail.SmtpSettings.from_settings(settings),
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """From a configuration mapping (a Flask app's): `from_settings` of what it holds."""
        return cls.from_settings(config_module.Settings.from_mapping(config))

    def grace(self, kind: str) -> dt.timedelta:
        return self.reminder_grace if kind == "reminder" else self.digest_grace


@dataclass
class Job:
    """One leased delivery on its way out: its pushes and its email for this attempt."""

    delivery: Delivery
    deadline: dt.datetime
    attempt: int
    messages: list[PushMessage] = field(default_factory=list)
    email: EmailMessage | None = None


@dataclass
class Attempt:
    """What came back for one job."""

    pushes: list[PushResult]
    email_error: mail.EmailError | None = None


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Dispatcher:
    def __init__(
        self,
        settings: Settings,
        signer: VapidSigner,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        worker_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.signer = signer
        self.clock = clock
        self.worker_id = worker_id or default_worker_id()
        self.stopping = threading.Event()
        #: Which push services accepted our pushes lately (see `devices.apply_results`).
        self.acceptances = devices.Acceptances()

    def stop(self) -> None:
        """Stop claiming; the sends in flight finish, leases not yet sending are given back."""
        self.stopping.set()

    # -- the loop ------------------------------------------------------------------------------

    def tick(self) -> None:
        """Everything that is due now, batch after batch, until nothing is ready or stopping."""
        while not self.stopping.is_set():
            now = self.clock()
            self.schedule(now)
            for kind in KINDS:
                self.claim(kind, now)
            leased = self.lease(now)
            if not leased:
                return
            self.process(leased)

    def process(self, leased: list[Delivery]) -> None:
        """Prepare, send and record a leased batch (or give it back when stopping)."""
        if self.stopping.is_set():
            self.release(leased)
            return
        jobs = self.prepare(leased, self.clock())
        attempts = self.send(jobs)
        self.record(jobs, attempts, self.clock())

    # -- the steps -----------------------------------------------------------------------------

    def schedule(self, now: dt.datetime) -> int:
        """Give due times to clients that have none yet."""
        limit = self.settings.batch_size
        return sum(claims.schedule_unscheduled(kind, now, limit) for kind in KINDS)

    def claim(self, kind: str, now: dt.datetime) -> list[Delivery]:
        """Turn every due `kind` into a pending delivery and move the due times on."""
        claimed: list[Delivery] = []
        broken: set = set()
        while not self.stopping.is_set():
            users = claims.find_due(kind, now, self.settings.batch_size, exclude=broken)
            if not users:
                break
            for user in users:
                try:
                    delivery = claims.record_due(kind, user)
                    claims.advance(kind, user)
                except (ValueError, LookupError):
                    # A zone the installed tzdata no longer knows: the others must not wait.
                    logger.exception("cannot claim the %s of user %s", kind, user.id)
                    broken.add(user.id)
                    continue
                if delivery is not None:
                    claimed.append(delivery)
        return claimed

    def lease(self, now: dt.datetime) -> list[Delivery]:
        """Close deliveries abandoned mid-send, then hold up to a batch of ready ones."""
        while (abandoned := claims.fail_abandoned(now)) is not None:
            self._log(abandoned, abandoned.status, error=abandoned.last_error)
        leased: list[Delivery] = []
        while len(leased) < self.settings.batch_size:
            delivery = claims.take_lease(self.worker_id, now, self.settings.lease)
            if delivery is None:
                break
            leased.append(delivery)
        return leased

    def release(self, leased: list[Delivery]) -> None:
        for delivery in leased:
            claims.release(delivery, self.worker_id)

    def prepare(self, leased: list[Delivery], now: dt.datetime) -> list[Job]:
        """Decide each delivery: close it (skipped, missed) or build its attempt and mark it
        sending."""
        jobs = []
        for delivery in leased:
            job = self._prepare_one(delivery, now)
            if job is not None:
                jobs.append(job)
        return jobs

    def send(self, jobs: list[Job]) -> list[Attempt]:
        """Every push of every job over one pooled session, then the emails. No database."""
        messages = [message for job in jobs for message in job.messages]
        results = iter(self._push(messages))
        attempts = []
        for job in jobs:
            attempt = Attempt([next(results) for _ in job.messages])
            if job.email is not None:
                attempt.email_error = self._email(job.email)
            attempts.append(attempt)
        return attempts

    def record(self, jobs: list[Job], attempts: list[Attempt], now: dt.datetime) -> None:
        # The devices first, for the whole batch: what one push service did with everyone's
        # pushes tells what its refusal of one subscription means.
        pushes = [result for attempt in attempts for result in attempt.pushes]
        devices.apply_results(((r.message.ref, r) for r in pushes), now, self.acceptances)
        for job, attempt in zip(jobs, attempts, strict=True):
            self._record_one(job, attempt, now)

    # -- one delivery --------------------------------------------------------------------------

    def _prepare_one(self, delivery: Delivery, now: dt.datetime) -> Job | None:
        with db.store_lock():
            user = User.objects(id=delivery.user).first()
        deadline = delivery.due_at + self.settings.grace(delivery.kind)
        verdict = _nothing_to_send(delivery, user, now, deadline)
        if verdict is not None:
            self._finish(delivery, now, verdict)
            return None
        assert user is not None
        try:
            job = self._build(delivery, user, now, deadline)
        except TRANSIENT_ERRORS as exc:
            # The digest could not be built (a database hiccup): worth another attempt.
            logger.warning("preparing delivery %s failed: %r", delivery.id, exc)
            self._try_again(delivery, now, deadline, f"preparing: {type(exc).__name__}")
            return None
        except Exception as exc:
            # The per-delivery guard: a fault in one delivery's content (a bug, data the code
            # did not expect) must not hold up the batch. Logged with its traceback, and tried
            # again as above.
            logger.exception("preparing delivery %s failed", delivery.id)
            self._try_again(delivery, now, deadline, f"preparing: {type(exc).__name__}")
            return None
        if isinstance(job, Verdict):
            self._finish(delivery, now, job)
            return None
        if not claims.mark_sending(delivery, self.worker_id, now):
            logger.warning("lost the lease of delivery %s before sending", delivery.id)
            return None
        return job

    def _build(
        self, delivery: Delivery, user: User, now: dt.datetime, deadline: dt.datetime
    ) -> Job | Verdict:
        """The attempt's messages and email, or the verdict when there is nothing to send."""
        channel = user.digest.channel if delivery.kind == "digest" else "push"
        wants_email = channel in ("email", "both") and EMAIL_TARGET not in delivery.done
        if wants_email and self.settings.smtp is None:
            if channel == "email":
                return Verdict.failed("email is not configured on this server (SMTP_HOST)")
            wants_email = False
        summary = None
        if delivery.kind == "digest":
            if _before_the_account(user, delivery.period_key):
                return Verdict.skipped("the week ended before the account existed")
            summary = self._digest_summary(user, delivery.period_key, now)
        job = Job(delivery, deadline, attempt=delivery.attempts + 1)
        if channel in ("push", "both"):
            payload, topic = payloads.for_delivery(delivery.kind, delivery.period_key)
            ttl = max(0, int((deadline - now).total_seconds()))
            job.messages = [
                devices.message_for(sub, payload, ttl=ttl, topic=topic, ref=sub.id)
                for sub in devices.subscriptions_of(user.id)
                if str(sub.id) not in delivery.done
            ]
        if wants_email:
            job.email = self._digest_email(user, delivery.period_key, summary)
        if not job.messages and job.email is None:
            return Verdict.sent() if delivery.accepted else Verdict.skipped("no device to send to")
        return job

    def _digest_summary(self, user: User, week: str, now: dt.datetime) -> Mapping:
        """The summary of the week a digest reflects on, stored only once that week has ended in
        the client's zone and if it holds a check-in (see `ensure_digest`).

        A digest due on a Sunday reflects on the week that is ending: it is sent from a preview
        and nothing of that week is stored. The week before, which has ended, is stored then, so
        that the client's list and their therapist's have every finished week.
        """
        digest = ensure_digest(user, week, now)
        if not week_has_ended(week, user.timezone, now):
            ensure_digest(user, last_complete_week(local_today(user.timezone, now)), now)
        return digest["summary"] if isinstance(digest, Mapping) else digest.summary

    def _digest_email(self, user: User, week: str, summary: Mapping | None) -> EmailMessage:
        assert self.settings.smtp is not None
        link = f"{self.settings.public_base_url}/#/digests/{week}"
        shown = summary if user.digest.include_summary_in_email else None
        return mail.digest_email(self.settings.smtp, user.email, link, shown)

    def _record_one(self, job: Job, attempt: Attempt, now: dt.datetime) -> None:
        delivery = job.delivery
        for result in attempt.pushes:
            self._log_push(job, result)
        counted = tally(
            attempt.pushes, emailed=job.email is not None, email_error=attempt.email_error
        )
        verdict = counted.verdict(
            attempt=job.attempt, accepted_before=delivery.accepted, now=now, deadline=job.deadline
        )
        status, error = verdict.status, verdict.reason
        finished = claims.finish(
            delivery,
            self.worker_id,
            now,
            status=status,
            error=error,
            next_attempt_at=verdict.next_attempt_at,
            done=list(counted.done),
            accepted=counted.accepted,
            attempted=True,
        )
        if not finished:
            # The lease ran out mid-send and another worker closed it as interrupted.
            late = counted.accepted and claims.record_late_success(
                delivery, now, accepted=counted.accepted, error=error
            )
            if late:
                status = SENT
            else:
                logger.warning("delivery %s was closed before its result came back", delivery.id)
                return
        self._log(delivery, status, attempt=job.attempt, error=error)

    def _try_again(
        self, delivery: Delivery, now: dt.datetime, deadline: dt.datetime, error: str
    ) -> None:
        """Close an attempt that sent nothing: another one if there is time, else the end."""
        attempt = delivery.attempts + 1
        verdict = try_again(error).verdict(
            attempt=attempt, accepted_before=delivery.accepted, now=now, deadline=deadline
        )
        finished = claims.finish(
            delivery,
            self.worker_id,
            now,
            status=verdict.status,
            error=verdict.reason,
            next_attempt_at=verdict.next_attempt_at,
            count_attempt=True,
        )
        self._report(finished, delivery, verdict.status, attempt=attempt, error=verdict.reason)

    def _finish(self, delivery: Delivery, now: dt.datetime, verdict: Verdict) -> None:
        """Close a delivery without a send."""
        verdict = verdict.after(delivery.accepted)
        status, error = verdict.status, verdict.reason
        finished = claims.finish(delivery, self.worker_id, now, status=status, error=error)
        self._report(finished, delivery, status, attempt=delivery.attempts, error=error)

    def _report(
        self, finished: bool, delivery: Delivery, status: str, *, attempt: int, error: str | None
    ) -> None:
        if finished:
            self._log(delivery, status, attempt=attempt, error=error)
        else:
            # Its lease ran out and another worker holds it now: that one closes and logs it.
            logger.warning("lost the lease of delivery %s before closing it", delivery.id)

    # -- the outside world ---------------------------------------------------------------------

    def _push(self, messages: list[PushMessage]) -> list[PushResult]:
        return devices.send_all(
            self.signer,
            messages,
            allow_http=self.settings.allow_http,
            timeout=self.settings.push_timeout,
            concurrency=self.settings.push_concurrency,
        )

    def _email(self, message: EmailMessage) -> mail.EmailError | None:
        assert self.settings.smtp is not None
        try:
            mail.send(self.settings.smtp, message)
        except mail.EmailError as exc:
            return exc
        return None

    # -- logs ----------------------------------------------------------------------------------

    def _log(
        self, delivery: Delivery, status: str, *, attempt: int | None = None, error: str | None
    ) -> None:
        """One line for each change of a delivery this worker made; a final one is counted."""
        if status != PENDING:
            delivery_metrics.FINISHED.add(delivery.kind, status)
        logs.event(
            "delivery",
            delivery=str(delivery.id),
            user=str(delivery.user),
            kind=delivery.kind,
            period_key=delivery.period_key,
            status=status,
            attempt=delivery.attempts if attempt is None else attempt,
            worker=self.worker_id,
            error=error,
        )

    def _log_push(self, job: Job, result: PushResult) -> None:
        delivery = job.delivery
        logs.event(
            "push",
            delivery=str(delivery.id),
            user=str(delivery.user),
            kind=delivery.kind,
            period_key=delivery.period_key,
            origin=origin(result.message),
            outcome=str(result.outcome),
            http_status=result.status,
            attempt=job.attempt,
            worker=self.worker_id,
        )


def _nothing_to_send(
    delivery: Delivery, user: User | None, now: dt.datetime, deadline: dt.datetime
) -> Verdict | None:
    """The verdict when the delivery ends without a send, else None."""
    if user is None:
        return Verdict.skipped("the account no longer exists")
    if delivery.kind == "reminder":
        if not (user.reminders and user.reminders.enabled):
            return Verdict.skipped("reminders are turned off")
        if checked_in(user.id, delivery.period_key):
            return Verdict.skipped("already checked in that day")
    elif not (user.digest and user.digest.enabled):
        return Verdict.skipped("digests are turned off")
    if now > deadline:
        return Verdict.missed("reached after its grace window: not sent late")
    return None


def checked_in(user_id: Any, local_day: str) -> bool:
    """Whether the client has a (not deleted) check-in dated that local day."""
    day = dt.date.fromisoformat(local_day)
    with db.store_lock():
        found = Checkin.objects(owner=user_id, local_date=day, deleted_at=None).only("id")
        return found.first() is not None


def _before_the_account(user: User, week: str) -> bool:
    """A week that ended, in the client's zone, before their account was made: nothing to say."""
    if user.created_at is None:
        return False
    made_on = user.created_at.astimezone(zoneinfo.ZoneInfo(user.timezone)).date()
    return week_range(week)[1] < made_on
