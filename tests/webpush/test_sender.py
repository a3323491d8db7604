from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from tests.support.push_service import PushService
from webpush import (
    Outcome,
    PayloadTooLarge,
    PushSender,
    VapidSigner,
    generate_keys,
    send_one,
)

from .helpers import CONTACT, REMINDER, message_for, send


def test_the_phone_decrypts_the_json_payload(push_service, signer):
    subscription = push_service.make_subscription()

    [result] = send(signer, [message_for(subscription)])

    assert result.outcome is Outcome.SENT
    assert result.status == 201
    [received] = push_service.received_for(subscription)
    assert received.payload == REMINDER


def test_ttl_urgency_and_topic_are_always_sent(push_service, signer):
    subscription = push_service.make_subscription()

    send(signer, [message_for(subscription, ttl=7200, urgency="low", topic="weekly-digest")])

    headers = push_service.received[0].headers
    assert headers["ttl"] == "7200"
    assert headers["urgency"] == "low"
    assert headers["topic"] == "weekly-digest"
    assert headers["content-encoding"] == "aes128gcm"


def test_vapid_audience_is_the_push_service_origin(push_service, signer):
    subscription = push_service.make_subscription()

    send(signer, [message_for(subscription)])

    claims = push_service.received[0].claims
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == CONTACT


def test_one_batch_to_two_push_services_signs_once_for_each_with_its_own_audience(signer):
    with PushService() as first, PushService() as second:
        subscriptions = [service.make_subscription() for service in (first, second) * 3]

        results = send(signer, [message_for(s) for s in subscriptions])

        assert [r.outcome for r in results] == [Outcome.SENT] * 6
        for service in (first, second):
            # Each service checked `aud` against its own origin; one header served all three.
            assert {m.claims["aud"] for m in service.received} == {service.origin}
            assert len({m.headers["authorization"] for m in service.received}) == 1
        assert (
            first.received[0].headers["authorization"]
            != (second.received[0].headers["authorization"])
        )


def test_a_push_signed_with_another_vapid_key_is_rejected(push_service, signer):
    subscription = push_service.make_subscription(signer.application_server_key)
    other = VapidSigner(generate_keys().private_key, CONTACT)

    [result] = send(other, [message_for(subscription)])

    assert (result.outcome, result.status) == (Outcome.REFUSED, 403)
    assert push_service.received == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_vanished_subscription_is_gone(push_service, signer, status):
    subscription = push_service.make_subscription()
    push_service.respond_for(subscription, status)

    [result] = send(signer, [message_for(subscription)])

    assert (result.outcome, result.status) == (Outcome.GONE, status)


def test_an_unknown_endpoint_is_gone(push_service, signer):
    subscription = push_service.make_subscription()
    subscription["endpoint"] = f"{push_service.origin}/push/unsubscribed"

    [result] = send(signer, [message_for(subscription)])

    assert result.outcome is Outcome.GONE


def test_429_is_retried_after_the_delay_the_service_asks_for(push_service, signer):
    subscription = push_service.make_subscription()
    push_service.respond_next(429, retry_after="120")

    [result] = send(signer, [message_for(subscription)])

    assert (result.outcome, result.retry_after) == (Outcome.RETRY, 120)


def test_500_is_retried(push_service, signer):
    subscription = push_service.make_subscription()
    push_service.respond_next(500)

    [result] = send(signer, [message_for(subscription)])

    assert (result.outcome, result.status, result.retry_after) == (Outcome.RETRY, 500, None)


def test_413_is_our_bug(push_service, signer):
    subscription = push_service.make_subscription()
    push_service.respond_next(413)

    [result] = send(signer, [message_for(subscription)])

    assert (result.outcome, result.status) == (Outcome.OUR_BUG, 413)


def test_an_oversized_payload_is_refused_before_anything_is_sent(push_service):
    subscription = push_service.make_subscription()

    with pytest.raises(PayloadTooLarge, match="at most 3993"):
        message_for(subscription, payload={"note": "x" * 4000})

    assert push_service.requests == []


def test_the_largest_payload_that_fits_is_delivered(push_service, signer):
    subscription = push_service.make_subscription()
    payload = {"note": "x" * (3993 - len('{"note":""}'))}

    [result] = send(signer, [message_for(subscription, payload=payload)])

    assert result.outcome is Outcome.SENT
    assert push_service.received[0].payload == payload


def test_200_concurrent_messages_all_decrypt(push_service, signer):
    subscriptions = [push_service.make_subscription() for _ in range(200)]
    messages = [message_for(s, payload={"n": n}) for n, s in enumerate(subscriptions)]

    results = send(signer, messages)

    assert [r.outcome for r in results] == [Outcome.SENT] * 200
    assert sorted(m.payload["n"] for m in push_service.received) == list(range(200))


def test_concurrency_is_bounded_but_real(push_service, signer):
    push_service.delay = 0.02
    subscriptions = [push_service.make_subscription() for _ in range(40)]

    send(signer, [message_for(s) for s in subscriptions], concurrency=8)

    assert 1 < push_service.max_in_flight <= 8


def test_a_slow_push_service_does_not_hold_up_the_others(signer):
    with PushService() as slow, PushService() as fast:
        slow.delay = 0.3
        subscriptions = [slow.make_subscription() for _ in range(12)]
        subscriptions += [fast.make_subscription() for _ in range(12)]

        send(signer, [message_for(s) for s in subscriptions], concurrency=8, connections_per_host=4)

        assert len(slow.received) == len(fast.received) == 12
        # The slow service got at most its 4 connections: the fast one was served meanwhile.
        assert slow.max_in_flight <= 4
        assert max(m.received_at for m in fast.received) < min(m.received_at for m in slow.received)


def test_one_session_reuses_its_connections(push_service, signer):
    subscriptions = [push_service.make_subscription() for _ in range(100)]

    send(signer, [message_for(s) for s in subscriptions], concurrency=4)

    assert push_service.connections <= 4


def test_results_keep_the_order_and_refs_of_the_messages(push_service, signer):
    subscriptions = [push_service.make_subscription() for _ in range(3)]
    push_service.respond_for(subscriptions[1], 410)

    results = send(signer, [message_for(s, ref=i) for i, s in enumerate(subscriptions)])

    assert [(r.message.ref, r.outcome) for r in results] == [
        (0, Outcome.SENT),
        (1, Outcome.GONE),
        (2, Outcome.SENT),
    ]


def test_a_refused_connection_is_retried(signer):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subscription = {
        "endpoint": f"http://127.0.0.1:{port}/push/x",
        "keys": {"p256dh": generate_keys().public_key, "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    }

    [result] = send(signer, [message_for(subscription)])

    assert (result.outcome, result.status) == (Outcome.RETRY, None)


def test_a_timeout_is_retried(push_service, signer):
    push_service.delay = 0.3
    subscription = push_service.make_subscription()

    [result] = send(signer, [message_for(subscription)], timeout=0.05)

    assert result.outcome is Outcome.RETRY
    assert "Timeout" in result.error


def test_invalid_subscription_keys_are_our_bug_and_not_sent(push_service, signer):
    subscription = push_service.make_subscription()
    subscription["keys"]["p256dh"] = "BAAA"

    [result] = send(signer, [message_for(subscription)])

    assert result.outcome is Outcome.OUR_BUG
    assert push_service.requests == []


def test_a_message_that_cannot_be_signed_for_does_not_stop_the_batch(push_service, signer):
    good = push_service.make_subscription()
    # py_vapid refuses an IPv6 literal as `aud`: no real push service uses one.
    odd = {**good, "endpoint": "https://[::1]:8443/push/x"}

    results = send(signer, [message_for(odd), message_for(good)])

    assert [r.outcome for r in results] == [Outcome.OUR_BUG, Outcome.SENT]


def test_plain_http_endpoints_are_refused_unless_allowed(push_service, signer):
    message = message_for(push_service.make_subscription())

    async def go():
        async with PushSender(signer) as sender:
            return await sender.send(message)

    result = asyncio.run(go())

    assert result.outcome is Outcome.OUR_BUG
    assert push_service.requests == []


def test_send_one_works_from_synchronous_code(push_service, signer):
    subscription = push_service.make_subscription()

    result = send_one(signer, message_for(subscription), allow_http=True)

    assert result.outcome is Outcome.SENT


def test_the_payload_is_never_logged(push_service, signer, caplog):
    subscription = push_service.make_subscription()
    push_service.respond_next(400)
    secret = "my exile part felt abandoned"
    caplog.set_level(logging.DEBUG, logger="webpush")

    send(signer, [message_for(subscription, payload={"note": secret})])

    assert caplog.records
    assert secret not in caplog.text
    assert subscription["endpoint"] not in caplog.text
