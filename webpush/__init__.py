"""Web Push (RFC 8030, 8291, 8292): VAPID signing, encryption, fan-out and what answers mean."""

from .message import MAX_PAYLOAD_BYTES, PayloadTooLarge, PushMessage, Urgency
from .outcome import Outcome, PushResult
from .retry import next_attempt_at
from .sender import PushSender, send_batch, send_one
from .vapid import VapidConfigError, VapidKeys, VapidSigner, generate_keys

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "Outcome",
    "PayloadTooLarge",
    "PushMessage",
    "PushResult",
    "PushSender",
    "Urgency",
    "VapidConfigError",
    "VapidKeys",
    "VapidSigner",
    "generate_keys",
    "next_attempt_at",
    "send_batch",
    "send_one",
]
