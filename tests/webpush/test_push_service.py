"""The loopback push service checks what a real one checks, or the sender tests prove nothing."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

from tests.support.push_service import b64url
from webpush.sender import encrypt
from webpush.vapid import public_key_b64

from .helpers import CONTACT, message_for

JWT_HEADER = b64url(b'{"typ":"JWT","alg":"ES256"}')


def vapid_header(
    claims: dict[str, Any],
    signing_key: ec.EllipticCurvePrivateKey,
    advertised_key: ec.EllipticCurvePrivateKey | None = None,
) -> str:
    """A hand-made `vapid t=...,k=...`, so that tests can get every part of it wrong."""
    signed = f"{JWT_HEADER}.{b64url(json.dumps(claims).encode())}"
    r, s = utils.decode_dss_signature(signing_key.sign(signed.encode(), ec.ECDSA(hashes.SHA256())))
    signature = b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    return f"vapid t={signed}.{signature},k={public_key_b64(advertised_key or signing_key)}"


def post(subscription: dict[str, Any], authorization: str, **header_overrides: str):
    message = message_for(subscription)
    headers = {
        "Authorization": authorization,
        "TTL": "60",
        "Content-Encoding": "aes128gcm",
        **header_overrides,
    }
    return requests.post(
        subscription["endpoint"], data=encrypt(message), headers=headers, timeout=5
    )


@pytest.fixture
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def good_claims(push_service) -> dict[str, Any]:
    return {"aud": push_service.origin, "exp": int(time.time()) + 3600, "sub": CONTACT}


def test_a_hand_signed_valid_push_is_accepted(push_service, key, good_claims):
    subscription = push_service.make_subscription()

    response = post(subscription, vapid_header(good_claims, key))

    assert response.status_code == 201
    assert len(push_service.received) == 1


def test_a_signature_by_another_key_than_k_is_rejected(push_service, key, good_claims):
    subscription = push_service.make_subscription()
    impostor = ec.generate_private_key(ec.SECP256R1())

    response = post(subscription, vapid_header(good_claims, impostor, advertised_key=key))

    assert response.status_code == 401
    assert push_service.received == []


@pytest.mark.parametrize(
    "bad",
    [
        {"aud": "https://fcm.googleapis.com"},
        {"exp": int(time.time()) - 10},
        {"exp": int(time.time()) + 25 * 3600},
        {"sub": "ops@partwise.example"},
        {"sub": None},
    ],
    ids=["foreign-aud", "expired", "exp-beyond-24h", "sub-not-a-url", "no-sub"],
)
def test_bad_claims_are_rejected(push_service, key, good_claims, bad):
    subscription = push_service.make_subscription()
    claims = {k: v for k, v in {**good_claims, **bad}.items() if v is not None}

    response = post(subscription, vapid_header(claims, key))

    assert response.status_code == 401


def test_a_missing_authorization_is_rejected(push_service):
    response = post(push_service.make_subscription(), "")

    assert response.status_code == 401


def test_a_push_without_ttl_is_rejected(push_service, key, good_claims):
    subscription = push_service.make_subscription()

    response = post(subscription, vapid_header(good_claims, key), TTL="")

    assert response.status_code == 400


def test_a_body_encrypted_for_another_subscription_is_rejected(push_service, key, good_claims):
    mine, theirs = push_service.make_subscription(), push_service.make_subscription()
    theirs["endpoint"] = mine["endpoint"]

    response = post(theirs, vapid_header(good_claims, key))

    assert response.status_code == 400
    assert push_service.received == []


def test_scripted_answers_last_for_the_number_of_requests_asked(push_service, key, good_claims):
    subscription = push_service.make_subscription()
    push_service.respond_next(503, times=2)

    statuses = [post(subscription, vapid_header(good_claims, key)).status_code for _ in range(3)]

    assert statuses == [503, 503, 201]
