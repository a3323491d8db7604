"""The delivery log: one document per reminder or digest that was due, and what became of it.

Its unique `(user, kind, period_key)` index is what makes a send happen at most once: a second
worker, a restart or a clock that went back all try to insert the same key and are refused.

Life of a delivery: `pending` (due, waiting for a worker; `lease_until` while one holds it,
`sending_since` while its pushes are on the wire), then one of
- `sent`: at least one device (or the email server) accepted it;
- `failed`: every attempt failed, or a worker died while sending (outcome unknown: never resent);
- `missed`: a worker reached it only after its grace window: late reminders are not sent;
- `skipped`: nothing to send (already checked in that day, no device, turned off, no account).
"""

from __future__ import annotations

from mongoengine import (
    DateTimeField,
    IntField,
    ListField,
    ObjectIdField,
    StringField,
)

from api import db
from api.models.base import TimestampedDocument

KINDS = ("reminder", "digest")
PENDING, SENT, FAILED, MISSED, SKIPPED = "pending", "sent", "failed", "missed", "skipped"
STATUSES = (PENDING, SENT, FAILED, MISSED, SKIPPED)
FINAL_STATUSES = (SENT, FAILED, MISSED, SKIPPED)
#: A target of a delivery that is not a push subscription id.
EMAIL_TARGET = "email"


class Delivery(TimestampedDocument):
    user = ObjectIdField(required=True)
    kind = StringField(required=True, choices=KINDS)
    period_key = StringField(required=True)
    #: The due time this delivery was claimed for (UTC); its grace window runs from here.
    due_at = DateTimeField(required=True)
    status = StringField(required=True, choices=STATUSES, default=PENDING)
    attempts = IntField(default=0)
    last_error = StringField()
    #: A pending delivery is not taken before this (the due time, then each retry's time).
    next_attempt_at = DateTimeField()
    #: A worker holds the delivery until then; after it, another worker may take it over.
    lease_owner = StringField()
    lease_until = DateTimeField()
    #: Set just before the pushes go out: a lease that expires with this set means the worker
    #: died mid-send, and whether the phone got it is unknown.
    sending_since = DateTimeField()
    #: Targets finished with (push subscription ids, "email"): retries go to the others only.
    done = ListField(StringField())
    #: How many targets accepted it, over all attempts.
    accepted = IntField(default=0)
    finished_at = DateTimeField()

    meta = {
        "collection": "deliveries",
        "indexes": [
            {"fields": ["user", "kind", "period_key"], "unique": True},
            ("status", "next_attempt_at"),
            # The operators' counts by status and kind: each one is answered from this index
            # alone (a count scan), never by reading the deliveries themselves.
            ("status", "kind"),
        ],
    }


def _count(status: str, kind: str) -> int:
    with db.store_lock():
        return Delivery._get_collection().count_documents({"status": status, "kind": kind})


def pending_counts() -> dict[str, int]:
    """Pending deliveries by kind: the few due now or waiting for a retry (a metrics gauge)."""
    return {kind: _count(PENDING, kind) for kind in KINDS}


def status_counts() -> dict:
    """How many deliveries are in each status, in all and by kind (for operators, on demand:
    the counts of the final statuses read as many index keys as there are deliveries)."""
    by_kind = {kind: {status: _count(status, kind) for status in STATUSES} for kind in KINDS}
    counts = {s: sum(by_kind[kind][s] for kind in KINDS) for s in STATUSES}
    return {**counts, "by_kind": by_kind}
