from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.push_service import unb64url, verify_vapid
from webpush.vapid import (
    REFRESH_BEFORE_EXPIRY_SECONDS,
    TOKEN_LIFETIME_SECONDS,
    VapidConfigError,
    VapidSigner,
    generate_keys,
    load_private_key,
    origin_of,
    public_key_b64,
)

from .helpers import CONTACT

ORIGIN = "https://fcm.googleapis.com"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def claims_of(header: str) -> dict:
    token = header.split("t=", 1)[1].split(",", 1)[0]
    return json.loads(unb64url(token.split(".")[1]))


def pem_of(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_a_raw_base64url_key_loads():
    keys = generate_keys()

    assert public_key_b64(load_private_key(keys.private_key)) == keys.public_key


def test_a_pem_key_loads():
    key = ec.generate_private_key(ec.SECP256R1())

    assert public_key_b64(load_private_key(pem_of(key))) == public_key_b64(key)


def test_a_pem_key_on_one_line_with_escaped_newlines_loads():
    key = ec.generate_private_key(ec.SECP256R1())

    one_line = pem_of(key).replace("\n", "\\n")

    assert public_key_b64(load_private_key(one_line)) == public_key_b64(key)


@pytest.mark.parametrize(
    "value",
    ["", "not a key!", "AAAA", pem_of(ec.generate_private_key(ec.SECP384R1())), "-----BEGIN x"],
    ids=["empty", "garbage", "too-short", "p384", "broken-pem"],
)
def test_an_unusable_key_fails_fast(value):
    with pytest.raises(VapidConfigError, match="VAPID_PRIVATE_KEY"):
        load_private_key(value)


@pytest.mark.parametrize("subject", ["", "ops@partwise.example", "http://partwise.example"])
def test_a_subject_that_is_not_mailto_or_https_fails_fast(subject):
    with pytest.raises(VapidConfigError, match="VAPID_SUBJECT"):
        VapidSigner(generate_keys().private_key, subject)


def test_from_config_reads_key_and_subject():
    keys = generate_keys()

    signer = VapidSigner.from_config(
        {"VAPID_PRIVATE_KEY": keys.private_key, "VAPID_SUBJECT": CONTACT}
    )

    assert signer.application_server_key == keys.public_key


def test_the_application_server_key_is_an_uncompressed_p256_point():
    point = unb64url(generate_keys().public_key)

    assert len(point) == 65 and point[0] == 4


@pytest.mark.parametrize(
    ("endpoint", "origin"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc:def", "https://fcm.googleapis.com"),
        (
            "https://Updates.Push.Services.Mozilla.com:443/wpush/v2/x",
            "https://updates.push.services.mozilla.com",
        ),
        ("http://127.0.0.1:8123/push/1", "http://127.0.0.1:8123"),
    ],
)
def test_origin_of_keeps_scheme_host_and_non_default_port(endpoint, origin):
    assert origin_of(endpoint) == origin


def test_the_header_verifies_for_its_origin():
    clock = Clock()
    signer = VapidSigner(generate_keys().private_key, CONTACT, clock=clock)

    claims = verify_vapid(signer.authorization(ORIGIN), ORIGIN, clock.now)

    assert claims == {"aud": ORIGIN, "exp": int(clock.now) + TOKEN_LIFETIME_SECONDS, "sub": CONTACT}


def test_each_origin_gets_its_own_claims():
    signer = VapidSigner(generate_keys().private_key, CONTACT)

    first = signer.authorization(ORIGIN)
    second = signer.authorization("https://updates.push.services.mozilla.com")

    assert claims_of(first)["aud"] == ORIGIN
    assert claims_of(second)["aud"] == "https://updates.push.services.mozilla.com"


def test_the_header_is_reused_until_an_hour_before_expiry():
    clock = Clock()
    signer = VapidSigner(generate_keys().private_key, CONTACT, clock=clock)
    first = signer.authorization(ORIGIN)

    clock.now += TOKEN_LIFETIME_SECONDS - REFRESH_BEFORE_EXPIRY_SECONDS - 1

    assert signer.authorization(ORIGIN) == first


def test_the_header_is_signed_again_near_expiry():
    clock = Clock()
    signer = VapidSigner(generate_keys().private_key, CONTACT, clock=clock)
    first = signer.authorization(ORIGIN)

    clock.now += TOKEN_LIFETIME_SECONDS - REFRESH_BEFORE_EXPIRY_SECONDS
    second = signer.authorization(ORIGIN)

    assert second != first
    assert claims_of(second)["exp"] == int(clock.now) + TOKEN_LIFETIME_SECONDS
    assert verify_vapid(second, ORIGIN, clock.now)["aud"] == ORIGIN
