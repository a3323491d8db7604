"""One push message: where it goes, what it says, and the Web Push headers it carries.

A message is checked when it is built, so that a batch is refused before anything is sent:
TTL, Urgency and Topic are always set (RFC 8030 section 5), and the payload must fit in one
4096-byte aes128gcm record (RFC 8291 section 4), the most every push service must accept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: The largest encrypted body every push service must accept (RFC 8030 section 7.2).
MAX_ENCRYPTED_BYTES = 4096
#: aes128gcm header (16 salt + 4 record size + 1 key id length + 65 sender key) plus one
#: record's padding delimiter (1) and AEAD tag (16).
ENCRYPTION_OVERHEAD_BYTES = 16 + 4 + 1 + 65 + 1 + 16
MAX_PAYLOAD_BYTES = MAX_ENCRYPTED_BYTES - ENCRYPTION_OVERHEAD_BYTES

#: RFC 8030 section 5.4: at most 32 characters of the URL and filename safe base64 alphabet.
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")


class Urgency(StrEnum):
    """RFC 8030 section 5.3: lets a phone on low battery defer what can wait."""

    VERY_LOW = "very-low"
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class PayloadTooLarge(ValueError):
    """The JSON payload would not fit in one encrypted push message."""


def encrypted_size(plaintext_bytes: int) -> int:
    """The aes128gcm body size for a plaintext of this many bytes."""
    return plaintext_bytes + ENCRYPTION_OVERHEAD_BYTES


@dataclass(frozen=True)
class PushMessage:
    """A JSON payload for one subscription. `ref` is the caller's handle, returned untouched."""

    endpoint: str
    p256dh: str = field(repr=False)
    auth: str = field(repr=False)
    payload: Mapping[str, Any] = field(repr=False)
    ttl: int
    topic: str
    urgency: Urgency = Urgency.NORMAL
    ref: Any = None
    plaintext: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.ttl, bool) or not isinstance(self.ttl, int) or self.ttl < 0:
            raise ValueError("ttl must be a non-negative number of seconds")
        if not isinstance(self.topic, str) or not _TOPIC.fullmatch(self.topic):
            raise ValueError("topic must be 1 to 32 characters of [A-Za-z0-9_-]")
        object.__setattr__(self, "urgency", Urgency(self.urgency))
        plaintext = json.dumps(self.payload, separators=(",", ":"), ensure_ascii=False).encode()
        if encrypted_size(len(plaintext)) > MAX_ENCRYPTED_BYTES:
            raise PayloadTooLarge(
                f"push payload is {len(plaintext)} bytes of JSON; at most {MAX_PAYLOAD_BYTES} fit "
                f"in one {MAX_ENCRYPTED_BYTES}-byte encrypted message"
            )
        object.__setattr__(self, "plaintext", plaintext)
