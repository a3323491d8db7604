from __future__ import annotations

import pytest

from tests.support.fixtures import push_service
from worker.push import VapidSigner, generate_keys

from .helpers import CONTACT

__all__ = ["push_service"]


@pytest.fixture
def signer() -> VapidSigner:
    return VapidSigner(generate_keys().private_key, CONTACT)
