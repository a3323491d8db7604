"""VAPID (RFC 8292): load the application server key, sign and cache one header per push origin.

The key is loaded once at start-up and bad configuration fails there, not at the first reminder.
A signed header is reused for its push-service origin until shortly before it expires: signing is
an ECDSA operation per call, and a fan-out sends thousands of messages to a handful of origins.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02, VapidException

#: Configuration names read by `VapidSigner.from_config`.
CONFIG_PRIVATE_KEY = "VAPID_PRIVATE_KEY"
CONFIG_SUBJECT = "VAPID_SUBJECT"

#: A token's lifetime. RFC 8292 allows at most 24 h; 12 h leaves room for clock skew.
TOKEN_LIFETIME_SECONDS = 12 * 3600
#: A cached header is signed again once it is this close to its `exp`.
REFRESH_BEFORE_EXPIRY_SECONDS = 3600

_RAW_KEY_BYTES = 32
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class VapidConfigError(ValueError):
    """The configured VAPID key or subject cannot be used."""


@dataclass(frozen=True)
class VapidKeys:
    """A new key pair: `private_key` for configuration, `public_key` for the PWA."""

    private_key: str
    public_key: str


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url, as the Push API and JWTs spell binary values."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; raise ValueError on anything else."""
    stripped = text.strip().rstrip("=")
    if not _BASE64URL.fullmatch(stripped):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc


def load_private_key(value: str) -> ec.EllipticCurvePrivateKey:
    """Load a P-256 private key from PEM text or a base64url raw 32-byte scalar."""
    value = (value or "").strip()
    if not value:
        raise VapidConfigError(f"{CONFIG_PRIVATE_KEY} is not set")
    key = _load_pem(value) if "-----BEGIN" in value else _load_raw(value)
    if key.curve.name != "secp256r1":
        raise VapidConfigError(f"{CONFIG_PRIVATE_KEY} must be a P-256 key, not {key.curve.name}")
    return key


def _load_pem(value: str) -> ec.EllipticCurvePrivateKey:
    # Environment files often carry a PEM on one line with literal "\n".
    pem = value.replace("\\n", "\n").encode("ascii", "replace")
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        # The message from cryptography never contains key material.
        raise VapidConfigError(f"{CONFIG_PRIVATE_KEY} is not a usable PEM key: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise VapidConfigError(f"{CONFIG_PRIVATE_KEY} must be an EC P-256 key")
    return key


def _load_raw(value: str) -> ec.EllipticCurvePrivateKey:
    try:
        raw = b64url_decode(value)
    except ValueError:
        raise VapidConfigError(
            f"{CONFIG_PRIVATE_KEY} must be PEM text or a base64url raw 32-byte key"
        ) from None
    if len(raw) != _RAW_KEY_BYTES:
        raise VapidConfigError(
            f"{CONFIG_PRIVATE_KEY} decodes to {len(raw)} bytes; a raw P-256 key has 32"
        )
    try:
        return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        raise VapidConfigError(f"{CONFIG_PRIVATE_KEY} is out of range for P-256") from None


def public_key_b64(private_key: ec.EllipticCurvePrivateKey) -> str:
    """The public key as the PWA passes it to `PushManager.subscribe({applicationServerKey})`."""
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url_encode(point)


def generate_keys() -> VapidKeys:
    """A new VAPID key pair; the private key is raw base64url so that it fits an env variable."""
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(_RAW_KEY_BYTES, "big")
    return VapidKeys(private_key=b64url_encode(raw), public_key=public_key_b64(key))


def origin_of(endpoint: str) -> str:
    """The push resource's origin (scheme://host[:port]): the `aud` its service expects."""
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("push endpoint must be an absolute http(s) URL")
    port = parts.port
    default_port = 443 if scheme == "https" else 80
    suffix = f":{port}" if port is not None and port != default_port else ""
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{scheme}://{host}{suffix}"


def check_subject(subject: str) -> str:
    """Return the VAPID `sub` if it is a mailto: address or an https: URL, else raise."""
    subject = (subject or "").strip()
    if subject.startswith("mailto:") and "@" in subject[len("mailto:") :]:
        return subject
    if subject.startswith("https://") and urlsplit(subject).hostname:
        return subject
    raise VapidConfigError(
        f"{CONFIG_SUBJECT} must be a mailto: address or an https: URL that push services can use "
        "to reach the operator"
    )


class VapidSigner:
    """Signs `Authorization: vapid t=...,k=...` headers, one cached header per push origin."""

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey | str,
        subject: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(private_key, str):
            private_key = load_private_key(private_key)
        self._vapid = Vapid02(private_key)
        self._subject = check_subject(subject)
        self._clock = clock
        self._public_key = public_key_b64(private_key)
        self._cache: dict[str, tuple[str, int]] = {}
        self._lock = threading.Lock()
        # py_vapid has its own, stricter idea of a valid `sub`: find out now, not at send time.
        try:
            self._sign("https://push.example.com", int(clock()) + TOKEN_LIFETIME_SECONDS)
        except VapidException as exc:
            raise VapidConfigError(f"{CONFIG_SUBJECT} rejected by py_vapid: {exc}") from None

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], *, clock: Callable[[], float] = time.time
    ) -> VapidSigner:
        """Build from `VAPID_PRIVATE_KEY` and `VAPID_SUBJECT`; VapidConfigError if unusable."""
        return cls(
            load_private_key(str(config.get(CONFIG_PRIVATE_KEY) or "")),
            str(config.get(CONFIG_SUBJECT) or ""),
            clock=clock,
        )

    @property
    def application_server_key(self) -> str:
        """The public key, base64url uncompressed point."""
        return self._public_key

    def authorization(self, origin: str) -> str:
        """The `Authorization` header value for requests to this push-service origin."""
        now = int(self._clock())
        with self._lock:
            cached = self._cache.get(origin)
            if cached is not None and now < cached[1] - REFRESH_BEFORE_EXPIRY_SECONDS:
                return cached[0]
            exp = now + TOKEN_LIFETIME_SECONDS
            header = self._sign(origin, exp)
            self._cache[origin] = (header, exp)
            return header

    def _sign(self, origin: str, exp: int) -> str:
        # A fresh dict every time: signing code has been known to write into the claims it gets.
        claims = {"aud": origin, "exp": exp, "sub": self._subject}
        return self._vapid.sign(claims)["Authorization"]
