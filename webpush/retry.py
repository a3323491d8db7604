"""When to try a `retry` outcome again: exponential backoff with jitter, honouring Retry-After."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

#: Attempts in all, the first one included; after the last one the delivery gives up.
#: With the delays below that spreads them over about two hours.
MAX_ATTEMPTS = 8
#: The wait after the first failed attempt, before jitter; it doubles with each attempt after.
BASE_DELAY_SECONDS = 60.0
#: Backoff never waits longer than this, unless the push service asks for more.
MAX_DELAY_SECONDS = 3600.0


def next_attempt_at(
    attempts: int,
    now: datetime,
    *,
    retry_after: float | None = None,
    deadline: datetime | None = None,
    rng: Callable[[], float] = random.random,
) -> datetime | None:
    """When to make attempt number `attempts + 1`, or None to give up.

    `attempts` counts the attempts made so far (1 after the first failure). The wait is at least
    `retry_after` when the push service sent one. With a `deadline` (a reminder that means nothing
    tomorrow), a retry that would land after it is given up too.
    """
    if attempts < 1:
        raise ValueError("attempts counts the attempts already made: at least 1")
    if attempts >= MAX_ATTEMPTS:
        return None
    backoff = min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** (attempts - 1))
    # "Equal jitter": spreads a burst of failures over time but never retries almost at once.
    delay = backoff / 2 + rng() * backoff / 2
    if retry_after is not None:
        delay = max(delay, retry_after)
    when = now + timedelta(seconds=delay)
    if deadline is not None and when > deadline:
        return None
    return when
