"""The devices a user's notifications go to: registering one, and sending a test notification.

The rules: an endpoint belongs to one account, and is never moved to another silently; one
registered again is updated (its keys, and a clean record of failures); a user has at most
MAX_DEVICES_PER_USER devices; a test notification goes to each device at once, lives a few
minutes, and reports how each device took it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bson import ObjectId
from mongoengine import NotUniqueError

from api import db, devices
from api.domain import payloads
from api.models import PushSubscription
from api.models.base import utcnow
from webpush import Outcome, VapidSigner

#: A test notification is worth nothing after a few minutes.
TEST_TTL_SECONDS = 300
#: Devices one user's notifications go to. Registering another replaces the one that has gone
#: longest without a sign of life: each reinstall of the app leaves a dead subscription behind,
#: the device being registered is the one in the person's hand, and the app has no screen to
#: clear old ones, so a refusal would leave that phone silent with nothing to do about it.
MAX_DEVICES_PER_USER = 20
#: The user agent kept with a subscription, at most this long.
USER_AGENT_MAX = 200


class EndpointHeldByAnotherAccount(Exception):
    """Another account registered this endpoint (on this device): it stays theirs."""

    def __init__(self) -> None:
        super().__init__(
            "This push subscription belongs to another account on this device. Subscribe again "
            "to get a new one for this account."
        )


@dataclass(frozen=True)
class Subscribed:
    subscription: PushSubscription
    #: False when the endpoint was already this user's (it was updated).
    created: bool


@dataclass(frozen=True)
class DeviceOutcome:
    """How one device took a test notification."""

    id: str
    #: An `Outcome`: sent, gone (deleted), retry, refused (VAPID) or our_bug.
    outcome: str
    #: The push service's HTTP status (None without an answer).
    status: int | None


@dataclass(frozen=True)
class PushTestReport:
    """What a test notification did: how many devices accepted it, and how each went."""

    sent: int
    devices: list[DeviceOutcome]


def subscribe(
    owner_id: ObjectId, endpoint: str, p256dh: str, auth: str, user_agent: str, now: dt.datetime
) -> Subscribed:
    """Register a device's subscription for `owner_id`, or update it if it is theirs already;
    EndpointHeldByAnotherAccount if it is another account's. Makes room for it (see
    MAX_DEVICES_PER_USER)."""
    existed = PushSubscription.objects(endpoint=endpoint, owner=owner_id).first()
    try:
        # Only my own subscription is updated: one of another account's would need an insert,
        # which the unique endpoint refuses, so it is never moved to me silently.
        subscription = PushSubscription.objects(endpoint=endpoint, owner=owner_id).modify(
            upsert=True,
            new=True,
            set__p256dh=p256dh,
            set__auth=auth,
            set__user_agent=user_agent[:USER_AGENT_MAX],
            set__failures=0,
            set__refusals=0,
            set__updated_at=now,
            set_on_insert__created_at=now,
        )
    except NotUniqueError:
        raise EndpointHeldByAnotherAccount() from None
    make_room(owner_id, keep=subscription.id)
    return Subscribed(subscription, created=existed is None)


def make_room(owner_id: ObjectId, keep: ObjectId) -> None:
    """Delete the user's devices beyond MAX_DEVICES_PER_USER, those heard of least recently
    (a notification accepted, a registration) first; never `keep`, the one just registered."""
    devices_of = list(
        PushSubscription.objects(owner=owner_id).only("id", "updated_at", "last_success_at")
    )
    excess = len(devices_of) - MAX_DEVICES_PER_USER
    if excess <= 0:
        return
    others = sorted(
        (d for d in devices_of if d.id != keep),
        key=lambda d: (max(d.updated_at, d.last_success_at or d.updated_at), d.id),
    )
    PushSubscription.objects(id__in=[d.id for d in others[:excess]]).delete()


def send_test(
    signer: VapidSigner,
    owner_id: ObjectId,
    acceptances: devices.Acceptances,
    *,
    allow_http: bool,
    timeout: float,
) -> PushTestReport:
    """Send a test notification to each of the user's devices now, and note how each went
    (a device that is gone is deleted, as after any notification)."""
    messages = [
        devices.message_for(
            sub, payloads.test(), ttl=TEST_TTL_SECONDS, topic=payloads.TEST_TOPIC, ref=sub.id
        )
        for sub in devices.subscriptions_of(owner_id)
    ]
    with db.store_released():  # a slow push service must not hold up everyone else
        results = devices.send_all(signer, messages, allow_http=allow_http, timeout=timeout)
    devices.apply_results([(r.message.ref, r) for r in results], utcnow(), acceptances)
    return PushTestReport(
        sent=sum(r.outcome is Outcome.SENT for r in results),
        devices=[DeviceOutcome(str(r.message.ref), str(r.outcome), r.status) for r in results],
    )
