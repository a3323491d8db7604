"""A push service on 127.0.0.1 that does what a real one does, for tests and benchmarks.

It hands out subscriptions the way a browser would (a P-256 key pair and an auth secret per
subscription), and on each POST to an endpoint it verifies the VAPID JWT (ES256 signature against
`k`, `aud`, `exp`, `sub`), requires TTL and `Content-Encoding: aes128gcm`, decrypts the body with
the subscription's private key and stores what the phone would receive. Tests can make it answer
404, 410, 413, 429 (with Retry-After) or 5xx instead.

In sink mode (`verify=False`) it reads each body and answers 201, nothing more: a benchmark's
far end that is not the bottleneck.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import http_ece
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

MAX_BODY_BYTES = 4096
MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
_URGENCIES = {"very-low", "low", "normal", "high"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    text = text.rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class BrowserKeys:
    """What a browser generates for a subscription and never shows the application server."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @classmethod
    def generate(cls) -> BrowserKeys:
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_json(self, endpoint: str) -> dict[str, Any]:
        """The object `PushSubscription.toJSON()` returns."""
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }


@dataclass
class _Subscription:
    keys: BrowserKeys
    application_server_key: bytes | None


@dataclass(frozen=True)
class ReceivedMessage:
    """A push the phone got: headers (lower-case names), the VAPID claims, the decrypted JSON."""

    subscription_id: str
    headers: dict[str, str]
    claims: dict[str, Any]
    plaintext: bytes
    received_at: float

    @property
    def payload(self) -> Any:
        return json.loads(self.plaintext)


@dataclass(frozen=True)
class RecordedRequest:
    """Every request the service answered, accepted or not."""

    subscription_id: str
    status: int
    reason: str
    headers: dict[str, str]


@dataclass
class _Scripted:
    status: int
    retry_after: str | None
    remaining: int | None  # None: until reset()


class Rejected(Exception):
    """The push service refuses the request with this status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def verify_vapid(
    authorization: str | None, audience: str, now: float, expected_key: bytes | None = None
) -> dict[str, Any]:
    """Check `vapid t=<jwt>,k=<key>` as RFC 8292 says and return the claims.

    401 when the token is missing, malformed, badly signed or its claims are wrong; 403 when it is
    valid but signed with another key than the one the subscription was created with.
    """
    scheme, _, params = (authorization or "").partition(" ")
    if scheme.lower() != "vapid":
        raise Rejected(401, "missing vapid Authorization")
    try:
        fields = dict(item.strip().split("=", 1) for item in params.split(","))
        encoded_header, encoded_claims, encoded_sig = fields["t"].split(".")
        header = json.loads(unb64url(encoded_header))
        claims = json.loads(unb64url(encoded_claims))
        key_bytes = unb64url(fields["k"])
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key_bytes)
        signature = unb64url(encoded_sig)
    except (KeyError, ValueError, binascii.Error) as exc:
        raise Rejected(401, f"malformed vapid header: {type(exc).__name__}") from None
    if header.get("alg") != "ES256" or len(signature) != 64:
        raise Rejected(401, "vapid token is not ES256")
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(
            der, f"{encoded_header}.{encoded_claims}".encode(), ec.ECDSA(hashes.SHA256())
        )
    except InvalidSignature:
        raise Rejected(401, "vapid signature does not verify against k") from None
    _check_claims(claims, audience, now)
    if expected_key is not None and key_bytes != expected_key:
        raise Rejected(403, "vapid key is not the subscription's applicationServerKey")
    return claims


def _check_claims(claims: dict[str, Any], audience: str, now: float) -> None:
    if claims.get("aud") != audience:
        raise Rejected(401, f"vapid aud {claims.get('aud')!r} is not {audience!r}")
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= now:
        raise Rejected(401, "vapid token expired or without exp")
    if exp > now + MAX_TOKEN_LIFETIME_SECONDS:
        raise Rejected(401, "vapid exp more than 24 hours ahead")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.startswith(("mailto:", "https:")):
        raise Rejected(401, "vapid sub is not a mailto: or https: URL")


class PushService:
    """Start with `with PushService() as service:` (or start()/stop()); thread-safe to inspect."""

    def __init__(self, *, verify: bool = True, clock: Callable[[], float] = time.time) -> None:
        self.verify = verify
        self.clock = clock
        #: Seconds each request waits before it is answered: makes concurrency observable.
        self.delay = 0.0
        self._lock = threading.Lock()
        self._subscriptions: dict[str, _Subscription] = {}
        self._received: list[ReceivedMessage] = []
        self._requests: list[RecordedRequest] = []
        self._next: list[_Scripted] = []
        self._per_subscription: dict[str, _Scripted] = {}
        self._peers: set[tuple[str, int]] = set()
        self._in_flight = 0
        self.max_in_flight = 0
        self.sink_count = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> PushService:
        """Serve on 127.0.0.1 at an ephemeral port, from a background thread."""
        ready = threading.Event()
        failure: list[BaseException] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._serve, args=(ready, failure), name="test-push-service", daemon=True
        )
        self._thread.start()
        if not ready.wait(10) or failure:
            raise RuntimeError(f"test push service did not start: {failure}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = self._thread = None

    def __enter__(self) -> PushService:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._open())
        except BaseException as exc:
            failure.append(exc)
            ready.set()
            return
        ready.set()
        loop.run_forever()
        assert self._runner is not None
        loop.run_until_complete(self._runner.cleanup())
        loop.close()

    async def _open(self) -> None:
        app = web.Application()
        app.router.add_post("/push/{id}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- the browser's side ------------------------------------------------------------------

    def make_subscription(self, application_server_key: str | None = None) -> dict[str, Any]:
        """A new subscription as the browser hands it over: endpoint and keys (base64url).

        With `application_server_key`, pushes signed with any other VAPID key get 403, as they do
        when the PWA subscribed with a key that the server no longer uses.
        """
        sub_id = uuid.uuid4().hex
        keys = BrowserKeys.generate()
        expected = unb64url(application_server_key) if application_server_key else None
        with self._lock:
            self._subscriptions[sub_id] = _Subscription(keys, expected)
        return keys.subscription_json(f"{self.origin}/push/{sub_id}")

    # -- what tests look at ------------------------------------------------------------------

    @property
    def received(self) -> list[ReceivedMessage]:
        with self._lock:
            return list(self._received)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def connections(self) -> int:
        """How many distinct client connections (peer ports) have sent requests."""
        with self._lock:
            return len(self._peers)

    def received_for(self, subscription: dict[str, Any]) -> list[ReceivedMessage]:
        sub_id = _subscription_id(subscription)
        return [message for message in self.received if message.subscription_id == sub_id]

    # -- making it fail ----------------------------------------------------------------------

    def respond_next(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        """Answer the next `times` valid requests with `status` instead of delivering them."""
        with self._lock:
            self._next.append(_Scripted(status, retry_after, times))

    def respond_for(
        self, subscription: dict[str, Any], status: int, retry_after: str | None = None
    ) -> None:
        """Answer every valid request to this subscription with `status` until reset()."""
        with self._lock:
            self._per_subscription[_subscription_id(subscription)] = _Scripted(
                status, retry_after, None
            )

    def reset(self) -> None:
        with self._lock:
            self._next.clear()
            self._per_subscription.clear()

    # -- the push service --------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            body = await request.read()
            if self.delay:
                await asyncio.sleep(self.delay)
            if not self.verify:
                self.sink_count += 1
                return web.Response(status=201)
            return self._accept(request, body)
        finally:
            self._in_flight -= 1

    def _accept(self, request: web.Request, body: bytes) -> web.Response:
        sub_id = request.match_info["id"]
        headers = {name.lower(): value for name, value in request.headers.items()}
        peer = request.transport.get_extra_info("peername") if request.transport else None
        with self._lock:
            subscription = self._subscriptions.get(sub_id)
            if peer:
                self._peers.add(tuple(peer[:2]))
        try:
            if subscription is None:
                raise Rejected(404, "no such subscription")
            claims = verify_vapid(
                headers.get("authorization"),
                self.origin,
                self.clock(),
                subscription.application_server_key,
            )
            plaintext = self._check_and_decrypt(subscription, headers, body)
        except Rejected as rejected:
            return self._answer(sub_id, headers, rejected.status, rejected.reason)
        scripted = self._scripted(sub_id)
        if scripted is not None:
            extra = {"Retry-After": scripted.retry_after} if scripted.retry_after else {}
            return self._answer(sub_id, headers, scripted.status, "scripted", extra)
        message = ReceivedMessage(sub_id, headers, claims, plaintext, self.clock())
        with self._lock:
            self._received.append(message)
        location = {"Location": f"/message/{uuid.uuid4().hex}"}
        return self._answer(sub_id, headers, 201, "created", location)

    def _check_and_decrypt(
        self, subscription: _Subscription, headers: dict[str, str], body: bytes
    ) -> bytes:
        if not headers.get("ttl", "").isdigit():
            raise Rejected(400, "TTL header missing or not a number")
        if headers.get("content-encoding") != "aes128gcm":
            raise Rejected(400, "Content-Encoding must be aes128gcm")
        if "urgency" in headers and headers["urgency"] not in _URGENCIES:
            raise Rejected(400, "bad Urgency")
        if "topic" in headers and not _TOPIC.fullmatch(headers["topic"]):
            raise Rejected(400, "bad Topic")
        if len(body) > MAX_BODY_BYTES:
            raise Rejected(413, "payload too large")
        try:
            return http_ece.decrypt(
                body,
                private_key=subscription.keys.private_key,
                auth_secret=subscription.keys.auth_secret,
                version="aes128gcm",
            )
        except (http_ece.ECEException, ValueError, IndexError) as exc:
            raise Rejected(400, f"cannot decrypt: {exc}") from None

    def _scripted(self, sub_id: str) -> _Scripted | None:
        with self._lock:
            if sub_id in self._per_subscription:
                return self._per_subscription[sub_id]
            if not self._next:
                return None
            scripted = self._next[0]
            assert scripted.remaining is not None
            scripted.remaining -= 1
            if scripted.remaining <= 0:
                self._next.pop(0)
            return scripted

    def _answer(
        self,
        sub_id: str,
        headers: dict[str, str],
        status: int,
        reason: str,
        extra: dict[str, str] | None = None,
    ) -> web.Response:
        with self._lock:
            self._requests.append(RecordedRequest(sub_id, status, reason, headers))
        return web.Response(status=status, text=reason, headers=extra or {})


def _subscription_id(subscription: dict[str, Any]) -> str:
    return subscription["endpoint"].rsplit("/", 1)[1]
