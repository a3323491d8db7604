from __future__ import annotations

import pytest

from webpush import VapidSigner, generate_keys

from .helpers import CONTACT


@pytest.fixture
def signer() -> VapidSigner:
    return VapidSigner(generate_keys().private_key, CONTACT)
