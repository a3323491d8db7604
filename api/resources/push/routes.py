"""Web push: the server's public key, my devices' subscriptions, and a test notification."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort

from api import devices
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
from api.resources.refusals import refused
from api.services import push_devices
from webpush import VapidSigner

blp = Blueprint("push", __name__, url_prefix="/api/v1/push", description="Web push notifications.")

_SIGNER = "partwise.vapid_signer"
_ACCEPTANCES = "partwise.push_acceptances"


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
        with refused(409, push_devices.EndpointHeldByAnotherAccount):
            subscribed = push_devices.subscribe(
                current_user().id,
                data["endpoint"],
                data["keys"]["p256dh"],
                data["keys"]["auth"],
                request.headers.get("User-Agent", ""),
                utcnow(),
            )
        return subscribed.subscription, 201 if subscribed.created else 200


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
        config = current_app.config
        return push_devices.send_test(
            _signer(),
            current_user().id,
            current_app.extensions[_ACCEPTANCES],
            allow_http=bool(config["PUSH_ALLOW_HTTP_LOOPBACK"]),
            timeout=float(config["PUSH_TIMEOUT_SECONDS"]),
        )
