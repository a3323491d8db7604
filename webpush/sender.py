"""Send many push messages at once: bounded concurrency, one pooled session, a timeout on each.

The sender makes one attempt per message and says how it went; retrying is the caller's
decision (see `webpush.retry`), taken against the delivery log, not in memory.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

import aiohttp
import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import VapidException

from .message import MAX_ENCRYPTED_BYTES, PushMessage
from .outcome import Outcome, PushResult, classify, parse_retry_after
from .vapid import VapidSigner, b64url_decode, origin_of

logger = logging.getLogger(__name__)

#: Requests in flight at once, over all push services.
DEFAULT_CONCURRENCY = 64
#: Connections to any one push service (HTTP/1.1: one request in flight per connection).
DEFAULT_CONNECTIONS_PER_HOST = 32
#: Each request, from its first byte sent to the last byte of the answer.
DEFAULT_TIMEOUT_SECONDS = 10.0
#: RFC 8291: the browser's key is an uncompressed P-256 point, its auth secret 16 bytes.
P256_POINT_BYTES = 65
AUTH_SECRET_BYTES = 16
#: How much of a push service's error body is kept for the log (it never echoes our payload).
_ERROR_BODY_CHARS = 300


class PushSender:
    """Use as `async with PushSender(signer) as sender: results = await sender.send_many(msgs)`."""

    def __init__(
        self,
        signer: VapidSigner,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        connections_per_host: int = DEFAULT_CONNECTIONS_PER_HOST,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        allow_http: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if concurrency < 1 or connections_per_host < 1:
            raise ValueError("concurrency and connections_per_host must be at least 1")
        self._signer = signer
        self._concurrency = concurrency
        self._per_host = min(connections_per_host, concurrency)
        self._timeout = timeout
        self._allow_http = allow_http
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(concurrency)

    async def __aenter__(self) -> PushSender:
        # A semaphore belongs to the event loop that first waits on it: a new one for each use.
        self._slots = asyncio.Semaphore(self._concurrency)
        connector = aiohttp.TCPConnector(limit=self._concurrency, limit_per_host=self._per_host)
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=self._timeout)
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send_many(self, messages: Iterable[PushMessage]) -> list[PushResult]:
        """Send every message; the results come back in the order of `messages`.

        Each push-service origin gets up to `connections_per_host` senders that take its messages
        in turn, so one busy service cannot hold every slot; all of them together stay within
        `concurrency`. A few dozen coroutines for a batch of any size, not one per message.
        """
        if self._session is None:
            raise RuntimeError("PushSender is used outside `async with`")
        messages = list(messages)
        results: list[PushResult | None] = [None] * len(messages)
        queues: defaultdict[str, deque[int]] = defaultdict(deque)
        for index, message in enumerate(messages):
            try:
                queues[self._origin(message)].append(index)
            except ValueError as exc:
                results[index] = _logged(PushResult(message, Outcome.OUR_BUG, error=str(exc)), "-")

        async def drain(origin: str, queue: deque[int]) -> None:
            while queue:
                index = queue.popleft()
                # Encrypting inside the slot keeps at most `concurrency` bodies in memory.
                async with self._slots:
                    results[index] = await self._send(messages[index], origin)

        await asyncio.gather(
            *(
                drain(origin, queue)
                for origin, queue in queues.items()
                for _ in range(min(self._per_host, len(queue)))
            )
        )
        done = [result for result in results if result is not None]
        assert len(done) == len(messages)
        return done

    async def send(self, message: PushMessage) -> PushResult:
        """Encrypt, sign and send one message; every failure comes back as a result."""
        [result] = await self.send_many([message])
        return result

    async def _send(self, message: PushMessage, origin: str) -> PushResult:
        assert self._session is not None
        try:
            result = await self._attempt(self._session, message, origin)
        except (ValueError, VapidException) as exc:
            result = PushResult(message, Outcome.OUR_BUG, error=str(exc))
        except Exception as exc:
            # Raising would lose the batch's other results: which messages have gone out.
            logger.exception("push failed unexpectedly origin=%s", origin)
            result = PushResult(message, Outcome.OUR_BUG, error=type(exc).__name__)
        return _logged(result, origin)

    def _origin(self, message: PushMessage) -> str:
        origin = origin_of(message.endpoint)
        # Endpoints come from browsers via our API; plain http is for a loopback test service.
        if origin.startswith("http:") and not self._allow_http:
            raise ValueError("push endpoint is not https")
        return origin

    async def _attempt(
        self, session: aiohttp.ClientSession, message: PushMessage, origin: str
    ) -> PushResult:
        try:
            body = encrypt(message)
        except (ValueError, http_ece.ECEException):
            return PushResult(message, Outcome.OUR_BUG, error="invalid subscription keys")
        if len(body) > MAX_ENCRYPTED_BYTES:
            return PushResult(message, Outcome.OUR_BUG, error="encrypted payload over 4096 bytes")
        headers = {
            "Authorization": self._signer.authorization(origin),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(message.ttl),
            "Urgency": str(message.urgency),
            "Topic": message.topic,
        }
        try:
            async with session.post(
                message.endpoint, data=body, headers=headers, allow_redirects=False
            ) as response:
                answer = await response.read()
                status = response.status
                retry_after = response.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            described = f"{type(exc).__name__}: {exc}".replace(message.endpoint, origin)
            return PushResult(message, Outcome.RETRY, error=described)
        outcome = classify(status)
        if outcome is Outcome.SENT:
            return PushResult(message, outcome, status=status)
        return PushResult(
            message,
            outcome,
            status=status,
            retry_after=parse_retry_after(retry_after, self._clock())
            if outcome is Outcome.RETRY
            else None,
            error=answer[:_ERROR_BODY_CHARS].decode("utf-8", "replace") or None,
        )


def encrypt(message: PushMessage) -> bytes:
    """The aes128gcm body (RFC 8291) for the message's subscription keys.

    http_ece as pywebpush's WebPusher.encode calls it, without WebPusher's per-message copying.
    """
    receiver_key = b64url_decode(message.p256dh)
    auth_secret = b64url_decode(message.auth)
    if len(receiver_key) != P256_POINT_BYTES or len(auth_secret) != AUTH_SECRET_BYTES:
        raise ValueError("subscription keys have the wrong length")
    return http_ece.encrypt(
        message.plaintext,
        # RFC 8291 section 3.1: a new ephemeral key for every message.
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=receiver_key,
        auth_secret=auth_secret,
        version="aes128gcm",
    )


_LOG_LEVELS = {
    Outcome.SENT: logging.DEBUG,
    Outcome.GONE: logging.INFO,
    Outcome.RETRY: logging.WARNING,
    Outcome.REFUSED: logging.ERROR,
    Outcome.OUR_BUG: logging.ERROR,
}


def _logged(result: PushResult, origin: str) -> PushResult:
    # Origin, status and outcome only: the payload is health data and the endpoint a credential.
    logger.log(
        _LOG_LEVELS[result.outcome],
        "push %s origin=%s status=%s retry_after=%s error=%s",
        result.outcome,
        origin,
        result.status,
        result.retry_after,
        result.error,
    )
    return result


async def send_batch(
    signer: VapidSigner, messages: Iterable[PushMessage], **options: Any
) -> list[PushResult]:
    """Open a sender with `options` (see PushSender), send every message, close it."""
    async with PushSender(signer, **options) as sender:
        return await sender.send_many(messages)


def send_one(signer: VapidSigner, message: PushMessage, **options: Any) -> PushResult:
    """Send one message from synchronous code (a "send a test notification" request)."""
    # asyncio.run refuses to nest: call this from a thread without a running event loop.
    return asyncio.run(send_batch(signer, [message], **options))[0]
