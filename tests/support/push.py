"""A browser's push subscription as the PWA sends it: a fresh endpoint and real P-256 keys."""

from __future__ import annotations

import base64
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from api.config import DEFAULTS

#: A made-up push service: the API accepts it only where a test's configuration adds it
#: (`PUSH_SERVICE_HOSTS`), and no test sends to it.
HOST = "push.example.org"
PUSH_SERVICE_HOSTS = f"{DEFAULTS['PUSH_SERVICE_HOSTS']},{HOST}"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def subscription() -> dict:
    """A body for POST /api/v1/push/subscriptions (to a push service nobody calls)."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "endpoint": f"https://{HOST}/send/{uuid.uuid4()}",
        "keys": {"p256dh": _b64url(point), "auth": _b64url(uuid.uuid4().bytes)},
    }
