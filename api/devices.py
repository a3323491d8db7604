"""A user's devices (push subscriptions): messages for them, and what a send tells about them."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from bson import ObjectId

from api import db
from api.models import PushSubscription
from webpush import Outcome, PushMessage, PushResult, Urgency, VapidSigner, send_batch
from webpush.vapid import origin_of

logger = logging.getLogger(__name__)


def subscriptions_of(user_id: ObjectId) -> list[PushSubscription]:
    with db.store_lock():
        return list(PushSubscription.objects(owner=user_id).order_by("created_at"))


def message_for(
    subscription: PushSubscription,
    payload: Mapping[str, Any],
    *,
    ttl: int,
    topic: str,
    ref: Any = None,
) -> PushMessage:
    return PushMessage(
        endpoint=subscription.endpoint,
        p256dh=subscription.p256dh,
        auth=subscription.auth,
        payload=payload,
        ttl=ttl,
        topic=topic,
        urgency=Urgency.NORMAL,
        ref=ref,
    )


def send_all(signer: VapidSigner, messages: list[PushMessage], **options: Any) -> list[PushResult]:
    """Send from synchronous code over one pooled session (see PushSender for `options`).

    Call it from a thread without a running event loop (a request, a scheduler job).
    """
    return asyncio.run(send_batch(signer, messages, **options)) if messages else []


#: VAPID refusals in a row after which a subscription is deleted (see `apply_results`).
REFUSALS_BEFORE_DELETE = 3
#: How long an acceptance by a push service vouches for our credentials there.
ACCEPTANCE_EVIDENCE = dt.timedelta(hours=24)


class Acceptances:
    """When each push service last accepted one of our pushes, in this process: the evidence
    that our VAPID key, token and subject are good there."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, dt.datetime] = {}

    def note(self, origin: str, now: dt.datetime) -> None:
        with self._lock:
            self._last[origin] = max(now, self._last.get(origin, now))

    def vouch(self, origin: str, now: dt.datetime) -> bool:
        with self._lock:
            last = self._last.get(origin)
        return last is not None and now - last <= ACCEPTANCE_EVIDENCE


def apply_results(
    results: Iterable[tuple[ObjectId, PushResult]], now: dt.datetime, acceptances: Acceptances
) -> None:
    """Delete gone subscriptions; note successes and failures on the others.

    A push service that refuses our VAPID credentials (401, 403) for one subscription while it
    accepts them for others says that this subscription was made with another key (RFC 8292
    section 4.2: an old VAPID key) and will never take our pushes again: after
    REFUSALS_BEFORE_DELETE such refusals in a row it is deleted. A refusal while that service
    accepted none of our pushes in the last day counts as a failure only: then our own key,
    token or subject is the likelier fault (logged as an error), and deleting would unsubscribe
    every device of that service until its owner turns notifications on again.
    """
    results = list(results)
    for _, result in results:
        if result.outcome is Outcome.SENT:
            acceptances.note(origin_of(result.message.endpoint), now)
    gone, sent, failed, refused = [], [], [], []
    for subscription_id, result in results:
        if result.outcome is Outcome.GONE:
            gone.append(subscription_id)
        elif result.outcome is Outcome.SENT:
            sent.append(subscription_id)
        elif result.outcome is Outcome.REFUSED and acceptances.vouch(
            origin_of(result.message.endpoint), now
        ):
            refused.append((subscription_id, result))
        else:
            failed.append(subscription_id)
    # One write per kind of outcome for the whole batch, not one per push: a reminder burst
    # is thousands of pushes, and the database's round trips set the worker's pace.
    with db.store_lock():
        if gone:
            PushSubscription.objects(id__in=gone).delete()
        if failed:
            PushSubscription.objects(id__in=failed).update(
                set__last_failure_at=now, inc__failures=1
            )
        if sent:
            PushSubscription.objects(id__in=sent).update(
                set__last_success_at=now, set__failures=0, set__refusals=0
            )
        for subscription_id, result in refused:  # rare: each one is counted and maybe deleted
            _refused(PushSubscription.objects(id=subscription_id), now, result)


def _refused(found, now: dt.datetime, result: PushResult) -> None:
    subscription = found.modify(
        set__last_failure_at=now, inc__failures=1, inc__refusals=1, new=True
    )
    if subscription is not None and subscription.refusals >= REFUSALS_BEFORE_DELETE:
        found.delete()
        logger.info(
            "push subscription %s deleted: %s refused our VAPID credentials %d times in a row "
            "(status %s) while accepting them for other subscriptions",
            subscription.id,
            origin_of(result.message.endpoint),
            subscription.refusals,
            result.status,
        )
