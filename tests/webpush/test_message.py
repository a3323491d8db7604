from __future__ import annotations

import pytest

from tests.support.push_service import BrowserKeys
from webpush import MAX_PAYLOAD_BYTES, PayloadTooLarge, Urgency
from webpush.message import MAX_ENCRYPTED_BYTES, encrypted_size
from webpush.sender import encrypt

from .helpers import message_for

SUBSCRIPTION = BrowserKeys.generate().subscription_json("https://fcm.googleapis.com/fcm/send/abc")


def test_encrypted_size_matches_what_encryption_produces():
    message = message_for(SUBSCRIPTION, payload={"note": "x" * 500})

    assert len(encrypt(message)) == encrypted_size(len(message.plaintext))


def test_the_limit_is_one_4096_byte_record():
    assert encrypted_size(MAX_PAYLOAD_BYTES) == MAX_ENCRYPTED_BYTES


def test_a_payload_one_byte_too_large_is_refused():
    filler = "x" * (MAX_PAYLOAD_BYTES + 1 - len('{"note":""}'))

    with pytest.raises(PayloadTooLarge):
        message_for(SUBSCRIPTION, payload={"note": filler})


def test_multibyte_text_counts_in_bytes():
    with pytest.raises(PayloadTooLarge):
        message_for(SUBSCRIPTION, payload={"note": "é" * 2000})


@pytest.mark.parametrize("topic", ["", "x" * 33, "check in", "digest/weekly"])
def test_a_topic_outside_rfc_8030_is_refused(topic):
    with pytest.raises(ValueError, match="topic"):
        message_for(SUBSCRIPTION, topic=topic)


@pytest.mark.parametrize("ttl", [-1, 1.5, None, True])
def test_a_ttl_that_is_not_a_non_negative_int_is_refused(ttl):
    with pytest.raises(ValueError, match="ttl"):
        message_for(SUBSCRIPTION, ttl=ttl)


def test_an_unknown_urgency_is_refused():
    with pytest.raises(ValueError):
        message_for(SUBSCRIPTION, urgency="urgent")


def test_urgency_strings_become_the_enum():
    assert message_for(SUBSCRIPTION, urgency="very-low").urgency is Urgency.VERY_LOW


def test_the_payload_stays_out_of_the_repr():
    message = message_for(SUBSCRIPTION, payload={"note": "my protector part took over"})

    assert "protector" not in repr(message)
