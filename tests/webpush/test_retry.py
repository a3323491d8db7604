from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webpush.retry import (
    BASE_DELAY_SECONDS,
    MAX_ATTEMPTS,
    MAX_DELAY_SECONDS,
    next_attempt_at,
)

NOW = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)


def wait(attempts: int, rng: float, **kwargs) -> float | None:
    when = next_attempt_at(attempts, NOW, rng=lambda: rng, **kwargs)
    return None if when is None else (when - NOW).total_seconds()


def test_the_wait_doubles_with_each_attempt():
    assert [wait(n, 1.0) for n in (1, 2, 3)] == [
        BASE_DELAY_SECONDS,
        2 * BASE_DELAY_SECONDS,
        4 * BASE_DELAY_SECONDS,
    ]


def test_jitter_keeps_at_least_half_the_backoff():
    assert wait(3, 0.0) == 2 * BASE_DELAY_SECONDS


def test_the_wait_is_capped():
    assert wait(MAX_ATTEMPTS - 1, 1.0) == MAX_DELAY_SECONDS


def test_retry_after_is_honoured_when_longer():
    assert wait(1, 1.0, retry_after=900) == 900


def test_backoff_wins_when_retry_after_is_shorter():
    assert wait(3, 1.0, retry_after=1) == 4 * BASE_DELAY_SECONDS


def test_it_gives_up_after_the_last_attempt():
    assert wait(MAX_ATTEMPTS, 0.5) is None


def test_it_gives_up_when_the_retry_would_miss_the_deadline():
    assert wait(1, 0.5, retry_after=3600, deadline=NOW + timedelta(minutes=30)) is None


def test_attempts_start_at_one():
    with pytest.raises(ValueError):
        next_attempt_at(0, NOW)
