"""A user's devices (push subscriptions): messages for them, and what a send tells about them."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from bson import ObjectId

from api import db
from api.models import PushSubscription
from worker.push import Outcome, PushMessage, PushResult, Urgency, VapidSigner, send_batch


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


def apply_results(results: Iterable[tuple[ObjectId, PushResult]], now: dt.datetime) -> None:
    """Delete gone subscriptions; note successes and failures on the others."""
    with db.store_lock():
        for subscription_id, result in results:
            found = PushSubscription.objects(id=subscription_id)
            if result.outcome is Outcome.GONE:
                found.delete()
            elif result.outcome is Outcome.SENT:
                found.update_one(set__last_success_at=now, set__failures=0)
            else:
                found.update_one(set__last_failure_at=now, inc__failures=1)
