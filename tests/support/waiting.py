"""Waiting for something another thread or process does, always with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], what: str, timeout: float = 10.0) -> T:
    """Call `condition` until it gives something truthy, and return that.

    Fails after `timeout` seconds saying that `what` did not happen, instead of waiting forever.
    """
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.01)
    return value
