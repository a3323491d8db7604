"""Encryption at rest for sensitive free text (AES-256-GCM, keys from configuration, rotatable).

A key ring holds named keys; the first one encrypts, any of them decrypts. A sealed value reads
`pw1:<kid>:<base64url(nonce | ciphertext+tag)>`, and the field's purpose ("checkins.note") is bound
in as associated data, so a ciphertext moved to another field does not decrypt. Documents store it
as `{"enc": "<sealed>"}` (see `api.models.fields`), so it can never be mistaken for plain text.

Rotation: put the new key first, keep the old ones, run `partwise rotate-keys`, then drop the old.
"""

from __future__ import annotations

import base64
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "pw1"
_KID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class KeyConfigError(ValueError):
    """The configured encryption keys are missing or malformed."""


class DecryptionError(ValueError):
    """A stored value could not be decrypted with any configured key."""


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def generate_key() -> str:
    """A new random 256-bit key, base64url, for configuration."""
    return _b64e(AESGCM.generate_key(bit_length=256))


class KeyRing:
    """Named AES-GCM keys; the first encrypts."""

    def __init__(self, spec: str):
        self._keys: dict[str, AESGCM] = {}
        self.primary = ""
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            kid, sep, material = item.partition(":")
            if not sep or not _KID_RE.match(kid):
                raise KeyConfigError("each encryption key reads '<kid>:<base64 key>'")
            try:
                key = _b64d(material)
            except ValueError as exc:
                raise KeyConfigError(f"encryption key {kid!r} is not base64") from exc
            if len(key) != 32:
                raise KeyConfigError(f"encryption key {kid!r} must be 32 bytes (AES-256)")
            if kid in self._keys:
                raise KeyConfigError(f"encryption key id {kid!r} appears twice")
            self._keys[kid] = AESGCM(key)
            self.primary = self.primary or kid
        if not self._keys:
            raise KeyConfigError("no encryption key configured (PARTWISE_ENCRYPTION_KEYS)")

    def encrypt(self, plaintext: str, purpose: str) -> str:
        nonce = os.urandom(12)
        sealed = self._keys[self.primary].encrypt(
            nonce, plaintext.encode("utf-8"), purpose.encode()
        )
        return f"{PREFIX}:{self.primary}:{_b64e(nonce + sealed)}"

    def decrypt(self, stored: str, purpose: str) -> str:
        prefix, kid, body = [*stored.split(":", 2), "", ""][:3]
        if prefix != PREFIX or kid not in self._keys:
            raise DecryptionError(f"no configured key {kid!r} for this value")
        try:
            raw = _b64d(body)
            return self._keys[kid].decrypt(raw[:12], raw[12:], purpose.encode()).decode("utf-8")
        except (InvalidTag, ValueError) as exc:
            raise DecryptionError("stored value failed authentication") from exc


_ring: dict[str, KeyRing] = {}


def configure(spec: str) -> KeyRing:
    """Install the process-wide key ring (the API and the worker call this at start-up)."""
    ring = KeyRing(spec)
    _ring["current"] = ring
    return ring


def keyring() -> KeyRing:
    try:
        return _ring["current"]
    except KeyError:
        raise KeyConfigError("encryption is not configured: call api.crypto.configure()") from None
