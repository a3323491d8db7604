"""Claiming work with single-document atomic updates, so that any number of workers can run.

Two steps turn a due time into work, healthchecks' sendreports style:

1. `record_due` inserts the pending delivery for the user's due time. The delivery log's unique
   `(user, kind, period_key)` index decides who got there first; everyone else is refused.
2. `advance` moves the user's due time to the next one by compare-and-set ("set next where next is
   still the time I read"), before anything is sent, so no worker sees it due again.

Recording first means a crash between the two steps loses nothing: the user is still due, the
insert is refused as a duplicate, and the due time moves on. Sending is a separate, leased step:
`take_lease` hands a pending delivery to one worker until `lease_until`; `mark_sending` notes that
its pushes are about to leave, so that a lease found expired after that is never sent again
(`fail_abandoned`): a crash can lose a reminder, never send it twice.

Every function is one unit of database work under `db.store_lock()`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from bson import ObjectId
from mongoengine import NotUniqueError, Q

from api import db
from api.domain import schedule
from api.models import User
from api.models.delivery import FAILED, PENDING, SENT, Delivery

logger = logging.getLogger(__name__)

DUE_FIELD = {"reminder": "next_reminder_at", "digest": "next_digest_at"}
INTERRUPTED = "the worker stopped while sending: outcome unknown, not sent again"

#: Clients with preferences on but no due time (accounts from before due times were stored, or
#: made without the API's hooks): the worker schedules them itself.
_UNSCHEDULED = {
    "reminder": {"reminders.enabled": {"$ne": False}, "reminders.weekdays.0": {"$exists": True}},
    "digest": {"digest.enabled": {"$ne": False}},
}


def find_due(
    kind: str, now: dt.datetime, limit: int, exclude: Iterable[ObjectId] = ()
) -> list[User]:
    """Users whose `kind` is due at `now`, earliest first, but for those in `exclude`."""
    field = DUE_FIELD[kind]
    query = {f"{field}__lte": now}
    if exclude:
        query["id__nin"] = list(exclude)
    with db.store_lock():
        return list(User.objects(**query).order_by(field).limit(limit))


def record_due(kind: str, user: User) -> Delivery | None:
    """Insert the pending delivery for the user's due time; None if the log already has it."""
    due_at = getattr(user, DUE_FIELD[kind])
    delivery = Delivery(
        user=user.id,
        kind=kind,
        period_key=schedule.period_key(kind, due_at, user.timezone),
        due_at=due_at,
        next_attempt_at=due_at,
    )
    try:
        with db.store_lock():
            delivery.save(force_insert=True)
    except NotUniqueError:
        return None
    return delivery


def advance(kind: str, user: User) -> bool:
    """Move the user's due time past the one read, if nobody moved it since; True if moved."""
    field = DUE_FIELD[kind]
    due_at = getattr(user, field)
    following = schedule.NEXT_DUE[kind](user, due_at)
    update = {f"unset__{field}": True} if following is None else {f"set__{field}": following}
    with db.store_lock():
        return User.objects(id=user.id, **{field: due_at}).update_one(**update) == 1


def schedule_unscheduled(kind: str, now: dt.datetime, limit: int) -> int:
    """Give clients whose `kind` is on but has no due time their next one; returns how many."""
    field = DUE_FIELD[kind]
    query = {"role": "client", field: None, **_UNSCHEDULED[kind]}
    with db.store_lock():
        users = list(User.objects(__raw__=query).limit(limit))
    scheduled = 0
    for user in users:
        try:
            following = schedule.NEXT_DUE[kind](user, now)
        except (ValueError, LookupError):  # a zone the installed tzdata no longer knows
            logger.exception("cannot schedule the %s of user %s", kind, user.id)
            continue
        if following is None:
            continue
        with db.store_lock():
            scheduled += User.objects(id=user.id, **{field: None}).update_one(
                **{f"set__{field}": following}
            )
    return scheduled


def take_lease(owner: str, now: dt.datetime, lease: dt.timedelta) -> Delivery | None:
    """Hold the oldest ready pending delivery (free, or its lease expired) until now + lease."""
    with db.store_lock():
        return (
            Delivery.objects(
                Q(lease_until=None) | Q(lease_until__lte=now),
                status=PENDING,
                sending_since=None,
                next_attempt_at__lte=now,
            )
            .order_by("next_attempt_at")
            .modify(set__lease_owner=owner, set__lease_until=now + lease, new=True)
        )


def fail_abandoned(now: dt.datetime) -> Delivery | None:
    """Close one delivery whose worker died mid-send as failed (never resent); None if none."""
    with db.store_lock():
        return Delivery.objects(
            status=PENDING, sending_since__ne=None, lease_until__lte=now
        ).modify(
            set__status=FAILED,
            set__last_error=INTERRUPTED,
            set__finished_at=now,
            set__updated_at=now,
            unset__lease_owner=True,
            unset__lease_until=True,
            new=True,
        )


def _held(delivery: Delivery, owner: str, **extra) -> Q:
    return Q(id=delivery.id, lease_owner=owner, status=PENDING, **extra)


def mark_sending(delivery: Delivery, owner: str, now: dt.datetime) -> bool:
    """Note that this attempt's sends are leaving; False if the lease was lost meanwhile."""
    with db.store_lock():
        held = Delivery.objects(_held(delivery, owner, sending_since=None, lease_until__gt=now))
        return held.update_one(set__sending_since=now, inc__attempts=1, set__updated_at=now) == 1


def finish(
    delivery: Delivery,
    owner: str,
    now: dt.datetime,
    *,
    status: str,
    error: str | None = None,
    next_attempt_at: dt.datetime | None = None,
    done: Iterable[str] = (),
    accepted: int = 0,
    attempted: bool = False,
    count_attempt: bool = False,
) -> bool:
    """Record an attempt's end and give the lease back; False if the lease was lost meanwhile.

    `status` PENDING with `next_attempt_at` schedules a retry; any other status is final.
    `attempted`: the attempt was marked sending; `count_attempt`: count one that was not.
    """
    changes = {
        "set__status": status,
        "set__updated_at": now,
        "inc__accepted": accepted,
        "unset__lease_owner": True,
        "unset__lease_until": True,
        "unset__sending_since": True,
    }
    if count_attempt:
        changes["inc__attempts"] = 1
    if done:
        changes["push_all__done"] = list(done)
    if error is not None:
        changes["set__last_error"] = error[:500]
    if status == PENDING:
        changes["set__next_attempt_at"] = next_attempt_at
    else:
        changes["set__finished_at"] = now
    extra = {"sending_since__ne": None} if attempted else {"sending_since": None}
    with db.store_lock():
        return Delivery.objects(_held(delivery, owner, **extra)).update_one(**changes) == 1


def record_late_success(
    delivery: Delivery, now: dt.datetime, *, accepted: int, error: str | None = None
) -> bool:
    """A worker whose lease ran out mid-send got its answers after all, and someone accepted:
    the delivery another worker closed as interrupted becomes sent (it is never sent again
    either way). False if it was not closed that way."""
    changes = {"set__status": SENT, "inc__accepted": accepted, "set__updated_at": now}
    changes.update({"set__last_error": error[:500]} if error else {"unset__last_error": True})
    with db.store_lock():
        closed = Delivery.objects(id=delivery.id, status=FAILED, last_error=INTERRUPTED)
        return closed.update_one(**changes) == 1


def release(delivery: Delivery, owner: str) -> bool:
    """Give back a lease whose sends never started (shutting down)."""
    with db.store_lock():
        return (
            Delivery.objects(_held(delivery, owner, sending_since=None)).update_one(
                unset__lease_owner=True, unset__lease_until=True
            )
            == 1
        )
