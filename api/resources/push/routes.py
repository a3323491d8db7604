"""Web push: the server's public key, my devices' subscriptions, and a test notification."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort
from mongoengine import NotUniqueError

from api import db, devices
from api.domain import payloads
from api.extensions.limiter import push_test_throttle
from api.extensions.smorest import Blueprint, QuerySetPage, current_user
from api.models import PushSubscription
from api.models.base import utcnow
from api.resources.ownership import get_owned_or_404
from api.resources.push.schemas import (
    PushSubscriptionCreateSchema,
    PushSubscriptionSchema,
    PushTestResultSchema,
    VapidPublicKeySchema,
)
from webpush import Outcome, VapidSigner

blp = Blueprint("push", __name__, url_prefix="/api/v1/push", description="Web push notifications.")

_SIGNER = "partwise.vapid_signer"
_ACCEPTANCES = "partwise.push_acceptances"
#: A test notification is worth nothing after a few minutes.
TEST_TTL_SECONDS = 300
#: Devices one user's notifications go to. Registering another replaces the one that has gone
#: longest without a sign of life: each reinstall of the app leaves a dead subscription behind,
#: the device being registered is the one in the person's hand, and the app has no screen to
#: clear old ones, so a refusal would leave that phone silent with nothing to do about it.
MAX_DEVICES_PER_USER = 20
HELD_BY_ANOTHER = (
    "This push subscription belongs to another account on this device. Subscribe again to get "
    "a new one for this account."
)


@blp.record_once
def _load_vapid_key(state) -> None:
    # Once at start-up: a bad key fails create_app, not the first reminder.
    config = state.app.config
    signer = VapidSigner.from_config(config) if config.get("VAPID_PRIVATE_KEY") else None
    state.app.extensions[_SIGNER] = signer
    state.app.extensions[_ACCEPTANCES] = devices.Acceptances()


def _signer() -> VapidSigner:
    signer = current_app.extensions.get(_SIGNER)
    if signer is None:
        # Like any feature a server does not offer: nothing here (a 5xx would mean a fault).
        abort(404, message="Web push is not configured on this server (VAPID_PRIVATE_KEY).")
    return signer


@blp.route("/vapid-public-key")
class VapidPublicKey(MethodView):
    @blp.response(200, VapidPublicKeySchema)
    @blp.documents(404)
    def get(self):
        """The applicationServerKey to subscribe with."""
        return {"public_key": _signer().application_server_key}


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @blp.login_required()
    @blp.response(200, PushSubscriptionSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=50, max_page_size=100)
    def get(self):
        """My devices that get notifications."""
        return PushSubscription.objects(owner=current_user().id).order_by("created_at")

    @blp.login_required()
    @blp.arguments(PushSubscriptionCreateSchema)
    @blp.response(201, PushSubscriptionSchema)
    @blp.alt_response(200, schema=PushSubscriptionSchema, description="Known endpoint: updated.")
    @blp.documents(409)
    def post(self, data):
        """Register this device's subscription (again: it is updated).

        An endpoint another account registered is refused (409): the browser should make a new
        subscription for this account, which leaves the other one's to lapse at its push service.

        A user has at most 20 devices: one more replaces the one heard of least recently.
        """
        now, owner = utcnow(), current_user().id
        existed = PushSubscription.objects(endpoint=data["endpoint"], owner=owner).first()
        try:
            # Only my own subscription is updated: one of another account's would need an insert,
            # which the unique endpoint refuses, so it is never moved to me silently.
            subscription = PushSubscription.objects(endpoint=data["endpoint"], owner=owner).modify(
                upsert=True,
                new=True,
                set__p256dh=data["keys"]["p256dh"],
                set__auth=data["keys"]["auth"],
                set__user_agent=request.headers.get("User-Agent", "")[:200],
                set__failures=0,
                set__refusals=0,
                set__updated_at=now,
                set_on_insert__created_at=now,
            )
        except NotUniqueError:
            abort(409, message=HELD_BY_ANOTHER)
        _make_room(owner, keep=subscription.id)
        return subscription, 200 if existed else 201


def _make_room(owner, keep) -> None:
    """Delete the user's devices beyond MAX_DEVICES_PER_USER, those heard of least recently
    (a notification accepted, a registration) first; never `keep`, the one just registered."""
    devices_of = list(
        PushSubscription.objects(owner=owner).only("id", "updated_at", "last_success_at")
    )
    excess = len(devices_of) - MAX_DEVICES_PER_USER
    if excess <= 0:
        return
    others = sorted(
        (d for d in devices_of if d.id != keep),
        key=lambda d: (max(d.updated_at, d.last_success_at or d.updated_at), d.id),
    )
    PushSubscription.objects(id__in=[d.id for d in others[:excess]]).delete()


@blp.route("/subscriptions/<subscription_id>")
class SubscriptionById(MethodView):
    @blp.login_required()
    @blp.response(204)
    @blp.documents(404)
    def delete(self, subscription_id):
        """Stop notifications on one of my devices."""
        get_owned_or_404(PushSubscription, subscription_id, current_user()).delete()


@blp.route("/test")
class TestNotification(MethodView):
    @blp.login_required()
    @push_test_throttle
    @blp.response(200, PushTestResultSchema)
    @blp.documents(404, 429)
    def post(self):
        """Send a test notification to each of my devices now; says how each went."""
        signer = _signer()
        subscriptions = devices.subscriptions_of(current_user().id)
        messages = [
            devices.message_for(
                sub, payloads.test(), ttl=TEST_TTL_SECONDS, topic=payloads.TEST_TOPIC, ref=sub.id
            )
            for sub in subscriptions
        ]
        config = current_app.config
        with db.store_released():  # a slow push service must not hold up everyone else
            results = devices.send_all(
                signer,
                messages,
                allow_http=bool(config["PUSH_ALLOW_HTTP_LOOPBACK"]),
                timeout=float(config["PUSH_TIMEOUT_SECONDS"]),
            )
        acceptances = current_app.extensions[_ACCEPTANCES]
        devices.apply_results([(r.message.ref, r) for r in results], utcnow(), acceptances)
        return {
            "sent": sum(r.outcome is Outcome.SENT for r in results),
            "devices": [
                {"id": str(r.message.ref), "outcome": str(r.outcome), "status": r.status}
                for r in results
            ],
        }
