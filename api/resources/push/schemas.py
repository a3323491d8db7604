"""Push subscriptions as the browser's `PushSubscription.toJSON()` gives them."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates

from api.models.push_subscription import ENDPOINT_MAX_CHARS
from webpush.sender import AUTH_SECRET_BYTES, P256_POINT_BYTES
from webpush.vapid import b64url_decode

_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def _decoded(text: str, what: str) -> bytes:
    try:
        return b64url_decode(text)
    except ValueError:
        raise ValidationError(f"{what} must be base64url.") from None


def check_p256dh(text: str) -> None:
    raw = _decoded(text, "p256dh")
    if len(raw) != P256_POINT_BYTES or raw[0] != 4:
        raise ValidationError("p256dh must be an uncompressed P-256 point (65 bytes).")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise ValidationError("p256dh is not a point on the P-256 curve.") from None


def check_auth(text: str) -> None:
    if len(_decoded(text, "auth")) != AUTH_SECRET_BYTES:
        raise ValidationError(f"auth must be a {AUTH_SECRET_BYTES}-byte secret.")


def _known_push_service(host: str, allowed: str) -> bool:
    """Whether `host` is one of PUSH_SERVICE_HOSTS or under one ("*": any host)."""
    names = [name.strip().lower().strip(".") for name in allowed.split(",") if name.strip()]
    return "*" in names or any(host == name or host.endswith(f".{name}") for name in names)


def check_endpoint(url: str) -> None:
    """https to a known push service (PUSH_SERVICE_HOSTS), never to a private address; http to
    loopback only when PUSH_ALLOW_HTTP_LOOPBACK is set."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValidationError("Not a valid URL.") from None
    if not host or parts.username or parts.password:
        raise ValidationError("The endpoint must be an absolute URL without credentials.")
    loopback_ok = bool(current_app.config.get("PUSH_ALLOW_HTTP_LOOPBACK"))
    if parts.scheme == "http" and loopback_ok and host in _LOOPBACK_NAMES:
        return
    if parts.scheme != "https":
        raise ValidationError("The endpoint must be an https URL.")
    if not _known_push_service(host, str(current_app.config.get("PUSH_SERVICE_HOSTS") or "*")):
        # A host name is checked when it is registered, its address only when it is posted to:
        # accepting any host would let a subscription point the worker at our own network.
        raise ValidationError("The endpoint is not a browser push service this server knows.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a host name, as every real push service has
    # Push services are public: never make the server post to its own network.
    if not address.is_global:
        raise ValidationError("The endpoint must be a public push service.")


class SubscriptionKeysSchema(Schema):
    p256dh = fields.String(
        required=True,
        validate=check_p256dh,
        metadata={"description": "The browser's P-256 public key, base64url (65 bytes)."},
    )
    auth = fields.String(
        required=True,
        validate=check_auth,
        metadata={"description": "The browser's auth secret, base64url (16 bytes)."},
    )


class PushSubscriptionCreateSchema(Schema):
    endpoint = fields.String(
        required=True,
        validate=validate.Length(1, ENDPOINT_MAX_CHARS),
        metadata={"description": "The push service URL the browser gave."},
    )
    keys = fields.Nested(SubscriptionKeysSchema, required=True)
    expiration_time = fields.Float(
        data_key="expirationTime",
        allow_none=True,
        load_only=True,
        metadata={"description": "As the browser gives it; not used."},
    )

    @validates("endpoint")
    def _endpoint(self, value: str, **_kwargs) -> None:
        check_endpoint(value)


class PushSubscriptionSchema(Schema):
    id = fields.String(dump_only=True)
    endpoint = fields.String(dump_only=True)
    user_agent = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_success_at = fields.DateTime(dump_only=True, allow_none=True)
    failures = fields.Integer(dump_only=True)


class VapidPublicKeySchema(Schema):
    public_key = fields.String(
        required=True,
        metadata={"description": "applicationServerKey for pushManager.subscribe (base64url)."},
    )


class DeviceResultSchema(Schema):
    id = fields.String(required=True)
    outcome = fields.String(
        required=True,
        metadata={"description": "sent, gone (deleted), retry, refused (VAPID) or our_bug."},
    )
    status = fields.Integer(
        allow_none=True, metadata={"description": "The push service's HTTP status."}
    )


class PushTestResultSchema(Schema):
    sent = fields.Integer(required=True, metadata={"description": "Devices that accepted it."})
    devices = fields.List(fields.Nested(DeviceResultSchema), required=True)
