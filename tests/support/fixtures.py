"""Pytest fixtures over the support services; import them into a conftest.py to use them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .push_service import PushService


@pytest.fixture
def push_service() -> Iterator[PushService]:
    """A verifying, decrypting push service on 127.0.0.1, fresh for each test."""
    with PushService() as service:
        yield service
