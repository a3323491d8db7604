"""The database connection: a real MongoDB when MONGODB_URI is set, else the embedded store.

The embedded store is mongomock, in memory, and it is not thread-safe: every access goes through
`store_lock`, which the WSGI middleware and the worker hold for a whole unit of work. On a real
MongoDB the lock is a no-op.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import mongoengine
from pymongo import UpdateOne

_embedded_lock = threading.RLock()
_state = {"embedded": False}


def connect(uri: str, db_name: str, **client_options) -> None:
    """Connect mongoengine's default alias (idempotent: an existing connection is replaced).

    `client_options` go to pymongo's MongoClient on a real MongoDB (timeouts, say)."""
    mongoengine.disconnect()
    if uri:
        mongoengine.connect(
            host=uri, db=db_name, tz_aware=True, uuidRepresentation="standard", **client_options
        )
        _state["embedded"] = False
    else:
        import mongomock

        mongoengine.connect(
            db=db_name,
            host="mongodb://localhost",
            mongo_client_class=mongomock.MongoClient,
            tz_aware=True,
            uuidRepresentation="standard",
        )
        _state["embedded"] = True


def is_embedded() -> bool:
    return _state["embedded"]


#: How many times this thread holds `_embedded_lock` (it is re-entrant), so that it can let go.
_held = threading.local()


@contextlib.contextmanager
def store_lock() -> Iterator[None]:
    """Serialise access to the embedded store; free on a real MongoDB."""
    if not _state["embedded"]:
        yield
        return
    with _embedded_lock:
        _held.depth = getattr(_held, "depth", 0) + 1
        try:
            yield
        finally:
            _held.depth -= 1


@contextlib.contextmanager
def store_released() -> Iterator[None]:
    """Let go of the embedded store while this thread waits on something else (the network).

    A request holds the store for its whole duration (SerialisedStoreMiddleware); one that
    sends over the network must not make every other user and the worker wait for a slow
    server. Nothing inside the block may touch the store; what was read before may have
    changed when it ends.
    """
    depth = getattr(_held, "depth", 0) if _state["embedded"] else 0
    for _ in range(depth):
        _embedded_lock.release()
    try:
        yield
    finally:
        for _ in range(depth):
            _embedded_lock.acquire()


def ping() -> bool:
    """True when the database answers."""
    try:
        with store_lock():
            return bool(mongoengine.get_db().command("ping").get("ok"))
    except Exception:  # any driver error means "not ready"
        return False


class SerialisedStoreMiddleware:
    """WSGI middleware that holds `store_lock` for the whole request in embedded mode."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with store_lock():
            # Materialise the body inside the lock: a lazy iterable could touch the store later.
            body = self.app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()


def bulk_upsert(collection, upserts: list[tuple[dict, dict]]) -> None:
    """Apply (filter, update) upserts: one unordered bulk_write on MongoDB.

    mongomock 4.3 cannot take pymongo 4.11+'s UpdateOne (it passes a `sort` argument mongomock's
    builder does not know), so the embedded store applies them one by one; same result.
    """
    if not upserts:
        return
    with store_lock():
        if _state["embedded"]:
            for query, update in upserts:
                collection.update_one(query, update, upsert=True)
        else:
            collection.bulk_write([UpdateOne(q, u, upsert=True) for q, u in upserts], ordered=False)
