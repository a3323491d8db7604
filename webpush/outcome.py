"""What a push service's answer means for the subscription and for the delivery."""

from __future__ import annotations

import email.utils
import math
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum

from .message import PushMessage


class Outcome(StrEnum):
    """How one send ended, and so what the caller does next."""

    #: Accepted by the push service (200, 201, 202).
    SENT = "sent"
    #: The subscription no longer exists (404, 410): delete it.
    GONE = "gone"
    #: Transient (408, 429, 5xx, network error, timeout): try again later, after `retry_after`.
    RETRY = "retry"
    #: Our VAPID credentials were refused (401, 403; RFC 8292 section 4.2): for this subscription
    #: when it was made with another application server key (an old VAPID key), for every one
    #: when our key, token or subject is wrong. Not retried; see `api.devices` for when the
    #: subscription is given up.
    REFUSED = "refused"
    #: The request was wrong (400, 413, other 4xx, bad subscription keys): log it and fix the
    #: code or the configuration; sending it again unchanged would fail again.
    OUR_BUG = "our_bug"


@dataclass(frozen=True)
class PushResult:
    """One message's outcome. `error` never contains the payload."""

    message: PushMessage
    outcome: Outcome
    status: int | None = None
    retry_after: float | None = None
    error: str | None = None


def classify(status: int) -> Outcome:
    """Map a push service's HTTP status to an outcome."""
    if status in (200, 201, 202):
        return Outcome.SENT
    if status in (404, 410):
        return Outcome.GONE
    if status in (401, 403):
        return Outcome.REFUSED
    # 408 is the service timing out our request: as transient as our own timeout.
    if status in (408, 429) or 500 <= status <= 599:
        return Outcome.RETRY
    return Outcome.OUR_BUG


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # HTTP-dates are always GMT (RFC 9110 section 5.6.7); asctime format carries no zone.
        when = when.replace(tzinfo=UTC)
    seconds = when.timestamp() - now
    return float(max(0, math.ceil(seconds)))
