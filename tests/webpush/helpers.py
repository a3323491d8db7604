"""Building and sending messages the way the worker does, against the loopback push service."""

from __future__ import annotations

import asyncio
from typing import Any

from webpush import PushMessage, PushResult, VapidSigner, send_batch

CONTACT = "mailto:ops@partwise.example"
REMINDER = {"kind": "reminder", "title": "Time to check in", "url": "/checkin"}


def message_for(subscription: dict[str, Any], **overrides: Any) -> PushMessage:
    """A check-in reminder for a browser subscription."""
    fields: dict[str, Any] = {
        "endpoint": subscription["endpoint"],
        "p256dh": subscription["keys"]["p256dh"],
        "auth": subscription["keys"]["auth"],
        "payload": REMINDER,
        "ttl": 3600,
        "topic": "checkin-reminder",
        "urgency": "normal",
    }
    return PushMessage(**{**fields, **overrides})


def send(signer: VapidSigner, messages: list[PushMessage], **options: Any) -> list[PushResult]:
    """Send over one session; plain http is allowed for the loopback service only."""
    return asyncio.run(send_batch(signer, messages, allow_http=True, **options))
